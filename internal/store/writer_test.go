package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
	"github.com/groundswell/groundswell/migrations"
)

// note appends an audit row named name: a write any test can look for.
func note(tx *store.Tx, name string) error {
	return tx.Audit(gs.AuditEntry{Actor: gs.SystemActor, Action: "test.write", TargetType: "test", Reason: name})
}

// notes lists the names of the rows note wrote, read through a connection of the test's own.
func notes(t *testing.T, raw *sql.DB) []string {
	t.Helper()
	rows, err := raw.Query("SELECT reason FROM audit_log WHERE action = 'test.write' ORDER BY reason")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// holdWriter keeps SQLite's writer busy until want writes are queued, so that they go into one
// batch (as far as the batch's time budget allows); it returns at once on PostgreSQL, where
// there is no queue. The returned channel gives the hold's error.
func holdWriter(t *testing.T, s *store.Store, want int) <-chan error {
	return holdWriterThen(t, s, want, func() {})
}

// holdWriterThen is holdWriter that calls then once the writes are queued, before it lets the
// writer go on.
func holdWriterThen(t *testing.T, s *store.Store, want int, then func()) <-chan error {
	t.Helper()
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- store.Hold(context.Background(), s, func() error {
			close(started)
			deadline := time.Now().Add(10 * time.Second)
			for store.QueueLen(s) >= 0 && store.QueueLen(s) < want {
				if time.Now().After(deadline) {
					return fmt.Errorf("only %d writes queued, want %d", store.QueueLen(s), want)
				}
				time.Sleep(time.Millisecond)
			}
			then()
			return nil
		})
	}()
	<-started
	return done
}

// TestGroupCommitFailureRollsBackOnlyItself sends writes together, every third of which writes
// a row and then fails, and one of which panics: each failing caller gets its own error (or
// panic), its row is gone, and every other write is kept. On SQLite the writes are held in one
// batch, and the test checks that they were.
func TestGroupCommitFailureRollsBackOnlyItself(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		const n = 30
		var commitsBefore int64
		if s.Dialect() == store.SQLite {
			commitsBefore = store.Commits(s)
		}
		hold := holdWriter(t, s, n)
		errs := make([]error, n)
		panics := make([]any, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { panics[i] = recover() }()
				errs[i] = s.Write(context.Background(), func(tx *store.Tx) error {
					name := fmt.Sprintf("w%02d", i)
					if err := note(tx, name); err != nil {
						return err
					}
					switch {
					case i == 7:
						panic("closure " + name + " panicked")
					case i%3 == 0:
						return gs.Errorf(gs.ECONFLICT, "%s refused", name)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		if err := <-hold; err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := range n {
			name := fmt.Sprintf("w%02d", i)
			switch {
			case i == 7:
				if panics[i] != "closure w07 panicked" || errs[i] != nil {
					t.Errorf("%s: panic %v, error %v; want its own panic raised again in its caller", name, panics[i], errs[i])
				}
			case i%3 == 0:
				if gs.ErrorCode(errs[i]) != gs.ECONFLICT || gs.ErrorMessage(errs[i]) != name+" refused" || panics[i] != nil {
					t.Errorf("%s: error %v, panic %v; want its own error", name, errs[i], panics[i])
				}
			default:
				if errs[i] != nil || panics[i] != nil {
					t.Errorf("%s: error %v, panic %v; want success", name, errs[i], panics[i])
				}
				want = append(want, name)
			}
		}
		if got := notes(t, storetest.Raw(t, dsn)); !slices.Equal(got, want) {
			t.Errorf("rows kept: %v\nwant %v", got, want)
		}
		if s.Dialect() == store.SQLite {
			// One batch, unless a slow machine runs past its time budget.
			if got := store.Commits(s) - commitsBefore; got < 1 || got > n/3 {
				t.Errorf("%d commits for %d writes sent together; want batches (1 to %d commits)", got, n, n/3)
			}
		}
	})
}

// TestWriteReturnsAfterCommit has many writers at once check, the moment Write returns, that
// their row can be read on a connection of the test's own: acknowledged means committed.
func TestWriteReturnsAfterCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		raw := storetest.Raw(t, dsn)
		const n = 64
		var missing atomic.Int32
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := fmt.Sprintf("ack%02d", i)
				if err := s.Write(context.Background(), func(tx *store.Tx) error { return note(tx, name) }); err != nil {
					t.Error(err)
					return
				}
				var k int
				if err := raw.QueryRow("SELECT COUNT(*) FROM audit_log WHERE reason = "+placeholder(dsn), name).Scan(&k); err != nil {
					t.Error(err)
					return
				}
				if k != 1 {
					missing.Add(1)
				}
			}()
		}
		wg.Wait()
		if m := missing.Load(); m != 0 {
			t.Errorf("%d of %d acknowledged writes were not visible to another connection", m, n)
		}
	})
}

func placeholder(dsn string) string {
	if store.IsPostgres(dsn) {
		return "$1"
	}
	return "?"
}

// TestCancelledWriteLeavesTheBatchAlone gives up on two writes of a batch, one while it is
// still queued (it must never run) and one while it runs (it stops at its next statement and
// only its rows go): both callers get their context's error, and the rest of the batch commits.
func TestCancelledWriteLeavesTheBatchAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		const n = 10
		queuedCtx, cancelQueued := context.WithCancel(context.Background())
		var ranQueued atomic.Bool
		hold := holdWriterThen(t, s, n+2, cancelQueued)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := fmt.Sprintf("c%02d", i)
				errs[i] = s.Write(context.Background(), func(tx *store.Tx) error { return note(tx, name) })
			}()
		}
		var queuedErr, runningErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			queuedErr = s.Write(queuedCtx, func(tx *store.Tx) error {
				ranQueued.Store(true)
				return note(tx, "queued")
			})
		}()
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			runningErr = s.Write(ctx, func(tx *store.Tx) error {
				if err := note(tx, "running 1"); err != nil {
					return err
				}
				cancel()
				return note(tx, "running 2")
			})
		}()
		wg.Wait()
		if err := <-hold; err != nil {
			t.Fatal(err)
		}
		if !errors.Is(runningErr, context.Canceled) {
			t.Errorf("write cancelled while running: %v, want context.Canceled", runningErr)
		}
		if s.Dialect() == store.SQLite { // on PostgreSQL it may have committed before the cancel
			if !errors.Is(queuedErr, context.Canceled) || ranQueued.Load() {
				t.Errorf("write cancelled while queued: %v, ran=%v; want context.Canceled without running", queuedErr, ranQueued.Load())
			}
		}
		var want []string
		for i := range n {
			if errs[i] != nil {
				t.Errorf("c%02d: %v", i, errs[i])
			}
			want = append(want, fmt.Sprintf("c%02d", i))
		}
		if queuedErr == nil {
			want = append(want, "queued")
		}
		slices.Sort(want)
		if got := notes(t, storetest.Raw(t, dsn)); !slices.Equal(got, want) {
			t.Errorf("rows kept: %v\nwant %v", got, want)
		}
	})
}

// TestBrokenBatchFailsEveryWriteInIt ends the whole transaction from inside one write, as a full
// disk would: every write of that batch is told, none of its rows stay, and the writer goes on
// to commit the next batch.
func TestBrokenBatchFailsEveryWriteInIt(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	s := storetest.Open(t, dsn)
	const n = 5
	errs := make([]error, n)
	var wg sync.WaitGroup
	write := func(i int) {
		defer wg.Done()
		errs[i] = s.Write(context.Background(), func(tx *store.Tx) error {
			if err := note(tx, fmt.Sprint("b", i)); err != nil {
				return err
			}
			if i == n-1 {
				return store.Exec(tx, "ROLLBACK")
			}
			return nil
		})
	}
	// The last write, which breaks the transaction, is queued after the others.
	hold := holdWriterThen(t, s, n-1, func() {
		wg.Add(1)
		go write(n - 1)
		for store.QueueLen(s) < n {
			time.Sleep(time.Millisecond)
		}
	})
	for i := range n - 1 {
		wg.Add(1)
		go write(i)
	}
	wg.Wait()
	if err := <-hold; err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("b%d succeeded in a batch that was rolled back", i)
		}
	}
	if err := s.Write(context.Background(), func(tx *store.Tx) error { return note(tx, "after") }); err != nil {
		t.Fatalf("the write after a broken batch: %v", err)
	}
	if got, want := notes(t, storetest.Raw(t, dsn)), []string{"after"}; !slices.Equal(got, want) {
		t.Errorf("rows kept: %v, want %v", got, want)
	}
}

// TestGoexitInAWriteIsAnswered has a write end the goroutine that runs it, as t.FailNow would
// inside a closure: its caller gets an error instead of waiting for ever, its row is gone, and
// the next write commits.
func TestGoexitInAWriteIsAnswered(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	s := storetest.Open(t, dsn)
	answer := make(chan error, 1)
	go func() {
		answer <- s.Write(context.Background(), func(tx *store.Tx) error {
			if err := note(tx, "gone"); err != nil {
				return err
			}
			runtime.Goexit()
			return nil
		})
	}()
	select {
	case err := <-answer:
		if err == nil {
			t.Error("a write that ended its goroutine reported success")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a write that ended its goroutine was never answered")
	}
	if err := s.Write(context.Background(), func(tx *store.Tx) error { return note(tx, "after") }); err != nil {
		t.Fatalf("the next write: %v", err)
	}
	if got, want := notes(t, storetest.Raw(t, dsn)), []string{"after"}; !slices.Equal(got, want) {
		t.Errorf("rows kept: %v, want %v", got, want)
	}
}

// TestWritesAfterScrubAndBackup runs the tasks that need the writer alone (a WAL checkpoint, a
// backup), each followed by a write: nothing they ran may be left in progress on the writer's
// connection, where it would refuse the next batch's savepoints.
func TestWritesAfterScrubAndBackup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		for i := range 3 {
			if err := s.Scrub(ctx, "audit_log"); err != nil {
				t.Fatal(err)
			}
			if err := s.Write(ctx, func(tx *store.Tx) error { return note(tx, fmt.Sprint("after scrub ", i)) }); err != nil {
				t.Fatalf("write after Scrub: %v", err)
			}
			if s.Dialect() != store.SQLite {
				continue
			}
			if err := s.Backup(ctx, filepath.Join(t.TempDir(), "copy.db")); err != nil {
				t.Fatal(err)
			}
			if err := s.Write(ctx, func(tx *store.Tx) error { return note(tx, fmt.Sprint("after backup ", i)) }); err != nil {
				t.Fatalf("write after Backup: %v", err)
			}
		}
	})
}

// TestCloseFinishesQueuedWrites closes the store while writes wait: they all commit, and a write
// after Close is refused rather than left waiting.
func TestCloseFinishesQueuedWrites(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	s := storetest.Open(t, dsn)
	const n = 8
	closed := make(chan error, 1)
	hold := holdWriterThen(t, s, n, func() {
		go func() { closed <- s.Close() }()
		for !store.Closing(s) {
			time.Sleep(time.Millisecond)
		}
	})
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Write(context.Background(), func(tx *store.Tx) error { return note(tx, fmt.Sprint("q", i)) })
		}()
	}
	wg.Wait()
	if err := <-hold; err != nil {
		t.Fatal(err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("q%d: %v", i, err)
		}
	}
	if err := s.Write(context.Background(), func(tx *store.Tx) error { return nil }); err == nil {
		t.Error("a write after Close succeeded; want it refused")
	}
	if got := notes(t, storetest.Raw(t, dsn)); len(got) != n {
		t.Errorf("%d rows kept, want %d", len(got), n)
	}
}

// TestSyncIsFullUnlessAskedOtherwise checks the durability the writer connection runs with.
func TestSyncIsFullUnlessAskedOtherwise(t *testing.T) {
	for _, c := range []struct {
		sync config.Sync
		want int
	}{{"", 2}, {config.SyncFull, 2}, {config.SyncNormal, 1}} {
		s, err := store.OpenWith(context.Background(), storetest.DSN(t, store.SQLite), store.Options{Sync: c.sync})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(context.Background(), migrations.FS); err != nil {
			t.Fatal(err)
		}
		got, err := store.Synchronous(context.Background(), s)
		s.Close()
		if err != nil || got != c.want {
			t.Errorf("sync %q: PRAGMA synchronous = %d, %v; want %d", c.sync, got, err, c.want)
		}
	}
	if _, err := store.OpenWith(context.Background(), storetest.DSN(t, store.SQLite), store.Options{Sync: "off"}); err == nil {
		t.Error("sync off was accepted; want it refused")
	}
}
