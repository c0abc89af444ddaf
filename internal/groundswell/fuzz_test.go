package groundswell

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkRefusal fails t unless err is one of ours with a request-side code and plain words: bad
// input is never an internal error.
func checkRefusal(t *testing.T, what, in string, err error) {
	t.Helper()
	switch ErrorCode(err) {
	case EINVALID, EMALFORMED:
	default:
		t.Fatalf("%s(%q): error %v with code %q; want invalid or malformed", what, in, err, ErrorCode(err))
	}
	if msg := ErrorMessage(err); msg == "" || !utf8.ValidString(msg) {
		t.Fatalf("%s(%q): message %q; want plain valid text", what, in, msg)
	}
}

// FuzzFormValues feeds one arbitrary string to every parser of a form or query value in the
// domain: each accepts only its own words, gives back a value that reads back the same, and
// refuses anything else with a 4xx error, never a panic.
func FuzzFormValues(f *testing.F) {
	for _, s := range []string{"", "up", "down", "clear", "UP", " up", "top", "fair", "hot", "new", "controversial",
		"discussed", "shuffled", "admin", " Moderator ", "expert", "root", "ABCD-EFGH-JKMN", "abcd efgh jkmn", "ABCDEFGHJKMNP",
		"ABCD—EFGH–JKMN", "ÀBCD-EFGH-JKMN", "\x00", "\xff\xfe", "ABCDEFGHJKM\u00a0N", "ＡＢＣＤＥＦＧＨＪＫＭＮ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := ParseVote(s); err != nil {
			checkRefusal(t, "ParseVote", s, err)
		} else if v < -1 || v > 1 || v.String() != s {
			t.Fatalf("ParseVote(%q) = %d (%q); want -1, 0 or 1 that reads back as the input", s, v, v.String())
		}

		if o, err := ParseSort(s); err != nil {
			checkRefusal(t, "ParseSort", s, err)
		} else if s != "" && (string(o) != s || !slices.Contains(Sorts, o)) {
			t.Fatalf("ParseSort(%q) = %q; want one of %v equal to the input", s, o, Sorts)
		} else if s == "" && o != "" {
			t.Fatalf("ParseSort(\"\") = %q; want the challenge's default (empty)", o)
		}

		if r, err := ParseRole(s); err != nil {
			checkRefusal(t, "ParseRole", s, err)
		} else if string(r) != strings.ToLower(strings.TrimSpace(s)) || !r.Can(r) {
			t.Fatalf("ParseRole(%q) = %q", s, r)
		}

		code, err := NormalizeInviteCode(s)
		if err != nil {
			checkRefusal(t, "NormalizeInviteCode", s, err)
			return
		}
		if len(code) != InviteCodeLength || strings.Trim(code, InviteAlphabet) != "" {
			t.Fatalf("NormalizeInviteCode(%q) = %q; want %d symbols of the alphabet", s, code, InviteCodeLength)
		}
		for _, typed := range []string{code, FormatInviteCode(code), strings.ToLower(FormatInviteCode(code)), " " + code[:3] + " " + code[3:] + "\t"} {
			if again, err := NormalizeInviteCode(typed); err != nil || again != code {
				t.Fatalf("NormalizeInviteCode(%q) = %q, %v; want %q, as from %q", typed, again, err, code, s)
			}
		}
	})
}
