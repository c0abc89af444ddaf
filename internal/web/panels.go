package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/panels"
)

func panelPath(id int64) string { return panelsPath + "/" + strconv.FormatInt(id, 10) }

func panelIdeaPath(panelID, ideaID int64) string {
	return panelPath(panelID) + "/ideas/" + strconv.FormatInt(ideaID, 10)
}

func adminPanelPath(id int64) string { return adminPanelsPath + "/" + strconv.FormatInt(id, 10) }

// A panel's chair works at its desk: admins at /admin/panels/{id}, an expert who chairs the
// panel at /panels/{id}/chair, with the same page and forms. The service decides who may.
func chairPath(id int64) string { return panelPath(id) + "/chair" }

const chairProposalsPath = panelsPath + "/proposals"

func chairProposalPath(id int64) string { return chairProposalsPath + "/" + strconv.FormatInt(id, 10) }

// desk gives the addresses of the chair's desk that served this request: the admin's or the
// chairing expert's.
type desk struct{ admin bool }

func deskOf(c echo.Context) desk { return desk{admin: strings.HasPrefix(c.Path(), adminPath)} }

func (d desk) panel(id int64) string {
	if d.admin {
		return adminPanelPath(id)
	}
	return chairPath(id)
}

func (d desk) proposal(id int64) string {
	if d.admin {
		return adminProposalPath(id)
	}
	return chairProposalPath(id)
}

type panelsPage struct {
	basePage
	Panels []gs.Panel
}

// panelsHome lists the panels the signed-in expert sits on.
func (s *Server) panelsHome(c echo.Context) error {
	list, err := s.panels.Panels(c.Request().Context(), staffUser(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "panels", &panelsPage{basePage: s.base(c, "Expert panels"), Panels: list})
}

type panelPage struct {
	basePage
	*panels.LonglistView
	Errors     map[string]string
	Nomination string // what was typed in the nomination form
	Reason     string
	Nominated  bool
}

// panelShow is a panel's longlist with the expert's progress through it.
func (s *Server) panelShow(c echo.Context) error {
	id, err := pathID(c, "panel")
	if err != nil {
		return err
	}
	v, err := s.panels.Longlist(c.Request().Context(), id, staffUser(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "panel", &panelPage{basePage: s.base(c, v.Panel.Name), LonglistView: v,
		Nominated: c.QueryParam("nominated") != ""})
}

type reviewPage struct {
	basePage
	*panels.ReviewView
	Errors map[string]string
	Form   gs.ReviewInput
	Done   bool
}

// Scored is the value an expert gave a criterion in the form being drawn, 0 for none.
func (p *reviewPage) Scored(criterion int64) int { return p.Form.Scores[criterion] }

func (s *Server) panelIdeaIDs(c echo.Context) (int64, int64, error) {
	panelID, err := pathID(c, "panel")
	if err != nil {
		return 0, 0, err
	}
	raw := c.Param("idea")
	ideaID, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || ideaID <= 0 {
		return 0, 0, gs.Errorf(gs.ENOTFOUND, "There is no idea at this address: %q is not an idea number.", truncate(raw, 40))
	}
	return panelID, ideaID, nil
}

// panelReview shows one longlisted idea to an expert: the form until they have reviewed it,
// and then their review beside the other experts'.
func (s *Server) panelReview(c echo.Context) error {
	panelID, ideaID, err := s.panelIdeaIDs(c)
	if err != nil {
		return err
	}
	v, err := s.panels.Review(c.Request().Context(), panelID, ideaID, staffUser(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "panel_review", &reviewPage{basePage: s.base(c, v.Idea.Title), ReviewView: v,
		Done: c.QueryParam("done") != ""})
}

// panelReviewSubmit records an expert's scores, or their recusal.
func (s *Server) panelReviewSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	panelID, ideaID, err := s.panelIdeaIDs(c)
	if err != nil {
		return err
	}
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	in := gs.ReviewInput{Recuse: vals.Get("recuse") != "", Note: vals.Get("note"), Scores: map[int64]int{}}
	for key, vs := range vals {
		raw, ok := strings.CutPrefix(key, "score_")
		if !ok || len(vs) == 0 || vs[0] == "" {
			continue
		}
		crit, err1 := strconv.ParseInt(raw, 10, 64)
		v, err2 := strconv.Atoi(vs[0])
		if err1 != nil || err2 != nil {
			return gs.Errorf(gs.EMALFORMED, "A score could not be read. Reload the page and try again.")
		}
		in.Scores[crit] = v
	}
	err = s.panels.Submit(ctx, panelID, ideaID, staffUser(c), in)
	if err == nil {
		if wantsJSON(c) {
			return c.JSON(http.StatusCreated, map[string]any{"reviewed": true})
		}
		return c.Redirect(http.StatusSeeOther, panelIdeaPath(panelID, ideaID)+"?done=1")
	}
	ref, ok := refusedForm(c, err)
	if !ok {
		return err
	}
	v, verr := s.panels.Review(ctx, panelID, ideaID, staffUser(c))
	if verr != nil {
		return err
	}
	page := &reviewPage{basePage: s.base(c, s.loc.Say("Error: %s", v.Idea.Title)), ReviewView: v, Errors: ref.Fields, Form: in}
	if page.Errors == nil {
		page.Errors = map[string]string{"note": ref.Message}
	}
	return s.render(c, ref.Status, "panel_review", page)
}

type adminPanelsPage struct {
	basePage
	Panels     []gs.Panel
	Challenges []gs.Challenge
	Form       gs.PanelInput
	Weights    []string // the weights as typed, for a form that comes back
	Challenge  string
	Errors     map[string]string
}

// CriterionRows are the rows for criteria in the set-up form: the ones given, then blank ones
// up to the most a panel may have.
func (p *adminPanelsPage) CriterionRows() []gs.Criterion {
	rows := slices.Clone(p.Form.Criteria)
	for len(rows) < gs.CriteriaMax {
		rows = append(rows, gs.Criterion{})
	}
	return rows
}

// WeightText is the weight of criterion row k as the form shows it: as typed when the form came
// back, else the number.
func (p *adminPanelsPage) WeightText(k int, c gs.Criterion) string {
	switch {
	case k < len(p.Weights):
		return p.Weights[k]
	case c.Weight == 0:
		return ""
	}
	return strconv.FormatFloat(c.Weight, 'f', -1, 64)
}

// Covers reports whether the form chose question q.
func (p *adminPanelsPage) Covers(q int64) bool { return slices.Contains(p.Form.Questions, q) }

func (s *Server) adminPanels(c echo.Context) error {
	return s.renderAdminPanels(c, http.StatusOK, &adminPanelsPage{Form: gs.PanelInput{LonglistSize: gs.DefaultLonglist, Criteria: gs.DefaultCriteria()}})
}

func (s *Server) renderAdminPanels(c echo.Context, status int, page *adminPanelsPage) error {
	ctx := c.Request().Context()
	list, err := s.panels.Panels(ctx, staffUser(c))
	if err != nil {
		return err
	}
	challenges, err := s.part.Challenges(ctx)
	if err != nil {
		return err
	}
	page.basePage, page.Panels, page.Challenges = s.base(c, "Expert panels"), list, challenges
	return s.render(c, status, "admin_panels", page)
}

// adminPanelCreate sets up a panel with the default criteria.
func (s *Server) adminPanelCreate(c echo.Context) error {
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	page := &adminPanelsPage{Form: gs.PanelInput{Name: vals.Get("name")}, Challenge: vals.Get("challenge")}
	size, convErr := strconv.Atoi(strings.TrimSpace(vals.Get("longlist_size")))
	page.Form.LonglistSize = size
	if convErr != nil {
		page.Form.LonglistSize = 0 // refused below with a plain message
	}
	if page.Form.Questions, err = formIDs(vals["questions"]); err != nil {
		return gs.Errorf(gs.EMALFORMED, "A chosen question could not be read. Reload the page and try again.")
	}
	for k := 0; k < gs.CriteriaMax; k++ {
		n := strconv.Itoa(k)
		name, desc, weight := vals.Get("criterion_name_"+n), vals.Get("criterion_description_"+n), strings.TrimSpace(vals.Get("criterion_weight_"+n))
		if strings.TrimSpace(name+desc+weight) == "" {
			continue // a blank row
		}
		w, convErr := strconv.ParseFloat(strings.Replace(weight, ",", ".", 1), 64)
		if convErr != nil || math.IsNaN(w) {
			w = 0 // refused by the service with a plain message; the row comes back as typed
		}
		page.Form.Criteria = append(page.Form.Criteria, gs.Criterion{Name: name, Description: desc, Weight: w})
		page.Weights = append(page.Weights, weight)
	}
	p, err := s.panels.Create(c.Request().Context(), page.Challenge, page.Form, actor(c))
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		err = gs.FieldError("challenge", "Choose the challenge the panel reviews.")
	}
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		page.Errors = ref.Fields
		return s.renderAdminPanels(c, ref.Status, page)
	}
	return c.Redirect(http.StatusSeeOther, adminPanelPath(p.ID))
}

type adminPanelPage struct {
	basePage
	Admin     bool   // an admin's desk, with the panel's set-up; else a chairing expert's
	Desk      string // this panel's address at this desk
	Panel     *gs.Panel
	Experts   []gs.PanelExpert
	Results   *panels.Results
	Shortlist map[int64]bool
	Proposals []gs.Proposal
	Proposal  gs.ProposalInput // a proposal being written
	Email     string
	Errors    map[string]string
	Notice    string
	// InviteEmail is a new expert to send InviteLink to, a one-time link to set a password.
	InviteEmail, InviteLink string
}

// Chosen reports whether the proposal being written includes the idea.
func (p *adminPanelPage) Chosen(id int64) bool { return slices.Contains(p.Proposal.Ideas, id) }

// ProposalURL is a proposal's address at this desk.
func (p *adminPanelPage) ProposalURL(id int64) string { return desk{admin: p.Admin}.proposal(id) }

func (s *Server) adminPanel(c echo.Context) error {
	page := &adminPanelPage{Notice: c.QueryParam("notice")}
	if raw := c.QueryParam("merge"); raw != "" {
		// The ideas of a merge candidate, just shortlisted: choose them in the proposal form.
		// An unreadable list only leaves the form empty.
		page.Proposal.Ideas, _ = formIDs(strings.Split(raw, ","))
	}
	return s.renderAdminPanel(c, http.StatusOK, page)
}

func (s *Server) renderAdminPanel(c echo.Context, status int, page *adminPanelPage) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "panel")
	if err != nil {
		return err
	}
	u := staffUser(c)
	res, err := s.panels.Results(ctx, id, u)
	if err != nil {
		return err
	}
	_, experts, err := s.panels.Panel(ctx, id)
	if err != nil {
		return err
	}
	short, err := s.panels.Shortlisted(ctx, id, u)
	if err != nil {
		return err
	}
	page.Shortlist = map[int64]bool{}
	for _, i := range short {
		page.Shortlist[i] = true
	}
	if page.Proposals, err = s.panels.Proposals(ctx, id, u); err != nil {
		return err
	}
	d := deskOf(c)
	page.Admin, page.Desk = d.admin, d.panel(id)
	page.basePage, page.Panel, page.Experts, page.Results = s.base(c, s.loc.Say("Panel: %s", res.Panel.Name)), res.Panel, experts, res
	return s.render(c, status, "admin_panel", page)
}

func (s *Server) adminPanelExpert(c echo.Context) error {
	id, vals, err := pathForm(c, "panel")
	if err != nil {
		return err
	}
	err = s.panels.AddExpert(c.Request().Context(), id, vals.Get("email"), actor(c))
	if gs.ErrorReason(err) == gs.ReasonNoAccount {
		// A new expert: a one-time link for the admin to send, with which they set a password.
		token, ierr := s.accounts.Invite(c.Request().Context(), vals.Get("email"), gs.RoleExpert, id, actor(c))
		if ierr != nil {
			return ierr
		}
		link := c.Scheme() + "://" + c.Request().Host + "/invite/" + token
		return s.renderAdminPanel(c, http.StatusOK, &adminPanelPage{InviteEmail: strings.TrimSpace(vals.Get("email")), InviteLink: link})
	}
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		return s.renderAdminPanel(c, ref.Status, &adminPanelPage{Email: vals.Get("email"), Errors: map[string]string{"email": ref.First("email")}})
	}
	return c.Redirect(http.StatusSeeOther, withFlag(adminPanelPath(id), "notice", "expert"))
}

// adminPanelChair makes an expert on the panel its chair, or no longer.
func (s *Server) adminPanelChair(c echo.Context) error {
	id, vals, err := pathForm(c, "panel")
	if err != nil {
		return err
	}
	user, err := formIDs([]string{vals.Get("user")})
	if err != nil {
		return gs.Errorf(gs.EMALFORMED, "The expert to make chair could not be read. Reload the page and try again.")
	}
	if err := s.panels.AppointChair(c.Request().Context(), id, user[0], vals.Get("on") == "1", actor(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withFlag(adminPanelPath(id), "notice", "chair"))
}

func (s *Server) adminPanelLonglist(c echo.Context) error {
	id, err := pathID(c, "panel")
	if err != nil {
		return err
	}
	if _, err := s.panels.BuildLonglist(c.Request().Context(), id, actor(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withFlag(adminPanelPath(id), "notice", "longlist"))
}

// panelNominate puts an idea on the longlist outside the ranking, with a reason.
func (s *Server) panelNominate(c echo.Context) error {
	id, vals, err := pathForm(c, "panel")
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(vals.Get("idea")), "#"))
	raw = raw[strings.LastIndex(raw, "/")+1:] // an idea's address works as well as its number
	idea, convErr := strconv.ParseInt(raw, 10, 64)
	if convErr != nil {
		idea = 0 // refused by the service with a plain message
	}
	err = s.panels.Nominate(c.Request().Context(), id, idea, vals.Get("reason"), staffUser(c))
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		v, verr := s.panels.Longlist(c.Request().Context(), id, staffUser(c))
		if verr != nil {
			return err
		}
		return s.render(c, ref.Status, "panel", &panelPage{basePage: s.base(c, s.loc.Say("Error: %s", v.Panel.Name)), LonglistView: v,
			Errors: ref.Fields, Nomination: vals.Get("idea"), Reason: vals.Get("reason")})
	}
	return c.Redirect(http.StatusSeeOther, panelPath(id)+"?nominated=1")
}

type invitePage struct {
	basePage
	Token  string
	Email  string
	Errors map[string]string
}

func (s *Server) inviteShow(c echo.Context) error {
	email, err := s.accounts.Invitation(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "invite", &invitePage{basePage: s.base(c, "Join as staff"), Token: c.Param("token"), Email: email})
}

func (s *Server) inviteAccept(c echo.Context) error {
	ctx := c.Request().Context()
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	email, err := s.accounts.Invitation(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	page := &invitePage{basePage: s.base(c, "Join as staff"), Token: c.Param("token"), Email: email}
	if vals.Get("password") != vals.Get("confirm") {
		page.Errors = map[string]string{"confirm": "The two passwords are different."}
		return s.render(c, http.StatusUnprocessableEntity, "invite", page)
	}
	if _, err := s.accounts.AcceptInvite(ctx, c.Param("token"), vals.Get("password")); err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		page.Errors = ref.Fields
		if page.Errors == nil {
			page.Errors = map[string]string{"password": ref.Message}
		}
		return s.render(c, ref.Status, "invite", page)
	}
	return c.Redirect(http.StatusSeeOther, loginPath+"?created=1")
}
