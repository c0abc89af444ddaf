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
	return s.plan(ctx, l.sql, l.args)
}

// plan explains sql. On PostgreSQL, sequential scans, bitmap scans and sorts are priced out
// of reach first: on a small table the planner rightly prefers them, and the question is
// whether an index can serve the statement's order at all.
func (s *Store) plan(ctx context.Context, sql string, args []any) ([]string, error) {
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
		for _, set := range []string{"enable_seqscan", "enable_bitmapscan", "enable_sort"} {
			if err := tx.Exec(fmt.Sprintf("SET LOCAL %s = off", set)).Error; err != nil {
				return err
			}
		}
		return tx.Raw("EXPLAIN "+sql, args...).Scan(&lines).Error
	})
	return lines, err
}
