// Package i18n is Groundswell's message catalogue: every interface string is looked up here by
// its English text, and numbers and dates are written the way the locale writes them. English
// (en-GB) ships; a new language is one more file in messages/ with the same keys.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"golang.org/x/text/number"
)

//go:embed messages/*.json
var files embed.FS

// Default is the locale served when none is configured.
const Default = "en-GB"

// Locale writes interface text, numbers and dates for one language.
type Locale struct {
	Tag language.Tag
	p   *message.Printer
	// keys are the messages this locale's file holds, for Has; msgs their text.
	keys map[string]bool
	msgs map[string]string
}

// Catalogue holds every locale Groundswell ships.
type Catalogue struct {
	cat     *catalog.Builder
	tags    []language.Tag
	keys    map[language.Tag]map[string]bool
	msgs    map[language.Tag]map[string]string
	matcher language.Matcher
}

// Load reads the message files Groundswell ships.
func Load() (*Catalogue, error) { return LoadFS(files) }

// LoadFS reads message files from fsys: messages/{tag}.json, each an object from English key to
// text.
func LoadFS(fsys fs.FS) (*Catalogue, error) {
	c := &Catalogue{cat: catalog.NewBuilder(catalog.Fallback(language.BritishEnglish)), keys: map[language.Tag]map[string]bool{},
		msgs: map[language.Tag]map[string]string{}}
	names, err := fs.Glob(fsys, "messages/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for _, name := range names {
		tag, err := language.Parse(strings.TrimSuffix(path.Base(name), ".json"))
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var msgs map[string]string
		if err := json.Unmarshal(raw, &msgs); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		c.keys[tag] = map[string]bool{}
		c.msgs[tag] = msgs
		for k, v := range msgs {
			if err := c.cat.SetString(tag, k, v); err != nil {
				return nil, fmt.Errorf("i18n: %s: %q: %w", name, k, err)
			}
			c.keys[tag][k] = true
		}
		c.tags = append(c.tags, tag)
	}
	if len(c.tags) == 0 {
		return nil, fmt.Errorf("i18n: no message files")
	}
	c.matcher = language.NewMatcher(c.tags)
	return c, nil
}

// Locale returns the locale for a BCP 47 tag such as "en-GB", refusing one Groundswell does not
// ship, so that a typo in the configuration fails at start-up rather than silently.
func (c *Catalogue) Locale(tag string) (*Locale, error) {
	t, err := language.Parse(tag)
	if err != nil {
		return nil, fmt.Errorf("locale %q is not a language tag such as en-GB", tag)
	}
	if _, ok := c.keys[t]; !ok {
		var have []string
		for _, s := range c.tags {
			have = append(have, s.String())
		}
		return nil, fmt.Errorf("locale %q is not available; choose one of %s", tag, strings.Join(have, ", "))
	}
	return &Locale{Tag: t, p: message.NewPrinter(t, message.Catalog(c.cat)), keys: c.keys[t], msgs: c.msgs[t]}, nil
}

// Tags lists the shipped locales.
func (c *Catalogue) Tags() []language.Tag { return slices.Clone(c.tags) }

// Keys lists the messages a locale's file holds.
func (c *Catalogue) Keys(t language.Tag) []string {
	var out []string
	for k := range c.keys[t] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// T is the interface text for key, with args put in its placeholders (%s, %d, %[1]s…).
func (l *Locale) T(key string, args ...any) string { return l.p.Sprintf(key, args...) }

// Say is a message made in Go code: key is a format for fmt (not the printer, which would
// group the digits of an idea's number), looked up in the catalogue, the key itself when the
// file has no entry.
func (l *Locale) Say(key string, args ...any) string {
	text, ok := l.msgs[key]
	if !ok {
		text = key
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// Has reports whether the locale's file holds key.
func (l *Locale) Has(key string) bool { return l.keys[key] }

// Number writes n with the locale's digit grouping: 13,000 in English.
func (l *Locale) Number(n int) string { return l.p.Sprint(number.Decimal(n)) }

// months are the keys of the month names.
var months = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// dateForm is the key of the long date: day, month name, year.
const dateForm = "%[1]s %[2]s %[3]s"

// CodeKeys are the messages Go code asks for (the templates' are found in the templates), so
// that a test can hold every message file to exactly the keys in use.
func CodeKeys() []string { return append(months[:], dateForm) }

// Date writes a calendar day in the locale's long form: 23 November 2026 in British English.
// The day is taken in UTC, where every stored time lives.
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	// Day and year go in as text: the printer would group a year's digits (2,026).
	return l.T(dateForm, strconv.Itoa(t.Day()), l.T(months[t.Month()-1]), strconv.Itoa(t.Year()))
}
