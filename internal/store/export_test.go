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
