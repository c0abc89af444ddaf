package store

import (
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
)

// Item is an idea or a comment with what the rules need to judge a write to it: its status and
// its idea's, its counts, and its challenge's phase and moderation settings.
type Item struct {
	Kind            gs.TargetKind
	ID              int64
	ChallengeID     int64
	IdeaID          int64 // the idea itself, or the idea a comment is on
	QuestionID      int64 // the idea's question
	ThemeID         int64 // the idea's theme, 0 for none
	ParticipantID   int64
	CommentKind     gs.CommentKind // comments only
	Status          gs.Status
	IdeaStatus      gs.Status // for a comment, its idea's status; for an idea, its own
	BodyMD          string
	Title           string // ideas only
	Up, Down        int
	Impressions     int // ideas only
	Unproven        int // ideas only: counted votes from browsers without standing
	CreatedAt       time.Time
	Phase           gs.Phase
	HideCounts      bool
	ReportThreshold int
	FairMean        float64
	GatherMin       int
	Access          gs.AccessMode // the challenge's
	StandingMinutes int           // the challenge's
}

// ItemLock says which rows LockItem locks on PostgreSQL besides the item's own.
type ItemLock int

// The lock modes. SQLite's single writer serializes every write, so there they change nothing.
const (
	// LockItemOnly locks the item row for update: votes, reports and moderation. The challenge
	// row is not locked, because votes are the hottest path and a vote landing in the instant a
	// phase changes is harmless.
	LockItemOnly ItemLock = iota
	// LockItemAndPhase also share-locks the challenge row, so that a phase change waits until a
	// new comment has committed.
	LockItemAndPhase
)

// LockItem loads an idea or comment for a write and locks it (FOR NO KEY UPDATE, so inserts
// that merely reference it are not blocked). Lock order, everywhere: item, then its moderation
// case, so that reports and moderators' actions never deadlock each other.
func (tx *Tx) LockItem(kind gs.TargetKind, id int64, mode ItemLock) (*Item, error) {
	var share []string
	if mode == LockItemAndPhase {
		share = []string{"c"}
	}
	var q string
	switch kind {
	case gs.TargetIdea:
		q = "SELECT 'idea' AS kind, i.id, i.challenge_id, i.id AS idea_id, i.question_id, COALESCE(i.theme_id, 0) AS theme_id, i.participant_id, '' AS comment_kind, i.status, " +
			"i.status AS idea_status, i.body_md, i.title, i.up, i.down, i.impressions, i.unproven, i.created_at, c.phase, c.hide_counts_until_voted AS hide_counts, " +
			"c.report_threshold, c.fair_mean, c.gather_min, c.access_mode, c.standing_minutes FROM ideas i JOIN challenges c ON c.id = i.challenge_id WHERE i.id = ?" + tx.s.lockRows("i", share...)
	case gs.TargetComment:
		q = "SELECT 'comment' AS kind, cm.id, i.challenge_id, cm.idea_id, i.question_id, COALESCE(i.theme_id, 0) AS theme_id, cm.participant_id, cm.kind AS comment_kind, cm.status, " +
			"i.status AS idea_status, cm.body_md, '' AS title, cm.up, cm.down, 0 AS impressions, 0 AS unproven, cm.created_at, c.phase, c.hide_counts_until_voted AS hide_counts, " +
			"c.report_threshold, c.fair_mean, c.gather_min, c.access_mode, c.standing_minutes FROM comments cm JOIN ideas i ON i.id = cm.idea_id JOIN challenges c ON c.id = i.challenge_id " +
			"WHERE cm.id = ?" + tx.s.lockRows("cm", share...)
	default:
		return nil, gs.Errorf(gs.EMALFORMED, "Only ideas and comments can be voted on, reported or moderated.")
	}
	var row struct {
		Kind            string
		ID              int64
		ChallengeID     int64
		IdeaID          int64
		QuestionID      int64
		ThemeID         int64
		ParticipantID   int64
		CommentKind     string
		Status          string
		IdeaStatus      string
		BodyMD          string `gorm:"column:body_md"`
		Title           string
		Up, Down        int
		Impressions     int
		Unproven        int
		CreatedAt       time.Time
		Phase           string
		HideCounts      bool
		ReportThreshold int
		FairMean        float64
		GatherMin       int
		AccessMode      string
		StandingMinutes int
	}
	if err := tx.db.Raw(q, id).Scan(&row).Error; err != nil {
		return nil, wrap(err, string(kind))
	}
	if row.ID == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no %s number %d.", kind, id)
	}
	return &Item{
		Kind: gs.TargetKind(row.Kind), ID: row.ID, ChallengeID: row.ChallengeID, IdeaID: row.IdeaID, QuestionID: row.QuestionID, ThemeID: row.ThemeID,
		ParticipantID: row.ParticipantID, CommentKind: gs.CommentKind(row.CommentKind), Status: gs.Status(row.Status),
		IdeaStatus: gs.Status(row.IdeaStatus), BodyMD: row.BodyMD, Title: row.Title, Up: row.Up, Down: row.Down, Impressions: row.Impressions, Unproven: row.Unproven,
		CreatedAt: row.CreatedAt, Phase: gs.Phase(row.Phase), HideCounts: row.HideCounts, ReportThreshold: row.ReportThreshold,
		FairMean: row.FairMean, GatherMin: row.GatherMin, Access: gs.AccessMode(row.AccessMode),
		StandingMinutes: row.StandingMinutes,
	}, nil
}

// table names the table behind a target kind; LockItem has already refused unknown kinds.
func table(kind gs.TargetKind) string {
	if kind == gs.TargetComment {
		return "comments"
	}
	return "ideas"
}

// SetStatus changes a contribution's status and the reason shown with it.
func (tx *Tx) SetStatus(kind gs.TargetKind, id int64, status gs.Status, reason string) error {
	return wrap(tx.db.Exec("UPDATE "+table(kind)+" SET status = ?, status_reason = ? WHERE id = ?", string(status), reason, id).Error,
		"Contribution")
}

// SetText replaces a contribution's text, for a redaction.
func (tx *Tx) SetText(kind gs.TargetKind, id int64, md string, html gs.HTML) error {
	return wrap(tx.db.Exec("UPDATE "+table(kind)+" SET body_md = ?, body_html = ? WHERE id = ?", md, string(html), id).Error,
		"Contribution")
}

// EditText replaces a contribution's text at its author's request and marks it edited; an
// idea's title changes with it (title is ignored for comments).
func (tx *Tx) EditText(kind gs.TargetKind, id int64, title, md string, html gs.HTML) error {
	q := tx.db.Table(table(kind)).Where("id = ?", id)
	set := map[string]any{"body_md": md, "body_html": string(html), "edited": true}
	if kind == gs.TargetIdea {
		set["title"] = title
	}
	return wrap(q.Updates(set).Error, "Contribution")
}

// ChangeStatus moves an item to a new status and keeps every count of visible contributions in
// step with it: the challenge's idea counts for an idea, and its idea's comment counters and
// discussion score for a comment. The rules for the deltas are the domain's.
func (tx *Tx) ChangeStatus(it *Item, to gs.Status, reason string) error {
	if err := tx.SetStatus(it.Kind, it.ID, to, reason); err != nil {
		return err
	}
	if it.Kind == gs.TargetIdea {
		if err := tx.AddIdeaCount(it.ChallengeID, it.QuestionID, it.ThemeID, gs.VisibilityDelta(it.Status, to)); err != nil {
			return err
		}
	}
	comments, impls := gs.CounterDelta(it.Kind, it.CommentKind, it.Status, to)
	if err := tx.AddToIdeaCounters(it.IdeaID, comments, impls); err != nil {
		return err
	}
	if comments != 0 {
		if err := tx.RefreshDiscussion(it.IdeaID); err != nil {
			return err
		}
	}
	it.Status = to
	return nil
}

// SetTitle replaces an idea's title, for a redaction.
func (tx *Tx) SetTitle(id int64, title string) error {
	return wrap(tx.db.Exec("UPDATE ideas SET title = ? WHERE id = ?", title, id).Error, "Idea")
}

// AddToIdeaCounters moves an idea's comment and implementation counters by the given amounts.
func (tx *Tx) AddToIdeaCounters(ideaID int64, comments, implementations int) error {
	if comments == 0 && implementations == 0 {
		return nil
	}
	return wrap(tx.db.Exec("UPDATE ideas SET comments = comments + ?, implementations = implementations + ? WHERE id = ?",
		comments, implementations, ideaID).Error, "Idea")
}

// CastVote is a participant's vote on an item as stored: its value (0 for none), whether it came
// from a browser without standing, and whether a moderator discounted it (idea votes only). A
// discounted vote is in no count.
type CastVote struct {
	Value                gs.VoteValue
	Unproven, Discounted bool
}

// VoteOf returns the participant's vote on an item.
func (tx *Tx) VoteOf(kind gs.TargetKind, id, participantID int64) (CastVote, error) {
	votes, key := voteTable(kind)
	var row struct {
		Value                int
		Unproven, Discounted bool
	}
	cols := "value, FALSE AS unproven, FALSE AS discounted"
	if kind == gs.TargetIdea {
		cols = "value, unproven, discounted"
	}
	err := tx.db.Raw("SELECT "+cols+" FROM "+votes+" WHERE "+key+" = ? AND participant_id = ?", id, participantID).Scan(&row).Error
	return CastVote{Value: gs.VoteValue(row.Value), Unproven: row.Unproven, Discounted: row.Discounted}, wrap(err, "Vote")
}

// AddUnproven moves an idea's count of counted votes from browsers without standing.
func (tx *Tx) AddUnproven(ideaID int64, delta int) error {
	return wrap(tx.db.Exec("UPDATE ideas SET unproven = unproven + ? WHERE id = ?", delta, ideaID).Error, "Idea")
}

// PutVote replaces the participant's vote old with v: insert, update or delete (v == 0). A new
// idea vote from a participant without standing is marked unproven.
func (tx *Tx) PutVote(kind gs.TargetKind, id, participantID int64, old, v gs.VoteValue, unproven bool) error {
	votes, key := voteTable(kind)
	var err error
	switch {
	case old == v:
		return nil
	case v == 0:
		err = tx.db.Exec("DELETE FROM "+votes+" WHERE "+key+" = ? AND participant_id = ?", id, participantID).Error
	case old == 0 && kind == gs.TargetIdea:
		err = tx.db.Exec("INSERT INTO idea_votes (idea_id, participant_id, value, unproven) VALUES (?, ?, ?, ?)", id, participantID, int(v), unproven).Error
	case old == 0:
		err = tx.db.Exec("INSERT INTO "+votes+" ("+key+", participant_id, value) VALUES (?, ?, ?)", id, participantID, int(v)).Error
	default:
		err = tx.db.Exec("UPDATE "+votes+" SET value = ? WHERE "+key+" = ? AND participant_id = ?", int(v), id, participantID).Error
	}
	return wrap(err, "Vote")
}

// DiscountUnproven stops counting an idea's unproven votes that still count, returning how many
// and the idea's counts of the votes that remain.
func (tx *Tx) DiscountUnproven(ideaID int64) (n int64, up, down int, err error) {
	res := tx.db.Exec("UPDATE idea_votes SET discounted = TRUE WHERE idea_id = ? AND unproven AND NOT discounted", ideaID)
	if res.Error != nil {
		return 0, 0, 0, wrap(res.Error, "Votes")
	}
	if err := tx.db.Exec("UPDATE ideas SET unproven = 0 WHERE id = ?", ideaID).Error; err != nil {
		return 0, 0, 0, wrap(err, "Idea")
	}
	var c struct{ Up, Down int }
	err = tx.db.Raw("SELECT COALESCE(SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END), 0) AS up, COALESCE(SUM(CASE WHEN value < 0 THEN 1 ELSE 0 END), 0) AS down "+
		"FROM idea_votes WHERE idea_id = ? AND NOT discounted", ideaID).Scan(&c).Error
	return res.RowsAffected, c.Up, c.Down, wrap(err, "Votes")
}

// Scores are an item's vote counters and the scores computed from them, stored together so
// that lists sort on indexed columns.
type Scores struct {
	Up, Down    int
	Score       float64
	Hot         float64 // ideas only
	Controversy float64 // ideas only
	Fair        float64 // ideas only
	Gathering   bool    // ideas only
}

// SetScores stores an item's counters and scores.
func (tx *Tx) SetScores(kind gs.TargetKind, id int64, sc Scores) error {
	set := map[string]any{"up": sc.Up, "down": sc.Down, "score": sc.Score}
	if kind == gs.TargetIdea {
		set["hot"], set["controversy"], set["fair"], set["gathering"] = sc.Hot, sc.Controversy, sc.Fair, sc.Gathering
	}
	return wrap(tx.db.Table(table(kind)).Where("id = ?", id).Updates(set).Error, string(kind))
}

func voteTable(kind gs.TargetKind) (votes, key string) {
	if kind == gs.TargetComment {
		return "comment_votes", "comment_id"
	}
	return "idea_votes", "idea_id"
}

// RefreshDiscussion recomputes an idea's discussion score from its visible comments, after a
// comment comes or goes; the score is ranking.Discussion's, kept in an indexed column.
func (tx *Tx) RefreshDiscussion(ideaID int64) error {
	var rows []struct {
		Kind      string
		CreatedAt time.Time
	}
	if err := tx.db.Raw("SELECT kind, created_at FROM comments WHERE idea_id = ? AND status = ?", ideaID, string(gs.StatusVisible)).
		Scan(&rows).Error; err != nil {
		return wrap(err, "Comments")
	}
	cs := make([]ranking.Contribution, len(rows))
	for i, r := range rows {
		cs[i] = ranking.Contribution{Implementation: r.Kind == string(gs.KindImplementation), At: r.CreatedAt}
	}
	return wrap(tx.db.Exec("UPDATE ideas SET discussion = ? WHERE id = ?", ranking.Discussion(cs), ideaID).Error, "Idea")
}

// AddImpressions adds n to the times an idea was shown.
func (tx *Tx) AddImpressions(ideaID int64, n int) error {
	return wrap(tx.db.Exec("UPDATE ideas SET impressions = impressions + ? WHERE id = ?", n, ideaID).Error, "Idea")
}

// SetFairness stores an idea's fair score and whether it is still gathering votes.
func (tx *Tx) SetFairness(ideaID int64, fair float64, gathering bool) error {
	return wrap(tx.db.Exec("UPDATE ideas SET fair = ?, gathering = ? WHERE id = ?", fair, gathering, ideaID).Error, "Idea")
}
