package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/participation"
)

type searchPage struct {
	basePage
	*participation.SearchView
	MoreIdeas, MoreComments string // links to the next page of each kind
	AllURL                  string // back to both kinds
}

// search finds ideas and comments across every challenge anyone may read.
func (s *Server) search(c echo.Context) error {
	text := strings.TrimSpace(c.QueryParam("q"))
	kind := gs.TargetKind(c.QueryParam("kind"))
	before, err := queryID(c, "before")
	if err != nil {
		return err
	}
	v, err := s.part.Search(c.Request().Context(), text, kind, before)
	if err != nil {
		return err
	}
	title := "Search"
	if text != "" {
		title = "Search: " + text
	}
	p := &searchPage{basePage: s.base(c, title), SearchView: v}
	link := func(k gs.TargetKind, next int64) string {
		if next == 0 {
			return ""
		}
		return withQuery("/search", url.Values{"q": {text}, "kind": {string(k)}, "before": {strconv.FormatInt(next, 10)}})
	}
	p.MoreIdeas, p.MoreComments = link(gs.TargetIdea, v.NextIdeas), link(gs.TargetComment, v.NextComments)
	if kind != "" {
		p.AllURL = withQuery("/search", url.Values{"q": {text}})
	}
	return s.render(c, http.StatusOK, "search", p)
}
