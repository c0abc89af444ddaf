// Command groundswell runs the Groundswell service and its administrative tasks.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/groundswell/groundswell/internal/accounts"
	"github.com/groundswell/groundswell/internal/anonymity"
	"github.com/groundswell/groundswell/internal/campaigns"
	"github.com/groundswell/groundswell/internal/config"
	"github.com/groundswell/groundswell/internal/demo"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/panels"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/web"
	"github.com/groundswell/groundswell/migrations"
	"github.com/groundswell/groundswell/static"
	"github.com/groundswell/groundswell/templates"
	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `Usage: groundswell COMMAND [flags]

Commands:
  serve        migrate, then serve (--addr, default 127.0.0.1:8080; --trusted-proxy CIDR behind a reverse proxy;
               --shutdown-grace 15s; --accept-new-key only when secret.key is lost for good)
  migrate      apply pending database migrations and exit
  seed demo    create the demo challenge if it is not there
  seed synthetic --ideas N --votes N [--comments N] [--participants N]
               build a large generated challenge for benchmarks, with a progress bar
  backup FILE  write a consistent copy of the SQLite database while the server runs
  rank recompute
               rebuild every count and score from the votes, comments and comparisons
  user add --email E --role admin|moderator|expert --password-stdin
               create a staff account; the password is one line on standard input
  version      print the version

Flags every command takes:
  --data DIR   data directory holding groundswell.db and secret.key (env GROUNDSWELL_DATA, default ./data)
  --db DSN     SQLite file path or postgres:// URL; overrides the file in --data (env GROUNDSWELL_DB)
  --sqlite-sync full|normal
               full (the default) waits for the disk at every commit, so no acknowledged write is
               lost in a power cut; normal is faster but may lose the last ones (env GROUNDSWELL_SQLITE_SYNC)
`

// usageError is a mistake in the command line: reported in one line, with usage, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// main runs the command with a context that the first SIGINT or SIGTERM cancels, so that serve
// drains and the other commands stop between steps. A second signal exits at once: an operator
// who has seen enough of the drain should not have to reach for SIGKILL.
func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel()
		<-sigs
		fmt.Fprintln(os.Stderr, "groundswell: a second signal: stopping at once, without waiting for requests in flight")
		os.Exit(1)
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdin, stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "groundswell: %s\n\n%s", ue.msg, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "groundswell: %v\n", err)
		return 1
	}
}

// cliError words an error for the terminal: the plain message of a user's mistake, and for our
// own failures the whole cause, which an operator needs to act on (a locked file, a full disk).
func cliError(err error) error {
	if gs.ErrorCode(err) == gs.EINTERNAL {
		return err
	}
	return errors.New(gs.ErrorMessage(err))
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		cfg, _, err := parseFlags("serve", rest, true)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stdout, stderr)
	case "migrate":
		cfg, _, err := parseFlags("migrate", rest, false)
		if err != nil {
			return err
		}
		return migrate(ctx, cfg, stdout)
	case "seed":
		if len(rest) > 0 && rest[0] == "synthetic" {
			return seedSynthetic(ctx, rest[1:], stdout, stderr)
		}
		cfg, pos, err := parseFlags("seed", rest, false)
		if err != nil {
			return err
		}
		if len(pos) != 1 || pos[0] != "demo" {
			return usageError{"seed needs one argument: demo or synthetic"}
		}
		return seedDemo(ctx, cfg, stdout)
	case "user":
		return userCommand(ctx, rest, stdin, stdout)
	case "rank":
		if len(rest) == 0 || rest[0] != "recompute" {
			return usageError{"rank needs a subcommand: recompute"}
		}
		cfg, _, err := parseFlags("rank recompute", rest[1:], false)
		if err != nil {
			return err
		}
		return rankRecompute(ctx, cfg, stdout, stderr)
	case "backup":
		cfg, pos, err := parseFlags("backup", rest, false)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageError{"backup needs one argument: the file to write"}
		}
		st, err := openStore(ctx, cfg, false)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.Backup(ctx, pos[0]); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "Wrote a backup to %s. Keep secret.key from the data directory with it.\n", pos[0])
		return nil
	case "version", "--version", "-v":
		if _, _, err := parseFlags("version", rest, false); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "groundswell", version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// parseFlags reads the shared flags, with environment variables as defaults.
func parseFlags(name string, args []string, serve bool) (config.Config, []string, error) {
	cfg := config.Default()
	cfg.Version = version
	var proxies, grace string
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sync := dbFlags(fs, &cfg)
	if serve {
		fs.StringVar(&cfg.Addr, "addr", envOr("GROUNDSWELL_ADDR", cfg.Addr), "listen address")
		secure := envOr("GROUNDSWELL_SECURE_COOKIES", "") == "1"
		fs.BoolVar(&cfg.SecureCookies, "secure-cookies", secure, "mark cookies Secure (serve over TLS)")
		fs.StringVar(&proxies, "trusted-proxy", envOr("GROUNDSWELL_TRUSTED_PROXY", ""), "reverse proxies (CIDR, comma-separated) whose X-Forwarded-For is believed")
		fs.StringVar(&cfg.Locale, "locale", envOr("GROUNDSWELL_LOCALE", cfg.Locale), "interface language (BCP 47 tag)")
		fs.StringVar(&cfg.MetricsAddr, "metrics-addr", envOr("GROUNDSWELL_METRICS_ADDR", ""), "serve /metrics on this separate address")
		cfg.MetricsToken = os.Getenv("GROUNDSWELL_METRICS_TOKEN") // never a flag: it would show in the process list
		fs.StringVar(&grace, "shutdown-grace", envOr("GROUNDSWELL_SHUTDOWN_GRACE", cfg.ShutdownGrace.String()), "how long requests in flight may take to finish at shutdown")
		// Deliberately a flag only: a setting left in the environment would keep accepting keys.
		fs.BoolVar(&cfg.AcceptNewKey, "accept-new-key", false, "start with a new secret key although participants exist (each becomes new)")
	}
	// Flags may come before or after positional arguments (seed demo --data x).
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return cfg, nil, usageError{flagProblem(name, err)}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if cfg.DataDir == "" {
		return cfg, nil, usageError{"--data must not be empty"}
	}
	if err := setSync(&cfg, *sync); err != nil {
		return cfg, nil, err
	}
	if serve {
		if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
			return cfg, nil, usageError{fmt.Sprintf("--addr %q is not host:port", cfg.Addr)}
		}
		nets, err := config.ParseCIDRs(proxies)
		if err != nil {
			return cfg, nil, usageError{"--trusted-proxy: " + err.Error()}
		}
		cfg.TrustedProxies = nets
		if cfg.ShutdownGrace, err = config.ParseGrace(grace); err != nil {
			return cfg, nil, usageError{"--shutdown-grace: " + err.Error()}
		}
		if cfg.MetricsAddr != "" {
			if _, _, err := net.SplitHostPort(cfg.MetricsAddr); err != nil {
				return cfg, nil, usageError{fmt.Sprintf("--metrics-addr %q is not host:port", cfg.MetricsAddr)}
			}
		}
	}
	if name != "seed" && name != "backup" && len(pos) > 0 {
		return cfg, nil, usageError{fmt.Sprintf("%s takes no arguments, got %q", name, pos[0])}
	}
	return cfg, pos, nil
}

// flagProblem words a flag parsing error as one line.
func flagProblem(cmd string, err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf("%s does not take the flag %s", cmd, rest)
	}
	if rest, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf("the flag %s needs a value", rest)
	}
	return msg
}

// dbFlags registers the flags every command takes to find and open the database, with their
// environment variables as defaults; the returned sync level is checked by setSync.
func dbFlags(fs *flag.FlagSet, cfg *config.Config) *string {
	fs.StringVar(&cfg.DataDir, "data", envOr("GROUNDSWELL_DATA", cfg.DataDir), "data directory")
	fs.StringVar(&cfg.DB, "db", envOr("GROUNDSWELL_DB", ""), "database DSN")
	return fs.String("sqlite-sync", envOr("GROUNDSWELL_SQLITE_SYNC", string(cfg.SQLiteSync)), "SQLite durability: full or normal")
}

// setSync reads the --sqlite-sync level into cfg.
func setSync(cfg *config.Config, level string) error {
	v, err := config.ParseSync(level)
	if err != nil {
		return usageError{"--sqlite-sync: " + err.Error()}
	}
	cfg.SQLiteSync = v
	return nil
}

// openStore opens the database cfg names, with its settings.
// openStore opens the database with the configured durability; only serve and seed (create)
// may make a new one.
func openStore(ctx context.Context, cfg config.Config, create bool) (*store.Store, error) {
	o := store.Options{Sync: cfg.SQLiteSync}
	if create {
		return store.OpenWith(ctx, cfg.DSN(), o)
	}
	return store.OpenExistingWith(ctx, cfg.DSN(), o)
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

// app is the opened program: database, keys and services.
type app struct {
	store    *store.Store
	keys     *anonymity.Keys
	part     *participation.Service
	accounts *accounts.Service
	mod      *moderation.Service
	camp     *campaigns.Service
}

// open opens the database, applies pending migrations and loads the secret key, checking it
// against the fingerprint the database keeps. With create, a missing database, data directory
// or key is made (serve and seed); without, the command refuses them, naming the path, so that
// a mistyped --data never "succeeds" on a new, empty database.
func open(ctx context.Context, cfg config.Config, stderr io.Writer, create bool) (*app, error) {
	if !create {
		if err := dataDirExists(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	st, err := openStore(ctx, cfg, create)
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx, migrations.FS)
	if err != nil {
		st.Close()
		return nil, err
	}
	keys, err := loadKeys(ctx, st, cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	md := markup.New()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a := &app{store: st, keys: keys, part: participation.New(st, md, keys),
		accounts: accounts.New(st, log), mod: moderation.New(st, md), camp: campaigns.New(st, md, keys)}
	if err := rankAfterUpgrade(ctx, a, applied, stderr); err != nil {
		st.Close()
		return nil, err
	}
	return a, nil
}

// dataDirExists refuses a data directory that is not there.
func dataDirExists(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("there is no data directory %s: check --data (only serve and seed create a new one)", dir)
	case err != nil:
		return fmt.Errorf("open the data directory: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("the data directory %s is not a directory", dir)
	}
	return nil
}

// loadKeys reads secret.key and checks it against the fingerprint the database keeps: a missing
// or different key is refused while participants exist (see anonymity.CheckKey), unless the
// operator accepts a new one (--accept-new-key). A missing key is created when nothing depends
// on it yet. The fingerprint of the key in use is then recorded.
func loadKeys(ctx context.Context, st *store.Store, cfg config.Config) (*anonymity.Keys, error) {
	rec, err := st.KeyRecord(ctx)
	if err != nil {
		return nil, cliError(err)
	}
	keys, err := anonymity.LoadKeys(cfg.DataDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if !cfg.AcceptNewKey {
		if err := anonymity.CheckKey(cfg.DataDir, rec.Fingerprint, rec.Participants, keys); err != nil {
			return nil, err
		}
	}
	if keys == nil {
		if keys, err = anonymity.CreateKeys(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	if rec.Fingerprint != keys.Fingerprint {
		if err := st.RecordKeyFingerprint(ctx, keys.Fingerprint); err != nil {
			return nil, cliError(err)
		}
	}
	return keys, nil
}

// rankingMigration is the migration that added the fair, discussion and pairwise scores.
const rankingMigration = 3

// rankAfterUpgrade computes the new scores of ideas that existed before the ranking migration,
// once, right after it is applied: without it they would sit at zero below every new idea.
func rankAfterUpgrade(ctx context.Context, a *app, applied []int64, stderr io.Writer) error {
	if !slices.Contains(applied, rankingMigration) || slices.Contains(applied, 1) {
		return nil // not an upgrade across it, or a fresh database with nothing to rank
	}
	fmt.Fprintln(stderr, "Ranking the ideas that were there before this version…")
	if err := a.part.RecomputeAll(ctx, nil); err != nil {
		return fmt.Errorf("rank existing ideas after the upgrade: %w", err)
	}
	return nil
}

func migrate(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx, migrations.FS)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "The database is up to date.")
		return nil
	}
	fmt.Fprintf(stdout, "Applied %d migration(s): %v\n", len(applied), applied)
	return nil
}

func seedDemo(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	a, err := open(ctx, cfg, io.Discard, true)
	if err != nil {
		return err
	}
	defer a.store.Close()
	created, err := demo.Seed(ctx, a.store, a.part, a.keys)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(stdout, "Created the demo challenge at /c/%s\n", demo.Slug)
	} else {
		fmt.Fprintf(stdout, "The demo challenge is already there at /c/%s\n", demo.Slug)
	}
	return nil
}

func serve(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := open(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer a.store.Close()
	srv, err := web.New(web.Deps{
		Config: cfg, Logger: log, Keys: a.keys, Participation: a.part, Accounts: a.accounts, Moderation: a.mod, Panels: panels.New(a.store),
		Campaigns: a.camp, Ping: a.store.Ping, CountQueries: store.CountQueries, Templates: templates.FS, Static: static.FS,
		SharedWrites: sharedWrites(a.store),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	setup, err := a.accounts.SetupLink(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting: nothing was served, nothing to drain
		}
		return err
	}
	fmt.Fprintf(stdout, "Groundswell %s is serving on http://%s (database: %s)\n", version, ln.Addr(), a.store.Dialect())
	if setup != "" {
		fmt.Fprintf(stdout, "No admin account exists yet. Create the first one within an hour at:\n  http://%s/setup/%s\n"+
			"(or run: groundswell user add --email you@example.org --role admin --password-stdin)\n", ln.Addr(), setup)
	}
	// The rankings job flushes counted impressions every few seconds, and once more after the
	// last request has been served.
	jobs, stopJobs := context.WithCancel(context.Background())
	jobsDone := make(chan struct{})
	campDone, purgeDone, statsDone := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() { defer close(jobsDone); a.part.Run(jobs, log) }()
	// Scheduled phase changes are checked every minute.
	go func() { defer close(campDone); a.camp.Run(jobs, time.Minute, log) }()
	// The retention purge runs once a day; the hourly check finds out whether today's has run.
	go func() { defer close(purgeDone); a.camp.RunRetention(jobs, time.Hour, log) }()
	// The dashboards' running totals are taken every ten minutes.
	go func() { defer close(statsDone); a.camp.RunActivity(jobs, 10*time.Minute, log) }()
	defer func() { stopJobs(); <-jobsDone; <-campDone; <-purgeDone; <-statsDone }()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return err
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.MetricsHandler())
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = ms.Serve(mln) }()
		defer ms.Close()
		fmt.Fprintf(stdout, "Metrics are served on http://%s/metrics\n", mln.Addr())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintf(stdout, "Shutting down: finishing requests in flight, for up to %s (a second signal stops at once)…\n", cfg.ShutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close()
		return fmt.Errorf("requests still in flight after the %s grace period were cut off (--shutdown-grace)", cfg.ShutdownGrace)
	}
	fmt.Fprintln(stdout, "Stopped.")
	return nil
}

// userCommand handles `user add`, reading the password as one line from standard input so that
// it never appears in the process list or shell history.
func userCommand(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"user needs a subcommand: add"}
	}
	cfg := config.Default()
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sync := dbFlags(fs, &cfg)
	email := fs.String("email", "", "email address")
	roleName := fs.String("role", "", "admin, moderator or expert")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{flagProblem("user add", err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("user add takes no arguments, got %q", fs.Arg(0))}
	}
	if err := setSync(&cfg, *sync); err != nil {
		return err
	}
	if *email == "" {
		return usageError{"user add needs --email"}
	}
	role, err := gs.ParseRole(*roleName)
	if err != nil {
		return usageError{"user add needs --role admin, moderator or expert"}
	}
	if !*fromStdin {
		return usageError{"user add needs --password-stdin, with the password as one line on standard input"}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	a, err := open(ctx, cfg, io.Discard, false)
	if err != nil {
		return err
	}
	defer a.store.Close()
	u, err := a.accounts.CreateUser(ctx, *email, role, password, gs.Actor{Name: "command line"})
	switch gs.ErrorCode(err) {
	case "":
	case gs.EINVALID: // a bad email or password is a bad argument
		return usageError{"user add: " + gs.ErrorMessage(err)}
	default:
		return cliError(err)
	}
	fmt.Fprintf(stdout, "Created %s account for %s.\n", u.Role, u.Email)
	return nil
}

// seedSynthetic builds a large generated challenge (`seed synthetic`), showing a progress bar
// on a terminal and a line per finished stage otherwise.
func seedSynthetic(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("seed synthetic", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sync := dbFlags(fs, &cfg)
	var z demo.Size
	fs.IntVar(&z.Ideas, "ideas", 0, "ideas")
	fs.IntVar(&z.Votes, "votes", 0, "votes on ideas")
	fs.IntVar(&z.Comments, "comments", -1, "comments (default: as many as ideas)")
	fs.IntVar(&z.Participants, "participants", 0, "participants (default: one for every eight votes, at least 1,000)")
	if err := fs.Parse(args); err != nil {
		return usageError{flagProblem("seed synthetic", err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("seed synthetic takes no arguments, got %q", fs.Arg(0))}
	}
	if err := setSync(&cfg, *sync); err != nil {
		return err
	}
	if z.Ideas <= 0 {
		return usageError{"seed synthetic needs --ideas, a number of at least 1"}
	}
	if z.Comments < 0 {
		z.Comments = z.Ideas
	}
	if z.Participants <= 0 {
		z.Participants = max(1000, z.Votes/8)
	}
	if err := z.Check(); err != nil {
		return usageError{"seed synthetic: " + gs.ErrorMessage(err)}
	}
	a, err := open(ctx, cfg, io.Discard, true)
	if err != nil {
		return err
	}
	defer a.store.Close()
	began := time.Now()
	created, err := demo.Synthetic(ctx, a.store, a.keys, z, newProgress(stderr))
	if err != nil {
		return cliError(err)
	}
	if !created {
		fmt.Fprintf(stdout, "The synthetic challenge is already there at /c/%s\n", demo.SyntheticSlug(z.Ideas))
		return nil
	}
	fmt.Fprintf(stdout, "Created /c/%s: %d ideas, %d votes, %d comments, %d participants in %s\n",
		demo.SyntheticSlug(z.Ideas), z.Ideas, z.Votes, z.Comments, z.Participants, time.Since(began).Round(time.Second))
	return nil
}

// newProgress draws a progress bar per stage on a terminal, and otherwise prints one line when
// each stage is done, so that logs stay readable.
func newProgress(w io.Writer) demo.Progress {
	f, isFile := w.(*os.File)
	terminal := isFile && isatty.IsTerminal(f.Fd())
	var bar *progressbar.ProgressBar
	stage := ""
	return func(name string, done, total int) {
		if !terminal {
			if done == total {
				fmt.Fprintf(w, "%s: %d done\n", name, total)
			}
			return
		}
		if name != stage {
			stage = name
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(name),
				progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
		}
		_ = bar.Set(done)
	}
}

// rankRecompute rebuilds every stored count and score (`rank recompute`), for repair.
func rankRecompute(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) error {
	a, err := open(ctx, cfg, io.Discard, false)
	if err != nil {
		return err
	}
	defer a.store.Close()
	began := time.Now()
	progress := newProgress(stderr)
	if err := a.part.RecomputeAll(ctx, func(done, total int) { progress("challenges", done, total) }); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "Recomputed every count and score in %s.\n", time.Since(began).Round(time.Millisecond))
	return nil
}

// sharedWrites is the database's write counter when instances may share the database
// (PostgreSQL); the single SQLite process counts in memory.
func sharedWrites(s *store.Store) func(context.Context, int64, int64) (int, error) {
	if s.Dialect() != store.Postgres {
		return nil
	}
	return s.CountWrite
}
