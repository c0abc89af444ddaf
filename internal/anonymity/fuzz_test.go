package anonymity

import (
	"encoding/hex"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// FuzzInviteCode checks every code a batch can hand out: gs.InviteCodeLength symbols of the
// alphabet, the same on every call, read back to itself by gs.NormalizeInviteCode however it is
// typed (grouped, lower case), different from its neighbour in the batch, and stored as a
// 64-digit hex hash that differs from the neighbour's.
func FuzzInviteCode(f *testing.F) {
	f.Add(int64(1), 0)
	f.Add(int64(1), 1)
	f.Add(int64(0), gs.MaxMint-1)
	f.Add(int64(-1), -1)
	f.Add(int64(1)<<62, 12345)
	k, err := DeriveKeys([]byte("a fuzzing master key that is long enough"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, batch int64, n int) {
		code := k.InviteCode(batch, n)
		if len(code) != gs.InviteCodeLength || strings.Trim(code, gs.InviteAlphabet) != "" {
			t.Fatalf("InviteCode(%d, %d) = %q; want %d symbols of %s", batch, n, code, gs.InviteCodeLength, gs.InviteAlphabet)
		}
		if again := k.InviteCode(batch, n); again != code {
			t.Fatalf("InviteCode(%d, %d) gave %q, then %q", batch, n, code, again)
		}
		for _, typed := range []string{code, gs.FormatInviteCode(code), strings.ToLower(gs.FormatInviteCode(code))} {
			if got, err := gs.NormalizeInviteCode(typed); err != nil || got != code {
				t.Fatalf("NormalizeInviteCode(%q) = %q, %v; want %q", typed, got, err, code)
			}
		}
		h := k.InviteHash(code)
		if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
			t.Fatalf("InviteHash(%q) = %q; want 64 hex digits", code, h)
		}
		if next := k.InviteCode(batch, n+1); next == code || k.InviteHash(next) == h {
			t.Fatalf("codes %d and %d of batch %d are both %q", n, n+1, batch, code)
		}
	})
}
