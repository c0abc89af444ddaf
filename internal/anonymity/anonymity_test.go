package anonymity

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyFileCreatedPrivateAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("key file mode = %o, want 600", got)
	}
	k2, err := LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k1.TokenHash("x") != k2.TokenHash("x") {
		t.Error("keys changed between starts: every participant would lose their identity")
	}
	if err := os.Chmod(filepath.Join(dir, KeyFileName), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKeys(dir); err == nil {
		t.Error("a world-readable key file was accepted")
	}
}

func TestTokensAndHashes(t *testing.T) {
	k, err := DeriveKeys(make([]byte, 64))
	if err != nil {
		t.Fatal(err)
	}
	a, b := NewToken(), NewToken()
	if a == b || !ValidToken(a) || ValidToken("short") || ValidToken("") {
		t.Fatalf("tokens: %q %q", a, b)
	}
	if k.TokenHash(a) == k.TokenHash(b) {
		t.Error("different tokens hashed alike")
	}
	other, err := DeriveKeys([]byte("another master key of 32 bytes!!"))
	if err != nil {
		t.Fatal(err)
	}
	if k.TokenHash(a) == other.TokenHash(a) {
		t.Error("the hash does not depend on the key")
	}
}

func TestPseudonym(t *testing.T) {
	k, err := DeriveKeys(make([]byte, 64))
	if err != nil {
		t.Fatal(err)
	}
	again, err := DeriveKeys(make([]byte, 64))
	if err != nil {
		t.Fatal(err)
	}
	h := k.TokenHash(NewToken())
	if first, second := k.Pseudonym(h, 1, 0), again.Pseudonym(h, 1, 0); first != second {
		t.Errorf("the same key gave pseudonyms %q and %q, want one stable name", first, second)
	}
	seen := map[string]bool{}
	for c := int64(1); c <= 20; c++ {
		seen[k.Pseudonym(h, c, 0)] = true
	}
	if len(seen) < 15 {
		t.Errorf("pseudonyms across 20 challenges: %d distinct, want them to differ", len(seen))
	}
	if got := k.Pseudonym(h, 1, 5); len(got) < 5 || got == k.Pseudonym(h, 1, 0) {
		t.Errorf("retry pseudonym %q", got)
	}
}

func TestPairToken(t *testing.T) {
	k, err := DeriveKeys(make([]byte, 64))
	if err != nil {
		t.Fatal(err)
	}
	h, other := k.TokenHash(NewToken()), k.TokenHash(NewToken())
	tok := k.PairToken(h, 3, 17)
	if low, high, ok := k.OpenPairToken(h, tok); !ok || low != 3 || high != 17 {
		t.Fatalf("open %q: %d, %d, %v; want 3, 17", tok, low, high, ok)
	}
	for name, bad := range map[string]string{
		"another participant's": "",
		"changed pair":          strings.Replace(tok, "3.17", "3.18", 1),
		"swapped pair":          strings.Replace(tok, "3.17", "17.3", 1),
		"cut short":             tok[:len(tok)-2],
		"empty":                 "",
		"garbage":               "a.b.c",
	} {
		who := h
		if name == "another participant's" {
			who, bad = other, tok
		}
		if _, _, ok := k.OpenPairToken(who, bad); ok {
			t.Errorf("%s token %q was accepted", name, bad)
		}
	}
}
