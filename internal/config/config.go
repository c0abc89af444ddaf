// Package config holds the settings Groundswell runs with, loaded once from flags and the
// environment and passed down; nothing reads them from globals.
package config

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything a command needs to open the database and serve.
type Config struct {
	// Addr is the address serve listens on.
	Addr string
	// DataDir holds the SQLite database and the secret key file.
	DataDir string
	// DB overrides the database: a SQLite file path or a postgres:// URL.
	DB string
	// SecureCookies marks cookies Secure; turn it on whenever Groundswell is served over TLS,
	// directly or behind a proxy.
	SecureCookies bool
	// WriteRate and WriteBurst limit each participant's writes (posts, comments, votes): a
	// sustained rate per second and a burst. They are keyed on the participant, not the IP
	// address, because a whole hospital may share one address.
	WriteRate  float64
	WriteBurst int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header is believed. With
	// none, the client is the direct peer. The client address is used only in memory, to slow
	// sign-in guessing, and never stored.
	TrustedProxies []*net.IPNet
	// MetricsToken, when set, lets a request to /metrics with "Authorization: Bearer TOKEN"
	// read the Prometheus metrics on the main address; MetricsAddr serves them on a separate
	// listener (for a private network) instead. With neither, /metrics is not served: its
	// per-route counters would show the public when staff are at work.
	MetricsToken string
	MetricsAddr  string
	// Locale is the language the interface is written in, as a BCP 47 tag (en-GB ships).
	Locale string
	// ShutdownGrace bounds how long requests in flight may take to finish after SIGTERM or
	// SIGINT; a second signal stops at once. Requests still running then are cut off.
	ShutdownGrace time.Duration
	// AcceptNewKey lets serve start with a secret key other than the one the database's
	// participants were made with (or create one where it is missing), making each of them new.
	// It is for an operator whose key is lost for good; without it such a start is refused.
	AcceptNewKey bool
	// SQLiteSync is how far SQLite goes to keep a commit through a power cut: SyncFull (the
	// default) waits for the disk on every commit, so no acknowledged vote or post is ever lost;
	// SyncNormal skips that wait, which is faster, but a power cut (not a crash of the program)
	// can undo the last commits that were acknowledged. PostgreSQL ignores it.
	SQLiteSync Sync
	// Version is the build's version string.
	Version string
}

// Default returns the settings used when nothing else is given.
func Default() Config {
	return Config{
		Addr:          "127.0.0.1:8080",
		DataDir:       "./data",
		WriteRate:     1,
		WriteBurst:    30,
		ShutdownGrace: 15 * time.Second,
		Version:       "dev",
		Locale:        "en-GB",
		SQLiteSync:    SyncFull,
	}
}

// Sync is a SQLite durability level, as the synchronous pragma names it.
type Sync string

// The durability levels Groundswell offers.
const (
	SyncFull   Sync = "full"
	SyncNormal Sync = "normal"
)

// ParseSync reads a durability level, in any case: full or normal.
func ParseSync(s string) (Sync, error) {
	switch v := Sync(strings.ToLower(strings.TrimSpace(s))); v {
	case SyncFull, SyncNormal:
		return v, nil
	}
	return "", fmt.Errorf("%q is not a SQLite sync level; use full or normal", s)
}

// DSN is the database to open: DB when set, else groundswell.db in the data directory.
func (c Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "groundswell.db")
}

// ParseCIDRs reads a comma-separated list of networks (10.0.0.0/8) or single addresses.
func ParseCIDRs(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, raw := range strings.Split(list, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		if !strings.Contains(raw, "/") {
			ip := net.ParseIP(raw)
			if ip == nil {
				return nil, fmt.Errorf("%q is not an address or a network such as 10.0.0.0/8", raw)
			}
			bits := 128
			if ip.To4() != nil {
				bits = 32
			}
			raw = fmt.Sprintf("%s/%d", raw, bits)
		}
		_, n, err := net.ParseCIDR(raw)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or a network such as 10.0.0.0/8", raw)
		}
		out = append(out, n)
	}
	return out, nil
}

// MaxShutdownGrace is the longest grace period ParseGrace accepts; a process manager waiting
// longer than that for a stop would be better told to kill.
const MaxShutdownGrace = time.Hour

// ParseGrace reads a shutdown grace period: a Go duration (15s, 1m30s) or a whole number of
// seconds, from 0 (stop at once) to MaxShutdownGrace.
func ParseGrace(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		n, nerr := strconv.ParseUint(s, 10, 32)
		if nerr != nil {
			return 0, fmt.Errorf("%q is not a duration such as 15s or 1m", s)
		}
		d = time.Duration(n) * time.Second
	}
	if d < 0 || d > MaxShutdownGrace {
		return 0, fmt.Errorf("%q is outside 0s to %s", s, MaxShutdownGrace)
	}
	return d, nil
}
