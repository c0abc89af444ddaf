package store

import (
	"context"

	"gorm.io/gorm"
)

// Hooks into the group commit for the tests in store_test.

// QueueLen is how many writes wait for SQLite's writer, or -1 on PostgreSQL.
func QueueLen(s *Store) int {
	if s.writer == nil {
		return -1
	}
	return len(s.writer.queue)
}

// Commits is how many batches SQLite's writer has committed.
func Commits(s *Store) int64 { return s.writer.commits.Load() }

// Exec runs a statement the store never runs, inside tx.
func Exec(tx *Tx, q string) error { return tx.db.Exec(q).Error }

// Synchronous is the writer connection's synchronous pragma (1 NORMAL, 2 FULL).
func Synchronous(ctx context.Context, s *Store) (n int, err error) {
	err = s.alone(ctx, func(db *gorm.DB) error { return db.Raw("PRAGMA synchronous").Scan(&n).Error })
	return n, err
}

// Hold runs fn on SQLite's writer between batches, so that writes sent meanwhile queue up and
// go into the next batch together; on PostgreSQL it runs fn at once.
func Hold(ctx context.Context, s *Store, fn func() error) error {
	return s.alone(ctx, func(*gorm.DB) error { return fn() })
}

// Closing reports whether Close has begun.
func Closing(s *Store) bool {
	select {
	case <-s.writer.closing:
		return true
	default:
		return false
	}
}
