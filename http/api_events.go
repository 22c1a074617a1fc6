package http

// eventEndpoints are the API endpoints of concord events; none yet (see pending.go).
func (s *Server) eventEndpoints() []endpoint { return nil }
