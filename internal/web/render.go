package web

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html/template"
	"io/fs"
	"maps"
	"math"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/i18n"
	"github.com/groundswell/groundswell/internal/panels"
)

// pages holds one parsed template set per page: the layout, every partial, and the page itself.
type pages struct {
	sets map[string]*template.Template
	// fragments holds the layout and partials alone, for parts of a page drawn on their own.
	fragments *template.Template
}

// templateFuncs are the helpers every template may call, besides the path builders (pathFuncs).
var templateFuncs = template.FuncMap{
	"markup":  func(h gs.HTML) template.HTML { return h.Template() },
	"isoDate": func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"inc":     func(i int) int { return i + 1 },
	// The staff page has two forms; each summary lists only its own form's problems.
	"inviteErrors":  func(e map[string]string) map[string]string { return errorsWhere(e, true) },
	"accountErrors": func(e map[string]string) map[string]string { return errorsWhere(e, false) },

	"add": func(a, b int) int { return a + b },
	// fieldMsg is one field's message for the field_error partial.
	"fieldMsg": func(errs map[string]string, field string) struct{ ID, Msg string } {
		return struct{ ID, Msg string }{field, errs[field]}
	},
	// mineRow pairs a row of My contributions with whether vote counts may be shown.
	"mineRow": func(i mineItem, showVotes bool) any {
		return struct {
			Item      mineItem
			ShowVotes bool
		}{i, showVotes}
	},
	"caseAction": func(c caseView, action, label, hint string, needsReason, text, duration bool) caseActionView {
		return caseActionView{Case: c, Action: action, Label: label, Hint: hint, NeedsReason: needsReason, Text: text, Duration: duration}
	},
	"pair":           func(a, b *gs.Idea) []*gs.Idea { return []*gs.Idea{a, b} },
	"percent":        func(x float64) string { return fmt.Sprintf("%d%%", int(math.Round(x*100))) },
	"scale":          func() []int { return []int{1, 2, 3, 4, 5} },
	"criterionField": gs.CriterionField,
	"int64":          func(n int) int64 { return int64(n) },
	"mul":            func(a, b int) int { return a * b },
	"addf":           func(a, b float64) float64 { return a + b },
	"sub":            func(a, b int) int { return a - b },
	"minGroup":       func() int { return gs.MinGroup },
	"splitIDs":       splitIDs,
	"score": func(x *float64) string {
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', 1, 64)
	},
	"funnelRows":     funnelRows,
	"proposalFields": func() []proposalField { return proposalFields },
	"proposalValue":  proposalValue,
	"auditAction":    gs.AuditActionLabel,
}

// localeFuncs write interface text, numbers and dates in the server's language.
func localeFuncs(l *i18n.Locale) template.FuncMap {
	return template.FuncMap{
		"t":    l.T,
		"num":  l.Number,
		"date": l.Date,
		"lang": func() string { return l.Tag.String() },
		// duration is how long something took, roughly, in words.
		"duration": func(d time.Duration) string {
			switch {
			case d < time.Minute:
				return l.Say("under a minute")
			case d < time.Hour:
				return l.Say("%d minutes", int(d.Minutes()))
			case d < 48*time.Hour:
				return l.Say("%.1f hours", d.Hours())
			}
			return l.Say("%.1f days", d.Hours()/24)
		},
		// phase is a phase's name in the interface's language.
		"phase": func(p gs.Phase) string { return l.Say(p.Label()) },
		// say is a label made in Go code (a report reason, say) in the interface's language.
		"say": func(key string) string { return l.Say(key) },
		// plural is a count and its noun: "1 comment", "3 comments", looked up as such.
		"plural": func(n int, one, many string) string { return sayPlural(l, n, one, many) },
	}
}

// parsePages parses every page under pages/ with the layout and partials, failing on the first
// broken template so that a bad deploy never starts.
func parsePages(fsys fs.FS, l *i18n.Locale) (*pages, error) {
	common, err := template.New("").Funcs(templateFuncs).Funcs(pathFuncs).Funcs(localeFuncs(l)).ParseFS(fsys, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	files, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{sets: map[string]*template.Template{}, fragments: common}
	for _, f := range files {
		set, err := common.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := set.ParseFS(fsys, f); err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		p.sets[strings.TrimSuffix(path.Base(f), ".html")] = set
	}
	return p, nil
}

// Names lists the pages, in order, for the test that renders each one.
func (p *pages) Names() []string {
	return slices.Sorted(maps.Keys(p.sets))
}

// renderFragment draws one partial without the layout, for a script that swaps it into the
// page, so that the page and the script share one template.
func (s *Server) renderFragment(c echo.Context, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := s.pages.fragments.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("web: render fragment %s: %w", name, err)
	}
	return s.writePage(c, status, buf.Bytes())
}

// writePage sends a drawn page. Pages may be kept by the browser but must be checked each time
// (no-cache), never by shared caches (private); an ETag, a hash of the page, lets an unchanged
// page come back as 304 without its body.
func (s *Server) writePage(c echo.Context, status int, page []byte) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-cache")
	if status != http.StatusOK || c.Request().Method != http.MethodGet {
		return c.HTMLBlob(status, page)
	}
	sum := fnv.New64a()
	sum.Write(page)
	etag := `W/"` + strconv.FormatUint(sum.Sum64(), 36) + `"`
	h.Set("ETag", etag)
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.HTMLBlob(status, page)
}

// render executes the page into a buffer first, so that a template failure becomes a clean 500
// rather than half a page with a 200 status.
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	set, ok := s.pages.sets[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	if p, ok := data.(named); ok {
		p.setPage(name)
		if status >= 400 {
			p.refused(s.loc.Say("Error: "))
			p.setAddress(s.refusedAddress(c))
		}
		if u := p.staff(); u != nil && u.Role.CanModerate() {
			p.setWaiting(s.waiting(c))
		}
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, "layout", data); err != nil {
		if name == "error" {
			return c.String(http.StatusInternalServerError, "Something went wrong on our side.")
		}
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	return s.writePage(c, status, buf.Bytes())
}

// waiting is the moderation queue's length for the staff menu: a bounded count, "99+" past
// gs.WaitingShown, and "" when nothing waits or the count fails (the menu is no reason to fail
// the page).
func (s *Server) waiting(c echo.Context) string {
	n, err := s.mod.Waiting(c.Request().Context())
	switch {
	case err != nil || n == 0:
		return ""
	case n > gs.WaitingShown:
		return s.loc.Number(gs.WaitingShown) + "+"
	}
	return s.loc.Number(n)
}

// funnelRow is one bar of the guide's funnel picture, centred, its width a share of the first.
type funnelRow struct {
	X, W int
	O    float64
}

func funnelRows(f panels.Funnel) []funnelRow {
	counts := []int{f.Ideas + f.Comments, f.Longlisted, f.Shortlisted, f.Proposals}
	out := make([]funnelRow, len(counts))
	top := max(counts[0], 1)
	for k, n := range counts {
		w := max(4, 400*n/top)
		out[k] = funnelRow{X: (400 - w) / 2, W: w, O: 1 - 0.18*float64(k)}
	}
	return out
}

// proposalField is one text field of the proposal form.
type proposalField struct {
	Name, Label string
	Long        bool
}

var proposalFields = []proposalField{
	{"title", "Title", false}, {"theme", "Theme (groups proposals in the guide)", false}, {"problem", "The problem", true},
	{"change", "The change proposed", true}, {"steps", "How to make it happen", true}, {"enablers", "What helps", true},
	{"blockers", "What stands in the way", true}, {"evidence", "Evidence", true}, {"owner", "Who could own it", false},
}

func proposalValue(in gs.ProposalInput, name string) string {
	switch name {
	case "title":
		return in.Title
	case "theme":
		return in.Theme
	case "problem":
		return in.Problem
	case "change":
		return in.Change
	case "steps":
		return in.Steps
	case "enablers":
		return in.Enablers
	case "blockers":
		return in.Blockers
	case "evidence":
		return in.Evidence
	}
	return in.Owner
}

// splitIDs reads the comma-separated idea ids a longlist entry keeps of its near-duplicates.
func splitIDs(s string) []int64 {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		if n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// plural counts n of a thing: "1 comment", "3 comments".
// errorsWhere keeps the messages of the invitation form's fields (invite_…) or the others.
func errorsWhere(e map[string]string, invite bool) map[string]string {
	out := map[string]string{}
	for k, v := range e {
		if strings.HasPrefix(k, "invite_") == invite {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sayPlural writes a count with its noun through the catalogue, whose keys are "1 comment" and
// "%s comments": the number is written the locale's way.
func sayPlural(l *i18n.Locale, n int, one, many string) string {
	if n == 1 {
		return l.Say("1 " + one)
	}
	return l.Say("%s "+many, l.Number(n))
}
