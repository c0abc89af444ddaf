package store

import (
	"context"

	"gorm.io/gorm"
)

// KeyRecord is what the database knows about the secret key file: the fingerprint recorded with
// it ("" until one is) and whether anyone has taken part, since participants are known only by
// hashes made with that key.
type KeyRecord struct {
	Fingerprint  string
	Participants bool
}

// KeyRecord reads the recorded key fingerprint and whether participants exist.
func (s *Store) KeyRecord(ctx context.Context) (KeyRecord, error) {
	var rec KeyRecord
	var fps []string
	if err := s.read(ctx).Raw("SELECT fingerprint FROM key_fingerprint WHERE id = 1").Scan(&fps).Error; err != nil {
		return rec, wrap(err, "Key fingerprint")
	}
	if len(fps) > 0 {
		rec.Fingerprint = fps[0]
	}
	if err := s.read(ctx).Raw("SELECT EXISTS (SELECT 1 FROM participants)").Scan(&rec.Participants).Error; err != nil {
		return rec, wrap(err, "Participants")
	}
	return rec, nil
}

// RecordKeyFingerprint keeps fp as the fingerprint of the key in use, replacing any other.
func (s *Store) RecordKeyFingerprint(ctx context.Context, fp string) error {
	return s.write(ctx, func(db *gorm.DB) error {
		return wrap(db.Exec("INSERT INTO key_fingerprint (id, fingerprint, recorded_at) VALUES (1, ?, ?) "+
			"ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, recorded_at = excluded.recorded_at", fp, s.now()).Error, "Key fingerprint")
	})
}
