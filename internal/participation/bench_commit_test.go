package participation_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
	"github.com/groundswell/groundswell/migrations"
)

// voters is how many participants vote at once in BenchmarkConcurrentVotes, as in the scale
// issue's load test.
const voters = 256

// BenchmarkConcurrentVotes is votes per second from 256 participants voting at the same time
// through the participation service on SQLite with synchronous=FULL: every acknowledged vote
// is on disk. Each participant flips its vote on one of 64 ideas, so every vote writes. The
// web layer's per-participant rate limit is not in the way: it is above the service.
func BenchmarkConcurrentVotes(b *testing.B) {
	dsn := storetest.DSN(b, store.SQLite)
	st, err := store.OpenWith(context.Background(), dsn, store.Options{Sync: config.SyncFull})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background(), migrations.FS); err != nil {
		b.Fatal(err)
	}
	f := newFixture(b, st, gs.PhaseOpen)
	ideas := make([]int64, 64)
	for k := range ideas {
		ideas[k] = f.post(fmt.Sprint("author", k), fmt.Sprintf("Idea %d to vote on", k)).ID
	}
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(max(1, voters/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		me := next.Add(1)
		who := f.who(fmt.Sprint("voter", me))
		for i := 0; pb.Next(); i++ {
			v := gs.VoteValue(1 - 2*(i/len(ideas)%2)) // up on every idea, then down, then up…
			if _, err := f.svc.Vote(ctx, who, gs.TargetIdea, ideas[(int(me)+i)%len(ideas)], v); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "votes/s")
}

// BenchmarkRawCommits is the baseline for BenchmarkConcurrentVotes (B2 in the scale issue): a
// loop of one-row transactions straight through database/sql, in WAL mode with
// synchronous=FULL, on the same disk. It is the rate a writer that commits every vote on its own
// cannot beat.
func BenchmarkRawCommits(b *testing.B) {
	path := filepath.Join(b.TempDir(), "raw.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE votes (id INTEGER PRIMARY KEY, participant INTEGER NOT NULL, value INTEGER NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO votes (participant, value) VALUES (?, ?)", i, 1); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
