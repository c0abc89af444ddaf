package loadtest

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// VoteLoad is many participants voting at once. Each worker is one browser at a time: it casts
// PerIdentity votes on distinct random ideas of the pool, then makes way for a new browser, so
// that with PerIdentity within the write burst nobody meets the rate limit as shipped.
type VoteLoad struct {
	Base        string
	Transport   http.RoundTripper
	Ideas       []int64
	Workers     int
	PerIdentity int
	// Ready, when not nil, hands out browsers that have already joined, so that joining is
	// not part of what is measured; when it runs dry the workers join as they go.
	Ready chan *Participant
	// Pace, when set, is the pause between one worker's votes.
	Pace time.Duration
	// Also, when set, is a second server sharing the database: every other vote goes there.
	Also   string
	Ledger *Ledger

	mu        sync.Mutex
	latencies []time.Duration
	statuses  map[int]int64
	errors    int64
	lastErr   error
	acked     atomic.Int64
	unwritten int64
	written   []Unanswered
}

// Unanswered is a vote sent in full that got no answer: when it was sent, and what went wrong.
type Unanswered struct {
	Sent time.Time
	Err  error
}

// Result is what a vote load saw.
type Result struct {
	Elapsed   time.Duration
	Acked     int64
	Statuses  map[int]int64
	Errors    int64 // no answer at all
	LastError error
	Latencies []time.Duration // of answered votes, sorted
	// Unanswered are the moments at which votes that never got an answer had been sent in
	// full; Unsent counts those that never were.
	Unanswered []Unanswered
	Unsent     int64
}

// Run votes until ctx ends; a vote in flight then is let finish, so that its answer is known.
func (v *VoteLoad) Run(ctx context.Context) Result {
	v.statuses = map[int]int64{}
	began := time.Now()
	var wg sync.WaitGroup
	for w := range v.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v.worker(ctx, uint64(w))
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	v.mu.Lock()
	defer v.mu.Unlock()
	slices.Sort(v.latencies)
	return Result{Elapsed: elapsed, Acked: v.acked.Load(), Statuses: v.statuses, Errors: v.errors, LastError: v.lastErr, Latencies: v.latencies,
		Unanswered: v.written, Unsent: v.unwritten}
}

func (v *VoteLoad) worker(ctx context.Context, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, uint64(time.Now().UnixNano())))
	var lat []time.Duration
	defer func() {
		v.mu.Lock()
		v.latencies = append(v.latencies, lat...)
		v.mu.Unlock()
	}()
	for ctx.Err() == nil {
		var p *Participant
		select {
		case p = <-v.Ready:
		default:
		}
		if p == nil {
			var err error
			if p, err = Join(ctx, v.Base, v.Transport); err != nil {
				if ctx.Err() != nil {
					return // the run ended while this browser was joining
				}
				v.fail(err)
				if !sleep(ctx, 50*time.Millisecond) {
					return
				}
				continue
			}
		}
		picked := map[int]bool{}
		for k := range v.PerIdentity {
			if ctx.Err() != nil {
				return
			}
			i := rng.IntN(len(v.Ideas))
			for picked[i] && len(picked) < len(v.Ideas) {
				i = rng.IntN(len(v.Ideas))
			}
			picked[i] = true
			idea, up := v.Ideas[i], rng.IntN(3) > 0
			value := "down"
			if up {
				value = "up"
			}
			to := p
			if v.Also != "" && k%2 == 1 {
				to = p.WithBase(v.Also)
			}
			var wroteAt atomic.Int64 // the trace may call from the transport's goroutine
			tctx := httptrace.WithClientTrace(context.WithoutCancel(ctx), &httptrace.ClientTrace{
				WroteRequest: func(httptrace.WroteRequestInfo) { wroteAt.Store(time.Now().UnixNano()) },
			})
			start := time.Now()
			status, err := to.Vote(tctx, idea, value)
			d := time.Since(start)
			switch {
			case err != nil && status == 0:
				v.Ledger.Record(idea, up, Unknown)
				v.fail(err)
				v.mu.Lock()
				if n := wroteAt.Load(); n == 0 {
					v.unwritten++
				} else {
					v.written = append(v.written, Unanswered{Sent: time.Unix(0, n), Err: err})
				}
				v.mu.Unlock()
			case Acknowledged(status):
				v.Ledger.Record(idea, up, Acked)
				v.acked.Add(1)
				lat = append(lat, d)
			case status >= 500:
				v.Ledger.Record(idea, up, Unknown)
				lat = append(lat, d)
			default:
				v.Ledger.Record(idea, up, Refused)
				lat = append(lat, d)
			}
			if status != 0 {
				v.mu.Lock()
				v.statuses[status]++
				v.mu.Unlock()
			}
			if v.Pace > 0 && !sleep(ctx, v.Pace) {
				return
			}
		}
	}
}

func (v *VoteLoad) fail(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	v.mu.Lock()
	v.errors++
	v.lastErr = err
	v.mu.Unlock()
}

// Percentile is the q-th quantile (0..1) of sorted durations.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
