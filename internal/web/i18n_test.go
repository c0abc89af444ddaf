package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/i18n"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/templates"
)

var tCall = regexp.MustCompile(`[{(]-?\s*t\s+("(?:[^"\\]|\\.)*")`)

// pluralCall finds a template's counted noun, whose keys are "1 noun" and "%s nouns".
var pluralCall = regexp.MustCompile(`plural [^"]+("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")`)

// goPatterns find the messages Go code writes for people: the formats of gs.Errorf, the literal
// messages beside a field or in a gs.Error, and those first put in a variable called msg.
var goPatterns = []*regexp.Regexp{
	regexp.MustCompile(`Errorf\((?:gs\.)?E[A-Z]+,\s*("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`\.Add\([^,"]*(?:"[^"]*")?,\s*("(?:[^"\\]|\\.)*")\)`),
	regexp.MustCompile(`(?m)\bmsg :?= ("(?:[^"\\]|\\.)*")\s*$`),
	regexp.MustCompile(`Message:\s*("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`(?:\.Say|\bsay)\(\s*("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`newPager\(\s*("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`s\.base\(c,\s*("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`http\.Status\w+:\s+("(?:[^"\\]|\\.)* (?:[^"\\]|\\.)*")`), // sentences, not codes
	regexp.MustCompile(`Format:\s*("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`\.Addf\([^,"]*(?:"[^"]*")?,\s*("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`FieldErrorf\([^,"]*(?:"[^"]*")?,\s*("(?:[^"\\]|\\.)*")`),
	regexp.MustCompile(`map\[string\]string\{"[^"]*":\s*("(?:[^"\\]|\\.)*")`),
}

// goPlural finds a counted noun written in Go code.
var goPlural = regexp.MustCompile(`(?:sayPlural\([^,]+,|Plural\()[^,]+,\s*("(?:[^"\\]|\\.)*"),\s*("(?:[^"\\]|\\.)*")\)`)

// errorTitles finds the page titles titleFor returns, in web/errors.go.
var errorTitles = regexp.MustCompile(`(?m)^\t\treturn ("(?:[^"\\]|\\.)*")$`)

// goMessages reads the messages out of every Go source file under internal/.
func goMessages(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range goPlural.FindAllStringSubmatch(string(raw), -1) {
			one, _ := strconv.Unquote(m[1])
			many, _ := strconv.Unquote(m[2])
			out["1 "+one], out["%s "+many] = true, true
		}
		patterns := goPatterns
		if filepath.Base(path) == "errors.go" && filepath.Base(filepath.Dir(path)) == "web" {
			patterns = append(patterns, errorTitles) // the titles of error pages
		}
		for _, p := range patterns {
			for _, m := range p.FindAllStringSubmatch(string(raw), -1) {
				k, err := strconv.Unquote(m[1])
				if err == nil && strings.Trim(k, "%s ") != "" {
					out[k] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryInterfaceStringIsInTheCatalogue holds every message file to exactly the keys the
// templates and the code use: a new string without an entry, or an entry left behind, fails.
func TestEveryInterfaceStringIsInTheCatalogue(t *testing.T) {
	used := map[string]bool{}
	err := fs.WalkDir(templates.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(templates.FS, path)
		if err != nil {
			return err
		}
		for _, m := range pluralCall.FindAllStringSubmatch(string(raw), -1) {
			one, err1 := strconv.Unquote(m[1])
			many, err2 := strconv.Unquote(m[2])
			if err1 != nil || err2 != nil {
				t.Errorf("%s: a plural's words are not plain strings: %s", path, m[0])
				continue
			}
			used["1 "+one], used["%s "+many] = true, true
		}
		for _, m := range tCall.FindAllStringSubmatch(string(raw), -1) {
			key, err := strconv.Unquote(m[1])
			if err != nil {
				t.Errorf("%s: %s is not a plain string", path, m[1])
				continue
			}
			used[key] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range i18n.CodeKeys() {
		used[k] = true
	}
	for k := range goMessages(t) {
		used[k] = true
	}
	for _, p := range gs.Phases {
		used[p.Label()], used[p.Words()] = true, true
	}
	for _, so := range append(gs.Sorts, gs.SortShuffled) {
		used[so.Label()], used[so.Explain()] = true, true
	}
	for _, r := range gs.ReportReasons {
		used[r.Label()] = true
	}
	for _, st := range []gs.Status{gs.StatusVisible, gs.StatusHeld, gs.StatusPending, gs.StatusHidden} {
		used[string(st)], used[st.Label()] = true, true
	}
	for _, o := range []gs.Outcome{gs.OutcomeDismissed, gs.OutcomeHidden, gs.OutcomeRestored, gs.OutcomeRedacted, gs.OutcomeDiscounted} {
		used[string(o)], used[o.Label()] = true, true
	}
	for _, l := range gs.AuditActions {
		used[l] = true
	}
	used["yes"], used["no"] = true, true // the audit log's true and false
	for _, ps := range gs.ProposalStatuses {
		used[ps.Label()] = true
	}
	for _, c := range moderation.SuspensionChoices {
		used[c.Label] = true
	}
	for _, r := range []gs.Role{gs.RoleAdmin, gs.RoleModerator, gs.RoleExpert} {
		used[string(r)] = true
	}
	used[gs.ErrorMessage(nil)] = true
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range cat.Tags() {
		have := cat.Keys(tag)
		for k := range used {
			if !slices.Contains(have, k) {
				t.Errorf("%s: no entry for %q", tag, k)
			}
		}
		for _, k := range have {
			if !used[k] {
				t.Errorf("%s: %q is no longer used", tag, k)
			}
		}
	}
	if len(used) < 50 {
		t.Errorf("only %d strings found: is the pattern still right?", len(used))
	}
}

// TestNoStrayPercent: a message is a format, so a literal % must be passed as an argument.
func TestNoStrayPercent(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	verb := regexp.MustCompile(`%%|%(\[\d+\])?[-+# 0-9.]*[sdqvf]`)
	for _, tag := range cat.Tags() {
		for _, k := range cat.Keys(tag) {
			if stray := verb.ReplaceAllString(k, ""); regexp.MustCompile(`%`).MatchString(stray) {
				t.Errorf("%s: %q has a %% that is not a placeholder", tag, k)
			}
		}
	}
}
