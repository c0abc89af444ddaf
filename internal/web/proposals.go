package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/panels"
)

func adminProposalPath(id int64) string { return "/admin/proposals/" + strconv.FormatInt(id, 10) }

func guidePath(slug string) string { return "/guide/" + slug }

// adminShortlist takes longlisted ideas onto the shortlist or off it. A merge candidate's
// ideas come together with merge=1 and land in the proposal form, already chosen.
func (s *Server) adminShortlist(c echo.Context) error {
	id, vals, err := pathForm(c, "panel")
	if err != nil {
		return err
	}
	ideas, err := formIDs(vals["idea"])
	if err != nil {
		return gs.Errorf(gs.EMALFORMED, "The idea to shortlist could not be read. Reload the page and try again.")
	}
	if err := s.panels.Shortlist(c.Request().Context(), id, ideas, vals.Get("on") == "1", staffUser(c)); err != nil {
		return err
	}
	if vals.Get("merge") == "1" {
		return c.Redirect(http.StatusSeeOther, deskOf(c).panel(id)+"?merge="+joinIDs(ideas)+"#proposals")
	}
	return c.Redirect(http.StatusSeeOther, deskOf(c).panel(id)+"#results")
}

// formIDs reads a list of positive ids from a form.
func formIDs(raw []string) ([]int64, error) {
	ids := make([]int64, 0, len(raw))
	for _, r := range raw {
		n, err := strconv.ParseInt(r, 10, 64)
		if err != nil || n < 1 {
			return nil, gs.Errorf(gs.EMALFORMED, "An id could not be read.")
		}
		ids = append(ids, n)
	}
	return ids, nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for k, id := range ids {
		s[k] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// adminProposalCreate merges shortlisted ideas into a draft proposal.
func (s *Server) adminProposalCreate(c echo.Context) error {
	id, vals, err := pathForm(c, "panel")
	if err != nil {
		return err
	}
	in := gs.ProposalInput{Title: vals.Get("title"), Theme: vals.Get("theme"), Problem: vals.Get("problem"), Change: vals.Get("change"),
		Steps: vals.Get("steps"), Enablers: vals.Get("enablers"), Blockers: vals.Get("blockers"), Evidence: vals.Get("evidence"), Owner: vals.Get("owner")}
	if in.Ideas, err = formIDs(vals["ideas"]); err != nil {
		return gs.Errorf(gs.EMALFORMED, "A chosen idea could not be read. Reload the page and try again.")
	}
	p, err := s.panels.CreateProposal(c.Request().Context(), id, in, staffUser(c))
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		return s.renderAdminPanel(c, ref.Status, &adminPanelPage{Errors: ref.Fields, Proposal: in})
	}
	return c.Redirect(http.StatusSeeOther, deskOf(c).proposal(p.ID))
}

type adminProposalPage struct {
	basePage
	Desk     string // the proposal's address at this desk
	PanelURL string
	Proposal *gs.Proposal
	Errors   map[string]string
	Reason   string
}

func (s *Server) adminProposal(c echo.Context) error {
	return s.renderAdminProposal(c, http.StatusOK, &adminProposalPage{})
}

func (s *Server) renderAdminProposal(c echo.Context, status int, page *adminProposalPage) error {
	id, err := pathID(c, "proposal")
	if err != nil {
		return err
	}
	p, err := s.panels.Proposal(c.Request().Context(), id, staffUser(c))
	if err != nil {
		return err
	}
	d := deskOf(c)
	page.Desk, page.PanelURL = d.proposal(id), d.panel(p.PanelID)
	page.basePage, page.Proposal = s.base(c, s.loc.Say("Proposal: %s", p.Title)), p
	return s.render(c, status, "admin_proposal", page)
}

// adminProposalMove moves a proposal along its workflow.
func (s *Server) adminProposalMove(c echo.Context) error {
	id, vals, err := pathForm(c, "proposal")
	if err != nil {
		return err
	}
	err = s.panels.Move(c.Request().Context(), id, gs.ProposalStatus(vals.Get("to")), vals.Get("reason"), staffUser(c))
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		errs := ref.Fields
		if errs == nil {
			errs = map[string]string{"reason": ref.Message}
		}
		return s.renderAdminProposal(c, ref.Status, &adminProposalPage{Errors: errs, Reason: vals.Get("reason")})
	}
	return c.Redirect(http.StatusSeeOther, deskOf(c).proposal(id))
}

type guidePage struct {
	basePage
	*panels.Guide
}

// guideShow is a challenge's public change guide, as a page (printable), CSV or JSON.
func (s *Server) guideShow(c echo.Context) error {
	slug := c.Param("slug")
	format := ""
	for _, ext := range []string{".csv", ".json"} {
		if base, ok := strings.CutSuffix(slug, ext); ok {
			slug, format = base, ext
		}
	}
	g, err := s.panels.GuideOf(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	switch {
	case format == ".json" || (format == "" && wantsJSON(c)):
		return c.JSON(http.StatusOK, map[string]any{"challenge": g.Challenge.Slug, "proposals": proposalsJSON(g)})
	case format == ".csv":
		return writeCSV(c, "guide-"+g.Challenge.Slug+".csv", guideRows(g))
	}
	path := guidePath(g.Challenge.Slug)
	b := s.feedPage(c, "Change guide: "+g.Challenge.Title, path+"/feed.atom")
	b.Share = &shareMeta{Title: "Change guide: " + g.Challenge.Title, URL: origin(c) + path,
		Description: fmt.Sprintf("%s chosen by expert panels from what staff said in %s, with the evidence behind each.",
			sayPlural(s.loc, g.Count, "change", "changes"), g.Challenge.Title)}
	return s.render(c, http.StatusOK, "guide", &guidePage{basePage: b, Guide: g})
}

type proposalJSON struct {
	ID       int64    `json:"id"`
	Title    string   `json:"title"`
	Theme    string   `json:"theme"`
	Status   string   `json:"status"`
	Problem  string   `json:"problem"`
	Change   string   `json:"change"`
	Steps    string   `json:"steps"`
	Enablers string   `json:"enablers"`
	Blockers string   `json:"blockers"`
	Evidence string   `json:"evidence"`
	Owner    string   `json:"owner"`
	Ideas    []int64  `json:"idea_ids"`
	Comments []int64  `json:"comment_ids"`
	Sources  []source `json:"sources"`
}

type source struct {
	Kind       string   `json:"kind"`
	ID         int64    `json:"id"`
	Title      string   `json:"title"`
	Up         int      `json:"up"`
	Down       int      `json:"down"`
	PanelScore *float64 `json:"panel_score"`
}

func proposalsJSON(g *panels.Guide) []proposalJSON {
	out := []proposalJSON{}
	for _, t := range g.Themes {
		for _, p := range t.Proposals {
			j := proposalJSON{ID: p.ID, Title: p.Title, Theme: p.Theme, Status: string(p.Status), Problem: p.Problem, Change: p.Change,
				Steps: p.Steps, Enablers: p.Enablers, Blockers: p.Blockers, Evidence: p.Evidence, Owner: p.Owner,
				Ideas: []int64{}, Comments: []int64{}, Sources: []source{}}
			for _, src := range p.Sources {
				if src.Kind == gs.TargetIdea {
					j.Ideas = append(j.Ideas, src.TargetID)
				} else {
					j.Comments = append(j.Comments, src.TargetID)
				}
				j.Sources = append(j.Sources, source{Kind: string(src.Kind), ID: src.TargetID, Title: src.Title, Up: src.Up, Down: src.Down, PanelScore: src.PanelScore})
			}
			out = append(out, j)
		}
	}
	return out
}

func guideRows(g *panels.Guide) [][]string {
	rows := [][]string{{"proposal_id", "title", "theme", "status", "problem", "change", "steps", "owner", "source_kind", "source_id", "source_title", "up", "down", "panel_score"}}
	for _, t := range g.Themes {
		for _, p := range t.Proposals {
			for _, src := range p.Sources {
				score := ""
				if src.PanelScore != nil {
					score = strconv.FormatFloat(*src.PanelScore, 'f', 2, 64)
				}
				rows = append(rows, []string{strconv.FormatInt(p.ID, 10), p.Title, p.Theme, string(p.Status), p.Problem, p.Change, p.Steps, p.Owner,
					string(src.Kind), strconv.FormatInt(src.TargetID, 10), src.Title, strconv.Itoa(src.Up), strconv.Itoa(src.Down), score})
			}
		}
	}
	return rows
}

// neutralise keeps a spreadsheet from reading a cell as a formula: one that begins with =, +,
// -, @ (or a tab or carriage return) is prefixed with an apostrophe.
func neutralise(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// adminExport streams one of a challenge's CSV exports, every cell neutralised.
func (s *Server) adminExport(c echo.Context) error {
	name, ok := strings.CutSuffix(c.Param("name"), ".csv")
	if !ok {
		return gs.Errorf(gs.ENOTFOUND, "Exports end in .csv.")
	}
	slug := c.Param("slug")
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+slug+"-"+name+`.csv"`)
	w := csv.NewWriter(c.Response())
	started := false
	err := s.mod.Export(c.Request().Context(), slug, name, func(row []string) error {
		if !started {
			started = true
			c.Response().WriteHeader(http.StatusOK)
		}
		safe := make([]string, len(row))
		for i, cell := range row {
			safe[i] = neutralise(cell)
		}
		return w.Write(safe)
	})
	w.Flush()
	if err != nil && !started {
		c.Response().Header().Del(echo.HeaderContentDisposition)
		return err
	}
	return err
}

// writeCSV sends rows as a CSV download, every cell neutralised against formula injection.
func writeCSV(c echo.Context, filename string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, r := range rows {
		safe := make([]string, len(r))
		for i, cell := range r {
			safe[i] = neutralise(cell)
		}
		if err := w.Write(safe); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// apiProposals lists a challenge's published proposals with the contributions they came from.
func (s *Server) apiProposals(c echo.Context) error {
	slug := strings.TrimSpace(c.QueryParam("challenge"))
	if slug == "" {
		return gs.Errorf(gs.EMALFORMED, "Name the challenge: /api/v1/proposals?challenge=SLUG.")
	}
	g, err := s.panels.GuideOf(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"proposals": proposalsJSON(g)})
}
