package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

func (s *Server) ideaReport(c echo.Context) error    { return s.report(c, gs.TargetIdea) }
func (s *Server) commentReport(c echo.Context) error { return s.report(c, gs.TargetComment) }

func (s *Server) report(c echo.Context, kind gs.TargetKind) error {
	ctx := c.Request().Context()
	id, err := pathID(c, string(kind))
	if err != nil {
		return err
	}
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	var res gs.ReportResult
	if err = throttled(c); err == nil {
		res, err = s.mod.Report(ctx, participantHash(c), cookieAge(c), kind, id, vals.Get("reason"), vals.Get("details"))
	}
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		ideaID := id
		if kind == gs.TargetComment {
			cm, cerr := s.part.Comment(ctx, id)
			if cerr != nil || !cm.Status.Visible() {
				return err // no report form is drawn for it: the error page says what happened
			}
			ideaID = cm.IdeaID
		}
		f := reportForm{Kind: kind, ID: id, Reason: gs.ReportReason(vals.Get("reason")), Details: vals.Get("details"),
			Error: ref.First("reason", "details")}
		if rerr := s.renderIdeaAgain(c, ref.Status, ideaID, commentForm{Kind: gs.KindComment}, f); rerr != nil {
			return err
		}
		return nil
	}
	if wantsJSON(c) {
		return c.JSON(http.StatusCreated, map[string]any{"reported": true, "hidden": res.Hidden})
	}
	fallback := "/"
	if kind == gs.TargetIdea {
		fallback = ideaPath(id)
	}
	return c.Redirect(http.StatusSeeOther, withFlag(safeNext(vals.Get("next"), fallback), "reported", "1"))
}

// withFlag adds a query parameter to a local path, keeping its fragment.
func withFlag(target, key, value string) string {
	path, frag, _ := strings.Cut(target, "#")
	u, err := url.Parse(path)
	if err != nil {
		return target
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	if frag != "" {
		return u.String() + "#" + frag
	}
	return u.String()
}
