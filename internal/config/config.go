// Package config holds the settings Groundswell runs with, loaded once from flags and the
// environment and passed down; nothing reads them from globals.
package config

import (
	"path/filepath"
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
	// ShutdownTimeout bounds how long in-flight requests may take to drain on SIGTERM.
	ShutdownTimeout time.Duration
	// Version is the build's version string.
	Version string
}

// Default returns the settings used when nothing else is given.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "./data",
		WriteRate:       1,
		WriteBurst:      30,
		ShutdownTimeout: 15 * time.Second,
		Version:         "dev",
	}
}

// DSN is the database to open: DB when set, else groundswell.db in the data directory.
func (c Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "groundswell.db")
}
