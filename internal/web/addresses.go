package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Where a refused form leaves the browser. A form posted to an address that only takes POST
// (/ideas/7/comments, say) comes back with its text and errors; the address bar would then show
// an address that a reload or a shared link cannot open. So every such address also answers GET
// by sending the browser to the page the form lives on, and a refused form's page carries that
// page's address for the script to put in the address bar (history.replaceState). Without the
// script the bar keeps the POST address, which still works.

// formHomes maps each POST-only route to how many trailing path segments to drop to reach the
// page its form lives on: the nearest address above it that answers GET.
type formHomes map[string]int

// findFormHomes works the map out from the routes themselves, so that a new form gets its
// fallback without a list to keep.
func findFormHomes(routes []*echo.Route) formHomes {
	gets := map[string]bool{}
	for _, r := range routes {
		if r.Method == http.MethodGet {
			gets[r.Path] = true
		}
	}
	homes := formHomes{}
	for _, r := range routes {
		if r.Method != http.MethodPost || gets[r.Path] {
			continue
		}
		segs := strings.Split(strings.Trim(r.Path, "/"), "/")
		drop := 1
		for ; drop < len(segs); drop++ {
			if gets["/"+strings.Join(segs[:len(segs)-drop], "/")] {
				break
			}
		}
		homes[r.Path] = drop
	}
	return homes
}

// formHome is the page address for a request to the POST-only route: its path with the segments
// dropped. Posting an idea lives on the new-idea form, not the challenge page.
func (h formHomes) formHome(route, path string) (string, bool) {
	drop, ok := h[route]
	if !ok {
		return "", false
	}
	if route == "/c/:slug/ideas" {
		return path + "/new", true
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	return "/" + strings.Join(segs[:max(0, len(segs)-drop)], "/"), true
}

// addressOfForm is the GET twin of every POST-only route: it sends the browser to the form's
// page.
func (s *Server) addressOfForm(c echo.Context) error {
	home, _ := s.homes.formHome(c.Path(), c.Request().URL.Path)
	return c.Redirect(http.StatusSeeOther, home)
}

// commentAddress sends /comments/{id} to the comment in its discussion, so that the forms on a
// comment have a page to fall back to.
func (s *Server) commentAddress(c echo.Context) error {
	id, err := pathID(c, "comment")
	if err != nil {
		return err
	}
	ideaID, err := s.part.IdeaOfComment(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, commentPath(ideaID, id))
}

// refusedAddress is the address a refused POST's page should show: the form's page for a
// POST-only route, or the same address when it also answers GET.
func (s *Server) refusedAddress(c echo.Context) string {
	if c.Request().Method != http.MethodPost {
		return ""
	}
	if home, ok := s.homes.formHome(c.Path(), c.Request().URL.Path); ok {
		return home
	}
	return c.Request().URL.Path
}
