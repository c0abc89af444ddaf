package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// ListPlan is the query plan of the statement Ideas runs for the page q asks for of a list of
// total ideas, one line per step, so that a test can check that an index serves it.
func (s *Store) ListPlan(ctx context.Context, q gs.IdeaQuery, total int) ([]string, error) {
	l := newListQuery(s.dialect, q, total)
	return s.plan(ctx, l.sql, l.args, "enable_seqscan", "enable_bitmapscan", "enable_sort")
}

// SearchPlan is the query plan of the statement Ideas runs for a search.
func (s *Store) SearchPlan(ctx context.Context, q gs.IdeaQuery) ([]string, error) {
	l, _ := newSearchQuery(s.dialect, q)
	return s.plan(ctx, l.sql, l.args, "enable_seqscan")
}

// plan explains sql. On PostgreSQL, the plan types named in off are priced out of reach first:
// on a small table the planner rightly prefers sequential scans and sorts, and the question is
// whether an index can serve the statement at all.
func (s *Store) plan(ctx context.Context, sql string, args []any, off ...string) ([]string, error) {
	var lines []string
	if s.dialect != Postgres {
		var rows []struct {
			ID, Parent, Notused int
			Detail              string
		}
		err := s.read(ctx).Raw("EXPLAIN QUERY PLAN "+sql, args...).Scan(&rows).Error
		for _, r := range rows {
			lines = append(lines, r.Detail)
		}
		return lines, err
	}
	err := s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, set := range off {
			if err := tx.Exec(fmt.Sprintf("SET LOCAL %s = off", set)).Error; err != nil {
				return err
			}
		}
		return tx.Raw("EXPLAIN "+sql, args...).Scan(&lines).Error
	})
	return lines, err
}

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
