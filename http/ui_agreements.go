package http

// agreementPages are the web pages of concord agreements; none yet, so pending.go serves a placeholder.
func (s *Server) agreementPages() []page { return nil }
