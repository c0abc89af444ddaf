package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

type queuePage struct {
	basePage
	Cases      []caseView
	Total      int
	Pager      pager
	State      gs.CaseState
	Reason     string
	Challenge  string
	Challenges []gs.Challenge
	Reasons    []gs.ReportReason
	Notice     string
	Error      string
	BulkReason string
	Here       string // the queue with its filters, where a bulk action returns
}

func (s *Server) queue(c echo.Context) error {
	page, err := s.queuePage(c, c.QueryParams())
	if err != nil {
		return err
	}
	page.Notice = bulkNotice(c.QueryParams())
	return s.render(c, http.StatusOK, "moderation_queue", page)
}

// queuePage builds the queue for the filters in params (state, reason, challenge, page).
func (s *Server) queuePage(c echo.Context, params url.Values) (*queuePage, error) {
	q := gs.CaseQuery{State: gs.CaseState(params.Get("state")), Reason: gs.ReportReason(params.Get("reason")), PerPage: 20, Page: 1}
	if q.State != "" && q.State != gs.CaseOpen && q.State != gs.CaseClosed {
		return nil, gs.Errorf(gs.EMALFORMED, "The state must be open or closed.")
	}
	if q.Reason != "" && !q.Reason.Valid() {
		return nil, gs.Errorf(gs.EMALFORMED, "Unknown report reason %q.", truncate(string(q.Reason), 40))
	}
	if raw := params.Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 1_000_000 {
			return nil, gs.Errorf(gs.EMALFORMED, "The page must be a whole number of at least 1, not %q.", truncate(raw, 40))
		}
		q.Page = n
	}
	slug := params.Get("challenge")
	v, err := s.mod.QueuePage(c.Request().Context(), q, truncate(slug, 200))
	if err != nil {
		return nil, err
	}
	keep := url.Values{}
	for _, k := range []string{"state", "reason", "challenge"} {
		if val := params.Get(k); val != "" {
			keep.Set(k, val)
		}
	}
	page := &queuePage{basePage: s.base(c, "Moderation queue"), Total: v.Total,
		Pager: newPager("Pages of the queue", queuePath, keep, q.Page, v.Total, q.PerPage), State: v.Query.State,
		Reason: string(q.Reason), Challenge: slug, Challenges: v.Challenges, Reasons: gs.ReportReasons,
		Here: withQuery(queuePath, keep)}
	for _, cs := range v.Cases {
		page.Cases = append(page.Cases, caseView{Case: cs, CSRF: csrfToken(c), Durations: durationChoices()})
	}
	return page, nil
}

func bulkNotice(v url.Values) string {
	ok, conflicts := v.Get("ok"), v.Get("conflicts")
	if ok == "" && conflicts == "" {
		return ""
	}
	msg := ok + " item(s) done."
	if conflicts != "" && conflicts != "0" {
		msg += " " + conflicts + " item(s) had changed since you loaded the page and were left alone: check them again."
	}
	return msg
}

type casePage struct {
	basePage
	Case      caseView
	Done      bool
	Panels    []gs.Panel // where a moderator may nominate the idea
	Nominated bool
}

func (s *Server) caseShow(c echo.Context) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	cs, err := s.mod.Case(c.Request().Context(), id)
	if err != nil {
		return err
	}
	page := &casePage{basePage: s.base(c, "Moderation case"), Done: c.QueryParam("done") != "",
		Case: caseView{Case: *cs, CSRF: csrfToken(c), Durations: durationChoices()}, Nominated: c.QueryParam("nominated") != ""}
	if cs.TargetType == gs.TargetIdea && cs.Status.Visible() {
		if page.Panels, err = s.panels.PanelsOf(c.Request().Context(), cs.ChallengeID); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "moderation_case", page)
}

// parseCommand reads one moderation command from a form.
func parseCommand(vals map[string][]string, id int64) (gs.ModerationCommand, error) {
	get := func(k string) string {
		if v := vals[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	version, err := strconv.Atoi(get("version"))
	if err != nil {
		return gs.ModerationCommand{}, gs.Errorf(gs.EMALFORMED, "The form is missing the version of the item you saw. Reload the page.")
	}
	cmd := gs.ModerationCommand{CaseID: id, Version: version, Action: gs.ModerationAction(get("action")),
		Reason: get("reason"), Text: get("text"), Title: get("title")}
	if d := get("duration_days"); d != "" {
		days, err := strconv.Atoi(d)
		if err != nil {
			return cmd, gs.Errorf(gs.EMALFORMED, "The suspension length must be a number of days.")
		}
		cmd.Duration = time.Duration(days) * 24 * time.Hour
	}
	return cmd, nil
}

func (s *Server) caseAct(c echo.Context) error {
	ctx := c.Request().Context()
	id, vals, err := pathForm(c, "case")
	if err != nil {
		return err
	}
	cmd, err := parseCommand(vals, id)
	if err != nil {
		return err
	}
	cs, err := s.mod.Act(ctx, cmd, actor(c))
	if err == nil {
		if wantsJSON(c) {
			return c.JSON(http.StatusOK, map[string]any{"case": cs.ID, "state": cs.State, "version": cs.Version, "status": cs.Status})
		}
		return c.Redirect(http.StatusSeeOther, casePath(id)+"?done=1")
	}
	ref, ok := refusedForm(c, err)
	if !ok {
		return err
	}
	if cs == nil {
		if cs, _ = s.mod.Case(ctx, id); cs == nil {
			return err
		}
	}
	view := caseView{Case: *cs, CSRF: csrfToken(c), Durations: durationChoices(), Error: ref.Message,
		Conflict: ref.Reason == gs.ReasonVersionConflict, Reason: cmd.Reason, Text: cmd.Text, EditTitle: cmd.Title, Fields: ref.Fields}
	return s.render(c, ref.Status, "moderation_case", &casePage{basePage: s.base(c, "Moderation case"), Case: view})
}

// caseBulk applies one action to the selected cases. Each checkbox carries "id:version", so a
// case another moderator changed meanwhile is left alone and counted as a conflict.
func (s *Server) caseBulk(c echo.Context) error {
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	back := safeNext(vals.Get("next"), queuePath)
	cmds, err := bulkCommands(vals)
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		// Back to the same queue, with the problem said and the typed reason kept.
		filters := url.Values{}
		if u, perr := url.Parse(back); perr == nil {
			filters = u.Query()
		}
		page, qerr := s.queuePage(c, filters)
		if qerr != nil {
			return err
		}
		page.Error, page.BulkReason = ref.Message, vals.Get("reason")
		return s.render(c, ref.Status, "moderation_queue", page)
	}
	okN, conflicts := 0, 0
	for _, r := range s.mod.Bulk(c.Request().Context(), cmds, actor(c)) {
		switch gs.ErrorCode(r.Err) {
		case "":
			okN++
		case gs.ECONFLICT, gs.ENOTFOUND:
			conflicts++
		default:
			return r.Err
		}
	}
	if wantsJSON(c) {
		return c.JSON(http.StatusOK, map[string]int{"done": okN, "conflicts": conflicts})
	}
	back = withFlag(withFlag(back, "ok", strconv.Itoa(okN)), "conflicts", strconv.Itoa(conflicts))
	return c.Redirect(http.StatusSeeOther, back)
}

// bulkCommands reads a bulk form. Each checkbox carries "id:version", so a case another
// moderator changed meanwhile is left alone and counted as a conflict.
func bulkCommands(vals url.Values) ([]gs.ModerationCommand, error) {
	action := gs.ModerationAction(vals.Get("action"))
	switch action {
	case gs.ActDismiss, gs.ActHide, gs.ActRestore, gs.ActEscalate:
	default:
		return nil, gs.Errorf(gs.EINVALID, "Choose a bulk action: dismiss, hide, restore or escalate.")
	}
	if action == gs.ActHide && strings.TrimSpace(vals.Get("reason")) == "" {
		return nil, gs.Errorf(gs.EINVALID, "Give a reason when hiding: the authors and the transparency report will see it.")
	}
	var cmds []gs.ModerationCommand
	for _, raw := range vals["case"] {
		idS, verS, ok := strings.Cut(raw, ":")
		id, err1 := strconv.ParseInt(idS, 10, 64)
		ver, err2 := strconv.Atoi(verS)
		if !ok || err1 != nil || err2 != nil {
			return nil, gs.Errorf(gs.EMALFORMED, "A selected item could not be read. Reload the queue and try again.")
		}
		cmds = append(cmds, gs.ModerationCommand{CaseID: id, Version: ver, Action: action, Reason: vals.Get("reason")})
	}
	switch {
	case len(cmds) == 0:
		return nil, gs.Errorf(gs.EINVALID, "Select at least one item first.")
	case len(cmds) > 100:
		return nil, gs.Errorf(gs.EINVALID, "Select at most 100 items at a time.")
	}
	return cmds, nil
}

type transparencyPage struct {
	basePage
	Challenge *gs.Challenge
	Rows      []gs.TransparencyRow
	Open      int
	Total     int
}

// transparency is the public account of how much was hidden in a challenge, why, and how fast.
func (s *Server) transparency(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := s.part.Challenge(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	rows, open, err := s.mod.Transparency(ctx, ch.ID)
	if err != nil {
		return err
	}
	page := &transparencyPage{basePage: s.base(c, s.loc.Say("Moderation in %s", ch.Title)), Challenge: ch, Rows: rows, Open: open}
	for _, r := range rows {
		page.Total += r.Hidden
	}
	return s.render(c, http.StatusOK, "transparency", page)
}

// caseNominate lets a moderator put the idea of a case before an expert panel, with a reason.
func (s *Server) caseNominate(c echo.Context) error {
	id, vals, err := pathForm(c, "case")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cs, err := s.mod.Case(ctx, id)
	if err != nil {
		return err
	}
	panelID, convErr := strconv.ParseInt(vals.Get("panel"), 10, 64)
	if convErr != nil || cs.TargetType != gs.TargetIdea {
		return gs.Errorf(gs.EMALFORMED, "Choose a panel for this idea.")
	}
	if err := s.panels.Nominate(ctx, panelID, cs.TargetID, vals.Get("reason"), staffUser(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, casePath(id)+"?nominated=1")
}
