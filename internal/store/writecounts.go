package store

import "context"

// CountWrite adds one write to a rate-limit bucket in a window and returns the bucket's count
// so far, for instances that share the database (see migration 00026). It runs outside any
// service transaction, on its own, so that a refused write costs one statement. Windows before
// the previous one are removed the first time a new window is seen.
func (s *Store) CountWrite(ctx context.Context, bucket, window int64) (int, error) {
	var n int
	err := s.w.WithContext(ctx).Raw("INSERT INTO write_counts (bucket, window_start, n) VALUES (?, ?, 1) "+
		"ON CONFLICT (window_start, bucket) DO UPDATE SET n = write_counts.n + 1 RETURNING n", bucket, window).Scan(&n).Error
	if err != nil {
		return 0, wrap(err, "Write count")
	}
	if last := s.pruned.Load(); window > last && s.pruned.CompareAndSwap(last, window) {
		if err := s.w.WithContext(ctx).Exec("DELETE FROM write_counts WHERE window_start < ?", window-1).Error; err != nil {
			return n, wrap(err, "Write count")
		}
	}
	return n, nil
}
