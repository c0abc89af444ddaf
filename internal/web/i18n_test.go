package web_test

import (
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/groundswell/groundswell/internal/i18n"
	"github.com/groundswell/groundswell/templates"
)

var tCall = regexp.MustCompile(`[{(]-?\s*t\s+("(?:[^"\\]|\\.)*")`)

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
	verb := regexp.MustCompile(`%(\[\d+\])?[sd]`)
	for _, tag := range cat.Tags() {
		for _, k := range cat.Keys(tag) {
			if stray := verb.ReplaceAllString(k, ""); regexp.MustCompile(`%`).MatchString(stray) {
				t.Errorf("%s: %q has a %% that is not a placeholder", tag, k)
			}
		}
	}
}
