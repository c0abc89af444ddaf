package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// writer is SQLite's single writer with group commit. Store.Write hands it closures through a
// queue; it runs as many as are waiting (up to maxBatch, for up to batchBudget) inside one
// BEGIN IMMEDIATE transaction, each in a SAVEPOINT of its own, commits them together, and only
// then answers each caller. One commit, and under synchronous=FULL one wait for the disk, is
// shared by every write of the batch, which is where a lone writer spends most of its time.
//
// A closure that returns an error (or panics) is rolled back to its savepoint and its caller gets
// the error (or the panic, raised again in the caller's goroutine); the others in the batch
// commit. A failure that ends the whole transaction (the disk is full, an I/O error) or a failed
// COMMIT fails every closure of the batch, as it would have failed each of them alone.
//
// A closure's caller may give up (its context ends): while the closure is still queued, the
// caller gets the context's error at once and the closure never runs. Once it runs, its
// statements are never interrupted, because SQLite answers an interrupted statement by rolling
// back the whole transaction, which would take the other callers' writes with it; instead each
// statement checks the caller's context before it starts (cancelCheck), so a cancelled closure
// fails at its next statement and only its savepoint is rolled back. Either way the caller
// waits until the closure is done, so that it never reports failure for a write that was kept
// and never leaves a closure writing into variables it has stopped reading.
//
// Long closures (recompute, purge, the synthetic seed) are batched like any other: the budget
// closes a batch once it has run that long, so they delay at most the few writes that were in
// their batch. What must not run inside a transaction (VACUUM INTO, a WAL checkpoint, goose's
// migrations) runs alone, between batches, through Store.alone.
//
// Statements are prepared once on the writer's connection and kept, in the driver's statement
// cache (bounded; a statement is reset when it goes back, so none is left running). The batch is
// BEGIN IMMEDIATE and COMMIT statements on the writer's pool of one connection, which only this
// goroutine uses.
type writer struct {
	db      *gorm.DB
	s       *Store
	queue   chan *job
	closing chan struct{}
	done    chan struct{}
	// inflight are the taken jobs not yet answered, for restart; only the writer's goroutine
	// touches it.
	inflight []*job
	// commits counts the batches committed, for tests.
	commits   atomic.Int64
	closeOnce sync.Once
}

// maxBatch bounds how many closures share one commit, and batchBudget how long a batch may run
// before it commits, so that a long queue or a long closure never holds the earlier callers'
// answers for long.
const (
	maxBatch    = 512
	batchBudget = 25 * time.Millisecond
)

// job states: a queued job is taken by the writer or dropped by its caller, whichever is first.
const (
	queued int32 = iota
	taken
	dropped
)

// job is one Write (fn) or one alone task waiting for the writer.
type job struct {
	ctx      context.Context
	fn       func(tx *Tx) error
	alone    func(db *gorm.DB) error
	state    atomic.Int32
	err      error
	panicked any
	done     chan struct{}
}

// errClosed is the answer to a write after Close.
var errClosed = errors.New("store: the database is closed")

func newWriter(s *Store, db *gorm.DB) *writer {
	w := &writer{db: db, s: s, queue: make(chan *job, 4*maxBatch), closing: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// close lets the writer finish what is queued, then stops it.
func (w *writer) close() {
	w.closeOnce.Do(func() { close(w.closing) })
	<-w.done
}

// do queues j and waits for its answer, or for ctx to end while j is still queued.
func (w *writer) do(j *job) error {
	j.done = make(chan struct{})
	select {
	case <-w.closing:
		return errClosed
	default:
	}
	select {
	case w.queue <- j:
	case <-j.ctx.Done():
		return j.ctx.Err()
	case <-w.done:
		return errClosed
	}
	var gone error
	select {
	case <-j.done:
	case <-j.ctx.Done():
		gone = j.ctx.Err()
	case <-w.done:
		gone = errClosed
	}
	if gone != nil {
		if j.state.CompareAndSwap(queued, dropped) {
			return gone
		}
		<-j.done // the writer has it: wait for the commit
	}
	if j.panicked != nil {
		panic(j.panicked)
	}
	return j.err
}

// loop is the writer's goroutine: a batch at a time, and alone tasks between batches.
func (w *writer) loop() {
	finished := false
	defer func() {
		if finished {
			close(w.done)
		} else {
			w.restart()
		}
	}()
	var next *job // taken already
	for {
		j := next
		next = nil
		if j == nil {
			select {
			case j = <-w.queue:
			case <-w.closing:
				select {
				case j = <-w.queue:
				default:
					finished = true
					return
				}
			}
			if !w.take(j) {
				continue
			}
		}
		if j.alone != nil {
			w.inflight = []*job{j}
			j.err = j.alone(w.db.WithContext(j.ctx))
			w.inflight = nil
			close(j.done)
			continue
		}
		next = w.batch(j)
	}
}

// errGoexit answers the writes of a batch that a closure ended by calling runtime.Goexit.
var errGoexit = errors.New("store: a write ended the writer's goroutine (runtime.Goexit) and its batch was rolled back")

// restart runs when a closure has ended the writer's goroutine with runtime.Goexit (which
// t.FailNow calls, and which no recover stops): it rolls the transaction back, answers every
// write of the batch with errGoexit, and carries on in a new goroutine, so that no caller is
// left waiting for ever.
func (w *writer) restart() {
	_ = w.db.Exec("ROLLBACK").Error
	for _, j := range w.inflight {
		if j.err == nil && j.panicked == nil {
			j.err = errGoexit
		}
		close(j.done)
	}
	w.inflight = nil
	go w.loop()
}

// pull takes the next job from the queue without waiting, or nil when none is waiting.
func (w *writer) pull() *job {
	for {
		select {
		case j := <-w.queue:
			if w.take(j) {
				return j
			}
		default:
			return nil
		}
	}
}

// take claims j for running, or reports false when its caller has gone; a caller whose context
// has ended by now is answered with its error instead.
func (w *writer) take(j *job) bool {
	if !j.state.CompareAndSwap(queued, taken) {
		return false
	}
	if err := j.ctx.Err(); err != nil {
		j.err = err
		close(j.done)
		return false
	}
	return true
}

// batch runs first and whatever else is queued in one transaction, commits, and answers them all.
// It returns an alone task it took from the queue but left for after the commit.
func (w *writer) batch(first *job) (next *job) {
	began := time.Now()
	if err := w.db.Exec("BEGIN IMMEDIATE").Error; err != nil {
		first.err = wrap(err, "Transaction")
		close(first.done)
		return nil
	}
	ran := make([]*job, 0, 8)
	var broken error
	for j := first; j != nil; j = w.pull() {
		if j.alone != nil {
			next = j
			break
		}
		ran = append(ran, j)
		w.inflight = ran
		tx := &Tx{db: w.db.WithContext(withCancelCheck(j.ctx)), ctl: w.db, s: w.s, savepoints: new(int)}
		j.err, j.panicked, broken = tx.attempt(j.fn)
		if broken != nil || len(ran) >= maxBatch || time.Since(began) >= batchBudget {
			break
		}
	}
	if broken == nil {
		if broken = w.db.Exec("COMMIT").Error; broken == nil {
			w.commits.Add(1)
		}
	}
	if broken != nil {
		_ = w.db.Exec("ROLLBACK").Error // the transaction may already be gone
		broken = fmt.Errorf("store: the batch of %d writes was rolled back: %w", len(ran), broken)
	}
	w.inflight = nil
	for _, j := range ran {
		if broken != nil && j.err == nil && j.panicked == nil {
			j.err = broken
		}
		close(j.done)
	}
	return next
}

// attempt runs fn in a savepoint of its own: released when fn succeeds, rolled back to when it
// fails or panics. It returns fn's error or panic, and broken when the transaction itself can no
// longer be trusted (a savepoint statement failed, so SQLite has rolled everything back).
//
// Every closure of a batch uses the same savepoint name, released before the next one starts,
// so that the writer prepares three statements for it rather than three per place in a batch.
func (tx *Tx) attempt(fn func(tx *Tx) error) (err error, panicked any, broken error) {
	const name = "gs_write"
	if err := tx.ctl.Exec("SAVEPOINT " + name).Error; err != nil {
		return wrap(err, "Savepoint"), nil, err
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				panicked = p
			}
		}()
		err = fn(tx)
	}()
	if err != nil || panicked != nil {
		if rerr := tx.ctl.Exec("ROLLBACK TO SAVEPOINT " + name).Error; rerr != nil {
			return err, panicked, rerr
		}
	}
	if rerr := tx.ctl.Exec("RELEASE SAVEPOINT " + name).Error; rerr != nil {
		return errors.Join(err, wrap(rerr, "Savepoint")), panicked, rerr
	}
	return err, panicked, nil
}

// alone runs fn on the writer's connection outside any transaction, between batches: for what
// SQLite refuses inside one (VACUUM INTO, a WAL checkpoint) and for goose's migrations, which
// open their own. On PostgreSQL it runs fn on the pool at once.
func (s *Store) alone(ctx context.Context, fn func(db *gorm.DB) error) error {
	if s.writer == nil {
		return fn(s.w.WithContext(ctx))
	}
	if s.outer(ctx) != nil {
		return errors.New("store: a task that needs the writer alone was started inside a write")
	}
	return s.writer.do(&job{ctx: ctx, alone: fn})
}

type cancelKey struct{}

// withCancelCheck is ctx without its cancellation, which the driver would turn into an interrupt
// of the whole transaction, but carrying it for cancelCheck.
func withCancelCheck(ctx context.Context) context.Context {
	return context.WithValue(context.WithoutCancel(ctx), cancelKey{}, ctx)
}

// cancelCheck registers a callback that refuses to start a statement whose caller's context has
// ended (see withCancelCheck), so that a cancelled closure stops between statements.
func cancelCheck(db *gorm.DB) error {
	check := func(db *gorm.DB) {
		if db.Statement == nil || db.Statement.Context == nil {
			return
		}
		if ctx, ok := db.Statement.Context.Value(cancelKey{}).(context.Context); ok && ctx.Err() != nil {
			_ = db.AddError(ctx.Err())
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().Before("*").Register("groundswell:cancel", check),
		cb.Query().Before("*").Register("groundswell:cancel", check),
		cb.Update().Before("*").Register("groundswell:cancel", check),
		cb.Delete().Before("*").Register("groundswell:cancel", check),
		cb.Row().Before("*").Register("groundswell:cancel", check),
		cb.Raw().Before("*").Register("groundswell:cancel", check),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
