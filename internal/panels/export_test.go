package panels

// SetClusterPool lets a test group near-duplicates over a small pool.
func (s *Service) SetClusterPool(n int) { s.clusterPool = n }
