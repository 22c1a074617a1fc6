package http

// tradePages are the web pages of concord trade; none yet, so pending.go serves a placeholder.
func (s *Server) tradePages() []page { return nil }
