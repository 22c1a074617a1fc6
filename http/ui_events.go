package http

// eventPages are the web pages of concord events; none yet, so pending.go serves a placeholder.
func (s *Server) eventPages() []page { return nil }
