// Package campaigns runs a challenge from the browser: an admin sets it up and edits it, moves it
// through its phases by hand or by schedule, and opens it to invited staff with one-time codes
// that participants redeem without ever being linked to them.
package campaigns

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/gosimple/slug"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/store"
)

// Service runs challenges.
type Service struct {
	store *store.Store
	md    *markup.Renderer
	keys  *anonymity.Keys
	// Loc is where scheduled dates fall at midnight: the server's own time zone by default.
	Loc *time.Location
}

// New returns the service.
func New(st *store.Store, md *markup.Renderer, keys *anonymity.Keys) *Service {
	return &Service{store: st, md: md, keys: keys, Loc: time.Local}
}

// Create sets up a new challenge as a draft, which no participant can see until it opens.
func (s *Service) Create(ctx context.Context, in gs.ChallengeForm, by gs.Actor) (*gs.Challenge, error) {
	if in.Slug == "" {
		in.Slug = limitSlug(slug.Make(in.Title))
	}
	ok, err := gs.CheckChallengeForm(in, s.Loc)
	if err != nil {
		return nil, err
	}
	c := &gs.Challenge{Slug: ok.Slug, Title: ok.Title, BriefMD: ok.Brief, BriefHTML: s.md.Render(ok.Brief), Phase: gs.PhaseDraft,
		HideCountsUntilVoted: ok.HideCountsUntilVoted, SharedDevices: ok.SharedDevices, Access: ok.Access, ReadWithoutCode: ok.ReadWithoutCode, Schedule: ok.Schedule,
		RetentionDays: ok.Retention, StaffGroups: ok.StaffGroups, Regions: ok.Regions}
	for _, q := range ok.Questions {
		if q.Title != "" {
			c.Questions = append(c.Questions, gs.Question{Title: q.Title, Prompt: q.Prompt})
		}
	}
	c.Themes = newThemes(ok.Themes, nil)
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := checkSlug(tx, c.Slug, 0); err != nil {
			return err
		}
		if err := tx.InsertChallenge(c); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "challenge.create", TargetType: "challenge", TargetID: c.ID, ChallengeID: c.ID,
			After: snapshot(c)})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Update saves an edited set-up. The web address is fixed once the challenge has opened, since
// links to it are out in the world by then.
func (s *Service) Update(ctx context.Context, id int64, in gs.ChallengeForm, by gs.Actor) error {
	ok, err := gs.CheckChallengeForm(in, s.Loc)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.LockChallengeForUpdate(id)
		if err != nil {
			return err
		}
		if ok.Slug != before.Slug && before.Phase != gs.PhaseDraft {
			msg := "The web address cannot change once the challenge has opened: people have links to it."
			return &gs.Error{Code: gs.EINVALID, Message: msg, Fields: map[string]string{"slug": msg}}
		}
		if err := checkSlug(tx, ok.Slug, id); err != nil {
			return err
		}
		after := *before
		after.Title, after.Slug, after.BriefMD, after.BriefHTML = ok.Title, ok.Slug, ok.Brief, s.md.Render(ok.Brief)
		after.Access, after.ReadWithoutCode, after.HideCountsUntilVoted, after.Schedule = ok.Access, ok.ReadWithoutCode, ok.HideCountsUntilVoted, ok.Schedule
		after.RetentionDays, after.StaffGroups, after.Regions = ok.Retention, ok.StaffGroups, ok.Regions
		after.SharedDevices = ok.SharedDevices
		if err := tx.UpdateChallenge(id, store.ChallengeSetup{Title: after.Title, Slug: after.Slug, BriefMD: after.BriefMD,
			BriefHTML: string(after.BriefHTML), Access: after.Access, ReadWithoutCode: after.ReadWithoutCode,
			HideCountsUntilVoted: after.HideCountsUntilVoted, SharedDevices: after.SharedDevices, Schedule: after.Schedule, RetentionDays: after.RetentionDays,
			StaffGroups: after.StaffGroups, Regions: after.Regions}); err != nil {
			return err
		}
		parts, err := tx.SetupParts(id)
		if err != nil {
			return err
		}
		if err := gs.CheckSetupEdit(parts, ok.Questions, ok.Themes); err != nil {
			return err
		}
		if err := tx.SetQuestions(id, ok.Questions); err != nil {
			return err
		}
		existing, err := tx.ThemeSlugs(id)
		if err != nil {
			return err
		}
		if err := tx.SetThemes(id, newThemes(ok.Themes, existing)); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "challenge.edit", TargetType: "challenge", TargetID: id, ChallengeID: id,
			Before: snapshot(before), After: snapshot(&after)})
	})
}

// Move puts a challenge in another phase by hand.
func (s *Service) Move(ctx context.Context, id int64, to gs.Phase, by gs.Actor) error {
	return s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.LockChallengeForUpdate(id)
		if err != nil {
			return err
		}
		if c.Phase == to {
			return nil
		}
		if err := gs.CheckPhaseChange(c.Phase, to); err != nil {
			return err
		}
		return s.move(tx, c, to, by)
	})
}

func (s *Service) move(tx *store.Tx, c *gs.Challenge, to gs.Phase, by gs.Actor) error {
	ended := c.EndedAt
	switch {
	case !to.Ended():
		ended = nil
	case ended == nil || !c.Phase.Ended():
		now := tx.Now()
		ended = &now
	}
	if err := tx.SetPhase(c.ID, to, ended); err != nil {
		return err
	}
	return tx.Audit(gs.AuditEntry{Actor: by, Action: "challenge.phase", TargetType: "challenge", TargetID: c.ID, ChallengeID: c.ID,
		Before: gs.Snapshot(map[string]any{"phase": c.Phase}), After: gs.Snapshot(map[string]any{"phase": to})})
}

// AdvanceDue makes every scheduled phase change whose time has come, by the store's clock, and
// returns how many challenges moved. Each change is audited as the system's.
func (s *Service) AdvanceDue(ctx context.Context) (int, error) {
	due, err := s.store.DueChallenges(ctx, s.store.Now().UTC())
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, d := range due {
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			c, err := tx.LockChallengeForUpdate(d.ID) // read again: an admin may have moved it meanwhile
			if err != nil {
				return err
			}
			to, ok := c.Schedule.Due(c.Phase, tx.Now())
			if !ok {
				return nil
			}
			moved++
			return s.move(tx, c, to, gs.SystemActor)
		})
		if err != nil {
			return moved, err
		}
	}
	return moved, nil
}

// InviteBatch is a set of invite codes minted at once, with how many were spent.
type InviteBatch = store.InviteBatch

// Run makes due phase changes every interval until ctx ends, logging each run that moved a
// challenge and each failure.
func (s *Service) Run(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		switch n, err := s.AdvanceDue(ctx); {
		case err != nil && ctx.Err() == nil:
			log.Error("scheduled phase changes", "err", err)
		case n > 0:
			log.Info("scheduled phase changes", "challenges", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Batch is a batch of invite codes with its codes, formatted for print.
type Batch struct {
	InviteBatch
	Codes []string
}

// Mint makes n one-time invite codes for an invite-only challenge. Only their keyed hashes are
// stored; the codes can be fetched again with Codes.
func (s *Service) Mint(ctx context.Context, challengeID int64, n int, label string, by gs.Actor) (*store.InviteBatch, error) {
	var b *store.InviteBatch
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.LockChallengeForUpdate(challengeID)
		if err != nil {
			return err
		}
		label, err := gs.CheckMint(c.Access, n, label)
		if err != nil {
			return err
		}
		now := tx.Now()
		b = &store.InviteBatch{ChallengeID: c.ID, Size: n, Label: label, CreatedOn: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}
		if err := tx.CreateInviteBatch(b); err != nil {
			return err
		}
		hashes := make([]string, n)
		for i := range hashes {
			hashes[i] = s.keys.InviteHash(s.keys.InviteCode(b.ID, i))
		}
		if err := tx.InsertInviteCodes(b.ID, c.ID, hashes); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "invite.mint", TargetType: "invite_batch", TargetID: b.ID, ChallengeID: c.ID,
			After: gs.Snapshot(map[string]any{"codes": n, "label": label})})
	})
	return b, err
}

// Batches lists a challenge's batches of invite codes, newest first.
func (s *Service) Batches(ctx context.Context, challengeID int64) ([]store.InviteBatch, error) {
	return s.store.InviteBatches(ctx, challengeID)
}

// Codes returns a batch with every one of its codes, spent or not, as printed: the server does
// not know, and does not show, which code went to whom or which were used.
func (s *Service) Codes(ctx context.Context, challengeID, batchID int64) (*Batch, error) {
	b, err := s.store.InviteBatch(ctx, challengeID, batchID)
	if err != nil {
		return nil, err
	}
	out := &Batch{InviteBatch: *b, Codes: make([]string, b.Size)}
	for i := range out.Codes {
		out.Codes[i] = gs.FormatInviteCode(s.keys.InviteCode(b.ID, i))
	}
	return out, nil
}

// Joined is the outcome of redeeming a code.
type Joined struct {
	Challenge *gs.Challenge
	// Already is set when this browser had joined the challenge before; the code was not spent.
	Already bool
}

// Join redeems an invite code for the participant with token hash h. The code is deleted and the
// participant becomes a member of its challenge, in one transaction and with nothing that links
// the two: no time, no order, no code kept beside the membership.
func (s *Service) Join(ctx context.Context, h gs.TokenHash, raw string) (*Joined, error) {
	code, err := gs.NormalizeInviteCode(raw)
	if err != nil {
		return nil, err
	}
	hash := s.keys.InviteHash(code)
	var out Joined
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		challengeID, err := tx.InviteCodeChallenge(hash)
		if err != nil {
			return err
		}
		if challengeID == 0 {
			msg := "This code does not work: it is not one we made, or it has already been used. Check it against the one you were given; each code works once."
			return &gs.Error{Code: gs.EINVALID, Message: msg, Fields: map[string]string{"code": msg}}
		}
		c, err := tx.LockChallenge(challengeID)
		if err != nil {
			return err
		}
		if !c.Phase.Public() {
			return gs.Errorf(gs.ECONFLICT, "This challenge has not opened yet. Keep your code and use it once the challenge opens.")
		}
		out.Challenge = c
		pid, err := tx.Participant(h)
		if err != nil {
			return err
		}
		if out.Already, err = tx.IsMemberTx(challengeID, pid); err != nil || out.Already {
			return err // already in: the code stays unspent for someone else
		}
		if _, err := tx.SpendInviteCode(hash); err != nil {
			return err
		}
		_, err = tx.AddMember(challengeID, pid)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// IsMember reports whether the participant has redeemed a code for the challenge.
func (s *Service) IsMember(ctx context.Context, c *gs.Challenge, h gs.TokenHash) (bool, error) {
	if c.Access != gs.AccessInvite {
		return false, nil
	}
	return s.store.IsMember(ctx, c.ID, h)
}

// newThemes turns checked themes into the store's: new ones get a slug from their name, unique
// among the challenge's existing slugs.
func newThemes(in []gs.ThemeForm, existing []string) []gs.Theme {
	taken := map[string]bool{}
	for _, s := range existing {
		taken[s] = true
	}
	out := make([]gs.Theme, 0, len(in))
	for _, t := range in {
		th := gs.Theme{ID: t.ID, Name: t.Name}
		if t.ID == 0 {
			base := limitSlug(slug.Make(t.Name))
			if base == "" {
				base = "theme"
			}
			th.Slug = base
			for i := 2; taken[th.Slug]; i++ {
				th.Slug = base + "-" + strconv.Itoa(i)
			}
			taken[th.Slug] = true
		}
		out = append(out, th)
	}
	return out
}

func limitSlug(s string) string {
	if len(s) > 60 {
		s = s[:60]
	}
	for len(s) > 0 && s[len(s)-1] == '-' {
		s = s[:len(s)-1]
	}
	return s
}

// checkSlug refuses a web address another challenge has, beside its field.
func checkSlug(tx *store.Tx, slug string, id int64) error {
	taken, err := tx.SlugTaken(slug, id)
	if err != nil || !taken {
		return err
	}
	msg := "Another challenge already has this web address. Choose another."
	return &gs.Error{Code: gs.EINVALID, Message: msg, Fields: map[string]string{"slug": msg}}
}

func snapshot(c *gs.Challenge) string {
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format("2006-01-02")
	}
	return gs.Snapshot(map[string]any{"title": c.Title, "slug": c.Slug, "access": c.Access, "read_without_code": c.ReadWithoutCode,
		"hide_counts_until_voted": c.HideCountsUntilVoted, "shared_devices": c.SharedDevices, "opens": at(c.Schedule.OpensAt), "voting": at(c.Schedule.VotingAt),
		"review": at(c.Schedule.ReviewAt), "brief_chars": len(c.BriefMD), "retention_days": c.RetentionDays,
		"staff_groups": c.StaffGroups, "regions": c.Regions})
}
