package panels

import (
	"context"
	"slices"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
)

// Shortlist takes longlisted ideas onto the panel's shortlist, or off it, all or none, each audited.
func (s *Service) Shortlist(ctx context.Context, panelID int64, ideaIDs []int64, on bool, u *gs.StaffUser) error {
	p, err := s.chaired(ctx, panelID, u)
	if err != nil {
		return err
	}
	if len(ideaIDs) == 0 {
		return gs.Errorf(gs.EINVALID, "Choose at least one idea to shortlist.")
	}
	action := "panel.shortlist"
	if !on {
		action = "panel.unshortlist"
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		for _, id := range ideaIDs {
			if err := tx.SetShortlisted(panelID, id, on); err != nil {
				return err
			}
			if err := tx.Audit(gs.AuditEntry{Actor: u.Actor(), Action: action, TargetType: "idea", TargetID: id, ChallengeID: p.ChallengeID,
				After: gs.Snapshot(map[string]any{"panel": panelID})}); err != nil {
				return err
			}
		}
		return nil
	})
}

// CreateProposal merges shortlisted ideas, with their suggestions of how to make them happen,
// into a draft change proposal. It keeps each source's votes as they stand now and the panel's
// score of each idea, so that the guide can show the evidence the panel had.
func (s *Service) CreateProposal(ctx context.Context, panelID int64, in gs.ProposalInput, u *gs.StaffUser) (*gs.Proposal, error) {
	p, err := s.chaired(ctx, panelID, u)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	short, err := s.store.Shortlist(ctx, panelID)
	if err != nil {
		return nil, err
	}
	for _, id := range in.Ideas {
		if !slices.Contains(short, id) {
			return nil, gs.FieldError("ideas", "Build proposals from shortlisted ideas only.")
		}
	}
	res, err := s.Results(ctx, panelID, u)
	if err != nil {
		return nil, err
	}
	scores := map[int64]float64{}
	for _, r := range res.Ideas {
		if r.Reviews > 0 {
			scores[r.Idea.IdeaID] = r.Score.Mean
		}
	}
	prop := &gs.Proposal{PanelID: panelID, ChallengeID: p.ChallengeID, Title: in.Title, Theme: in.Theme, Problem: in.Problem,
		Change: in.Change, Steps: in.Steps, Enablers: in.Enablers, Blockers: in.Blockers, Evidence: in.Evidence, Owner: in.Owner}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if prop.Sources, err = tx.Snapshot(in.Ideas); err != nil {
			return err
		}
		for i := range prop.Sources {
			if sc, ok := scores[prop.Sources[i].TargetID]; ok && prop.Sources[i].Kind == gs.TargetIdea {
				prop.Sources[i].PanelScore = &sc
			}
		}
		if err := tx.InsertProposal(prop); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: u.Actor(), Action: "proposal.create", TargetType: "proposal", TargetID: prop.ID, ChallengeID: p.ChallengeID,
			After: gs.Snapshot(map[string]any{"title": prop.Title, "ideas": in.Ideas, "status": prop.Status})})
	})
	if err != nil {
		return nil, err
	}
	return prop, nil
}

// Move takes a proposal to its next status, or out of the workflow with a reason; the
// workflow rule is gs.CheckTransition, and every move is audited.
func (s *Service) Move(ctx context.Context, proposalID int64, to gs.ProposalStatus, reason string, u *gs.StaffUser) error {
	if _, err := s.Proposal(ctx, proposalID, u); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := tx.LockProposal(proposalID)
		if err != nil {
			return err
		}
		if err := gs.CheckTransition(p.Status, to, reason); err != nil {
			return err
		}
		if to != gs.ProposalNotTakenForward {
			reason = ""
		}
		if err := tx.SetProposalStatus(proposalID, to, reason); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: u.Actor(), Action: "proposal.status", TargetType: "proposal", TargetID: proposalID,
			ChallengeID: p.ChallengeID, Reason: reason,
			Before: gs.Snapshot(map[string]any{"status": p.Status}), After: gs.Snapshot(map[string]any{"status": to})})
	})
}

// Proposal returns one proposal with its sources, for its panel's chairs.
func (s *Service) Proposal(ctx context.Context, id int64, u *gs.StaffUser) (*gs.Proposal, error) {
	p, err := s.store.Proposal(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.chaired(ctx, p.PanelID, u); err != nil {
		if gs.ErrorCode(err) == gs.ENOTFOUND {
			return nil, gs.Errorf(gs.ENOTFOUND, "There is no proposal number %d among yours.", id)
		}
		return nil, err
	}
	// A proposal shows the panel's scores of its sources.
	if err := s.reviewedAll(ctx, p.PanelID, u); err != nil {
		return nil, err
	}
	return p, nil
}

// Proposals returns a panel's proposals, for its chairs.
func (s *Service) Proposals(ctx context.Context, panelID int64, u *gs.StaffUser) ([]gs.Proposal, error) {
	if _, err := s.chaired(ctx, panelID, u); err != nil {
		return nil, err
	}
	return s.store.Proposals(ctx, 0, panelID)
}

// Shortlisted returns the ids of a panel's shortlist, for its chairs.
func (s *Service) Shortlisted(ctx context.Context, panelID int64, u *gs.StaffUser) ([]int64, error) {
	if _, err := s.chaired(ctx, panelID, u); err != nil {
		return nil, err
	}
	return s.store.Shortlist(ctx, panelID)
}

// Funnel counts a challenge's way from contributions to published proposals.
type Funnel = store.Funnel

// Guide is a challenge's public change guide: its published proposals grouped by theme, with
// their evidence, and the funnel from contributions to proposals.
type Guide struct {
	Challenge *gs.Challenge
	Themes    []GuideTheme
	Funnel    Funnel
	Count     int
}

// GuideTheme is one theme's proposals.
type GuideTheme struct {
	Theme     string
	Proposals []gs.Proposal
}

// GuideOf returns the change guide of a public challenge.
func (s *Service) GuideOf(ctx context.Context, slug string) (*Guide, error) {
	c, err := s.store.ChallengeBySlug(ctx, slug)
	if gs.ErrorCode(err) == gs.ENOTFOUND || (err == nil && !c.Phase.Public()) {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no change guide at this address.")
	}
	if err != nil {
		return nil, err
	}
	list, err := s.store.Proposals(ctx, c.ID, 0, gs.ProposalPublished, gs.ProposalInProgress, gs.ProposalImplemented)
	if err != nil {
		return nil, err
	}
	g := &Guide{Challenge: c, Count: len(list)}
	for _, p := range list {
		theme := p.Theme
		if theme == "" {
			theme = "Other changes"
		}
		if n := len(g.Themes); n == 0 || g.Themes[n-1].Theme != theme {
			g.Themes = append(g.Themes, GuideTheme{Theme: theme})
		}
		g.Themes[len(g.Themes)-1].Proposals = append(g.Themes[len(g.Themes)-1].Proposals, p)
	}
	if g.Funnel, err = s.store.FunnelOf(ctx, c.ID); err != nil {
		return nil, err
	}
	return g, nil
}

// PublicProposalsOf lists the public proposals an idea went into.
func (s *Service) PublicProposalsOf(ctx context.Context, ideaID int64) ([]gs.Proposal, error) {
	return s.store.PublicProposalsOf(ctx, ideaID)
}
