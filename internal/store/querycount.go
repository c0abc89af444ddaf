package store

import (
	"context"
	"sync/atomic"

	"gorm.io/gorm"
)

type queryCountKey struct{}

// CountQueries returns a context under which every statement the store runs is counted, and a
// function that reads the count. The web layer counts per request and logs the figure, so that
// a page whose queries grow with its rows (N+1) shows up in the access log and in a test.
func CountQueries(ctx context.Context) (context.Context, func() int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, queryCountKey{}, n), n.Load
}

// countQueries registers a callback that counts each statement run under CountQueries.
func countQueries(db *gorm.DB) error {
	count := func(db *gorm.DB) {
		if db.Statement == nil || db.Statement.Context == nil {
			return
		}
		if n, ok := db.Statement.Context.Value(queryCountKey{}).(*atomic.Int64); ok {
			n.Add(1)
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("groundswell:count", count),
		cb.Query().After("gorm:query").Register("groundswell:count", count),
		cb.Update().After("gorm:update").Register("groundswell:count", count),
		cb.Delete().After("gorm:delete").Register("groundswell:count", count),
		cb.Row().After("gorm:row").Register("groundswell:count", count),
		cb.Raw().After("gorm:raw").Register("groundswell:count", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
