// Package anonymity keeps the promise that participants cannot be identified: it owns the secret
// key file, the random participant tokens, the keyed hashes the database stores in their place,
// and the pseudonyms shown beside contributions.
package anonymity

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// KeyFileName is the name of the secret key file inside the data directory.
const KeyFileName = "secret.key"

const masterKeyLen = 64

// Keys are the secrets derived from the master key in the key file. They never enter the database,
// so a copy of the database alone cannot link a stored hash back to anyone's cookie.
type Keys struct {
	SessionHash  []byte // signs cookies (HMAC-SHA256)
	SessionBlock []byte // encrypts cookies (AES-256)
	StaffHash    []byte // signs the staff session cookie
	StaffBlock   []byte // encrypts the staff session cookie
	Participant  []byte // keys the participant token hash
	PseudonymKey []byte // keys pseudonym derivation
	PairKey      []byte // signs the pair of ideas a participant is shown to compare
	InviteKey    []byte // derives invite codes and keys their stored hashes
	// Fingerprint identifies the master key without revealing it: the database keeps it, so
	// that a missing or different key file is noticed before it makes every participant new.
	Fingerprint string
}

// LoadOrCreateKeys reads the key file in dir, creating it with mode 0600 when there is none.
// Commands that open a database check the key against it instead (LoadKeys, CheckKey).
func LoadOrCreateKeys(dir string) (*Keys, error) {
	k, err := LoadKeys(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return CreateKeys(dir)
	}
	return k, err
}

// LoadKeys reads the key file in dir. A missing file is an error that matches fs.ErrNotExist; a
// file readable by others, or holding anything but a key of the right length, is refused, since
// a truncated key would quietly make every participant new.
func LoadKeys(dir string) (*Keys, error) {
	path := filepath.Join(dir, KeyFileName)
	master, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("there is no key file at %s: %w", path, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s is readable by others (mode %o): run chmod 600 on it", path, fi.Mode().Perm())
	}
	text := trimSpace(master)
	raw, err := hex.DecodeString(string(text))
	if err != nil || len(raw) != masterKeyLen {
		return nil, fmt.Errorf("key file %s is damaged: it must hold %d hexadecimal digits and holds %d characters; restore it from your backup",
			path, 2*masterKeyLen, len(text))
	}
	return DeriveKeys(raw)
}

// CreateKeys writes a new random key file in dir, with mode 0600, creating dir if needed. When
// another process has just written one, that key is used.
func CreateKeys(dir string) (*Keys, error) {
	path := filepath.Join(dir, KeyFileName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	master := make([]byte, masterKeyLen)
	if _, err := rand.Read(master); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process won the race: use its key
		return LoadKeys(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.Write([]byte(hex.EncodeToString(master) + "\n")); err != nil {
		f.Close()
		return nil, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write key file: %w", err)
	}
	return DeriveKeys(master)
}

// CheckKey decides whether a database may be used with the key file in dir. recorded is the
// fingerprint the database keeps ("" when it has none yet), participants whether anyone has
// taken part, and found the key read from the file, or nil when there is none. Participants are
// known only by hashes made with the key, so with participants a missing or different key is
// refused: going on would make every one of them new, free to vote again. Without participants
// nothing depends on the key yet, and any key may be used.
func CheckKey(dir, recorded string, participants bool, found *Keys) error {
	if !participants || recorded == "" && found != nil {
		return nil
	}
	path := filepath.Join(dir, KeyFileName)
	restore := "Put back the secret.key that was backed up with this database, then start again. " +
		"If it is lost for good, serve --accept-new-key starts with a new one and every participant " +
		"becomes new (see \"Lost key\" in docs/deploy.md)"
	if found == nil {
		return fmt.Errorf("the database has participants but there is no key file at %s, so every participant would become new. %s", path, restore)
	}
	if found.Fingerprint != recorded {
		return fmt.Errorf("the key file %s is not the key this database was used with (fingerprint %.12s…, recorded %.12s…), so every participant would become new. %s",
			path, found.Fingerprint, recorded, restore)
	}
	return nil
}

// DeriveKeys expands a master secret into independent keys with HKDF-SHA256.
func DeriveKeys(master []byte) (*Keys, error) {
	get := func(label string, n int) ([]byte, error) {
		return hkdf.Key(sha256.New, master, nil, "groundswell "+label, n)
	}
	var k Keys
	var err error
	m := hmac.New(sha256.New, master)
	m.Write([]byte("groundswell key fingerprint"))
	k.Fingerprint = hex.EncodeToString(m.Sum(nil))
	if k.SessionHash, err = get("session hash", 32); err != nil {
		return nil, err
	}
	if k.SessionBlock, err = get("session block", 32); err != nil {
		return nil, err
	}
	if k.StaffHash, err = get("staff hash", 32); err != nil {
		return nil, err
	}
	if k.StaffBlock, err = get("staff block", 32); err != nil {
		return nil, err
	}
	if k.Participant, err = get("participant", 32); err != nil {
		return nil, err
	}
	if k.PseudonymKey, err = get("pseudonym", 32); err != nil {
		return nil, err
	}
	if k.PairKey, err = get("pair", 32); err != nil {
		return nil, err
	}
	if k.InviteKey, err = get("invite", 32); err != nil {
		return nil, err
	}
	return &k, nil
}

// NewToken returns a fresh participant token: 256 random bits, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("anonymity: no randomness: " + err.Error()) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidToken reports whether s looks like a token from NewToken.
func ValidToken(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// TokenHash returns the keyed hash the database stores instead of the token.
func (k *Keys) TokenHash(token string) gs.TokenHash {
	m := hmac.New(sha256.New, k.Participant)
	m.Write([]byte(token))
	return gs.TokenHash(hex.EncodeToString(m.Sum(nil)))
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// PairToken signs the pair of ideas (low < high) shown to the participant with token hash h, so
// that a comparison can only judge a pair that participant was actually offered.
func (k *Keys) PairToken(h gs.TokenHash, low, high int64) string {
	return fmt.Sprintf("%d.%d.%s", low, high, k.pairMAC(h, low, high))
}

// OpenPairToken checks a pair token for h and returns its pair.
func (k *Keys) OpenPairToken(h gs.TokenHash, token string) (low, high int64, ok bool) {
	parts := strings.SplitN(token, ".", 3)
	if len(parts) != 3 {
		return 0, 0, false
	}
	low, err1 := strconv.ParseInt(parts[0], 10, 64)
	high, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || low <= 0 || high <= low || !hmac.Equal([]byte(parts[2]), []byte(k.pairMAC(h, low, high))) {
		return 0, 0, false
	}
	return low, high, true
}

func (k *Keys) pairMAC(h gs.TokenHash, low, high int64) string {
	m := hmac.New(sha256.New, k.PairKey)
	fmt.Fprintf(m, "%s|%d|%d", h, low, high)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}
