package store

import (
	"context"
	"strings"
)

// BulkInsert writes rows into table in multi-row INSERT statements, as many rows per statement
// as the dialect's parameter limit allows. It is for bulk data (the synthetic challenge), where
// one statement per row would take hours; rows must match cols.
func (tx *Tx) BulkInsert(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	perRow := len(cols)
	maxParams := 32000 // SQLite's default limit is 32766; PostgreSQL's is 65535
	batch := max(1, maxParams/perRow)
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", perRow), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	args := make([]any, 0, batch*perRow)
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		args = args[:0]
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		q := head + strings.TrimSuffix(strings.Repeat(tuple+", ", end-start), ", ")
		if err := tx.db.Exec(q, args...).Error; err != nil {
			return wrap(err, "Bulk insert into "+table)
		}
	}
	return nil
}

// NextID returns one more than the largest id in table, for a bulk writer that numbers its own
// rows inside its transaction.
func (tx *Tx) NextID(table string) (int64, error) {
	var id int64
	err := tx.db.Raw("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table).Scan(&id).Error
	return id, wrap(err, table)
}

// ResetSequences makes PostgreSQL's id sequences continue after ids a bulk writer chose itself;
// SQLite needs nothing.
func (s *Store) ResetSequences(ctx context.Context, tables ...string) error {
	if s.dialect != Postgres {
		return nil
	}
	for _, t := range tables {
		if err := s.w.WithContext(ctx).Exec("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), COALESCE((SELECT MAX(id) FROM " + t + "), 1))").Error; err != nil {
			return wrap(err, "Sequence of "+t)
		}
	}
	return nil
}
