package web

// PageNames lists the page templates, for the test that renders every one of them.
func (s *Server) PageNames() []string { return s.pages.Names() }
