package http

// briefPages are the web pages of concord brief; none yet, so pending.go serves a placeholder.
func (s *Server) briefPages() []page { return nil }
