package participation

import (
	"sync"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// surges remembers, in memory only, when recent unproven votes landed on each idea, so that a
// burst from fresh browsers can be told from an idea's usual rate. Nothing of it is stored; a
// restart forgets it, which costs at most one window of watching.
type surges struct {
	mu      sync.Mutex
	recent  map[int64][]time.Time
	flagged map[int64]time.Time
}

func newSurges() *surges {
	return &surges{recent: map[int64][]time.Time{}, flagged: map[int64]time.Time{}}
}

// observe counts one unproven vote on an idea at now and reports whether, with total votes
// over the idea's age, the burst is a surge not already flagged within the hour.
func (s *surges) observe(ideaID int64, now time.Time, total int, age time.Duration) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	times := s.recent[ideaID]
	kept := times[:0]
	for _, t := range times {
		if now.Sub(t) < gs.SurgeWindow {
			kept = append(kept, t)
		}
	}
	kept = append(kept, now)
	s.recent[ideaID] = kept
	if len(s.recent) > 100_000 { // forget quiet ideas rather than grow without bound
		for id, ts := range s.recent {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= gs.SurgeWindow {
				delete(s.recent, id)
			}
		}
	}
	if !gs.IsSurge(len(kept), total, age) {
		return len(kept), false
	}
	return len(kept), s.flagLocked(ideaID, now)
}

// flagOnce reports whether an idea may be flagged now: not if it was within the hour.
func (s *surges) flagOnce(ideaID int64, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flagLocked(ideaID, now)
}

func (s *surges) flagLocked(ideaID int64, now time.Time) bool {
	if last, ok := s.flagged[ideaID]; ok && now.Sub(last) < time.Hour {
		return false
	}
	s.flagged[ideaID] = now
	return true
}
