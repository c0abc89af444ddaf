package store

import "context"

// CountWrite adds one write to a rate-limit bucket in a window and returns the bucket's count
// so far, for instances that share the database (see migration 00026). It is a write of its
// own, outside any service transaction, so that a refused write costs one short transaction. Windows before
// the previous one are removed the first time a new window is seen.
func (s *Store) CountWrite(ctx context.Context, bucket, window int64) (int, error) {
	var n int
	err := s.Write(ctx, func(tx *Tx) error {
		if err := tx.db.Raw("INSERT INTO write_counts (bucket, window_start, n) VALUES (?, ?, 1) "+
			"ON CONFLICT (window_start, bucket) DO UPDATE SET n = write_counts.n + 1 RETURNING n", bucket, window).Scan(&n).Error; err != nil {
			return err
		}
		if last := s.pruned.Load(); window > last && s.pruned.CompareAndSwap(last, window) {
			return tx.db.Exec("DELETE FROM write_counts WHERE window_start < ?", window-1).Error
		}
		return nil
	})
	return n, wrap(err, "Write count")
}
