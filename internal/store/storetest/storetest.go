// Package storetest opens real databases for tests: a SQLite file in a temporary directory, and
// a fresh schema in the PostgreSQL named by GROUNDSWELL_TEST_POSTGRES, both through the real
// migrations. Nothing here is a mock.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for Raw
	_ "github.com/mattn/go-sqlite3"    // the sqlite3 driver for Raw

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
	_, _ = rand.Read(b) // never fails: crypto/rand panics rather than return an error
	schema := "test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvPostgres, err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create a test schema in %s: %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
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

// Raw opens a second, plain connection to the test database at dsn, for what only tests do:
// trying statements the application never runs (such as changing the audit log) and reading
// every row of a table. It is closed when t ends.
func Raw(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	driver, source := "sqlite3", "file:"+dsn+"?_busy_timeout=10000"
	if store.IsPostgres(dsn) {
		driver, source = "pgx", dsn
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Tables lists every table the migrations made in the test database, so that a check over
// "everything stored" cannot miss a table added later.
func Tables(t testing.TB, db *sql.DB, dsn string) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if store.IsPostgres(dsn) {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Dump returns every row of table as one line of text each.
func Dump(t testing.TB, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + table)
	if err != nil {
		t.Fatalf("dump %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, fmt.Sprint(vals...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
