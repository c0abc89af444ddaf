package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// Tx is one database transaction as a service sees it: data operations only (load this, lock
// that, insert, update counters). The rules that decide which operations to run live in the
// services and the domain, which open the transaction with Store.Write or Store.Read.
type Tx struct {
	db *gorm.DB
	// ctl runs the savepoint statements: db itself, except in a group commit, where db refuses
	// statements once its caller has gone and the savepoints must still be rolled back.
	ctl *gorm.DB
	s   *Store
	// savepoints numbers the savepoints of closures that joined this transaction (Within).
	savepoints *int
}

// Write runs fn in a write transaction and returns once it has committed. On SQLite the single
// writer runs fn in a savepoint of a transaction it shares with the other writes waiting at the
// time, and commits them together (group commit, see writer): fn sees their rows, and they see
// fn's. On PostgreSQL fn has a READ COMMITTED transaction of its own, and several instances may
// share the database. Everything fn does commits together, or nothing does when fn returns an
// error (or panics, which is raised again here). fn must not keep tx after it returns, must not
// commit or roll back by itself, must not call Write without tx.Within (it would wait for
// itself), and must leave anything outside the database that should happen only once the write
// is kept (a cache, a message) until Write has returned nil.
//
// Under a context from Tx.Within, Write joins that transaction instead, in a SAVEPOINT of its
// own: an error rolls back only what fn did, and nothing commits until the outer closure does.
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) error {
	if outer := s.outer(ctx); outer != nil {
		return outer.savepoint(fn)
	}
	if s.writer != nil {
		return s.noteWrite(s.writer.do(&job{ctx: ctx, fn: fn}))
	}
	return s.noteWrite(s.w.WithContext(ctx).Transaction(func(db *gorm.DB) error { return fn(&Tx{db: db, ctl: db, s: s, savepoints: new(int)}) }))
}

// savepoint runs fn inside tx in a savepoint of its own, released when fn succeeds (GORM's nested
// transactions never release theirs, and hundreds left open slow PostgreSQL down) and rolled back
// to when it fails.
func (tx *Tx) savepoint(fn func(tx *Tx) error) error {
	*tx.savepoints++
	name := fmt.Sprintf("gs_sp%d", *tx.savepoints)
	if err := tx.ctl.Exec("SAVEPOINT " + name).Error; err != nil {
		return wrap(err, "Savepoint")
	}
	if err := fn(tx); err != nil {
		if rerr := tx.ctl.Exec("ROLLBACK TO SAVEPOINT " + name).Error; rerr != nil {
			return errors.Join(err, wrap(rerr, "Savepoint"))
		}
		_ = tx.ctl.Exec("RELEASE SAVEPOINT " + name).Error
		return err
	}
	return wrap(tx.ctl.Exec("RELEASE SAVEPOINT "+name).Error, "Savepoint")
}

type txKey struct{}

// Within returns a context under which the store's Write joins tx and its reads see tx's
// uncommitted rows, so that several service calls can commit as one (the demo seed does).
func (tx *Tx) Within(ctx context.Context) context.Context { return context.WithValue(ctx, txKey{}, tx) }

// outer is the transaction ctx carries for this store, if any.
func (s *Store) outer(ctx context.Context) *Tx {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok && tx.s == s {
		return tx
	}
	return nil
}

// Read runs fn in a read-only transaction on the read pool, so that several queries see one
// consistent snapshot. It takes no locks and never waits for the writer.
// Under a context from Tx.Within it reads inside that transaction instead, seeing its rows.
func (s *Store) Read(ctx context.Context, fn func(tx *Tx) error) error {
	if outer := s.outer(ctx); outer != nil {
		return fn(outer)
	}
	return s.r.WithContext(ctx).Transaction(func(db *gorm.DB) error { return fn(&Tx{db: db, ctl: db, s: s, savepoints: new(int)}) })
}

// Now is the store's clock in UTC; services use it inside a transaction so that tests can move
// time with Store.Now.
func (tx *Tx) Now() time.Time { return tx.s.now() }

// write runs fn inside Write for the store's own one-step data methods.
func (s *Store) write(ctx context.Context, fn func(db *gorm.DB) error) error {
	return s.Write(ctx, func(tx *Tx) error { return fn(tx.db) })
}

// Audit appends one row to the audit log inside the transaction, so that the log and the action
// commit together or not at all.
func (tx *Tx) Audit(e gs.AuditEntry) error {
	row := auditRow{
		At: tx.Now(), ActorID: nullable(e.Actor.UserID), Actor: e.Actor.Name, Action: e.Action,
		TargetType: e.TargetType, TargetID: nullable(e.TargetID), ChallengeID: nullable(e.ChallengeID),
		Reason: e.Reason, Before: e.Before, After: e.After,
	}
	return wrap(tx.db.Create(&row).Error, "Audit entry")
}
