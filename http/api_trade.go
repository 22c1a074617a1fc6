package http

// tradeEndpoints are the API endpoints of concord trade; none yet (see pending.go).
func (s *Server) tradeEndpoints() []endpoint { return nil }
