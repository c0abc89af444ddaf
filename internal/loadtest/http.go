package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Measure is one HTTP load measurement.
type Measure struct {
	Requests      int64
	Elapsed       time.Duration
	Errors        int64 // no answer, or an answer other than 2xx/3xx
	P50, P95, P99 time.Duration
	Load          string // the load average when it began
}

// RPS is requests answered per second.
func (m Measure) RPS() float64 {
	if m.Elapsed <= 0 {
		return 0
	}
	return float64(m.Requests) / m.Elapsed.Seconds()
}

// wrkScript makes wrk print one line that Wrk parses, with p95 that --latency leaves out.
const wrkScript = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("GSRESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`

// Wrk runs wrk (closed loop: conns connections, each sending its next request when the last is
// answered) against url for d, sending headers ("Name: value") with every request.
func Wrk(ctx context.Context, wrk, dir, url string, conns int, d time.Duration, headers ...string) (Measure, error) {
	script := filepath.Join(dir, "gsresult.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o600); err != nil {
		return Measure{}, err
	}
	args := []string{"-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", int(d.Seconds())), "--timeout", "10s", "-s", script}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	m := Measure{Load: LoadAvg()}
	out, err := exec.CommandContext(ctx, wrk, append(args, url)...).CombinedOutput()
	if err != nil {
		return m, fmt.Errorf("wrk: %w: %s", err, out)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var dur, p50, p95, p99 int64
		if _, err := fmt.Sscanf(sc.Text(), "GSRESULT %d %d %d %d %d %d", &m.Requests, &dur, &m.Errors, &p50, &p95, &p99); err == nil {
			m.Elapsed, m.P50, m.P95, m.P99 = time.Duration(dur)*time.Microsecond, time.Duration(p50)*time.Microsecond,
				time.Duration(p95)*time.Microsecond, time.Duration(p99)*time.Microsecond
			return m, nil
		}
	}
	return m, fmt.Errorf("wrk printed no result line: %s", out)
}

// OpenLoop sends GET url at a fixed rate for d, whatever the answers do, and times each
// request from the moment it was due: a slow answer cannot hold back the requests behind it,
// so the percentiles are not flattered by coordinated omission.
func OpenLoop(ctx context.Context, url string, rate float64, d time.Duration, header http.Header) Measure {
	client := &http.Client{Transport: NewTransport(512), Timeout: 10 * time.Second}
	m := Measure{Load: LoadAvg()}
	interval := time.Duration(float64(time.Second) / rate)
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	began := time.Now()
	for i := 0; ; i++ {
		due := began.Add(time.Duration(i) * interval)
		if due.Sub(began) >= d || ctx.Err() != nil {
			break
		}
		if w := time.Until(due); w > 0 {
			time.Sleep(w)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			req.Header = header.Clone()
			ok := false
			if resp, err := client.Do(req); err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				ok = err == nil && resp.StatusCode < 400
			}
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			if !ok {
				m.Errors++
			}
			lat = append(lat, took)
		}()
	}
	wg.Wait()
	m.Elapsed = time.Since(began)
	slices.Sort(lat)
	m.Requests = int64(len(lat)) - m.Errors
	m.P50, m.P95, m.P99 = Percentile(lat, 0.50), Percentile(lat, 0.95), Percentile(lat, 0.99)
	return m
}

// LoadAvg is the first three fields of /proc/loadavg.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
