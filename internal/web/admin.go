package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/moderation"
)

type adminHomePage struct {
	basePage
	Challenges []gs.Challenge
	OpenCases  int
}

func (s *Server) adminHome(c echo.Context) error {
	ctx := c.Request().Context()
	challenges, err := s.part.AllChallenges(ctx)
	if err != nil {
		return err
	}
	open, err := s.mod.Waiting(ctx)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_home", &adminHomePage{basePage: s.base(c, "Administration"), Challenges: challenges, OpenCases: open})
}

type adminUsersPage struct {
	basePage
	Users   []gs.StaffUser
	Email   string
	Role    gs.Role
	Errors  map[string]string
	Created string
	Roles   []gs.Role
	// The invitation form: what was typed, and the one-time link once made.
	InviteEmail, InviteLink string
	InviteRole              gs.Role
}

func (s *Server) adminUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, &adminUsersPage{Created: c.QueryParam("created"), Role: gs.RoleModerator})
}

func (s *Server) renderUsers(c echo.Context, status int, page *adminUsersPage) error {
	users, err := s.accounts.Users(c.Request().Context())
	if err != nil {
		return err
	}
	page.basePage, page.Staff, page.Users = s.base(c, "Staff accounts"), staffUser(c), users
	page.Roles = []gs.Role{gs.RoleModerator, gs.RoleExpert, gs.RoleAdmin}
	return s.render(c, status, "admin_users", page)
}

// adminUserInvite makes a one-time link with which a new staff member sets their own password,
// so that no admin ever chooses or sees it.
func (s *Server) adminUserInvite(c echo.Context) error {
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	page := &adminUsersPage{Role: gs.RoleModerator, InviteEmail: strings.TrimSpace(vals.Get("email")), InviteRole: gs.Role(vals.Get("role"))}
	role, err := gs.ParseRole(vals.Get("role"))
	var token string
	if err == nil {
		token, err = s.accounts.Invite(c.Request().Context(), vals.Get("email"), role, 0, actor(c))
	}
	if ref, ok := refusedForm(c, err); ok {
		page.Errors = map[string]string{"invite_email": ref.First("email")}
		if _, bad := ref.Fields["role"]; bad {
			page.Errors = map[string]string{"invite_role": ref.First("role")}
		}
		return s.renderUsers(c, ref.Status, page)
	}
	if err != nil {
		return err
	}
	page.InviteLink = s.absolute(c, "/invite/"+token)
	return s.renderUsers(c, http.StatusOK, page)
}

func (s *Server) adminUserCreate(c echo.Context) error {
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	page := &adminUsersPage{Email: strings.TrimSpace(vals.Get("email")), Role: gs.Role(vals.Get("role"))}
	role, err := gs.ParseRole(vals.Get("role"))
	if err == nil {
		_, err = s.accounts.CreateUser(c.Request().Context(), vals.Get("email"), role, vals.Get("password"), actor(c))
	}
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		page.Errors = ref.Fields
		if page.Errors == nil {
			page.Errors = map[string]string{"email": ref.Message} // a duplicate address
		}
		return s.renderUsers(c, ref.Status, page)
	}
	return c.Redirect(http.StatusSeeOther, withFlag(staffUsersPath, "created", page.Email))
}

func (s *Server) adminUserDisable(c echo.Context) error { return s.setDisabled(c, true) }
func (s *Server) adminUserEnable(c echo.Context) error  { return s.setDisabled(c, false) }

func (s *Server) setDisabled(c echo.Context, disabled bool) error {
	id, err := pathID(c, "account")
	if err != nil {
		return err
	}
	if err := s.accounts.SetDisabled(c.Request().Context(), id, disabled, actor(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, staffUsersPath)
}

// adminUserRole gives a staff account another role.
func (s *Server) adminUserRole(c echo.Context) error {
	id, vals, err := pathForm(c, "account")
	if err != nil {
		return err
	}
	if err := s.accounts.SetRole(c.Request().Context(), id, vals.Get("role"), actor(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, staffUsersPath)
}

type adminAuditPage struct {
	basePage
	Entries []gs.AuditEntry
	Actions []string
	Users   []gs.StaffUser
	Action  string
	ActorID int64
	Pager   keyPager
	// Changes are each entry's before and after as the fields that changed, by entry id.
	Changes map[int64][]gs.AuditChange
}

func (s *Server) adminAudit(c echo.Context) error {
	ctx := c.Request().Context()
	q := gs.AuditQuery{Action: c.QueryParam("action"), PerPage: 50}
	var err error
	if q.ActorID, err = queryID(c, "actor"); err != nil {
		return err
	}
	if q.Older, err = queryID(c, "older"); err != nil {
		return err
	}
	if q.Newer, err = queryID(c, "newer"); err != nil {
		return err
	}
	v, err := s.mod.Audit(ctx, q)
	if err != nil {
		return err
	}
	page := &adminAuditPage{basePage: s.base(c, "Audit log"), Entries: v.Entries, Actions: v.Actions,
		Users: v.Staff, Action: q.Action, ActorID: q.ActorID, Pager: keyPager{Label: "Pages of the log"},
		Changes: map[int64][]gs.AuditChange{}}
	for _, e := range v.Entries {
		page.Changes[e.ID] = gs.AuditChanges(e.Before, e.After)
	}
	if n := len(v.Entries); n > 0 {
		filters := url.Values{}
		for _, k := range []string{"action", "actor"} {
			if val := c.QueryParam(k); val != "" {
				filters.Set(k, val)
			}
		}
		link := func(k string, id int64) string {
			u := url.Values{k: {strconv.FormatInt(id, 10)}}
			for name, vs := range filters {
				u[name] = vs
			}
			return withQuery(auditPath, u)
		}
		// Newest first: "previous" is newer, "next" is older.
		if (q.Newer != 0 && v.More) || q.Older != 0 {
			page.Pager.Prev = link("newer", v.Entries[0].ID)
		}
		if q.Newer != 0 || v.More {
			page.Pager.Next = link("older", v.Entries[n-1].ID)
		}
	}
	return s.render(c, http.StatusOK, "admin_audit", page)
}

type adminSettingsPage struct {
	basePage
	Challenge *gs.Challenge
	Form      moderation.Settings
	Errors    map[string]string
	Saved     bool
}

func (s *Server) adminSettings(c echo.Context) error {
	ch, err := s.part.ChallengeAny(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	page := &adminSettingsPage{basePage: s.base(c, s.loc.Say("Settings: %s", ch.Title)), Challenge: ch,
		Saved: c.QueryParam("saved") != "",
		Form: moderation.Settings{ReportThreshold: ch.ReportThreshold, Premoderate: ch.Premoderate,
			HideCountsUntilVoted: ch.HideCountsUntilVoted, HeldWords: ch.HeldWords, StandingMinutes: ch.StandingMinutes,
			StockReasons: ch.StockReasons}}
	return s.render(c, http.StatusOK, "admin_settings", page)
}

func (s *Server) adminSettingsSave(c echo.Context) error {
	ctx := c.Request().Context()
	ch, vals, err := s.adminChallengeForm(c)
	if err != nil {
		return err
	}
	form := moderation.Settings{Premoderate: vals.Get("premoderate") == "on", HideCountsUntilVoted: vals.Get("hide_counts") == "on",
		HeldWords: vals.Get("held_words"), StockReasons: vals.Get("stock_reasons")}
	threshold, convErr := strconv.Atoi(strings.TrimSpace(vals.Get("report_threshold")))
	form.ReportThreshold = threshold
	if convErr != nil {
		form.ReportThreshold = 0 // fails validation with a clear message
	}
	form.StandingMinutes = gs.DefaultStandingMinutes
	if v := strings.TrimSpace(vals.Get("standing_minutes")); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			form.StandingMinutes = n
		} else {
			form.StandingMinutes = -1 // fails validation with a clear message
		}
	}
	if err := s.mod.UpdateSettings(ctx, ch.ID, form, actor(c)); err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		page := &adminSettingsPage{basePage: s.base(c, s.loc.Say("Settings: %s", ch.Title)), Challenge: ch, Form: form, Errors: ref.Fields}
		if page.Errors == nil {
			page.Errors = map[string]string{"report_threshold": ref.Message}
		}
		return s.render(c, ref.Status, "admin_settings", page)
	}
	return c.Redirect(http.StatusSeeOther, settingsPath(ch.Slug)+"?saved=1")
}

type adminOriginalPage struct {
	basePage
	Case   *gs.Case
	Text   string
	Title  string
	Exists bool
}

func (s *Server) adminOriginal(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	o, err := s.mod.OriginalOf(ctx, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_original", &adminOriginalPage{basePage: s.base(c, "Original text"), Case: o.Case, Text: o.Text, Title: o.Title, Exists: o.Exists})
}

func (s *Server) adminPurge(c echo.Context) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	if err := s.mod.PurgeOriginal(c.Request().Context(), id, actor(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, originalPath(id))
}
