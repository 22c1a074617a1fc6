package http

// briefEndpoints are the API endpoints of concord brief; none yet (see pending.go).
func (s *Server) briefEndpoints() []endpoint { return nil }
