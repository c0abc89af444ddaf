package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// Namer proposes a pseudonym for a participant in a challenge; attempt counts collisions so far.
type Namer func(attempt int) string

// participantID returns the id for tokenHash inside tx, creating the participant on first write.
func participantID(tx *gorm.DB, tokenHash string) (int64, error) {
	if tokenHash == "" {
		return 0, gs.Errorf(gs.EFORBIDDEN, "Your browser did not send its participation cookie. Allow cookies for this site and try again.")
	}
	if err := tx.Exec("INSERT INTO participants (token_hash) VALUES (?) ON CONFLICT (token_hash) DO NOTHING", tokenHash).Error; err != nil {
		return 0, wrap(err, "Participant")
	}
	var id int64
	if err := tx.Raw("SELECT id FROM participants WHERE token_hash = ?", tokenHash).Scan(&id).Error; err != nil {
		return 0, wrap(err, "Participant")
	}
	if id == 0 {
		return 0, errors.New("store: participant vanished after insert")
	}
	return id, nil
}

// lookupParticipant returns the id for tokenHash on the read side, or 0 if they never wrote.
func (s *Store) lookupParticipant(ctx context.Context, tokenHash string) (int64, error) {
	if tokenHash == "" {
		return 0, nil
	}
	var id int64
	err := s.read(ctx).Raw("SELECT id FROM participants WHERE token_hash = ?", tokenHash).Scan(&id).Error
	return id, wrap(err, "Participant")
}

// alias returns the participant's pseudonym in a challenge, choosing one on first use. Names are
// unique within a challenge, so a collision asks namer for the next candidate.
func alias(tx *gorm.DB, challengeID, participantID int64, namer Namer) (string, error) {
	const maxAttempts = 64
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var name string
		if err := tx.Raw("SELECT name FROM aliases WHERE challenge_id = ? AND participant_id = ?",
			challengeID, participantID).Scan(&name).Error; err != nil {
			return "", wrap(err, "Pseudonym")
		}
		if name != "" {
			return name, nil
		}
		res := tx.Exec("INSERT INTO aliases (challenge_id, participant_id, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			challengeID, participantID, namer(attempt))
		if res.Error != nil {
			return "", wrap(res.Error, "Pseudonym")
		}
	}
	return "", errors.New("store: no free pseudonym after many attempts")
}

// ParticipantByToken returns the participant id for a token hash, or 0 if they never wrote.
func (s *Store) ParticipantByToken(ctx context.Context, tokenHash string) (int64, error) {
	return s.lookupParticipant(ctx, tokenHash)
}

// author resolves who is posting in a challenge: their participant id, created on first write,
// and their pseudonym there. A participant a moderator has suspended in the challenge is refused.
func (s *Store) author(tx *gorm.DB, tokenHash string, challengeID int64, namer Namer) (int64, string, error) {
	pid, err := participantID(tx, tokenHash)
	if err != nil {
		return 0, "", err
	}
	if err := s.checkSuspension(tx, pid, challengeID); err != nil {
		return 0, "", err
	}
	name, err := alias(tx, challengeID, pid, namer)
	return pid, name, err
}
