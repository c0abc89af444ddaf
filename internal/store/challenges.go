package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

type challengeRow struct {
	ID                   int64 `gorm:"primaryKey"`
	Slug                 string
	Title                string
	BriefMD              string `gorm:"column:brief_md"`
	BriefHTML            string `gorm:"column:brief_html"`
	Phase                string
	HideCountsUntilVoted bool
	SharedDevices        bool
	ReportThreshold      int     `gorm:"default:3"`   // left out of an insert when 0, so the schema's default applies
	ExploreShare         float64 `gorm:"default:0.2"` // likewise the other defaults of migration 00003
	GatherMin            int     `gorm:"default:30"`
	FairMean             float64 `gorm:"default:0.1"`
	Premoderate          bool
	HeldWords            string
	StockReasons         string
	AccessMode           string `gorm:"default:open"`
	ReadWithoutCode      *bool  `gorm:"default:true"`
	OpensAt              *time.Time
	VotingAt             *time.Time
	ReviewAt             *time.Time
	RetentionDays        int `gorm:"default:90"`
	StaffGroups          string
	Regions              string
	StandingMinutes      int `gorm:"default:10"`
	EndedAt              *time.Time
	CreatedAt            time.Time
}

func (challengeRow) TableName() string { return "challenges" }

type questionRow struct {
	ID          int64 `gorm:"primaryKey"`
	ChallengeID int64
	Position    int
	Title       string
	Prompt      string
}

func (questionRow) TableName() string { return "questions" }

type themeRow struct {
	ID          int64 `gorm:"primaryKey"`
	ChallengeID int64
	Slug        string
	Name        string
}

func (themeRow) TableName() string { return "themes" }

func (r challengeRow) domain() gs.Challenge {
	return gs.Challenge{
		ID: r.ID, Slug: r.Slug, Title: r.Title, BriefMD: r.BriefMD, BriefHTML: gs.HTML(r.BriefHTML),
		Phase: gs.Phase(r.Phase), HideCountsUntilVoted: r.HideCountsUntilVoted, SharedDevices: r.SharedDevices, CreatedAt: r.CreatedAt,
		ReportThreshold: r.ReportThreshold, Premoderate: r.Premoderate, HeldWords: r.HeldWords, StockReasons: r.StockReasons,
		ExploreShare: r.ExploreShare, GatherMin: r.GatherMin, FairMean: r.FairMean,
		Access: gs.AccessMode(r.AccessMode), ReadWithoutCode: r.ReadWithoutCode == nil || *r.ReadWithoutCode,
		Schedule:      gs.Schedule{OpensAt: r.OpensAt, VotingAt: r.VotingAt, ReviewAt: r.ReviewAt},
		RetentionDays: r.RetentionDays, EndedAt: r.EndedAt, StaffGroups: r.StaffGroups, Regions: r.Regions, StandingMinutes: r.StandingMinutes,
	}
}

// CreateChallenge inserts c with its questions and themes, filling in their ids.
func (s *Store) CreateChallenge(ctx context.Context, c *gs.Challenge) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.InsertChallenge(c) })
}

// InsertChallenge inserts c with its questions and themes inside a write, filling in their ids.
func (t *Tx) InsertChallenge(c *gs.Challenge) error {
	s, tx := t.s, t.db
	row := challengeRow{
		Slug: c.Slug, Title: c.Title, BriefMD: c.BriefMD, BriefHTML: string(c.BriefHTML),
		Phase: string(c.Phase), HideCountsUntilVoted: c.HideCountsUntilVoted, SharedDevices: c.SharedDevices, CreatedAt: s.now(),
		ReportThreshold: c.ReportThreshold, Premoderate: c.Premoderate, HeldWords: c.HeldWords,
		ExploreShare: c.ExploreShare, GatherMin: c.GatherMin, FairMean: c.FairMean,
		AccessMode: string(c.Access), ReadWithoutCode: &c.ReadWithoutCode,
		OpensAt: c.Schedule.OpensAt, VotingAt: c.Schedule.VotingAt, ReviewAt: c.Schedule.ReviewAt,
		RetentionDays: c.RetentionDays, StaffGroups: c.StaffGroups, Regions: c.Regions,
	}
	if c.Access == "" {
		row.ReadWithoutCode = nil // the schema's defaults: open to all, readable by all
	}
	if err := tx.Create(&row).Error; err != nil {
		return wrap(err, "A challenge with this slug")
	}
	c.ID, c.CreatedAt, c.ReportThreshold = row.ID, row.CreatedAt, row.ReportThreshold
	c.ExploreShare, c.GatherMin, c.FairMean = row.ExploreShare, row.GatherMin, row.FairMean
	c.Access, c.ReadWithoutCode = gs.AccessMode(row.AccessMode), row.ReadWithoutCode == nil || *row.ReadWithoutCode
	c.RetentionDays = row.RetentionDays
	for i := range c.Questions {
		q := &c.Questions[i]
		qr := questionRow{ChallengeID: c.ID, Position: i + 1, Title: q.Title, Prompt: q.Prompt}
		if err := tx.Create(&qr).Error; err != nil {
			return wrap(err, "Question")
		}
		q.ID, q.ChallengeID, q.Position = qr.ID, c.ID, qr.Position
	}
	for i := range c.Themes {
		th := &c.Themes[i]
		tr := themeRow{ChallengeID: c.ID, Slug: th.Slug, Name: th.Name}
		if err := tx.Create(&tr).Error; err != nil {
			return wrap(err, "A theme with this slug")
		}
		th.ID, th.ChallengeID = tr.ID, c.ID
	}
	return nil
}

// SetPhase moves a challenge to phase.
func (s *Store) SetPhase(ctx context.Context, challengeID int64, phase gs.Phase) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&challengeRow{}).Where("id = ?", challengeID).Update("phase", string(phase))
		if res.Error != nil {
			return wrap(res.Error, "Challenge")
		}
		if res.RowsAffected == 0 {
			return gs.Errorf(gs.ENOTFOUND, "Challenge was not found.")
		}
		return nil
	})
}

// SetHideCountsUntilVoted switches the per-challenge anti-herding setting.
func (s *Store) SetHideCountsUntilVoted(ctx context.Context, challengeID int64, on bool) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return wrap(tx.Model(&challengeRow{}).Where("id = ?", challengeID).
			Update("hide_counts_until_voted", on).Error, "Challenge")
	})
}

// ChallengeBySlug returns the challenge with its questions and themes.
func (s *Store) ChallengeBySlug(ctx context.Context, slug string) (*gs.Challenge, error) {
	var row challengeRow
	if err := s.read(ctx).Where("slug = ?", slug).Take(&row).Error; err != nil {
		return nil, wrap(err, "Challenge")
	}
	cs, err := s.withParts(ctx, []challengeRow{row})
	if err != nil {
		return nil, err
	}
	return &cs[0], nil
}

// ChallengeByID returns the challenge with its questions and themes.
func (s *Store) ChallengeByID(ctx context.Context, id int64) (*gs.Challenge, error) {
	var row challengeRow
	if err := s.read(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, wrap(err, "Challenge")
	}
	cs, err := s.withParts(ctx, []challengeRow{row})
	if err != nil {
		return nil, err
	}
	return &cs[0], nil
}

// Challenges returns the challenges in any of phases, newest first, with questions and themes.
func (s *Store) Challenges(ctx context.Context, phases ...gs.Phase) ([]gs.Challenge, error) {
	names := make([]string, len(phases))
	for i, p := range phases {
		names[i] = string(p)
	}
	var rows []challengeRow
	if err := s.read(ctx).Where("phase IN ?", names).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, wrap(err, "Challenges")
	}
	return s.withParts(ctx, rows)
}

// withParts loads the questions and themes of rows in two queries.
func (s *Store) withParts(ctx context.Context, rows []challengeRow) ([]gs.Challenge, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var qs []questionRow
	if err := s.read(ctx).Where("challenge_id IN ?", ids).Order("challenge_id, position").Find(&qs).Error; err != nil {
		return nil, wrap(err, "Questions")
	}
	var ts []themeRow
	if err := s.read(ctx).Where("challenge_id IN ?", ids).Order("challenge_id, name").Find(&ts).Error; err != nil {
		return nil, wrap(err, "Themes")
	}
	out := make([]gs.Challenge, len(rows))
	index := map[int64]int{}
	for i, r := range rows {
		out[i] = r.domain()
		index[r.ID] = i
	}
	for _, q := range qs {
		c := &out[index[q.ChallengeID]]
		c.Questions = append(c.Questions, gs.Question(q))
	}
	for _, t := range ts {
		c := &out[index[t.ChallengeID]]
		c.Themes = append(c.Themes, gs.Theme(t))
	}
	return out, nil
}

// SetFairMean stores a challenge's mean up-votes per impression, the centre of the fair prior.
func (tx *Tx) SetFairMean(challengeID int64, mean float64) error {
	return wrap(tx.db.Exec("UPDATE challenges SET fair_mean = ? WHERE id = ?", mean, challengeID).Error, "Challenge")
}
