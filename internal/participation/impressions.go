package participation

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/bits-and-blooms/bloom/v3"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
	"github.com/groundswell/groundswell/internal/store"
)

// Impression counting. An impression is one participant being shown one idea, in a list or on
// its page, counted at most once. Page views must not become writes, so impressions are
// counted in memory and flushed in one transaction every few seconds; a crash loses at most
// those seconds, which only delays some ideas' fair scores a little. Votes are never handled
// this way.
//
// Which participant saw which idea is kept only as membership in two Bloom filters of keyed
// hashes (this week's and last week's), never as a list and never on disk: enough to count
// each pair once, and useless for telling who saw what. A false positive, about one in a
// thousand, leaves an impression uncounted. Each server process keeps its own filters, so
// with several instances a participant served by two of them may count twice.
const (
	flushEvery      = 3 * time.Second
	generationLife  = 7 * 24 * time.Hour
	filterCapacity  = 2_000_000 // pairs per generation before the filter is renewed early (3.6 MB)
	falsePositives  = 0.001
	maxPendingIdeas = 100_000
)

type impressions struct {
	mu      sync.Mutex
	seed    maphash.Seed
	current *bloom.BloomFilter
	prev    *bloom.BloomFilter
	added   int
	born    time.Time
	pending map[int64]int
}

func newImpressions(now time.Time) *impressions {
	return &impressions{seed: maphash.MakeSeed(), born: now, pending: map[int64]int{}}
}

// key is the keyed hash of a participant and an idea that the filters hold.
func (im *impressions) key(h gs.TokenHash, id int64) []byte {
	var mh maphash.Hash
	mh.SetSeed(im.seed)
	_, _ = mh.WriteString(string(h))
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(id))
	_, _ = mh.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], mh.Sum64())
	return b[:]
}

// seen counts each idea of ids once for the participant h, and reports how many were new.
func (im *impressions) seen(h gs.TokenHash, ids []int64, now time.Time) int {
	if h == "" || len(ids) == 0 {
		return 0
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.current == nil { // made on first use, so that processes that show nothing pay nothing
		im.current = bloom.NewWithEstimates(filterCapacity, falsePositives)
	}
	if now.Sub(im.born) > generationLife || im.added >= filterCapacity {
		im.prev, im.current = im.current, bloom.NewWithEstimates(filterCapacity, falsePositives)
		im.added, im.born = 0, now
	}
	fresh := 0
	for _, id := range ids {
		k := im.key(h, id)
		if im.prev != nil && im.prev.Test(k) {
			continue
		}
		if im.current.TestOrAdd(k) {
			continue
		}
		im.added++
		if len(im.pending) < maxPendingIdeas || im.pending[id] > 0 {
			im.pending[id]++
			fresh++
		}
	}
	return fresh
}

// take hands over the counts gathered since the last flush.
func (im *impressions) take() map[int64]int {
	im.mu.Lock()
	defer im.mu.Unlock()
	out := im.pending
	im.pending = map[int64]int{}
	return out
}

// putBack returns counts whose flush failed, so that the next flush tries them again.
func (im *impressions) putBack(counts map[int64]int) {
	im.mu.Lock()
	defer im.mu.Unlock()
	for id, n := range counts {
		im.pending[id] += n
	}
}

// Seen records that the participant with token hash h was shown the ideas ids.
func (s *Service) Seen(h gs.TokenHash, ids ...int64) {
	s.impressions.seen(h, ids, time.Now())
}

// flushChunk is how many ideas one flush transaction touches, so that a large flush never holds
// SQLite's writer for long: votes slip in between the chunks.
const flushChunk = 500

// FlushImpressions writes the impressions counted since the last flush, a few hundred ideas to a
// transaction, in id order (the order every writer locks ideas in), and moves the fair score
// and the "gathering votes" mark of every idea they touched. Counts whose chunk fails are kept
// for the next flush.
func (s *Service) FlushImpressions(ctx context.Context) error {
	counts := s.impressions.take()
	if len(counts) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(counts))
	for start := 0; start < len(ids); start += flushChunk {
		chunk := ids[start:min(start+flushChunk, len(ids))]
		ns := make([]int, len(chunk))
		for k, id := range chunk {
			ns[k] = counts[id]
		}
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			if err := tx.AddImpressionCounts(chunk, ns); err != nil {
				return err
			}
			return tx.RefreshFair(chunk, ranking.FairPrior)
		})
		if err != nil {
			rest := map[int64]int{}
			for _, id := range ids[start:] {
				rest[id] = counts[id]
			}
			s.impressions.putBack(rest)
			return err
		}
	}
	return nil
}

// Run keeps the rankings current until ctx ends: it flushes impressions every few seconds (and
// once more on the way out), and refits the pairwise strengths of challenges with new
// judgements, all of them once at start.
func (s *Service) Run(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	refit := time.NewTicker(refitEvery)
	defer refit.Stop()
	recentre := time.NewTicker(recentreEvery)
	defer recentre.Stop()
	if ids, err := s.store.ComparedChallenges(ctx); err != nil {
		log.Error("list compared challenges", slog.Any("err", err))
	} else {
		for _, id := range ids {
			s.pairs.mark(id)
		}
	}
	for {
		select {
		case <-refit.C:
			s.refitDirty(ctx, log)
		case <-recentre.C:
			s.recentreAll(ctx, log)
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := s.FlushImpressions(final); err != nil {
				log.Error("flush impressions at shutdown", slog.Any("err", err))
			}
			cancel()
			return
		case <-t.C:
			if err := s.FlushImpressions(ctx); err != nil && ctx.Err() == nil {
				log.Error("flush impressions", slog.Any("err", err))
			}
		}
	}
}

// recentreEvery is how often the fair priors of challenges taking votes are checked against
// their current means.
const recentreEvery = 15 * time.Minute

// recentreAll re-centres the fair prior of every challenge that takes votes and has drifted.
func (s *Service) recentreAll(ctx context.Context, log *slog.Logger) {
	list, err := s.store.Challenges(ctx, gs.PhaseOpen, gs.PhaseVoting)
	if err != nil {
		log.Error("list challenges to re-centre", slog.Any("err", err))
		return
	}
	for _, c := range list {
		if _, err := s.RecentreFair(ctx, c.ID); err != nil && ctx.Err() == nil {
			log.Error("re-centre the fair prior", slog.Int64("challenge_id", c.ID), slog.Any("err", err))
		}
	}
}
