package groundswell

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
)

// CursorDir says which way a page runs from its cursor.
type CursorDir string

// The ways a page can run from a cursor.
const (
	CursorAfter  CursorDir = "a" // the page that follows the key
	CursorBefore CursorDir = "b" // the page that comes before the key
	CursorLast   CursorDir = "l" // the last page; it has no key
)

// MaxPage is the highest page number a list accepts.
const MaxPage = 1_000_000

// maxCursorLen bounds a cursor as it arrives, before any decoding.
const maxCursorLen = 200

// IdeaCursor is a place in a list of ideas: the sort key and id of the idea at the edge of a page,
// and which way the next page runs from it. A page found by its cursor costs one walk of an
// index from the key, however deep in the list it lies, where a page number would make the
// database count its way past every earlier idea. Page is the number the page will show; it
// is only shown, so that an edited cursor changes nothing but that.
type IdeaCursor struct {
	Sort Sort      `json:"s"`
	Dir  CursorDir `json:"d"`
	Keys []float64 `json:"k,omitempty"`
	ID   int64     `json:"i,omitempty"`
	Page int       `json:"p"`
}

// KeyCount is how many values the sort orders by before the id, which breaks ties.
func (s Sort) KeyCount() int {
	switch s {
	case SortNew:
		return 0
	case SortTop:
		return 2
	case SortHot, SortControversial, SortDiscussed, SortFair, SortShuffled:
		return 1
	}
	return -1
}

// Key is the values of i that the sort orders by before the id, in order; the store's orderBy
// names the same columns.
func (s Sort) Key(i *Idea) []float64 {
	switch s {
	case SortTop:
		return []float64{i.Score, float64(i.Up)}
	case SortHot:
		return []float64{i.Hot}
	case SortControversial:
		return []float64{i.Controversy}
	case SortDiscussed:
		return []float64{i.Discussion}
	case SortFair:
		return []float64{i.Fair}
	case SortShuffled:
		return []float64{float64(i.Shuffle)}
	}
	return nil
}

// CursorAt is the cursor of the page numbered page that runs from idea i in direction dir.
func CursorAt(s Sort, dir CursorDir, i *Idea, page int) IdeaCursor {
	return IdeaCursor{Sort: s, Dir: dir, Keys: s.Key(i), ID: i.ID, Page: page}
}

// LastCursor is the cursor of the last page, numbered page, of a list in sort s.
func LastCursor(s Sort, page int) IdeaCursor {
	return IdeaCursor{Sort: s, Dir: CursorLast, Page: page}
}

// String writes the cursor for a link: base64url of a small JSON object, opaque to its readers.
func (c IdeaCursor) String() string {
	b, _ := json.Marshal(c) // a struct of numbers and short strings always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// errBadCursor is what every broken cursor gets: the reader cannot mend it, only start again.
func errBadCursor() error {
	return Errorf(EMALFORMED, "This link to a page of ideas is broken. Start again from the first page.")
}

// ParseIdeaCursor reads a cursor that String wrote, refusing anything String could not have
// written, so that a tampered cursor is a malformed request and never reaches a query.
func ParseIdeaCursor(raw string) (IdeaCursor, error) {
	var c IdeaCursor
	if len(raw) > maxCursorLen {
		return c, errBadCursor()
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return c, errBadCursor()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return IdeaCursor{}, errBadCursor()
	}
	n := c.Sort.KeyCount()
	if n < 0 || c.Page < 1 || c.Page > MaxPage {
		return IdeaCursor{}, errBadCursor()
	}
	switch c.Dir {
	case CursorAfter, CursorBefore:
		if c.ID < 1 || len(c.Keys) != n {
			return IdeaCursor{}, errBadCursor()
		}
		for _, k := range c.Keys {
			if math.IsNaN(k) || math.IsInf(k, 0) {
				return IdeaCursor{}, errBadCursor()
			}
		}
		if c.Sort == SortShuffled && (c.Keys[0] != math.Trunc(c.Keys[0]) || math.Abs(c.Keys[0]) > math.MaxInt32) {
			return IdeaCursor{}, errBadCursor()
		}
		if c.Sort == SortTop && (c.Keys[1] != math.Trunc(c.Keys[1]) || math.Abs(c.Keys[1]) > math.MaxInt32) {
			return IdeaCursor{}, errBadCursor()
		}
	case CursorLast:
		if c.ID != 0 || len(c.Keys) != 0 {
			return IdeaCursor{}, errBadCursor()
		}
	default:
		return IdeaCursor{}, errBadCursor()
	}
	return c, nil
}
