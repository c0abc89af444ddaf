// Command benchrun is `make bench`: it seeds the S and L challenges once into a data directory
// (reused when present), serves them with the real binary on loopback, measures the pages with
// wrk and the votes with 256 participants of its own, and writes one markdown table with the
// targets beside each figure. It reports what the binary does; it never retries a run to get a
// better number.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/groundswell/groundswell/internal/loadtest"
	"golang.org/x/sync/errgroup"
)

type size struct {
	name                                 string
	ideas, comments, votes, participants int
}

// The sizes of the scale issue.
var (
	sizeS = size{"S", 3_000, 10_000, 120_000, 15_000}
	sizeL = size{"L", 250_000, 300_000, 10_000_000, 1_300_000}
)

func (z size) slug() string { return fmt.Sprintf("synthetic-%d", z.ideas) }

// searchConns is the concurrency of the search measurement: its target is a latency, taken
// under a light load (one request per core at a time) rather than at saturation.
const searchConns = 2

type options struct {
	bin, data, out, log, wrk string
	dur, voteDur             time.Duration
	conns, voters            int
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/groundswell", "the groundswell binary to measure")
	flag.StringVar(&o.data, "data", "data/bench", "data directory; the challenges are seeded into it once")
	flag.StringVar(&o.out, "out", "bench/results.md", "where to write the table")
	flag.StringVar(&o.log, "log", "bin/bench-server.log", "where the servers' logs go")
	flag.StringVar(&o.wrk, "wrk", "wrk", "the wrk binary")
	flag.DurationVar(&o.dur, "d", 10*time.Second, "length of each page measurement")
	flag.DurationVar(&o.voteDur, "vote-time", 10*time.Second, "length of the vote measurement")
	flag.IntVar(&o.conns, "c", 16, "wrk connections")
	flag.IntVar(&o.voters, "voters", 256, "concurrent voting participants")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func run(ctx context.Context, o options) error {
	if err := os.MkdirAll(o.data, 0o700); err != nil {
		return err
	}
	// Synthetic participants are numbered the same way in every challenge, so each size has
	// a database of its own: L in the data directory itself (where the Go benchmarks of
	// make bench-go look for it), S in a directory inside it.
	dirs := map[string]string{"L": o.data, "S": filepath.Join(o.data, "s")}
	for _, z := range []size{sizeL, sizeS} {
		say("seeding %s (%s) into %s, unless it is there", z.name, z.slug(), dirs[z.name])
		if _, err := loadtest.Run(ctx, o.bin, "seed", "synthetic", "--data", dirs[z.name], "--ideas", fmt.Sprint(z.ideas),
			"--comments", fmt.Sprint(z.comments), "--votes", fmt.Sprint(z.votes), "--participants", fmt.Sprint(z.participants)); err != nil {
			return err
		}
	}
	dbs := map[string]*sql.DB{}
	for name, dir := range dirs {
		db, err := loadtest.OpenDB(filepath.Join(dir, "groundswell.db"))
		if err != nil {
			return err
		}
		defer db.Close()
		dbs[name] = db
	}
	db := dbs["L"]
	tmp, err := os.MkdirTemp("", "benchrun")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, dir := range []string{filepath.Dir(o.out), filepath.Dir(o.log)} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	// The servers' access logs go to a file, as they would to a journal.
	_ = os.Remove(o.log)
	logPath := o.log
	r := &report{machine: machine(o.data), began: time.Now(), loadBefore: loadtest.LoadAvg(), conns: o.conns, dur: o.dur}
	say("starting the servers of S and L")
	servers := map[string]*loadtest.Server{}
	for name, dir := range dirs {
		srv, err := loadtest.StartServer(ctx, o.bin, logPath, "--data", dir)
		if err != nil {
			return err
		}
		defer func() {
			if !srv.Exited() {
				_ = srv.Terminate(30 * time.Second)
			}
		}()
		servers[name] = srv
	}
	// Each server seals its own participant cookies: wrk reads each as a returning browser.
	cookies := map[string]string{}
	for name, srv := range servers {
		if cookies[name], err = cookieHeader(ctx, srv.URL()); err != nil {
			return err
		}
	}
	srv, cookie := servers["L"], cookies["L"]
	m := func(name, path string) (loadtest.Measure, error) {
		return measure(ctx, o, tmp, srv, name, path, cookie)
	}

	if r.b1, err = m("B1 /healthz", "/healthz"); err != nil {
		return err
	}
	// Each page is measured at S and then at once at L, so that the two sizes meet the same
	// background load as nearly as one machine allows.
	lastPage := map[string]int{}
	for _, z := range []size{sizeS, sizeL} {
		n, err := visibleIdeas(ctx, dbs[z.name], z.slug())
		if err != nil {
			return err
		}
		lastPage[z.name] = (n + 19) / 20
	}
	for _, variant := range []string{"?sort=top", "?sort=fair", "?sort=new", "last"} {
		for _, z := range []size{sizeS, sizeL} {
			label, query := variant, variant
			if variant == "last" {
				label, query = fmt.Sprintf("last page (?page=%d)", lastPage[z.name]), fmt.Sprintf("?page=%d", lastPage[z.name])
			}
			res, err := measure(ctx, o, tmp, servers[z.name], z.name+" "+label, "/c/"+z.slug()+query, cookies[z.name])
			if err != nil {
				return err
			}
			row := pageRow{size: z.name, label: label, peak: res}
			if z.name == "L" {
				rate := 0.7 * res.RPS()
				say("  open loop at %.0f req/s (70%% of peak)", rate)
				row.at70 = loadtest.OpenLoop(ctx, servers[z.name].URL()+"/c/"+z.slug()+query, rate, o.dur, http.Header{
					"Cookie": {strings.TrimPrefix(cookies[z.name], "Cookie: ")}, "Accept-Encoding": {"gzip"}})
				row.rate70 = rate
				say("  p99 %s at %.0f req/s, %d errors", row.at70.P99, rate, row.at70.Errors)
				time.Sleep(time.Second)
			}
			r.pages = append(r.pages, row)
		}
	}
	idea, comments, err := mostDiscussed(ctx, db, sizeL.slug(), 200)
	if err != nil {
		return err
	}
	r.ideaComments = comments
	if r.idea, err = m(fmt.Sprintf("idea page with %d comments", comments), fmt.Sprintf("/ideas/%d", idea)); err != nil {
		return err
	}
	for _, word := range []string{"handover", "4711"} {
		n, err := matches(ctx, db, word)
		if err != nil {
			return err
		}
		o := o
		o.conns = searchConns
		res, err := measure(ctx, o, tmp, srv, "search "+word, "/c/"+sizeL.slug()+"?q="+word, cookie)
		if err != nil {
			return err
		}
		r.search = append(r.search, searchRow{word: word, matches: n, m: res})
	}
	say("B2: raw one-row SQLite commits under synchronous=FULL in %s", o.data)
	r.b2Load = loadtest.LoadAvg()
	if r.b2, err = rawCommits(ctx, o.data, 5*time.Second); err != nil {
		return err
	}
	say("  %.0f commits/s", r.b2)
	if r.votes, err = votes(ctx, o, srv, db); err != nil {
		return err
	}
	if r.rss, err = srv.PeakRSS(); err != nil {
		return err
	}
	r.loadAfter = loadtest.LoadAvg()
	for _, srv := range servers {
		if err := srv.Terminate(30 * time.Second); err != nil {
			return fmt.Errorf("stopping the server: %w", err)
		}
	}
	if err := os.WriteFile(o.out, []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	say("wrote %s", o.out)
	return nil
}

// measure warms path up for two seconds, then measures it with wrk.
func measure(ctx context.Context, o options, tmp string, srv *loadtest.Server, name, path, cookie string) (loadtest.Measure, error) {
	url := srv.URL() + path
	say("warming %s", path)
	if _, err := loadtest.Wrk(ctx, o.wrk, tmp, url, o.conns, 2*time.Second, cookie, acceptGzip); err != nil {
		return loadtest.Measure{}, err
	}
	// wrk leaves its last requests unanswered when it stops; the pause lets the server finish
	// them before the clock starts.
	time.Sleep(time.Second)
	say("measuring %s (%s)", name, path)
	res, err := loadtest.Wrk(ctx, o.wrk, tmp, url, o.conns, o.dur, cookie, acceptGzip)
	time.Sleep(time.Second)
	if err == nil {
		say("  %.0f req/s, p50 %s, p99 %s, %d errors (load %s)", res.RPS(), res.P50, res.P99, res.Errors, res.Load)
	}
	return res, err
}

// acceptGzip is sent with every page request, as every browser does.
const acceptGzip = "Accept-Encoding: gzip"

// cookieHeader joins as one browser and returns its cookies as a request header line, so that
// wrk reads pages as a returning participant does.
func cookieHeader(ctx context.Context, base string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	var parts []string
	for _, c := range resp.Cookies() {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return "Cookie: " + strings.Join(parts, "; "), nil
}

func visibleIdeas(ctx context.Context, db *sql.DB, slug string) (int, error) {
	ids, err := loadtest.IdeaIDs(ctx, db, slug)
	return len(ids), err
}

// mostDiscussed picks the idea of the challenge whose comment count is nearest to want.
func mostDiscussed(ctx context.Context, db *sql.DB, slug string, want int) (id int64, comments int, err error) {
	err = db.QueryRowContext(ctx, `SELECT i.id, i.comments + i.implementations FROM ideas i JOIN challenges c ON c.id = i.challenge_id
		WHERE c.slug = ? AND i.status = 'visible' ORDER BY ABS(i.comments + i.implementations - ?) LIMIT 1`, slug, want).Scan(&id, &comments)
	if err != nil {
		return 0, 0, fmt.Errorf("find an idea with about %d comments: %w", want, err)
	}
	return id, comments, nil
}

// matches counts the ideas of the L challenge whose full-text entry holds word, for the table.
func matches(ctx context.Context, db *sql.DB, word string) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ideas_fts f JOIN ideas i ON i.id = f.rowid JOIN challenges c ON c.id = i.challenge_id
		WHERE ideas_fts MATCH ? AND c.slug = ? AND i.status = 'visible'`, `"`+word+`"`, sizeL.slug()).Scan(&n)
	return n, err
}

// votes runs the vote measurement: o.voters participants at once, each casting up to the
// write burst of votes before a new browser takes its place (joined beforehand), on random
// ideas of the L challenge; then it checks the database against every acknowledged vote.
func votes(ctx context.Context, o options, srv *loadtest.Server, db *sql.DB) (voteRow, error) {
	ids, err := loadtest.IdeaIDs(ctx, db, sizeL.slug())
	if err != nil {
		return voteRow{}, err
	}
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	pool := ids[:min(len(ids), 20_000)]
	before, err := loadtest.Snapshot(ctx, db, pool)
	if err != nil {
		return voteRow{}, err
	}
	const perIdentity = 25 // under the shipped burst of 30, so nobody is throttled
	browsers := int(10_000*o.voteDur.Seconds())/perIdentity + o.voters
	say("votes: %d browsers join first", browsers)
	tr := loadtest.NewTransport(o.voters)
	ready := make(chan *loadtest.Participant, browsers)
	if err := joinAhead(ctx, srv.URL(), tr, browsers, ready); err != nil {
		return voteRow{}, err
	}
	ledger := loadtest.NewLedger()
	load := &loadtest.VoteLoad{Base: srv.URL(), Transport: tr, Ideas: pool, Workers: o.voters, PerIdentity: perIdentity, Ready: ready, Ledger: ledger}
	row := voteRow{load: loadtest.LoadAvg(), voters: o.voters, joinedAhead: browsers}
	say("votes: %d participants for %s", o.voters, o.voteDur)
	vctx, cancel := context.WithTimeout(ctx, o.voteDur)
	row.res = load.Run(vctx)
	cancel()
	row.ranDry = len(ready) == 0
	row.problems, err = ledger.Check(ctx, db, before)
	if err != nil {
		return row, err
	}
	row.refused, row.unknown = ledger.Total[loadtest.Refused], ledger.Total[loadtest.Unknown]
	say("  %d acknowledged in %s (%.0f/s), p99 %s, statuses %v, %d without answer, %d problems",
		row.res.Acked, row.res.Elapsed.Round(time.Millisecond), float64(row.res.Acked)/row.res.Elapsed.Seconds(),
		loadtest.Percentile(row.res.Latencies, 0.99), row.res.Statuses, row.res.Errors, len(row.problems))
	return row, nil
}

// joinAhead joins n browsers, sixteen at a time, into ready.
func joinAhead(ctx context.Context, base string, tr http.RoundTripper, n int, ready chan<- *loadtest.Participant) error {
	var g errgroup.Group
	g.SetLimit(16)
	for range n {
		g.Go(func() error {
			p, err := loadtest.Join(ctx, base, tr)
			if err == nil {
				ready <- p
			}
			return err
		})
	}
	return g.Wait()
}

// keys of a map in order, for stable output.
func sortedKeys(m map[int]int64) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
