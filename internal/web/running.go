package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/groundswell/groundswell/internal/campaigns"
	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// The paths of running a challenge.
const (
	newChallengePath = "/admin/challenges/new"
	challengesPath   = "/admin/challenges"
	joinPath         = "/join"
)

func editChallengePath(slug string) string { return settingsPath(slug) + "/edit" }

func invitesPath(slug string) string { return settingsPath(slug) + "/invites" }

func invitePath(slug string, batch int64) string {
	return invitesPath(slug) + "/" + strconv.FormatInt(batch, 10)
}

// blankQuestions is how many empty question slots the editor offers beyond the existing ones.
const blankQuestions = 2

type challengeEditPage struct {
	basePage
	Challenge *gs.Challenge // nil while creating
	Form      gs.ChallengeForm
	Errors    map[string]string
	Saved     string // what was just saved: "1", "created" or "phase"
	Phases    []gs.Phase
	Zone      string
	// Next is the next scheduled phase change, in words.
	Next string
}

// QuestionField names the inputs of question slot i (from 0).
func (challengeEditPage) QuestionField(i int) string { return "question_" + strconv.Itoa(i+1) }

// ThemeField names the input of existing theme slot i (from 0).
func (challengeEditPage) ThemeField(i int) string { return "theme_" + strconv.Itoa(i+1) }

func (s *Server) challengeEditor(c echo.Context, ch *gs.Challenge, f gs.ChallengeForm, errs map[string]string) *challengeEditPage {
	title := "New challenge"
	if ch != nil {
		title = "Edit: " + ch.Title
	}
	for len(f.Questions) < gs.MaxQuestions && (len(f.Questions) == 0 || countBlank(f.Questions) < blankQuestions) {
		f.Questions = append(f.Questions, gs.QuestionForm{})
	}
	p := &challengeEditPage{basePage: s.base(c, title), Challenge: ch, Form: f, Errors: errs, Phases: gs.Phases,
		Zone: s.camp.Loc.String(), Saved: c.QueryParam("saved")}
	if p.Zone == "Local" {
		p.Zone = time.Now().In(s.camp.Loc).Format("MST")
	}
	if ch != nil {
		if to, at, ok := ch.Schedule.Next(ch.Phase, time.Now()); ok {
			local := at.In(s.camp.Loc) // the day as it falls where the server is
			p.Next = s.loc.Say("Moves to “%s” on %s.", s.loc.Say(to.Label()),
				s.loc.Date(time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)))
		}
	}
	return p
}

func countBlank(qs []gs.QuestionForm) int {
	n := 0
	for _, q := range qs {
		if q.ID == 0 && q.Title == "" && q.Prompt == "" {
			n++
		}
	}
	return n
}

// formOf is a challenge's set-up as the editor shows it.
func (s *Server) formOf(ch *gs.Challenge) gs.ChallengeForm {
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(s.camp.Loc).Format("2006-01-02")
	}
	f := gs.ChallengeForm{Title: ch.Title, Slug: ch.Slug, Brief: ch.BriefMD, Access: ch.Access, ReadWithoutCode: ch.ReadWithoutCode,
		HideCountsUntilVoted: ch.HideCountsUntilVoted, SharedDevices: ch.SharedDevices, OpensOn: day(ch.Schedule.OpensAt), VotingOn: day(ch.Schedule.VotingAt),
		ReviewOn: day(ch.Schedule.ReviewAt), RetentionDays: strconv.Itoa(ch.RetentionDays), StaffGroups: ch.StaffGroups, Regions: ch.Regions}
	for _, q := range ch.Questions {
		f.Questions = append(f.Questions, gs.QuestionForm{ID: q.ID, Title: q.Title, Prompt: q.Prompt})
	}
	for _, t := range ch.Themes {
		f.Themes = append(f.Themes, gs.ThemeForm{ID: t.ID, Name: t.Name})
	}
	return f
}

// readChallengeForm reads the editor's fields. Ids of questions and themes come from hidden
// fields; one that is not a number is left out, and the service refuses what does not belong.
func readChallengeForm(v url.Values) gs.ChallengeForm {
	f := gs.ChallengeForm{Title: v.Get("title"), Slug: strings.TrimSpace(v.Get("slug")), Brief: v.Get("brief"),
		NewThemes: v.Get("new_themes"), OpensOn: v.Get("opens_on"), VotingOn: v.Get("voting_on"), ReviewOn: v.Get("review_on"),
		Access: gs.AccessMode(v.Get("access")), ReadWithoutCode: v.Get("read_without_code") == "on",
		HideCountsUntilVoted: v.Get("hide_counts") == "on", SharedDevices: v.Get("shared_devices") == "on", RetentionDays: v.Get("retention_days"),
		StaffGroups: v.Get("staff_groups"), Regions: v.Get("regions")}
	id := func(name string) int64 {
		n, err := strconv.ParseInt(v.Get(name), 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	for i := 1; i <= gs.MaxQuestions+blankQuestions; i++ {
		k := "question_" + strconv.Itoa(i)
		if _, ok := v[k]; !ok {
			continue
		}
		f.Questions = append(f.Questions, gs.QuestionForm{ID: id(k + "_id"), Title: v.Get(k), Prompt: v.Get(k + "_prompt")})
	}
	for i := 1; i <= gs.MaxThemes; i++ {
		k := "theme_" + strconv.Itoa(i)
		if n := id(k + "_id"); n != 0 {
			f.Themes = append(f.Themes, gs.ThemeForm{ID: n, Name: v.Get(k)})
		}
	}
	return f
}

func (s *Server) challengeNew(c echo.Context) error {
	f := gs.ChallengeForm{Access: gs.AccessOpen, ReadWithoutCode: true, RetentionDays: strconv.Itoa(gs.DefaultRetentionDays)}
	return s.render(c, http.StatusOK, "admin_challenge", s.challengeEditor(c, nil, f, nil))
}

func (s *Server) challengeCreate(c echo.Context) error {
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	f := readChallengeForm(vals)
	ch, err := s.camp.Create(c.Request().Context(), f, actor(c))
	if ref, ok := refusedForm(c, err); ok {
		return s.render(c, ref.Status, "admin_challenge", s.challengeEditor(c, nil, f, fieldsOr(ref, "title")))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, editChallengePath(ch.Slug)+"?saved=created")
}

// adminChallengeForm loads the challenge an admin route names, drafts included, and the form
// posted to it.
func (s *Server) adminChallengeForm(c echo.Context) (*gs.Challenge, url.Values, error) {
	ch, err := s.part.ChallengeAny(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return nil, nil, err
	}
	vals, err := readForm(c)
	return ch, vals, err
}

func (s *Server) challengeEdit(c echo.Context) error {
	ch, err := s.part.ChallengeAny(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_challenge", s.challengeEditor(c, ch, s.formOf(ch), nil))
}

func (s *Server) challengeUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	ch, vals, err := s.adminChallengeForm(c)
	if err != nil {
		return err
	}
	f := readChallengeForm(vals)
	err = s.camp.Update(ctx, ch.ID, f, actor(c))
	if ref, ok := refusedForm(c, err); ok {
		return s.render(c, ref.Status, "admin_challenge", s.challengeEditor(c, ch, f, fieldsOr(ref, "title")))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, editChallengePath(f.Slug)+"?saved=1")
}

// fieldsOr is a refusal's messages by field, or its one message beside field when it has none.
func fieldsOr(ref refusal, field string) map[string]string {
	if len(ref.Fields) > 0 {
		return ref.Fields
	}
	return map[string]string{field: ref.Message}
}

func (s *Server) challengePhase(c echo.Context) error {
	ctx := c.Request().Context()
	ch, vals, err := s.adminChallengeForm(c)
	if err != nil {
		return err
	}
	err = s.camp.Move(ctx, ch.ID, gs.Phase(vals.Get("phase")), actor(c))
	if ref, ok := refusedForm(c, err); ok {
		page := s.challengeEditor(c, ch, s.formOf(ch), map[string]string{"phase": ref.Message})
		return s.render(c, ref.Status, "admin_challenge", page)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, editChallengePath(ch.Slug)+"?saved=phase")
}

// challengePreview draws a challenge's page as participants will see it, drafts included.
func (s *Server) challengePreview(c echo.Context) error {
	ch, err := s.part.ChallengeAny(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	page := &challengePage{basePage: s.base(c, s.loc.Say("Preview: %s", ch.Title)), Challenge: ch, Preview: true,
		Result: gs.IdeaPage{Page: 1, PerPage: gs.DefaultPerPage}}
	return s.render(c, http.StatusOK, "challenge", page)
}

type invitesPage struct {
	basePage
	Challenge *gs.Challenge
	Batches   []campaigns.InviteBatch
	Count     string
	Label     string
	Errors    map[string]string
	Minted    bool
}

func (s *Server) invites(c echo.Context) error {
	ch, err := s.part.ChallengeAny(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return s.renderInvites(c, http.StatusOK, ch, &invitesPage{Count: "100", Minted: c.QueryParam("minted") != ""})
}

func (s *Server) renderInvites(c echo.Context, status int, ch *gs.Challenge, p *invitesPage) error {
	bs, err := s.camp.Batches(c.Request().Context(), ch.ID)
	if err != nil {
		return err
	}
	p.basePage, p.Challenge, p.Batches = s.base(c, s.loc.Say("Invite codes: %s", ch.Title)), ch, bs
	return s.render(c, status, "admin_invites", p)
}

func (s *Server) invitesMint(c echo.Context) error {
	ctx := c.Request().Context()
	ch, vals, err := s.adminChallengeForm(c)
	if err != nil {
		return err
	}
	p := &invitesPage{Count: vals.Get("count"), Label: vals.Get("label")}
	n, convErr := strconv.Atoi(strings.TrimSpace(p.Count))
	if convErr != nil {
		n = 0 // refused by the rule with its plain message
	}
	_, err = s.camp.Mint(ctx, ch.ID, n, p.Label, actor(c))
	if ref, ok := refusedForm(c, err); ok {
		p.Errors = fieldsOr(ref, "count")
		return s.renderInvites(c, ref.Status, ch, p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, invitesPath(ch.Slug)+"?minted=1")
}

type inviteSheetPage struct {
	basePage
	Challenge *gs.Challenge
	Batch     *campaigns.Batch
	JoinURL   string
}

// inviteSheet is a batch of codes as a printable sheet of slips to cut and hand out.
func (s *Server) inviteSheet(c echo.Context) error {
	ch, b, err := s.inviteBatch(c)
	if err != nil {
		return err
	}
	p := &inviteSheetPage{basePage: s.base(c, "Invite codes to print"), Challenge: ch, Batch: b, JoinURL: s.absolute(c, joinPath)}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "admin_invite_sheet", p)
}

// inviteCSV is a batch of codes for a mail merge: one code per row, with the join address.
func (s *Server) inviteCSV(c echo.Context) error {
	ch, b, err := s.inviteBatch(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("%s-invite-codes-%d.csv", ch.Slug, b.ID)))
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	join := s.absolute(c, joinPath)
	_ = w.Write([]string{"code", "join_url", "challenge"})
	for _, code := range b.Codes {
		_ = w.Write([]string{code, join + "?code=" + code, ch.Title})
	}
	w.Flush()
	return w.Error()
}

func (s *Server) inviteBatch(c echo.Context) (*gs.Challenge, *campaigns.Batch, error) {
	ctx := c.Request().Context()
	ch, err := s.part.ChallengeAny(ctx, c.Param("slug"))
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(c, "batch")
	if err != nil {
		return nil, nil, err
	}
	b, err := s.camp.Codes(ctx, ch.ID, id)
	return ch, b, err
}

// absolute is path on this site as a full address, for links handed out on paper or by email.
func (s *Server) absolute(c echo.Context, path string) string {
	scheme := "http"
	if s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host + path
}

type joinPage struct {
	basePage
	Code   string
	Next   string
	Errors map[string]string
}

// joinLimiter throttles code redemption per client address, held in memory for minutes and
// never stored: a burst of ten tries, then one a minute.
func (s *Server) joinLimiter() func(c echo.Context) bool {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Every(time.Minute), Burst: 10, ExpiresIn: 15 * time.Minute,
	})
	return func(c echo.Context) bool {
		allow, err := store.Allow(c.RealIP())
		return err == nil && allow
	}
}

func (s *Server) joinShow(c echo.Context) error {
	p := &joinPage{basePage: s.base(c, "Join a challenge"), Code: c.QueryParam("code"), Next: safeNext(c.QueryParam("next"), "")}
	return s.render(c, http.StatusOK, "join", p)
}

func (s *Server) joinSubmit(allow func(echo.Context) bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		vals, err := readForm(c)
		if err != nil {
			return err
		}
		p := &joinPage{basePage: s.base(c, "Join a challenge"), Code: vals.Get("code"), Next: safeNext(vals.Get("next"), "")}
		var j *campaigns.Joined
		if !allow(c) {
			err = &gs.Error{Code: gs.ETOOMANY, RetryAfter: time.Minute,
				Message: "Too many tries from this connection. Please wait a minute, then try your code again."}
		} else {
			j, err = s.camp.Join(c.Request().Context(), participantHash(c), p.Code)
		}
		if ref, ok := refusedForm(c, err); ok {
			p.Errors = fieldsOr(ref, "code")
			return s.render(c, ref.Status, "join", p)
		}
		if err != nil {
			return err
		}
		flag := "1"
		if j.Already {
			flag = "already"
		}
		if wantsJSON(c) {
			return c.JSON(http.StatusOK, map[string]any{"challenge": j.Challenge.Slug, "already": j.Already})
		}
		return c.Redirect(http.StatusSeeOther, withFlag(safeNext(p.Next, challengePath(j.Challenge.Slug)), "joined", flag))
	}
}
