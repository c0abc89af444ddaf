package store

import (
	"context"
	"errors"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// Namer proposes a pseudonym for a participant in a challenge; attempt counts collisions so far.
type Namer func(attempt int) string

// Participant returns the id for a token hash, creating the participant on their first write.
func (tx *Tx) Participant(h gs.TokenHash) (int64, error) {
	if h == "" {
		return 0, gs.Errorf(gs.EFORBIDDEN, "Your browser did not send its participation cookie. Allow cookies for this site and try again.").
			Because(gs.ReasonNoParticipant)
	}
	if err := tx.db.Exec("INSERT INTO participants (token_hash) VALUES (?) ON CONFLICT (token_hash) DO NOTHING", string(h)).Error; err != nil {
		return 0, wrap(err, "Participant")
	}
	var id int64
	if err := tx.db.Raw("SELECT id FROM participants WHERE token_hash = ?", string(h)).Scan(&id).Error; err != nil {
		return 0, wrap(err, "Participant")
	}
	if id == 0 {
		return 0, errors.New("store: participant vanished after insert")
	}
	return id, nil
}

// ParticipantByToken returns the participant id for a token hash, or 0 if they never wrote.
func (s *Store) ParticipantByToken(ctx context.Context, h gs.TokenHash) (int64, error) {
	if h == "" {
		return 0, nil
	}
	var id int64
	err := s.read(ctx).Raw("SELECT id FROM participants WHERE token_hash = ?", string(h)).Scan(&id).Error
	return id, wrap(err, "Participant")
}

// Alias returns the participant's pseudonym in a challenge, choosing one on first use. Names are
// unique within a challenge, so a collision asks namer for the next candidate.
func (tx *Tx) Alias(challengeID, participantID int64, namer Namer) (string, error) {
	const maxAttempts = 64
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var name string
		if err := tx.db.Raw("SELECT name FROM aliases WHERE challenge_id = ? AND participant_id = ?",
			challengeID, participantID).Scan(&name).Error; err != nil {
			return "", wrap(err, "Pseudonym")
		}
		if name != "" {
			return name, nil
		}
		res := tx.db.Exec("INSERT INTO aliases (challenge_id, participant_id, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			challengeID, participantID, namer(attempt))
		if res.Error != nil {
			return "", wrap(res.Error, "Pseudonym")
		}
	}
	return "", errors.New("store: no free pseudonym after many attempts")
}

// LatestSuspension returns the suspension of a participant in a challenge that runs longest, or
// nil when there has never been one. Whether it is still in force is the caller's rule.
func (tx *Tx) LatestSuspension(participantID, challengeID int64) (*gs.Suspension, error) {
	var row struct {
		Until  time.Time
		Reason string
	}
	if err := tx.db.Raw("SELECT until, reason FROM suspensions WHERE participant_id = ? AND challenge_id = ? ORDER BY until DESC LIMIT 1",
		participantID, challengeID).Scan(&row).Error; err != nil {
		return nil, wrap(err, "Suspension")
	}
	if row.Until.IsZero() {
		return nil, nil
	}
	return &gs.Suspension{Until: row.Until, Reason: row.Reason}, nil
}

// InsertSuspension pauses a participant's posting in a challenge until the given time.
func (tx *Tx) InsertSuspension(participantID, challengeID int64, until time.Time, reason string) error {
	return wrap(tx.db.Exec("INSERT INTO suspensions (participant_id, challenge_id, until, reason, created_at) VALUES (?, ?, ?, ?, ?)",
		participantID, challengeID, until.UTC(), reason, tx.Now()).Error, "Suspension")
}
