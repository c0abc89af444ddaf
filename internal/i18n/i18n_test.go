package i18n_test

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/groundswell/groundswell/internal/i18n"
)

func TestBritishEnglish(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l, err := cat.Locale("en-GB")
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Number(13000); got != "13,000" {
		t.Errorf("Number(13000) = %q", got)
	}
	if got := l.Number(3595); got != "3,595" {
		t.Errorf("Number(3595) = %q", got)
	}
	if got := l.Date(time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC)); got != "23 November 2026" {
		t.Errorf("Date = %q", got)
	}
	if got := l.Date(time.Time{}); got != "" {
		t.Errorf("the zero date: %q", got)
	}
	if got := l.T("No ideas match “%s”.", "rota 100%"); got != "No ideas match “rota 100%”." {
		t.Errorf("T with an argument: %q", got)
	}
	for _, bad := range []string{"fr", "xx-", "", "de-DE"} {
		if _, err := cat.Locale(bad); err == nil {
			t.Errorf("locale %q: want an error, since only en-GB ships", bad)
		}
	}
	for _, k := range i18n.CodeKeys() {
		if !l.Has(k) {
			t.Errorf("the English file lacks %q, which the code asks for", k)
		}
	}
}

// TestAnotherLanguage loads a second message file, as a translator would add one, and checks
// that interface text, messages made in Go code and dates come out in it, with what the file
// lacks falling back to English.
func TestAnotherLanguage(t *testing.T) {
	fsys := fstest.MapFS{
		"messages/en-GB.json": {Data: []byte(`{"Search": "Search"}`)},
		"messages/cy.json": {Data: []byte(`{"Search": "Chwilio", "There is no idea number %d.": "Does dim syniad rhif %d.",
			"November": "Tachwedd", "%[1]s %[2]s %[3]s": "%[1]s %[2]s %[3]s"}`)},
	}
	cat, err := i18n.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	cy, err := cat.Locale("cy")
	if err != nil {
		t.Fatal(err)
	}
	if got := cy.T("Search"); got != "Chwilio" {
		t.Errorf("T: %q", got)
	}
	if got := cy.Say("There is no idea number %d.", 12345); got != "Does dim syniad rhif 12345." {
		t.Errorf("Say with a number: %q (an idea's number must not be grouped)", got)
	}
	if got := cy.Say("Not translated yet."); got != "Not translated yet." {
		t.Errorf("a missing entry: %q", got)
	}
	if got := cy.Date(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)); got != "23 Tachwedd 2026" {
		t.Errorf("Date: %q", got)
	}
}
