package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

type homePage struct {
	basePage
	Active []gs.Challenge // taking ideas or votes
	Past   []gs.Challenge
	Left   bool // the last person at this browser has just left it
}

func (s *Server) home(c echo.Context) error {
	list, err := s.part.Challenges(c.Request().Context())
	if err != nil {
		return err
	}
	page := &homePage{basePage: s.base(c, "Challenges"), Left: c.QueryParam("left") != ""}
	for _, ch := range list {
		if ch.Phase.AcceptsVotes() {
			page.Active = append(page.Active, ch)
		} else {
			page.Past = append(page.Past, ch)
		}
	}
	return s.render(c, http.StatusOK, "home", page)
}

type whatWeStorePage struct {
	basePage
	Challenges []gs.Challenge
	// Remembered is how long the participant cookie lasts for each challenge running now.
	Remembered []remembered
}

type remembered struct {
	Title  string
	Until  time.Time
	Shared bool // until the browser closes
}

func (s *Server) whatWeStore(c echo.Context) error {
	cs, err := s.part.Challenges(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "what_we_store", &whatWeStorePage{basePage: s.base(c, "What we store"), Challenges: cs, Remembered: rememberedFor(cs, time.Now())})
}

// healthz answers a load balancer or process manager: 200 "ok" when the database answers and
// writes succeed, 503 "writes failing" while the storage refuses them (full, read-only), which
// lasts until a write succeeds again, and 503 "database unavailable" when it does not answer.
func (s *Server) healthz(c echo.Context) error {
	err := s.ping(c.Request().Context())
	switch {
	case err == nil:
		return c.String(http.StatusOK, "ok")
	case gs.ErrorCode(err) == gs.EUNAVAILABLE: // each failed write is logged where it failed
		return c.String(http.StatusServiceUnavailable, "writes failing: "+strings.ReplaceAll(string(gs.ErrorReason(err)), "_", " "))
	}
	s.log.Error("health check failed", "err", err)
	return c.String(http.StatusServiceUnavailable, "database unavailable")
}

func rememberedFor(cs []gs.Challenge, now time.Time) []remembered {
	var out []remembered
	for i := range cs {
		if cs[i].Phase.AcceptsIdeas() || cs[i].Phase.AcceptsVotes() {
			out = append(out, remembered{Title: cs[i].Title, Until: cs[i].RememberUntil(now), Shared: cs[i].SharedDevices})
		}
	}
	return out
}
