package anonymity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// InviteCode is code number n of an invite batch, as a bare string of gs.InviteCodeLength
// symbols. Codes are derived from the invite key, so the server can hand a batch out again
// without storing any code; without the key, the stored hashes give nothing away.
func (k *Keys) InviteCode(batchID int64, n int) string {
	const symbols = len(gs.InviteAlphabet)
	// Bytes at or above the largest multiple of the alphabet's size are skipped, so that every
	// symbol is equally likely.
	const limit = 256 - 256%symbols
	code := make([]byte, 0, gs.InviteCodeLength)
	for round := 0; len(code) < gs.InviteCodeLength; round++ {
		m := hmac.New(sha256.New, k.InviteKey)
		m.Write([]byte("code " + strconv.FormatInt(batchID, 10) + " " + strconv.Itoa(n) + " " + strconv.Itoa(round)))
		for _, b := range m.Sum(nil) {
			if int(b) < limit && len(code) < gs.InviteCodeLength {
				code = append(code, gs.InviteAlphabet[int(b)%symbols])
			}
		}
	}
	return string(code)
}

// InviteHash is the keyed hash stored in place of a bare invite code.
func (k *Keys) InviteHash(code string) string {
	m := hmac.New(sha256.New, k.InviteKey)
	m.Write([]byte("hash " + code))
	return hex.EncodeToString(m.Sum(nil))
}
