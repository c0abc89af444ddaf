package main

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/groundswell/groundswell/internal/loadtest"
)

type pageRow struct {
	size, label string
	peak        loadtest.Measure
	rate70      float64
	at70        loadtest.Measure
}

type searchRow struct {
	word    string
	matches int
	m       loadtest.Measure
}

type voteRow struct {
	load             string
	voters           int
	joinedAhead      int
	ranDry           bool
	res              loadtest.Result
	refused, unknown int64
	problems         []string
}

type report struct {
	machine               []string
	began                 time.Time
	conns                 int
	dur                   time.Duration
	loadBefore, loadAfter string
	b1                    loadtest.Measure
	pages                 []pageRow
	idea                  loadtest.Measure
	ideaComments          int
	search                []searchRow
	b2                    float64
	b2Load                string
	votes                 voteRow
	rss                   int64
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

// markdown is the results page: the machine, then one table with each target beside its figure.
func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Benchmark results\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (cmd/benchrun) on %s. One run, as measured; nothing retried or "+
		"discarded. The load generator (wrk, or benchrun itself for votes and the fixed-rate runs) runs on the same "+
		"machine as the server and competes with it for the cores, and other work on the machine shows in the load "+
		"average recorded with each figure.\n\n", r.began.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "## Machine\n\n")
	for _, m := range r.machine {
		fmt.Fprintf(&b, "- %s\n", m)
	}
	fmt.Fprintf(&b, "- Load average (1, 5, 15 min): %s before, %s after\n\n", r.loadBefore, r.loadAfter)
	fmt.Fprintf(&b, "## Results\n\n")
	fmt.Fprintf(&b, "Pages: wrk, 2 threads, %d connections (closed loop), %s per figure after 2 s of warm-up, as one returning "+
		"participant (its cookies) whose browser accepts gzip. \"at 70%%\" is a fixed-rate (open-loop) run at 70%% of that "+
		"page's measured peak, timed from when each request was due. Search is measured at %d connections: its target is a "+
		"latency under light load.\n\n", r.conns, r.dur, searchConns)
	fmt.Fprintf(&b, "| measure | figure | p50 | p99 | vs B1 | load avg | target | |\n|---|---|---|---|---|---|---|---|\n")
	b1 := r.b1.RPS()
	row := func(measure, figure, p50, p99, vsB1, load, target, met string) {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", measure, figure, p50, p99, vsB1, load, target, met)
	}
	errs := func(m loadtest.Measure) string {
		if m.Requests == 0 {
			return " (no answer within the run)"
		}
		if m.Errors > 0 {
			return fmt.Sprintf(" (%d errors)", m.Errors)
		}
		return ""
	}
	row("B1: `/healthz`", fmt.Sprintf("%.0f req/s%s", b1, errs(r.b1)), ms(r.b1.P50), ms(r.b1.P99), "1.00", r.b1.Load, "the ceiling", "")
	first := map[string]float64{}
	for _, p := range r.pages {
		ratio := p.peak.RPS() / b1
		target, met := "", ""
		if p.size == "L" {
			target, met = "≥ 25% of B1", verdict(ratio >= 0.25 && clean(p.peak))
		}
		if strings.HasPrefix(p.label, "?sort=") {
			first[p.size+p.label] = p.peak.RPS()
		}
		row(fmt.Sprintf("challenge page %s, `%s`", p.size, p.label), fmt.Sprintf("%.0f req/s%s", p.peak.RPS(), errs(p.peak)),
			ms(p.peak.P50), ms(p.peak.P99), fmt.Sprintf("%.0f%%", 100*ratio), p.peak.Load, target, met)
		if p.size == "L" {
			row(fmt.Sprintf("challenge page L, `%s` at 70%% of peak", p.label), fmt.Sprintf("%.0f req/s offered%s", p.rate70, errs(p.at70)),
				ms(p.at70.P50), ms(p.at70.P99), "", p.at70.Load, "p99 ≤ 25 ms", verdict(p.at70.P99 <= 25*time.Millisecond && clean(p.at70)))
		}
	}
	for _, s := range []string{"?sort=top", "?sort=fair", "?sort=new"} {
		sRPS, lRPS := first["S"+s], first["L"+s]
		slower := sRPS / max(lRPS, 1e-9)
		row(fmt.Sprintf("page 1 `%s`: L against S", s), fmt.Sprintf("L takes %.2fx the time of S (throughput S/L)", slower), "", "", "", "",
			"≤ 1.5x", verdict(slower <= 1.5))
	}
	row(fmt.Sprintf("idea page, %d comments (L)", r.ideaComments), fmt.Sprintf("%.0f req/s%s", r.idea.RPS(), errs(r.idea)),
		ms(r.idea.P50), ms(r.idea.P99), fmt.Sprintf("%.0f%%", 100*r.idea.RPS()/b1), r.idea.Load, "", "")
	for _, s := range r.search {
		row(fmt.Sprintf("search L `?q=%s` (%d matching ideas), %d connections", s.word, s.matches, searchConns), fmt.Sprintf("p95 %s at %.0f req/s%s", ms(s.m.P95), s.m.RPS(), errs(s.m)),
			ms(s.m.P50), ms(s.m.P99), "", s.m.Load, "p95 ≤ 50 ms", verdict(s.m.P95 <= 50*time.Millisecond && clean(s.m)))
	}
	row("B2: raw one-row SQLite commits, WAL, synchronous=FULL, same disk", fmt.Sprintf("%.0f commits/s", r.b2), "", "", "", r.b2Load, "the ceiling for votes", "")
	v := r.votes
	vps := float64(v.res.Acked) / v.res.Elapsed.Seconds()
	row(fmt.Sprintf("votes, %d participants at once (L)", v.voters), fmt.Sprintf("%.0f votes/s", vps),
		ms(loadtest.Percentile(v.res.Latencies, 0.5)), ms(loadtest.Percentile(v.res.Latencies, 0.99)), "", v.load, "≥ 5,000/s", verdict(vps >= 5000))
	row("votes against B2", fmt.Sprintf("%.2fx B2", vps/r.b2), "", "", "", "", "≥ 1.0x", verdict(vps >= r.b2))
	exact := len(v.problems) == 0 && v.unknown == 0 && v.refused == 0 && v.res.Errors == 0
	row("votes: database against acknowledged", fmt.Sprintf("%d acknowledged, %d refused, %d unanswered; %d ideas differ",
		v.res.Acked, v.refused, v.unknown, len(v.problems)), "", "", "", "", "exact", verdict(exact))
	row("server peak RSS (VmHWM)", fmt.Sprintf("%.0f MiB", float64(r.rss)/(1<<20)), "", "", "", r.loadAfter, "≤ 256 MiB", verdict(r.rss <= 256<<20))
	if busy, all := r.busy(); busy > 0 {
		fmt.Fprintf(&b, "\nThe 1-minute load average was above the number of cores (%d) when %d of these %d measurements began: "+
			"other work was competing for the CPU, so throughputs are lower and tail latencies higher than the same binary "+
			"would show on an otherwise idle machine.\n", runtime.NumCPU(), busy, all)
	}
	fmt.Fprintf(&b, "\n## How the votes were measured\n\n")
	fmt.Fprintf(&b, "%d participants vote at once with the rate limit as shipped (each browser may write a burst of "+
		"30, then 1 a second). Each browser casts 25 votes, inside its burst, on distinct random ideas among 20,000 of "+
		"the L challenge, then a new browser takes its place; %d browsers joined (`GET /`, cookies and CSRF token) before "+
		"the clock started", v.voters, v.joinedAhead)
	if v.ranDry {
		fmt.Fprintf(&b, ", and they ran out, so the later ones joined during the run (their `GET /` is inside the figure)")
	}
	fmt.Fprintf(&b, ". Votes are `POST /ideas/{id}/vote` with `Accept: application/json`; a 200 is an acknowledged vote. "+
		"The figure is acknowledged votes over %s of wall time. Answers by status: %s. "+
		"Afterwards every idea voted on must have risen by exactly its acknowledged votes, and its counters must equal its vote rows. "+
		"B2 commits with synchronous=FULL; the server commits with whatever its store opens SQLite with, so the ratio compares "+
		"the binary as built with a durable bare minimum. The votes stay in the cached L database (each run adds its own).\n",
		v.res.Elapsed.Round(time.Millisecond), statuses(v.res.Statuses))
	for _, p := range v.problems {
		fmt.Fprintf(&b, "\n- %s", p)
	}
	if v.res.LastError != nil {
		fmt.Fprintf(&b, "\nLast transport error: %v\n", v.res.LastError)
	}
	return b.String()
}

// busy counts the measurements that began with a 1-minute load average above the core count.
func (r *report) busy() (busy, all int) {
	loads := []string{r.b1.Load, r.idea.Load, r.b2Load, r.votes.load}
	for _, p := range r.pages {
		loads = append(loads, p.peak.Load)
		if p.size == "L" {
			loads = append(loads, p.at70.Load)
		}
	}
	for _, s := range r.search {
		loads = append(loads, s.m.Load)
	}
	for _, l := range loads {
		f, err := strconv.ParseFloat(strings.Fields(l + " ?")[0], 64)
		if err == nil && f > float64(runtime.NumCPU()) {
			busy++
		}
	}
	return busy, len(loads)
}

// clean says a measurement has answers and no errors: a run in which nothing came back
// cannot meet a latency target.
func clean(m loadtest.Measure) bool { return m.Requests > 0 && m.Errors == 0 }

func statuses(m map[int]int64) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%d × %d", m[k], k))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
