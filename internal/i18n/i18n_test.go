package i18n_test

import (
	"testing"
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
