// Package storetest opens real databases for tests: a SQLite file in a temporary directory, and
// a fresh schema in the PostgreSQL named by GROUNDSWELL_TEST_POSTGRES, both through the real
// migrations. Nothing here is a mock.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/migrations"
)

// EnvPostgres names the variable holding a PostgreSQL DSN for tests.
const EnvPostgres = "GROUNDSWELL_TEST_POSTGRES"

// RequireAll reports whether skips for missing PostgreSQL or Chromium must fail instead.
func RequireAll() bool { return os.Getenv("GROUNDSWELL_REQUIRE_ALL") == "1" }

// SkipOrFail skips t with reason, or fails it when GROUNDSWELL_REQUIRE_ALL=1.
func SkipOrFail(t testing.TB, reason string) {
	t.Helper()
	if RequireAll() {
		t.Fatalf("GROUNDSWELL_REQUIRE_ALL=1 but %s", reason)
	}
	t.Skip(reason)
}

// Each runs fn once on SQLite and once on PostgreSQL, as subtests named after the dialect.
func Each(t *testing.T, fn func(t *testing.T, dsn string, s *store.Store)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			dsn := DSN(t, d)
			fn(t, dsn, Open(t, dsn))
		})
	}
}

// DSN returns a fresh, empty database of dialect d for t, removed when t ends.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return filepath.Join(t.TempDir(), "groundswell.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		SkipOrFail(t, EnvPostgres+" is not set, so the PostgreSQL run is skipped")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	admin, err := store.Open(context.Background(), base)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvPostgres, err)
	}
	if err := admin.Exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens dsn, applies the migrations and closes the store when t ends.
func Open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background(), migrations.FS); err != nil {
		t.Fatal(err)
	}
	return s
}
