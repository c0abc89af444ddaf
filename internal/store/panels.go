package store

import (
	"context"
	"slices"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// InsertPanel stores a panel with its questions and criteria, filling in their ids.
func (tx *Tx) InsertPanel(p *gs.Panel) error {
	row := struct {
		ID           int64 `gorm:"primaryKey"`
		ChallengeID  int64
		Name         string
		LonglistSize int
		CreatedAt    time.Time
	}{ChallengeID: p.ChallengeID, Name: p.Name, LonglistSize: p.LonglistSize, CreatedAt: tx.Now()}
	if err := tx.db.Table("panels").Create(&row).Error; err != nil {
		return wrap(err, "Panel")
	}
	p.ID, p.CreatedAt = row.ID, row.CreatedAt
	for _, q := range p.Questions {
		if err := tx.db.Exec("INSERT INTO panel_questions (panel_id, question_id) VALUES (?, ?)", p.ID, q).Error; err != nil {
			return wrap(err, "Panel question")
		}
	}
	for i := range p.Criteria {
		cr := &p.Criteria[i]
		cr.Position = i + 1
		c := struct {
			ID          int64 `gorm:"primaryKey"`
			PanelID     int64
			Position    int
			Name        string
			Description string
			Weight      float64
		}{PanelID: p.ID, Position: cr.Position, Name: cr.Name, Description: cr.Description, Weight: cr.Weight}
		if err := tx.db.Table("panel_criteria").Create(&c).Error; err != nil {
			return wrap(err, "Criterion")
		}
		cr.ID = c.ID
	}
	return nil
}

// Panel returns a panel with its questions and criteria.
func (s *Store) Panel(ctx context.Context, id int64) (*gs.Panel, error) {
	list, err := s.panels(ctx, "p.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no panel number %d.", id)
	}
	return &list[0], nil
}

// Panels lists every panel, newest first, or those an expert sits on when expertID is not 0.
func (s *Store) Panels(ctx context.Context, expertID int64) ([]gs.Panel, error) {
	if expertID == 0 {
		return s.panels(ctx, "1 = 1")
	}
	return s.panels(ctx, "p.id IN (SELECT panel_id FROM panel_experts WHERE user_id = ?)", expertID)
}

func (s *Store) panels(ctx context.Context, where string, args ...any) ([]gs.Panel, error) {
	db := s.read(ctx)
	var rows []struct {
		ID            int64
		ChallengeID   int64
		ChallengeSlug string
		Name          string
		LonglistSize  int
		CreatedAt     time.Time
	}
	if err := db.Raw("SELECT p.id, p.challenge_id, c.slug AS challenge_slug, p.name, p.longlist_size, p.created_at "+
		"FROM panels p JOIN challenges c ON c.id = p.challenge_id WHERE "+where+" ORDER BY p.id DESC", args...).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "Panels")
	}
	out := make([]gs.Panel, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	index := map[int64]int{}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = gs.Panel{ID: r.ID, ChallengeID: r.ChallengeID, ChallengeSlug: r.ChallengeSlug, Name: r.Name,
			LonglistSize: r.LonglistSize, CreatedAt: r.CreatedAt}
		index[r.ID], ids[i] = i, r.ID
	}
	var qs []struct{ PanelID, QuestionID int64 }
	if err := db.Raw("SELECT panel_id, question_id FROM panel_questions WHERE panel_id IN ? ORDER BY question_id", ids).Scan(&qs).Error; err != nil {
		return nil, wrap(err, "Panel questions")
	}
	for _, q := range qs {
		p := &out[index[q.PanelID]]
		p.Questions = append(p.Questions, q.QuestionID)
	}
	var cs []struct {
		PanelID int64
		gs.Criterion
	}
	if err := db.Raw("SELECT panel_id, id, position, name, description, weight FROM panel_criteria WHERE panel_id IN ? ORDER BY position", ids).
		Scan(&cs).Error; err != nil {
		return nil, wrap(err, "Criteria")
	}
	for _, c := range cs {
		p := &out[index[c.PanelID]]
		p.Criteria = append(p.Criteria, c.Criterion)
	}
	return out, nil
}

// AddPanelExpert puts a staff member on a panel; adding someone twice changes nothing.
func (tx *Tx) AddPanelExpert(panelID, userID int64) error {
	return wrap(tx.db.Exec("INSERT INTO panel_experts (panel_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", panelID, userID).Error,
		"Panel expert")
}

// PanelExperts lists a panel's experts, with who chairs it.
func (s *Store) PanelExperts(ctx context.Context, panelID int64) ([]gs.PanelExpert, error) {
	var rows []staffRow
	if err := s.read(ctx).Raw("SELECT u.* FROM staff_users u JOIN panel_experts e ON e.user_id = u.id WHERE e.panel_id = ? ORDER BY u.email",
		panelID).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "Panel experts")
	}
	var chairs []int64
	if err := s.read(ctx).Raw("SELECT user_id FROM panel_experts WHERE panel_id = ? AND chair = ?", panelID, true).Scan(&chairs).Error; err != nil {
		return nil, wrap(err, "Panel chairs")
	}
	out := make([]gs.PanelExpert, len(rows))
	for i, r := range rows {
		out[i] = gs.PanelExpert{StaffUser: r.domain(), Chair: slices.Contains(chairs, r.ID)}
		out[i].PasswordHash = ""
	}
	return out, nil
}

// PanelMember reports whether a staff member sits on a panel, and whether they chair it.
func (s *Store) PanelMember(ctx context.Context, panelID, userID int64) (on, chair bool, err error) {
	var rows []struct{ Chair bool }
	err = s.read(ctx).Raw("SELECT chair FROM panel_experts WHERE panel_id = ? AND user_id = ?", panelID, userID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return false, false, wrap(err, "Panel experts")
	}
	return true, rows[0].Chair, nil
}

// SetChair makes an expert on a panel its chair, or no longer.
func (tx *Tx) SetChair(panelID, userID int64, on bool) error {
	res := tx.db.Exec("UPDATE panel_experts SET chair = ? WHERE panel_id = ? AND user_id = ?", on, panelID, userID)
	if res.Error != nil {
		return wrap(res.Error, "Panel chair")
	}
	if res.RowsAffected == 0 {
		return gs.Errorf(gs.ENOTFOUND, "That staff member is not on this panel; add them as an expert first.")
	}
	return nil
}

// TopIdeas returns the ids of the n best visible ideas of one question: by their chance to beat
// a random idea when byPairwise, else by the fair score.
func (s *Store) TopIdeas(ctx context.Context, challengeID, questionID int64, n int, byPairwise bool) ([]int64, error) {
	order := "fair DESC, id DESC"
	if byPairwise {
		order = "pair_chance DESC, fair DESC, id DESC"
	}
	var ids []int64
	err := s.read(ctx).Raw("SELECT id FROM ideas WHERE challenge_id = ? AND question_id = ? AND status = ? ORDER BY "+order+" LIMIT ?",
		challengeID, questionID, string(gs.StatusVisible), n).Scan(&ids).Error
	return ids, wrap(err, "Ideas")
}

// AnyCompared reports whether any idea of a challenge has been compared side by side.
func (s *Store) AnyCompared(ctx context.Context, challengeID int64) (bool, error) {
	var ids []int64
	err := s.read(ctx).Raw("SELECT idea_id FROM (SELECT low_id AS idea_id FROM pair_votes WHERE challenge_id = ? LIMIT 1) x", challengeID).Scan(&ids).Error
	return len(ids) > 0, wrap(err, "Comparisons")
}

// LonglistEntry is one idea on a panel's longlist.
type LonglistEntry struct {
	IdeaID      int64
	Position    int
	Source      string // ranking or nomination
	Reason      string
	NearDupes   string // the ids of its near-duplicates in the challenge, comma-separated
	NearDupesUp int    // their combined up-votes
}

// ReplaceLonglist sets a panel's longlist; ideas already reviewed keep their reviews, and
// nominated ideas stay on it.
func (tx *Tx) ReplaceLonglist(panelID int64, entries []LonglistEntry) error {
	if err := tx.db.Exec("DELETE FROM panel_longlist WHERE panel_id = ? AND source = ?", panelID, "ranking").Error; err != nil {
		return wrap(err, "Longlist")
	}
	for _, e := range entries {
		if err := tx.db.Exec("INSERT INTO panel_longlist (panel_id, idea_id, position, source, reason, near_dupes, near_dupes_up) VALUES (?, ?, ?, ?, ?, ?, ?)",
			panelID, e.IdeaID, e.Position, e.Source, e.Reason, e.NearDupes, e.NearDupesUp).Error; err != nil {
			return wrap(err, "Longlist")
		}
	}
	return nil
}

// LonglistIdea is a longlisted idea as panels see it: no author.
type LonglistIdea struct {
	LonglistEntry
	QuestionID                int64
	Title                     string
	BodyHTML                  gs.HTML
	Up, Down, Impressions     int
	Comparisons               int
	PairChance, Fair          float64
	Comments, Implementations int
}

// Longlist returns a panel's longlist in order, with what the experts are shown of each idea.
func (s *Store) Longlist(ctx context.Context, panelID int64) ([]LonglistIdea, error) {
	var rows []LonglistIdea
	err := s.read(ctx).Raw("SELECT l.idea_id, l.position, l.source, l.reason, l.near_dupes, l.near_dupes_up, i.question_id, i.title, i.body_html, i.up, i.down, "+
		"i.impressions, i.comparisons, i.pair_chance, i.fair, i.comments, i.implementations "+
		"FROM panel_longlist l JOIN ideas i ON i.id = l.idea_id WHERE l.panel_id = ? ORDER BY l.position", panelID).Scan(&rows).Error
	return rows, wrap(err, "Longlist")
}

// InsertReview stores one expert's review of one idea with its scores.
func (tx *Tx) InsertReview(panelID int64, r gs.Review) error {
	if err := tx.db.Exec("INSERT INTO panel_reviews (panel_id, idea_id, expert_id, recused, note) VALUES (?, ?, ?, ?, ?)",
		panelID, r.IdeaID, r.ExpertID, r.Recused, r.Note).Error; err != nil {
		return wrap(err, "Review")
	}
	for crit, v := range r.Scores {
		if err := tx.db.Exec("INSERT INTO panel_scores (panel_id, idea_id, expert_id, criterion_id, value) VALUES (?, ?, ?, ?, ?)",
			panelID, r.IdeaID, r.ExpertID, crit, v).Error; err != nil {
			return wrap(err, "Score")
		}
	}
	return nil
}

// Reviews returns a panel's reviews, of one idea when ideaID is not 0, of one expert when
// expertID is not 0, with their scores and the experts' emails.
func (s *Store) Reviews(ctx context.Context, panelID, ideaID, expertID int64) ([]gs.Review, error) {
	db := s.read(ctx)
	q := "SELECT r.idea_id, r.expert_id, u.email AS expert, r.recused, r.note FROM panel_reviews r JOIN staff_users u ON u.id = r.expert_id WHERE r.panel_id = ?"
	sq := "SELECT idea_id, expert_id, criterion_id, value FROM panel_scores WHERE panel_id = ?"
	args := []any{panelID}
	if ideaID != 0 {
		q, sq, args = q+" AND r.idea_id = ?", sq+" AND idea_id = ?", append(args, ideaID)
	}
	if expertID != 0 {
		q, sq, args = q+" AND r.expert_id = ?", sq+" AND expert_id = ?", append(args, expertID)
	}
	var raw []struct {
		IdeaID, ExpertID int64
		Expert           string
		Recused          bool
		Note             string
	}
	if err := db.Raw(q+" ORDER BY r.idea_id, u.email", args...).Scan(&raw).Error; err != nil {
		return nil, wrap(err, "Reviews")
	}
	rows := make([]gs.Review, len(raw))
	for i, r := range raw {
		rows[i] = gs.Review{IdeaID: r.IdeaID, ExpertID: r.ExpertID, Expert: r.Expert, Recused: r.Recused, Note: r.Note}
	}
	var scores []struct {
		IdeaID, ExpertID, CriterionID int64
		Value                         int
	}
	if err := db.Raw(sq, args...).Scan(&scores).Error; err != nil {
		return nil, wrap(err, "Scores")
	}
	index := map[[2]int64]int{}
	for i := range rows {
		index[[2]int64{rows[i].IdeaID, rows[i].ExpertID}] = i
		rows[i].Scores = map[int64]int{}
	}
	for _, sc := range scores {
		if i, ok := index[[2]int64{sc.IdeaID, sc.ExpertID}]; ok {
			rows[i].Scores[sc.CriterionID] = sc.Value
		}
	}
	return rows, nil
}

// AddToLonglist puts one nominated idea at the end of a panel's longlist; an idea already on it
// is a conflict.
func (tx *Tx) AddToLonglist(panelID int64, e LonglistEntry) error {
	var pos int
	if err := tx.db.Raw("SELECT COALESCE(MAX(position), 0) + 1 FROM panel_longlist WHERE panel_id = ?", panelID).Scan(&pos).Error; err != nil {
		return wrap(err, "Longlist")
	}
	err := tx.db.Exec("INSERT INTO panel_longlist (panel_id, idea_id, position, source, reason) VALUES (?, ?, ?, ?, ?)",
		panelID, e.IdeaID, pos, e.Source, e.Reason).Error
	if gs.ErrorCode(wrap(err, "")) == gs.ECONFLICT {
		return gs.FieldError("idea", "That idea is already on the longlist.")
	}
	return wrap(err, "Longlist")
}

// IdeaDocs returns the title and text, with the up-votes, of a challenge's limit best-rated
// visible ideas (by the top order's index) and of the ideas in also, for grouping
// near-duplicates; each idea once.
func (s *Store) IdeaDocs(ctx context.Context, challengeID int64, limit int, also []int64) ([]IdeaDoc, error) {
	const cols = "SELECT id, title, body_md, up FROM ideas "
	var rows []IdeaDoc
	err := s.read(ctx).Raw(cols+"WHERE challenge_id = ? AND status = ? ORDER BY score DESC, up DESC, id DESC LIMIT ?",
		challengeID, string(gs.StatusVisible), limit).Scan(&rows).Error
	if err != nil || len(also) == 0 {
		return rows, wrap(err, "Ideas")
	}
	var extra []IdeaDoc
	if err := s.read(ctx).Raw(cols+"WHERE id IN ? AND challenge_id = ? AND status = ?", also, challengeID, string(gs.StatusVisible)).
		Scan(&extra).Error; err != nil {
		return nil, wrap(err, "Ideas")
	}
	seen := make(map[int64]bool, len(rows))
	for _, r := range rows {
		seen[r.ID] = true
	}
	for _, r := range extra {
		if !seen[r.ID] {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// IdeaDoc is an idea as near-duplicate grouping reads it.
type IdeaDoc struct {
	ID     int64
	Title  string
	BodyMD string `gorm:"column:body_md"`
	Up     int
}
