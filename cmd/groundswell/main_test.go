package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/config"
	"github.com/groundswell/groundswell/migrations"
	_ "github.com/mattn/go-sqlite3" // the driver for the raw pre-upgrade database
	"github.com/pressly/goose/v3"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdinFor(args)), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		says string
	}{
		{nil, "no command given"},
		{[]string{"launch"}, `unknown command "launch"`},
		{[]string{"migrate", "--nope"}, "migrate does not take the flag -nope"},
		{[]string{"migrate", "--data"}, "the flag -data needs a value"},
		{[]string{"migrate", "--data", dir, "extra"}, `migrate takes no arguments, got "extra"`},
		{[]string{"seed", "--data", dir}, "seed needs one argument: demo"},
		{[]string{"seed", "everything", "--data", dir}, "seed needs one argument: demo"},
		{[]string{"serve", "--addr", "nonsense", "--data", dir}, `--addr "nonsense" is not host:port`},
		{[]string{"serve", "--trusted-proxy", "proxy.example.org", "--data", dir}, `--trusted-proxy: "proxy.example.org" is not an address`},
		{[]string{"serve", "--shutdown-grace", "soon", "--data", dir}, `--shutdown-grace: "soon" is not a duration`},
		{[]string{"serve", "--shutdown-grace", "2h", "--data", dir}, `--shutdown-grace: "2h" is outside 0s to 1h0m0s`},
		{[]string{"migrate", "--sqlite-sync", "off", "--data", dir}, `--sqlite-sync: "off" is not a SQLite sync level; use full or normal`},
		{[]string{"user", "add", "--sqlite-sync", "extra", "--data", dir}, `--sqlite-sync: "extra" is not a SQLite sync level`},
		{[]string{"seed", "synthetic", "--ideas", "5", "--sqlite-sync", "", "--data", dir}, `--sqlite-sync: "" is not a SQLite sync level`},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", tt.args, code)
		}
		first, _, _ := strings.Cut(stderr, "\n")
		if !strings.Contains(first, tt.says) {
			t.Errorf("%v: first line %q, want it to say %q", tt.args, first, tt.says)
		}
		if !strings.Contains(stderr, "Usage: groundswell COMMAND") {
			t.Errorf("%v: no usage after the error", tt.args)
		}
	}
}

func TestSQLiteSyncFlag(t *testing.T) {
	for _, c := range []struct {
		env  string
		args []string
		want config.Sync
	}{
		{"", nil, config.SyncFull},
		{"normal", nil, config.SyncNormal},
		{"", []string{"--sqlite-sync", "NORMAL"}, config.SyncNormal},
		{"normal", []string{"--sqlite-sync", "full"}, config.SyncFull},
	} {
		t.Setenv("GROUNDSWELL_SQLITE_SYNC", c.env)
		for _, serve := range []bool{false, true} {
			cfg, _, err := parseFlags("migrate", c.args, serve)
			if err != nil || cfg.SQLiteSync != c.want {
				t.Errorf("env %q, args %v, serve=%v: sync %q, %v; want %q", c.env, c.args, serve, cfg.SQLiteSync, err, c.want)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || out != "groundswell dev\n" {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

func TestMigrateAndSeedAreIdempotent(t *testing.T) {
	dir := t.TempDir()
	// migrate upgrades a database that is there; only serve and seed create one.
	code, out, stderr := runCLI(t, "seed", "demo", "--data", dir)
	if code != 0 || !strings.Contains(out, "Created the demo") {
		t.Fatalf("first seed: exit %d, %q %q", code, out, stderr)
	}
	for range 2 {
		if code, out, _ = runCLI(t, "migrate", "--data", dir); code != 0 || !strings.Contains(out, "up to date") {
			t.Errorf("migrate: exit %d, %q", code, out)
		}
	}
	if code, out, _ = runCLI(t, "seed", "demo", "--data", dir); code != 0 || !strings.Contains(out, "already there") {
		t.Errorf("second seed: exit %d, %q", code, out)
	}
	fi, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secret.key: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
}

// serving is a serve command running in this process, as `run` sees it.
type serving struct {
	base   string
	out    *lockedBuffer
	cancel context.CancelFunc
	done   chan struct{} // closed when serve has returned, with its exit status in code
	code   int
	errb   *lockedBuffer
}

// startServe runs serve with args in the background and waits until it listens.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{out: &lockedBuffer{}, cancel: cancel, done: make(chan struct{})}
	errb := &lockedBuffer{}
	s.errb = errb
	go func() {
		defer close(s.done)
		s.code = run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), s.out, errb)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
		}
	})
	urlRe := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := urlRe.FindStringSubmatch(s.out.String()); m != nil {
			s.base = "http://" + m[1]
			return s
		}
		select {
		case <-s.done:
			t.Fatalf("serve stopped with exit %d: %q %q", s.code, s.out.String(), errb.String())
		default:
		}
	}
	t.Fatalf("serve did not start: %q %q", s.out.String(), errb.String())
	return nil
}

// stop does what SIGTERM does through main's context, and returns the exit status.
func (s *serving) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case <-s.done:
		if s.code != 0 {
			t.Logf("serve exited %d; its errors: %q", s.code, s.errb.String())
		}
		return s.code
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after the signal")
		return -1
	}
}

func TestServeAndShutDown(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GROUNDSWELL_DATA", dir)
	s := startServe(t)
	res, err := http.Get(s.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("/healthz = %d %q", res.StatusCode, body)
	}
	if code := s.stop(t); code != 0 || !strings.Contains(s.out.String(), "Stopped.") {
		t.Errorf("shutdown: exit %d, output %q", code, s.out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "groundswell.db")); err != nil {
		t.Errorf("no database in the data directory from the environment: %v", err)
	}
}

// stdinFor feeds a password to `user add` in tests.
var stdinPassword = ""

func stdinFor([]string) string { return stdinPassword }

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	stdinPassword = "correct horse battery staple 42\n"
	defer func() { stdinPassword = "" }()
	if code, _, stderr := runCLI(t, "seed", "demo", "--data", dir); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	code, out, stderr := runCLI(t, "user", "add", "--email", "Mod@Example.org", "--role", "moderator", "--password-stdin", "--data", dir)
	if code != 0 || !strings.Contains(out, "Created moderator account for mod@example.org") {
		t.Fatalf("user add: exit %d, %q %q", code, out, stderr)
	}
	code, _, stderr = runCLI(t, "user", "add", "--email", "mod@example.org", "--role", "moderator", "--password-stdin", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "already a staff account") {
		t.Errorf("duplicate: exit %d, %q", code, stderr)
	}
	stdinPassword = "password123\n"
	code, _, stderr = runCLI(t, "user", "add", "--email", "weak@example.org", "--role", "expert", "--password-stdin", "--data", dir)
	if code != 2 || !strings.Contains(stderr, "at least 12 characters") {
		t.Errorf("weak password: exit %d, %q", code, stderr)
	}
	for _, args := range [][]string{
		{"user"}, {"user", "remove"}, {"user", "add", "--role", "admin", "--password-stdin"},
		{"user", "add", "--email", "a@b.org", "--role", "boss", "--password-stdin"},
		{"user", "add", "--email", "a@b.org", "--role", "admin"},
		{"user", "add", "--email", "not-an-address", "--role", "admin", "--password-stdin"},
	} {
		if code, _, _ := runCLI(t, append(args, "--data", dir)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "seed", "demo", "--data", dir); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	file := filepath.Join(t.TempDir(), "copy.db")
	code, out, stderr := runCLI(t, "backup", file, "--data", dir)
	if code != 0 || !strings.Contains(out, "Wrote a backup") {
		t.Fatalf("backup: exit %d, %q %q", code, out, stderr)
	}
	// The copy is a working database with the demo in it, once its key is put beside it.
	restored := t.TempDir()
	key, err := os.ReadFile(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "secret.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, "seed", "demo", "--db", file, "--data", restored)
	if code != 0 || !strings.Contains(out, "already there") {
		t.Errorf("the backup does not hold the demo: exit %d, %q %q", code, out, stderr)
	}
	if code, _, stderr = runCLI(t, "backup", file, "--data", dir); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("backup over an existing file: exit %d, %q", code, stderr)
	}
	if code, _, _ = runCLI(t, "backup", "--data", dir); code != 2 {
		t.Errorf("backup without a file: exit %d, want 2", code)
	}
}

func TestSyntheticSeedAndRecompute(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, "seed", "synthetic", "--ideas", "300", "--votes", "4000", "--comments", "500", "--data", dir)
	if code != 0 || !strings.Contains(out, "Created /c/synthetic-300: 300 ideas, 4000 votes, 500 comments") {
		t.Fatalf("seed synthetic: exit %d, %q %q", code, out, stderr)
	}
	if !strings.Contains(stderr, "idea votes: 300 done") {
		t.Errorf("no progress was reported off a terminal: %q", stderr)
	}
	if code, out, _ = runCLI(t, "seed", "synthetic", "--ideas", "300", "--votes", "4000", "--data", dir); code != 0 || !strings.Contains(out, "already there") {
		t.Errorf("second seed: exit %d, %q", code, out)
	}
	if code, out, stderr = runCLI(t, "rank", "recompute", "--data", dir); code != 0 || !strings.Contains(out, "Recomputed every count and score") {
		t.Errorf("rank recompute: exit %d, %q %q", code, out, stderr)
	}
	for _, bad := range [][]string{
		{"seed", "synthetic", "--data", dir},
		{"seed", "synthetic", "--ideas", "2", "--votes", "100", "--participants", "10", "--data", dir},
		{"seed", "synthetic", "--ideas", "ten", "--data", dir},
		{"seed", "synthetic", "extra", "--ideas", "3", "--data", dir},
		{"rank", "--data", dir},
		{"rank", "redo", "--data", dir},
	} {
		if code, _, stderr := runCLI(t, bad...); code != 2 || !strings.Contains(stderr, "Usage") {
			t.Errorf("%v: exit %d, %q; want 2 with the usage", bad, code, stderr)
		}
	}
}

// TestUpgradeRanksExistingIdeas migrates a database to the version before ranking, puts an
// idea with votes in it, and checks that the first start of this version ranks it.
func TestUpgradeRanksExistingIdeas(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "groundswell.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := fs.Sub(migrations.FS, "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO challenges (id, slug, title, phase, created_at) VALUES (1, 'old', 'Old challenge', 'open', '2026-01-01 00:00:00')",
		"INSERT INTO questions (id, challenge_id, position, title) VALUES (1, 1, 1, 'What helps?')",
		"INSERT INTO participants (id, token_hash) VALUES (1, 'a'), (2, 'b'), (3, 'c')",
		"INSERT INTO ideas (id, challenge_id, question_id, participant_id, author, title, status, up, down, created_at) " +
			"VALUES (1, 1, 1, 1, 'Calm Heron', 'An idea from before', 'visible', 2, 0, '2026-01-02 00:00:00')",
		"INSERT INTO idea_votes (idea_id, participant_id, value) VALUES (1, 2, 1), (1, 3, 1)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	// Any command that opens the database upgrades it; seeding the demo does not rank old ideas.
	// The database's participants were made with the key in the data directory, which the
	// upgrade records.
	if _, err := anonymity.CreateKeys(dir); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCLI(t, "seed", "demo", "--data", dir); code != 0 {
		t.Fatalf("first start after the upgrade: exit %d, %q %q", code, out, stderr)
	}
	db, err = sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var fair float64
	var gathering bool
	if err := db.QueryRow("SELECT fair, gathering FROM ideas WHERE id = 1").Scan(&fair, &gathering); err != nil {
		t.Fatal(err)
	}
	if fair <= 0 || !gathering {
		t.Errorf("the idea from before: fair %v, gathering %v; want it ranked (fair above 0) and still gathering votes", fair, gathering)
	}
}
