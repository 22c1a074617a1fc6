package http

// agreementEndpoints are the API endpoints of concord agreements; none yet (see pending.go).
func (s *Server) agreementEndpoints() []endpoint { return nil }
