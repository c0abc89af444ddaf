package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestOnlyServeAndSeedCreateADatabase runs every other command that opens a database on a data
// directory or database that is not there: each must refuse, naming the path, and leave nothing
// behind (before, backup wrote an empty copy of a database it had just made).
func TestOnlyServeAndSeedCreateADatabase(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "typo")
	empty := t.TempDir()
	copyFile := filepath.Join(t.TempDir(), "copy.db")
	stdinPassword = "correct horse battery staple 42\n"
	defer func() { stdinPassword = "" }()
	userAdd := []string{"user", "add", "--email", "a@example.org", "--role", "admin", "--password-stdin"}
	for _, c := range []struct {
		args  []string
		names string
	}{
		{[]string{"backup", copyFile, "--data", typo}, typo},
		{[]string{"migrate", "--data", typo}, typo},
		{append(userAdd, "--data", typo), typo},
		{[]string{"rank", "recompute", "--data", typo}, typo},
		{[]string{"backup", copyFile, "--data", empty}, filepath.Join(empty, "groundswell.db")},
		{[]string{"migrate", "--data", empty}, filepath.Join(empty, "groundswell.db")},
		{append(userAdd, "--data", empty), filepath.Join(empty, "groundswell.db")},
		{[]string{"rank", "recompute", "--data", empty}, filepath.Join(empty, "groundswell.db")},
		{[]string{"migrate", "--data", empty, "--db", filepath.Join(empty, "other.db")}, filepath.Join(empty, "other.db")},
	} {
		code, out, stderr := runCLI(t, c.args...)
		if code != 1 || !strings.Contains(stderr, c.names) || !strings.Contains(stderr, "only serve and seed create") {
			t.Errorf("%v: exit %d, %q %q; want 1, naming %s", c.args, code, out, stderr, c.names)
		}
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Errorf("the mistyped data directory was created: %v", err)
	}
	if left, _ := os.ReadDir(empty); len(left) != 0 {
		t.Errorf("the empty data directory now holds %v, want nothing", left)
	}
	if _, err := os.Stat(copyFile); !os.IsNotExist(err) {
		t.Errorf("a backup was written: %v", err)
	}
}

// TestServeRefusesALostOrDifferentKey takes secret.key away from a database with participants,
// swaps it and truncates it: serve must refuse each, saying how to restore the key, and change
// nothing; with the key back it starts.
func TestServeRefusesALostOrDifferentKey(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "seed", "demo", "--data", dir); code != 0 { // the demo has participants
		t.Fatalf("seed: %s", stderr)
	}
	keyPath := filepath.Join(dir, anonymity.KeyFileName)
	good, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other")
	if _, err := anonymity.CreateKeys(other); err != nil {
		t.Fatal(err)
	}
	different, err := os.ReadFile(filepath.Join(other, anonymity.KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		key  []byte // nil: no key file
		says string
	}{
		{"missing", nil, "there is no key file at " + keyPath},
		{"different", different, "the key file " + keyPath + " is not the key this database was used with"},
		{"truncated", good[:100], "key file " + keyPath + " is damaged"},
	} {
		os.Remove(keyPath)
		if c.key != nil {
			if err := os.WriteFile(keyPath, c.key, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		code, _, stderr := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--data", dir)
		if code != 1 || !strings.Contains(stderr, c.says) {
			t.Errorf("%s key: exit %d, %q; want 1 saying %q", c.name, code, stderr, c.says)
		}
		if c.name != "truncated" && !strings.Contains(stderr, "Put back the secret.key") {
			t.Errorf("%s key: %q does not say how to restore the key", c.name, stderr)
		}
		now, err := os.ReadFile(keyPath)
		if c.key == nil && err == nil || c.key != nil && string(now) != string(c.key) {
			t.Errorf("%s key: the key file was changed to %q (%v)", c.name, now, err)
		}
	}
	// The right key starts again.
	if err := os.WriteFile(keyPath, good, 0o600); err != nil {
		t.Fatal(err)
	}
	if code := startServe(t, "--data", dir).stop(t); code != 0 {
		t.Fatalf("serve with the right key: exit %d", code)
	}
	// An operator whose key is lost for good can accept a new one, once; from then on the new
	// key is the one the database expects.
	if err := os.WriteFile(keyPath, different, 0o600); err != nil {
		t.Fatal(err)
	}
	if code := startServe(t, "--data", dir, "--accept-new-key").stop(t); code != 0 {
		t.Fatalf("serve --accept-new-key: exit %d", code)
	}
	if code, out, stderr := runCLI(t, "seed", "demo", "--data", dir); code != 0 {
		t.Errorf("after accepting the new key: exit %d, %q %q", code, out, stderr)
	}
	if err := os.WriteFile(keyPath, good, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--data", dir); code != 1 || !strings.Contains(stderr, "not the key") {
		t.Errorf("the old key after accepting a new one: exit %d, %q; want it refused", code, stderr)
	}
}

// TestANewDatabaseTakesAnyKey checks that the key check does not stand in the way where nothing
// depends on the key yet: a database without participants.
func TestANewDatabaseTakesAnyKey(t *testing.T) {
	dir := t.TempDir()
	if code := startServe(t, "--data", dir).stop(t); code != 0 {
		t.Fatalf("first serve: exit %d", code)
	}
	if err := os.Remove(filepath.Join(dir, anonymity.KeyFileName)); err != nil {
		t.Fatal(err)
	}
	if code := startServe(t, "--data", dir).stop(t); code != 0 {
		t.Fatalf("serve with a new key and no participants: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, anonymity.KeyFileName)); err != nil {
		t.Errorf("no new key file: %v", err)
	}
}

// TestKeyCheckOnPostgres: with PostgreSQL the database lives elsewhere and the key in the data
// directory, so a server started with a fresh data directory must be refused too.
func TestKeyCheckOnPostgres(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres)
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "seed", "demo", "--db", dsn, "--data", dir); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	if code, out, stderr := runCLI(t, "seed", "demo", "--db", dsn, "--data", dir); code != 0 || !strings.Contains(out, "already there") {
		t.Fatalf("second seed with the same key: exit %d, %q %q", code, out, stderr)
	}
	fresh := t.TempDir()
	code, _, stderr := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--data", fresh)
	if code != 1 || !strings.Contains(stderr, "there is no key file at "+filepath.Join(fresh, anonymity.KeyFileName)) {
		t.Errorf("serve with a fresh data directory: exit %d, %q; want it refused", code, stderr)
	}
	if left, _ := os.ReadDir(fresh); len(left) != 0 {
		t.Errorf("the fresh data directory now holds %v, want nothing", left)
	}
}
