package store

import (
	"context"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// SetShortlisted takes a longlisted idea onto the panel's shortlist, or off it.
func (tx *Tx) SetShortlisted(panelID, ideaID int64, on bool) error {
	res := tx.db.Exec("UPDATE panel_longlist SET shortlisted = ? WHERE panel_id = ? AND idea_id = ?", on, panelID, ideaID)
	if res.Error != nil {
		return wrap(res.Error, "Shortlist")
	}
	if res.RowsAffected == 0 {
		return gs.Errorf(gs.ENOTFOUND, "Idea %d is not on this panel's longlist.", ideaID)
	}
	return nil
}

// Shortlist returns the ids of a panel's shortlisted ideas, in longlist order.
func (s *Store) Shortlist(ctx context.Context, panelID int64) ([]int64, error) {
	var ids []int64
	err := s.read(ctx).Raw("SELECT idea_id FROM panel_longlist WHERE panel_id = ? AND shortlisted = ? ORDER BY position", panelID, true).
		Scan(&ids).Error
	return ids, wrap(err, "Shortlist")
}

// Snapshot reads, inside the transaction, what a proposal keeps of each source idea and its
// visible suggestions of how to make it happen: titles and the votes as they stand now.
func (tx *Tx) Snapshot(ideaIDs []int64) ([]gs.ProposalSource, error) {
	var ideas []struct {
		ID                 int64
		Title              string
		Up, Down, Comments int
	}
	if err := tx.db.Raw("SELECT id, title, up, down, comments FROM ideas WHERE id IN ? AND status = ? ORDER BY id",
		ideaIDs, string(gs.StatusVisible)).Scan(&ideas).Error; err != nil {
		return nil, wrap(err, "Ideas")
	}
	var impls []struct {
		ID, IdeaID int64
		BodyMD     string `gorm:"column:body_md"`
		Up, Down   int
	}
	if err := tx.db.Raw("SELECT id, idea_id, body_md, up, down FROM comments WHERE idea_id IN ? AND kind = ? AND status = ? ORDER BY id",
		ideaIDs, string(gs.KindImplementation), string(gs.StatusVisible)).Scan(&impls).Error; err != nil {
		return nil, wrap(err, "Comments")
	}
	var out []gs.ProposalSource
	for _, i := range ideas {
		out = append(out, gs.ProposalSource{Kind: gs.TargetIdea, TargetID: i.ID, IdeaID: i.ID, Title: i.Title, Up: i.Up, Down: i.Down, Comments: i.Comments})
	}
	for _, c := range impls {
		title := []rune(c.BodyMD)
		if len(title) > 140 {
			title = append(title[:139], '…')
		}
		out = append(out, gs.ProposalSource{Kind: gs.TargetComment, TargetID: c.ID, IdeaID: c.IdeaID, Title: string(title), Up: c.Up, Down: c.Down})
	}
	return out, nil
}

// InsertProposal stores a proposal with its sources, filling in its id.
func (tx *Tx) InsertProposal(p *gs.Proposal) error {
	row := struct {
		ID                                                                          int64 `gorm:"primaryKey"`
		PanelID, ChallengeID                                                        int64
		Title, Theme, Problem, Proposed, Steps, Enablers, Blockers, Evidence, Owner string
		Status                                                                      string
		CreatedAt                                                                   time.Time
	}{PanelID: p.PanelID, ChallengeID: p.ChallengeID, Title: p.Title, Theme: p.Theme, Problem: p.Problem, Proposed: p.Change,
		Steps: p.Steps, Enablers: p.Enablers, Blockers: p.Blockers, Evidence: p.Evidence, Owner: p.Owner,
		Status: string(gs.ProposalDraft), CreatedAt: tx.Now()}
	if err := tx.db.Table("proposals").Create(&row).Error; err != nil {
		return wrap(err, "Proposal")
	}
	p.ID, p.Status, p.CreatedAt = row.ID, gs.ProposalDraft, row.CreatedAt
	for _, src := range p.Sources {
		kind := "idea"
		if src.Kind == gs.TargetComment {
			kind = "implementation"
		}
		if err := tx.db.Exec("INSERT INTO proposal_sources (proposal_id, kind, target_id, idea_id, title, up, down, comments, panel_score) "+
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", p.ID, kind, src.TargetID, src.IdeaID, src.Title, src.Up, src.Down, src.Comments, src.PanelScore).Error; err != nil {
			return wrap(err, "Proposal source")
		}
	}
	return nil
}

type proposalRow struct {
	ID, PanelID, ChallengeID                                                    int64
	Title, Theme, Problem, Proposed, Steps, Enablers, Blockers, Evidence, Owner string
	Status, StatusReason                                                        string
	CreatedAt                                                                   time.Time
}

func (r proposalRow) domain() gs.Proposal {
	return gs.Proposal{ID: r.ID, PanelID: r.PanelID, ChallengeID: r.ChallengeID, Title: r.Title, Theme: r.Theme, Problem: r.Problem,
		Change: r.Proposed, Steps: r.Steps, Enablers: r.Enablers, Blockers: r.Blockers, Evidence: r.Evidence, Owner: r.Owner,
		Status: gs.ProposalStatus(r.Status), StatusReason: r.StatusReason, CreatedAt: r.CreatedAt}
}

const proposalColumns = "id, panel_id, challenge_id, title, theme, problem, proposed, steps, enablers, blockers, evidence, owner, status, status_reason, created_at"

// LockProposal loads a proposal for update, for a change of status.
func (tx *Tx) LockProposal(id int64) (*gs.Proposal, error) {
	var r proposalRow
	if err := tx.db.Raw("SELECT "+proposalColumns+" FROM proposals p WHERE id = ?"+tx.s.lockRows("p"), id).Scan(&r).Error; err != nil {
		return nil, wrap(err, "Proposal")
	}
	if r.ID == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no proposal number %d.", id)
	}
	p := r.domain()
	return &p, nil
}

// SetProposalStatus moves a proposal to a status, with its reason.
func (tx *Tx) SetProposalStatus(id int64, st gs.ProposalStatus, reason string) error {
	return wrap(tx.db.Exec("UPDATE proposals SET status = ?, status_reason = ? WHERE id = ?", string(st), reason, id).Error, "Proposal")
}

// Proposals returns proposals with their sources: of a panel when panelID is not 0, else of a
// challenge, only those in the given statuses when any are given. Sources come in one query.
func (s *Store) Proposals(ctx context.Context, challengeID, panelID int64, statuses ...gs.ProposalStatus) ([]gs.Proposal, error) {
	db := s.read(ctx).Table("proposals").Select(proposalColumns)
	if panelID != 0 {
		db = db.Where("panel_id = ?", panelID)
	} else {
		db = db.Where("challenge_id = ?", challengeID)
	}
	if len(statuses) > 0 {
		names := make([]string, len(statuses))
		for i, st := range statuses {
			names[i] = string(st)
		}
		db = db.Where("status IN ?", names)
	}
	var rows []proposalRow
	if err := db.Order("theme, id").Scan(&rows).Error; err != nil {
		return nil, wrap(err, "Proposals")
	}
	out := make([]gs.Proposal, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	index := map[int64]int{}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		out[i], index[r.ID], ids[i] = r.domain(), i, r.ID
	}
	var srcs []struct {
		ProposalID, TargetID, IdeaID int64
		Kind, Title                  string
		Up, Down, Comments           int
		PanelScore                   *float64
	}
	if err := s.read(ctx).Raw("SELECT proposal_id, kind, target_id, idea_id, title, up, down, comments, panel_score FROM proposal_sources "+
		"WHERE proposal_id IN ? ORDER BY proposal_id, kind DESC, target_id", ids).Scan(&srcs).Error; err != nil {
		return nil, wrap(err, "Proposal sources")
	}
	for _, x := range srcs {
		kind := gs.TargetIdea
		if x.Kind == "implementation" {
			kind = gs.TargetComment
		}
		p := &out[index[x.ProposalID]]
		p.Sources = append(p.Sources, gs.ProposalSource{Kind: kind, TargetID: x.TargetID, IdeaID: x.IdeaID, Title: x.Title,
			Up: x.Up, Down: x.Down, Comments: x.Comments, PanelScore: x.PanelScore})
	}
	return out, nil
}

// Proposal returns one proposal with its sources.
func (s *Store) Proposal(ctx context.Context, id int64) (*gs.Proposal, error) {
	var r proposalRow
	if err := s.read(ctx).Raw("SELECT "+proposalColumns+" FROM proposals WHERE id = ?", id).Scan(&r).Error; err != nil {
		return nil, wrap(err, "Proposal")
	}
	if r.ID == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no proposal number %d.", id)
	}
	list, err := s.Proposals(ctx, 0, r.PanelID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return nil, gs.Errorf(gs.ENOTFOUND, "There is no proposal number %d.", id)
}

// PublicProposalsOf lists the public proposals an idea went into, for its page.
func (s *Store) PublicProposalsOf(ctx context.Context, ideaID int64) ([]gs.Proposal, error) {
	var rows []proposalRow
	err := s.read(ctx).Raw("SELECT "+proposalColumns+" FROM proposals WHERE status IN ? AND id IN (SELECT proposal_id FROM proposal_sources WHERE idea_id = ?) ORDER BY id",
		[]string{string(gs.ProposalPublished), string(gs.ProposalInProgress), string(gs.ProposalImplemented)}, ideaID).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "Proposals")
	}
	out := make([]gs.Proposal, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Funnel counts a challenge's way from contributions to proposals.
type Funnel struct {
	Ideas, Comments, Longlisted, Shortlisted, Proposals int
}

// FunnelOf counts a challenge's funnel; ideas come from the kept counts.
func (s *Store) FunnelOf(ctx context.Context, challengeID int64) (Funnel, error) {
	var f Funnel
	ideas, err := s.visibleCount(ctx, gs.IdeaQuery{ChallengeID: challengeID})
	if err != nil {
		return f, err
	}
	f.Ideas = ideas
	err = s.read(ctx).Raw("SELECT "+
		"(SELECT COALESCE(SUM(comments), 0) FROM ideas WHERE challenge_id = ? AND status = ?) AS comments, "+
		"(SELECT COUNT(DISTINCT l.idea_id) FROM panel_longlist l JOIN panels p ON p.id = l.panel_id WHERE p.challenge_id = ?) AS longlisted, "+
		"(SELECT COUNT(DISTINCT l.idea_id) FROM panel_longlist l JOIN panels p ON p.id = l.panel_id WHERE p.challenge_id = ? AND l.shortlisted = ?) AS shortlisted, "+
		"(SELECT COUNT(*) FROM proposals WHERE challenge_id = ? AND status IN ?) AS proposals",
		challengeID, string(gs.StatusVisible), challengeID, challengeID, true, challengeID,
		[]string{string(gs.ProposalPublished), string(gs.ProposalInProgress), string(gs.ProposalImplemented)}).Scan(&f).Error
	f.Ideas = ideas
	return f, wrap(err, "Funnel")
}
