package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/moderation"
)

type queuePage struct {
	basePage
	Cases      []caseView
	Count      int // matching cases, counted up to gs.WaitingShown+1
	Pager      keyPager
	State      gs.CaseState
	Reason     string
	Challenge  string
	Challenges []gs.Challenge
	Reasons    []gs.ReportReason
	Notice     string
	Error      string
	// The bulk bar as the moderator left it: a refused action comes back with its choices.
	Bulk bulkForm
	// Stock is every stock reason the listed cases' challenges offer, for the bulk bar.
	Stock []string
	Here  string // this page of the queue with its filters, where an action returns
	// SelectAll and SelectNone are this page with every box ticked, or none.
	SelectAll, SelectNone string
}

// bulkForm is what the bulk bar holds.
type bulkForm struct {
	Action, Stock, Reason string
	Selected              map[int64]bool
}

// keyPager is the previous and next links of a list paged by key; the partial "key_pagination"
// draws it.
type keyPager struct {
	Label      string
	Prev, Next string
}

func (s *Server) queue(c echo.Context) error {
	page, err := s.queuePage(c, c.QueryParams())
	if err != nil {
		return err
	}
	page.Notice = s.queueNotice(c.QueryParams())
	if c.QueryParam("select") == "all" {
		for _, cs := range page.Cases {
			page.Bulk.Selected[cs.ID] = true
		}
	}
	return s.render(c, http.StatusOK, "moderation_queue", page)
}

// queueFilters are the query values that choose which cases the queue lists and which page.
var queueFilters = []string{"state", "reason", "challenge", "after", "before"}

// queuePage builds the queue for the filters in params (state, reason, challenge, and after or
// before a place in the list).
func (s *Server) queuePage(c echo.Context, params url.Values) (*queuePage, error) {
	q := gs.CaseQuery{State: gs.CaseState(params.Get("state")), Reason: gs.ReportReason(params.Get("reason")), PerPage: 20}
	if q.State != "" && q.State != gs.CaseOpen && q.State != gs.CaseClosed {
		return nil, gs.Errorf(gs.EMALFORMED, "The state must be open or closed.")
	}
	if q.Reason != "" && !q.Reason.Valid() {
		return nil, gs.Errorf(gs.EMALFORMED, "Unknown report reason %q.", truncate(string(q.Reason), 40))
	}
	for name, dst := range map[string]**gs.CaseKey{"after": &q.After, "before": &q.Before} {
		if raw := params.Get(name); raw != "" {
			k, err := gs.ParseCaseKey(truncate(raw, 60))
			if err != nil {
				return nil, err
			}
			*dst = &k
		}
	}
	slug := params.Get("challenge")
	v, err := s.mod.QueuePage(c.Request().Context(), q, truncate(slug, 200))
	if err != nil {
		return nil, err
	}
	filters, here := url.Values{}, url.Values{}
	for _, k := range queueFilters {
		if val := params.Get(k); val != "" {
			here.Set(k, val)
			if k != "after" && k != "before" {
				filters.Set(k, val)
			}
		}
	}
	page := &queuePage{basePage: s.base(c, "Moderation queue"), Count: v.Count, State: v.Query.State,
		Reason: string(q.Reason), Challenge: slug, Challenges: v.Challenges, Reasons: gs.ReportReasons,
		Here: withQuery(queuePath, here), Bulk: bulkForm{Selected: map[int64]bool{}}}
	page.Pager = queuePager(filters, q, v)
	all := url.Values{}
	for k, vs := range here {
		all[k] = vs
	}
	all.Set("select", "all")
	page.SelectAll, page.SelectNone = withQuery(queuePath, all)+"#bulk", withQuery(queuePath, here)+"#bulk"
	for i, cs := range v.Cases {
		view := caseView{Case: cs, CSRF: csrfToken(c), Durations: durationChoices(), Groups: gs.GroupReports(cs.Reports)}
		// After deciding, the page comes back scrolled to the item that follows (or, for the
		// last, the one before), where the keyboard carries on.
		if i+1 < len(v.Cases) {
			view.Following = v.Cases[i+1].ID
		} else if i > 0 {
			view.Following = v.Cases[i-1].ID
		}
		page.Cases = append(page.Cases, view)
		for _, r := range cs.StockReasons {
			if !slices.Contains(page.Stock, r) {
				page.Stock = append(page.Stock, r)
			}
		}
	}
	return page, nil
}

// queuePager links to the pages before and after the cases shown, by their keys.
func queuePager(filters url.Values, q gs.CaseQuery, v *moderation.QueueView) keyPager {
	p := keyPager{Label: "Pages of the queue"}
	if len(v.Cases) == 0 {
		return p
	}
	link := func(k, cursor string) string {
		u := url.Values{}
		for name, vs := range filters {
			u[name] = vs
		}
		u.Set(k, cursor)
		return withQuery(queuePath, u)
	}
	first, last := gs.KeyOf(v.Cases[0]), gs.KeyOf(v.Cases[len(v.Cases)-1])
	if (q.Before != nil && v.More) || q.After != nil {
		p.Prev = link("before", first.String())
	}
	if q.Before != nil || v.More {
		p.Next = link("after", last.String())
	}
	return p
}

// queueNotice says what the last action from the queue did, in words.
func (s *Server) queueNotice(v url.Values) string {
	if n, err := strconv.ParseInt(v.Get("item"), 10, 64); err == nil {
		switch gs.ModerationAction(v.Get("did")) {
		case gs.ActDismiss:
			return s.loc.Say("Kept item %d: its reports are dismissed.", n)
		case gs.ActHide:
			return s.loc.Say("Hid item %d. The reason is recorded.", n)
		}
		return s.loc.Say("Done: item %d. The action is recorded in the audit log.", n)
	}
	if v.Get("clear") != "" {
		return s.loc.Say("The queue is clear: nothing else is waiting.")
	}
	ok, err1 := strconv.Atoi(v.Get("ok"))
	conflicts, err2 := strconv.Atoi(v.Get("conflicts"))
	if err1 != nil && err2 != nil {
		return ""
	}
	done := max(ok, 0)
	msg := sayPlural(s.loc, done, "item done.", "items done.")
	if conflicts > 0 {
		msg += " " + sayPlural(s.loc, conflicts, "item had changed since you loaded the page and was left alone: check it again.",
			"items had changed since you loaded the page and were left alone: check them again.")
	}
	return msg
}

type casePage struct {
	basePage
	Case      caseView
	Done      bool
	DoneItem  int64      // the case saved just before this one, on the way through the queue
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
	done, _ := strconv.ParseInt(c.QueryParam("done"), 10, 64)
	if done == id {
		done = 0
	}
	page := &casePage{basePage: s.base(c, "Moderation case"), Done: c.QueryParam("done") != "" && done == 0, DoneItem: done,
		Case: caseView{Case: *cs, CSRF: csrfToken(c), Durations: durationChoices(), Groups: gs.GroupReports(cs.Reports)}, Nominated: c.QueryParam("nominated") != ""}
	if cs.TargetType == gs.TargetIdea && cs.Status.Visible() {
		if page.Panels, err = s.panels.PanelsOf(c.Request().Context(), cs.ChallengeID); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "moderation_case", page)
}

// parseCommand reads one moderation command from a form. The reason is a stock reason, the
// moderator's own words, or both (see gs.ComposeReason).
func parseCommand(vals url.Values, id int64) (gs.ModerationCommand, error) {
	version, err := strconv.Atoi(vals.Get("version"))
	if err != nil {
		return gs.ModerationCommand{}, gs.Errorf(gs.EMALFORMED, "The form is missing the version of the item you saw. Reload the page.")
	}
	cmd := gs.ModerationCommand{CaseID: id, Version: version, Action: gs.ModerationAction(vals.Get("action")),
		Reason: gs.ComposeReason(vals.Get("stock"), vals.Get("reason")), Text: vals.Get("text"), Title: vals.Get("title")}
	if d := vals.Get("duration_days"); d != "" {
		days, err := strconv.Atoi(d)
		if err != nil {
			return cmd, gs.Errorf(gs.EMALFORMED, "The suspension length must be a number of days.")
		}
		cmd.Duration = time.Duration(days) * 24 * time.Hour
	}
	return cmd, nil
}

// caseAct applies one action to a case, from its page or from the queue. From the queue (a
// "next" field names the page of the queue) it returns there; "then=next" goes on to the next
// waiting case instead.
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
	fromQueue := safeNext(vals.Get("next"), "")
	var cs *gs.Case
	var next int64
	if vals.Get("then") == "next" {
		cs, next, err = s.mod.ActThenNext(ctx, cmd, actor(c))
	} else {
		cs, err = s.mod.Act(ctx, cmd, actor(c))
	}
	if err == nil {
		switch {
		case wantsJSON(c):
			return c.JSON(http.StatusOK, map[string]any{"case": cs.ID, "state": cs.State, "version": cs.Version, "status": cs.Status})
		case vals.Get("then") == "next" && next != 0:
			return c.Redirect(http.StatusSeeOther, withFlag(casePath(next), "done", strconv.FormatInt(id, 10)))
		case vals.Get("then") == "next":
			return c.Redirect(http.StatusSeeOther, withFlag(queuePath, "clear", "1"))
		case fromQueue != "":
			return c.Redirect(http.StatusSeeOther, withFlag(withFlag(fromQueue, "did", string(cmd.Action)), "item", strconv.FormatInt(id, 10)))
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
	view := caseView{Case: *cs, CSRF: csrfToken(c), Durations: durationChoices(), Error: ref.Message, Groups: gs.GroupReports(cs.Reports),
		Conflict: ref.Reason == gs.ReasonVersionConflict, Stock: vals.Get("stock"), Reason: vals.Get("reason"), Text: cmd.Text,
		EditTitle: cmd.Title, Fields: ref.Fields, Action: string(cmd.Action)}
	if fromQueue != "" {
		return s.refusedInQueue(c, ref, fromQueue, view)
	}
	return s.render(c, ref.Status, "moderation_case", &casePage{basePage: s.base(c, "Moderation case"), Case: view})
}

// refusedInQueue draws the page of the queue an action came from, with the refused case's
// problem and typed reason beside it.
func (s *Server) refusedInQueue(c echo.Context, ref refusal, from string, view caseView) error {
	filters := url.Values{}
	if u, err := url.Parse(from); err == nil {
		filters = u.Query()
	}
	page, err := s.queuePage(c, filters)
	if err != nil {
		return err
	}
	found := false
	for i := range page.Cases {
		if page.Cases[i].ID == view.ID {
			page.Cases[i], found = view, true
		}
	}
	if !found {
		page.Error = ref.Message
	}
	return s.render(c, ref.Status, "moderation_queue", page)
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
		// Back to the same queue, with the problem said and the choices kept: the action,
		// the reason and the ticked boxes.
		filters := url.Values{}
		if u, perr := url.Parse(back); perr == nil {
			filters = u.Query()
		}
		page, qerr := s.queuePage(c, filters)
		if qerr != nil {
			return err
		}
		page.Error = ref.Message
		page.Bulk.Action, page.Bulk.Stock, page.Bulk.Reason = vals.Get("action"), vals.Get("stock"), vals.Get("reason")
		for _, raw := range vals["case"] {
			idS, _, _ := strings.Cut(raw, ":")
			if n, err := strconv.ParseInt(idS, 10, 64); err == nil {
				page.Bulk.Selected[n] = true
			}
		}
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
	reason := gs.ComposeReason(vals.Get("stock"), vals.Get("reason"))
	switch action {
	case gs.ActDismiss, gs.ActHide, gs.ActRestore, gs.ActEscalate:
	default:
		return nil, gs.Errorf(gs.EINVALID, "Choose a bulk action: keep, hide, restore or escalate.")
	}
	if action == gs.ActHide && reason == "" {
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
		cmds = append(cmds, gs.ModerationCommand{CaseID: id, Version: ver, Action: action, Reason: reason})
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
