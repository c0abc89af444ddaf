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

func TestKeyFileOfTheWrongLengthIsRefused(t *testing.T) {
	dir := t.TempDir()
	if _, err := CreateKeys(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFileName)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeys(dir); err != nil {
		t.Fatalf("the key just written: %v", err)
	}
	for name, text := range map[string]string{
		"truncated":      string(good[:100]), // 50 bytes, which older versions took
		"one digit more": strings.TrimSpace(string(good)) + "0\n",
		"a byte more":    strings.TrimSpace(string(good)) + "00\n",
		"empty":          "",
		"not hex":        strings.Repeat("zz", masterKeyLen),
	} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadKeys(dir)
		if err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), path) {
			t.Errorf("%s key: %v, want it refused as damaged, naming %s", name, err, path)
		}
	}
}

func TestCheckKey(t *testing.T) {
	k1, _ := DeriveKeys(make([]byte, 64))
	k2, _ := DeriveKeys([]byte(strings.Repeat("x", 64)))
	if k1.Fingerprint == k2.Fingerprint || len(k1.Fingerprint) != 64 {
		t.Fatalf("fingerprints %q and %q: want two different hex HMACs", k1.Fingerprint, k2.Fingerprint)
	}
	again, _ := DeriveKeys(make([]byte, 64))
	if again.Fingerprint != k1.Fingerprint {
		t.Fatal("the fingerprint of one key changed")
	}
	for _, c := range []struct {
		name         string
		recorded     string
		participants bool
		found        *Keys
		refused      string
	}{
		{"a first start", "", false, nil, ""},
		{"the same key", k1.Fingerprint, true, k1, ""},
		{"an upgrade, before any fingerprint was kept", "", true, k1, ""},
		{"no participants yet: any key", k1.Fingerprint, false, k2, ""},
		{"no participants yet: a missing key", k1.Fingerprint, false, nil, ""},
		{"a missing key", k1.Fingerprint, true, nil, "there is no key file"},
		{"a missing key, before any fingerprint was kept", "", true, nil, "there is no key file"},
		{"a different key", k1.Fingerprint, true, k2, "not the key this database was used with"},
	} {
		err := CheckKey("/srv/gs", c.recorded, c.participants, c.found)
		switch {
		case c.refused == "" && err != nil:
			t.Errorf("%s: refused with %v, want accepted", c.name, err)
		case c.refused != "" && (err == nil || !strings.Contains(err.Error(), c.refused) ||
			!strings.Contains(err.Error(), "/srv/gs/secret.key") || !strings.Contains(err.Error(), "Put back the secret.key")):
			t.Errorf("%s: %v, want refused saying %q, naming the file and how to restore it", c.name, err, c.refused)
		}
	}
}
