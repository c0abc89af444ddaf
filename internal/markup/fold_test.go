package markup

import (
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// TestHeldWordsSeeWhatReadersSee lists the ways round a word list that publish at once when the
// list is checked against raw Markdown; each must now be held.
func TestHeldWordsSeeWhatReadersSee(t *testing.T) {
	r := New()
	c := &gs.Challenge{HeldWords: "bastard\nidiot"}
	for _, tc := range []struct{ name, body string }{
		{"emphasis inside the word", "You **bas**tard."},
		{"an HTML entity", "You b&#97;stard."},
		{"a hex entity", "You b&#x61;stard."},
		{"a zero-width space", "You bas\u200btard."},
		{"a zero-width joiner", "You bas\u200dtard."},
		{"a soft hyphen", "You bas\u00adtard."},
		{"a Cyrillic a", "You b\u0430stard."},
		{"a Greek omicron", "What an idi\u03bft."},
		{"full-width letters", "You ｂａｓｔａｒｄ."},
		{"capitals", "YOU BASTARD"},
		{"a link's text", "[bastard](http://example.org)"},
		{"code", "`bastard`"},
		{"a word-joiner", "bas\u2060tard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := Fold(ReadText(r.Render(tc.body)))
			if c.HoldReason(seen) == "" {
				t.Errorf("%q reads as %q and was not held", tc.body, seen)
			}
		})
	}
	for _, fine := range []string{"A class act.", "Passing the baton.", "Idiomatic English.", "**Basta**, tardy trains."} {
		if got := c.HoldReason(Fold(ReadText(r.Render(fine)))); got != "" {
			t.Errorf("%q was held: %s", fine, got)
		}
	}
	if got := strings.Fields(ReadText(r.Render("one\n\ntwo"))); len(got) != 2 {
		t.Errorf("two paragraphs read as %q, want two words", got)
	}
}
