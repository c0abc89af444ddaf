package markup

import (
	stdhtml "html"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// blockEnds are where rendered blocks and line breaks end; they become spaces before tags are
// stripped, so that words in two paragraphs do not run together.
var blockEnds = strings.NewReplacer("</p>", " ", "<br>", " ", "<br/>", " ", "<br />", " ", "</li>", " ", "</h1>", " ",
	"</h2>", " ", "</h3>", " ", "</blockquote>", " ", "</pre>", " ", "</td>", " ")

// ReadText is what readers see of rendered HTML: its words, with the markup gone and entities
// decoded, so that **bas**tard or b&#97;stard read as the one word they show.
func ReadText(h gs.HTML) string {
	return stdhtml.UnescapeString(plain.Sanitize(blockEnds.Replace(string(h))))
}

var folder = cases.Fold()

// Fold reduces text to what it looks like, for matching a word list against it: compatibility
// forms unified (NFKC: full-width letters, ligatures), invisible format characters removed
// (zero-width spaces and joiners, soft hyphens, direction marks), Cyrillic and Greek letters that
// pass for Latin ones turned into those, and case folded.
func Fold(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			continue
		}
		if l, ok := lookalikes[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return folder.String(b.String())
}

// lookalikes maps Cyrillic and Greek letters that are drawn like Latin ones (after the
// confusables of Unicode TR39) to those Latin letters.
var lookalikes = map[rune]rune{
	// Cyrillic, small and capital.
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y',
	'х': 'x', 'ѕ': 's', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l', 'ɡ': 'g',
	'А': 'a', 'В': 'b', 'Е': 'e', 'Ё': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p', 'С': 'c', 'Т': 't', 'У': 'y',
	'Х': 'x', 'Ѕ': 's', 'І': 'i', 'Ї': 'i', 'Ј': 'j', 'Ԁ': 'd', 'Ԛ': 'q', 'Ԝ': 'w', 'Һ': 'h', 'Ӏ': 'l',
	// Greek, small and capital.
	'α': 'a', 'ο': 'o', 'ρ': 'p', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'υ': 'u', 'χ': 'x', 'ε': 'e', 'τ': 't',
	'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'Κ': 'k', 'Μ': 'm', 'Ν': 'n', 'Ο': 'o', 'Ρ': 'p', 'Τ': 't',
	'Υ': 'y', 'Χ': 'x',
}
