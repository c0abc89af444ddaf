package campaigns

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
)

// Purged counts what one retention run removed.
type Purged = store.Purged

// participantSlice is how many participant ids one purge transaction looks at, so that the
// single writer is never held for long.
const participantSlice = 5000

// retentionAction is the audit action of a retention run.
const retentionAction = "retention.purge"

// Purge applies the retention policy once, by the store's clock: for every challenge whose
// retention has run out since it ended, the rows that only served taking part; everywhere,
// participant tokens nothing refers to, ended staff sessions and spent sign-up links. Published
// content, votes, aggregates and the audit log stay. The run is audited with its counts, as one
// row, even when it removed nothing.
func (s *Service) Purge(ctx context.Context) (Purged, error) {
	var p Purged
	now := s.store.Now().UTC()
	ended, err := s.store.EndedChallenges(ctx)
	if err != nil {
		return p, err
	}
	var challenges []int64
	for _, c := range ended {
		if !c.PurgeDue(now) {
			continue
		}
		if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.PurgeChallenge(c.ID, now, &p) }); err != nil {
			return p, err
		}
		challenges = append(challenges, c.ID)
	}
	top, err := s.store.MaxParticipantID(ctx)
	if err != nil {
		return p, err
	}
	for from := int64(0); from < top; from += participantSlice {
		if err := s.store.Write(ctx, func(tx *store.Tx) error {
			return tx.PurgeIdleParticipants(from, min(from+participantSlice, top), &p)
		}); err != nil {
			return p, err
		}
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.PurgeStaffAccess(now, now.Add(-gs.StaffIdleTimeout), now.Add(-gs.StaffAbsoluteTimeout), &p); err != nil {
			return err
		}
		counts, _ := json.Marshal(p)
		return tx.Audit(gs.AuditEntry{Actor: gs.SystemActor, Action: retentionAction, TargetType: "retention",
			Reason: "daily retention run", Before: gs.Snapshot(map[string]any{"challenges_past_retention": challenges}), After: string(counts)})
	})
	return p, err
}

// RunRetention purges once a day, checking every interval whether today's run has happened (the
// audit log says), so that restarts neither skip a day nor run twice.
func (s *Service) RunRetention(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.PurgeIfDue(ctx, log); err != nil && ctx.Err() == nil {
			log.Error("retention run", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PurgeIfDue runs the retention purge unless it has already run today (by the store's clock, in
// UTC), and reports whether it ran.
func (s *Service) PurgeIfDue(ctx context.Context, log *slog.Logger) (bool, error) {
	now := s.store.Now().UTC()
	last, err := s.store.LastAuditOf(ctx, retentionAction, now)
	if err != nil {
		return false, err
	}
	if !last.IsZero() && last.UTC().Format(time.DateOnly) == now.Format(time.DateOnly) {
		return false, nil
	}
	p, err := s.Purge(ctx)
	if err == nil {
		log.Info("retention run", "memberships", p.Memberships, "invite_codes", p.UnusedInviteCodes, "suspensions", p.ExpiredSuspensions,
			"report_details", p.DismissedReportText, "participants", p.IdleParticipants, "staff_sessions", p.StaffSessions, "staff_links", p.StaffLinks)
	}
	return err == nil, err
}
