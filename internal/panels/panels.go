// Package panels is the service behind expert panels: an admin sets a panel up for a challenge,
// with weighted criteria and experts, and builds its longlist from the ranking; each expert
// scores each longlisted idea on their own, blind to the others until they have submitted; and
// the panel's results show each idea's weighted score with its interval and how well the
// experts agree.
package panels

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/groundswell/groundswell/internal/consensus"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/similarity"
	"github.com/groundswell/groundswell/internal/store"
)

// Service holds the panel use cases.
type Service struct {
	store       *store.Store
	clusterPool int // ClusterPool, smaller in tests
}

// New returns a Service over st.
func New(st *store.Store) *Service { return &Service{store: st, clusterPool: ClusterPool} }

// Create sets up a panel for the challenge with the given slug, audited.
func (s *Service) Create(ctx context.Context, slug string, in gs.PanelInput, by gs.Actor) (*gs.Panel, error) {
	c, err := s.store.ChallengeBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if len(in.Criteria) == 0 {
		in.Criteria = gs.DefaultCriteria()
	}
	if err := in.Validate(c); err != nil {
		return nil, err
	}
	p := &gs.Panel{ChallengeID: c.ID, ChallengeSlug: c.Slug, Name: in.Name, LonglistSize: in.LonglistSize,
		Questions: in.Questions, Criteria: in.Criteria}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertPanel(p); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "panel.create", TargetType: "panel", TargetID: p.ID, ChallengeID: c.ID,
			After: gs.Snapshot(map[string]any{"name": p.Name, "longlist_size": p.LonglistSize, "criteria": len(p.Criteria)})})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// AddExpert puts the staff member with the given email on the panel. Only accounts with the
// expert role (or admins) may sit on a panel.
func (s *Service) AddExpert(ctx context.Context, panelID int64, email string, by gs.Actor) error {
	p, err := s.store.Panel(ctx, panelID)
	if err != nil {
		return err
	}
	email, err = gs.NormalizeEmail(email)
	if err != nil {
		return err
	}
	u, err := s.store.StaffUserByEmail(ctx, email)
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		return gs.FieldError("email", "There is no staff account for "+email+" yet.").Because(gs.ReasonNoAccount)
	}
	if err != nil {
		return err
	}
	if u.Disabled || !u.Role.CanReview() {
		return gs.FieldError("email", email+" is not an active expert account.")
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AddPanelExpert(p.ID, u.ID); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "panel.add_expert", TargetType: "panel", TargetID: p.ID,
			ChallengeID: p.ChallengeID, After: gs.Snapshot(map[string]any{"expert": u.ID})})
	})
}

// BuildLonglist fills the panel's longlist with the best ideas of each question it covers: by
// their chance to beat a random idea when the challenge has pairwise comparisons, else by the
// fair score. It reports how many ideas it listed.
func (s *Service) BuildLonglist(ctx context.Context, panelID int64, by gs.Actor) (int, error) {
	p, err := s.store.Panel(ctx, panelID)
	if err != nil {
		return 0, err
	}
	c, err := s.store.ChallengeByID(ctx, p.ChallengeID)
	if err != nil {
		return 0, err
	}
	pairwise, err := s.store.AnyCompared(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	current, err := s.store.Longlist(ctx, p.ID)
	if err != nil {
		return 0, err
	}
	nominated := map[int64]bool{}
	for _, e := range current {
		if e.Source == "nomination" {
			nominated[e.IdeaID] = true
		}
	}
	var picked []int64
	for _, q := range c.Questions {
		if !p.Covers(q.ID) {
			continue
		}
		ids, err := s.store.TopIdeas(ctx, c.ID, q.ID, p.LonglistSize, pairwise)
		if err != nil {
			return 0, err
		}
		for _, id := range ids {
			if !nominated[id] {
				picked = append(picked, id)
			}
		}
	}
	groups, up, err := s.nearDuplicates(ctx, c.ID, picked)
	if err != nil {
		return 0, err
	}
	entries := make([]store.LonglistEntry, 0, len(picked))
	for _, id := range picked {
		e := store.LonglistEntry{IdeaID: id, Position: len(entries) + 1, Source: "ranking"}
		var similar []string
		for _, other := range groups[id] {
			if other != id {
				similar = append(similar, strconv.FormatInt(other, 10))
				e.NearDupesUp += up[other]
			}
		}
		e.NearDupes = strings.Join(similar, ",")
		entries = append(entries, e)
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ReplaceLonglist(p.ID, entries); err != nil {
			return err
		}
		how := "fair score"
		if pairwise {
			how = "pairwise chance"
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "panel.longlist", TargetType: "panel", TargetID: p.ID, ChallengeID: c.ID,
			After: gs.Snapshot(map[string]any{"ideas": len(entries), "by": how})})
	})
	return len(entries), err
}

// ClusterPool is how many of a challenge's ideas, the best supported first, are grouped into
// near-duplicates when a longlist is built, with the longlisted ones always among them. Grouping
// compares every pair of texts that share a word, so its cost grows with the square of the ideas
// it reads: 5,000 take about half a second on the synthetic challenge, whose texts share most of
// their words, where 32,000 take 5 s and its 250,000 would take minutes. A near-duplicate that nobody
// has voted up adds no support, so little is lost.
const ClusterPool = 5000

// nearDuplicates groups the best supported ideas of the challenge, and the longlisted ones, by
// text similarity (TF-IDF cosine over title and text, at similarity.DefaultThreshold) and
// returns each grouped idea's group, and every idea's up-votes, so that a longlisted idea can
// show its near-duplicates and the support they add up to.
func (s *Service) nearDuplicates(ctx context.Context, challengeID int64, longlisted []int64) (map[int64][]int64, map[int64]int, error) {
	ideas, err := s.store.IdeaDocs(ctx, challengeID, s.clusterPool, longlisted)
	if err != nil {
		return nil, nil, err
	}
	docs := make([]similarity.Doc, len(ideas))
	up := make(map[int64]int, len(ideas))
	for i, d := range ideas {
		docs[i] = similarity.Doc{ID: d.ID, Text: d.Title + "\n" + d.BodyMD}
		up[d.ID] = d.Up
	}
	groups := map[int64][]int64{}
	for _, g := range similarity.Cluster(docs, similarity.DefaultThreshold) {
		for _, id := range g {
			groups[id] = g
		}
	}
	return groups, up, nil
}

// Nominate puts an idea on a panel's longlist outside the ranking, with the reason, for an
// expert on the panel, a moderator (who meets ideas the ranking may miss) or an admin.
func (s *Service) Nominate(ctx context.Context, panelID, ideaID int64, reason string, u *gs.StaffUser) error {
	var p *gs.Panel
	var err error
	if u.Role.CanModerate() {
		p, err = s.store.Panel(ctx, panelID)
	} else {
		p, err = s.allowed(ctx, panelID, u)
	}
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || !gs.ValidText(reason) || len([]rune(reason)) > gs.NominationMax {
		return gs.FieldError("reason", "Say in a sentence why the panel should look at this idea (up to 300 characters).")
	}
	idea, err := s.store.Idea(ctx, ideaID)
	if gs.ErrorCode(err) == gs.ENOTFOUND || (err == nil && (idea.ChallengeID != p.ChallengeID || !idea.Status.Visible() || !p.Covers(idea.QuestionID))) {
		return gs.FieldError("idea", "Give the number of a published idea of this challenge that the panel covers.")
	}
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AddToLonglist(panelID, store.LonglistEntry{IdeaID: ideaID, Source: "nomination", Reason: reason}); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: gs.Actor{UserID: u.ID, Name: u.Email}, Action: "panel.nominate", TargetType: "idea",
			TargetID: ideaID, ChallengeID: p.ChallengeID, Reason: reason})
	})
}

// PanelsOf lists a challenge's panels, for a moderator choosing where to nominate an idea.
func (s *Service) PanelsOf(ctx context.Context, challengeID int64) ([]gs.Panel, error) {
	all, err := s.store.Panels(ctx, 0)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, p := range all {
		if p.ChallengeID == challengeID {
			out = append(out, p)
		}
	}
	return out, nil
}

// Panels lists the panels a staff member may open: all of them for an admin, else those they
// sit on.
func (s *Service) Panels(ctx context.Context, u *gs.StaffUser) ([]gs.Panel, error) {
	if u.Role.CanAdminister() {
		return s.store.Panels(ctx, 0)
	}
	return s.store.Panels(ctx, u.ID)
}

// Panel returns a panel with its experts, for an admin.
func (s *Service) Panel(ctx context.Context, id int64) (*gs.Panel, []gs.PanelExpert, error) {
	p, err := s.store.Panel(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	experts, err := s.store.PanelExperts(ctx, id)
	return p, experts, err
}

// allowed opens a panel to its experts and to admins only; to anyone else it does not exist.
func (s *Service) allowed(ctx context.Context, panelID int64, u *gs.StaffUser) (*gs.Panel, error) {
	p, err := s.store.Panel(ctx, panelID)
	if err != nil {
		return nil, err
	}
	if u.Role.CanAdminister() {
		return p, nil
	}
	on, _, err := s.store.PanelMember(ctx, panelID, u.ID)
	if err != nil {
		return nil, err
	}
	if !on {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no panel number %d among yours.", panelID)
	}
	return p, nil
}

// chaired opens a panel to whoever may chair it (gs.CheckChair).
func (s *Service) chaired(ctx context.Context, panelID int64, u *gs.StaffUser) (*gs.Panel, error) {
	p, err := s.store.Panel(ctx, panelID)
	if err != nil {
		return nil, err
	}
	on, chair := false, false
	if !u.Role.CanAdminister() {
		if on, chair, err = s.store.PanelMember(ctx, panelID, u.ID); err != nil {
			return nil, err
		}
	}
	return p, gs.CheckChair(u, on, chair, panelID)
}

// reviewedAll applies gs.CheckChairSees for u on a panel.
func (s *Service) reviewedAll(ctx context.Context, panelID int64, u *gs.StaffUser) error {
	if u.Role.CanAdminister() {
		return nil
	}
	ideas, err := s.store.Longlist(ctx, panelID)
	if err != nil {
		return err
	}
	mine, err := s.store.Reviews(ctx, panelID, 0, u.ID)
	if err != nil {
		return err
	}
	return gs.CheckChairSees(u, len(mine), len(ideas))
}

// AppointChair makes an expert on the panel its chair, or no longer, audited. A panel may have
// more than one chair; admins chair every panel anyway.
func (s *Service) AppointChair(ctx context.Context, panelID, userID int64, on bool, by gs.Actor) error {
	p, err := s.store.Panel(ctx, panelID)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetChair(panelID, userID, on); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "panel.chair", TargetType: "panel", TargetID: panelID, ChallengeID: p.ChallengeID,
			After: gs.Snapshot(map[string]any{"user": userID, "chair": on})})
	})
}

// LonglistView is a panel's longlist as one expert works through it.
type LonglistView struct {
	Panel    *gs.Panel
	Ideas    []store.LonglistIdea
	Mine     map[int64]gs.Review // this expert's reviews by idea
	Reviewed int
	Chair    bool // this expert chairs the panel
}

// Status says where the expert stands with an idea: "reviewed", "recused" or "to review".
func (v *LonglistView) Status(ideaID int64) string {
	r, ok := v.Mine[ideaID]
	switch {
	case !ok:
		return "to review"
	case r.Recused:
		return "recused"
	}
	return "reviewed"
}

// Longlist returns the panel's longlist with the expert's own progress.
func (s *Service) Longlist(ctx context.Context, panelID int64, u *gs.StaffUser) (*LonglistView, error) {
	p, err := s.allowed(ctx, panelID, u)
	if err != nil {
		return nil, err
	}
	ideas, err := s.store.Longlist(ctx, panelID)
	if err != nil {
		return nil, err
	}
	mine, err := s.store.Reviews(ctx, panelID, 0, u.ID)
	if err != nil {
		return nil, err
	}
	v := &LonglistView{Panel: p, Ideas: ideas, Mine: map[int64]gs.Review{}}
	if !u.Role.CanAdminister() {
		if _, v.Chair, err = s.store.PanelMember(ctx, panelID, u.ID); err != nil {
			return nil, err
		}
	}
	for _, r := range mine {
		v.Mine[r.IdeaID] = r
	}
	for _, i := range ideas {
		if _, ok := v.Mine[i.IdeaID]; ok {
			v.Reviewed++
		}
	}
	return v, nil
}

// ReviewView is one longlisted idea as an expert reviews it. Others is empty until the expert
// has submitted their own scores (gs.SeesOthers).
type ReviewView struct {
	Panel  *gs.Panel
	Idea   store.LonglistIdea
	Mine   *gs.Review
	Others []gs.Review
}

// Review returns what an expert sees of one longlisted idea.
func (s *Service) Review(ctx context.Context, panelID, ideaID int64, u *gs.StaffUser) (*ReviewView, error) {
	p, err := s.allowed(ctx, panelID, u)
	if err != nil {
		return nil, err
	}
	ideas, err := s.store.Longlist(ctx, panelID)
	if err != nil {
		return nil, err
	}
	k := slices.IndexFunc(ideas, func(i store.LonglistIdea) bool { return i.IdeaID == ideaID })
	if k < 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "Idea %d is not on this panel's longlist.", ideaID)
	}
	all, err := s.store.Reviews(ctx, panelID, ideaID, 0)
	if err != nil {
		return nil, err
	}
	v := &ReviewView{Panel: p, Idea: ideas[k]}
	for i := range all {
		if all[i].ExpertID == u.ID {
			v.Mine = &all[i]
		}
	}
	if gs.SeesOthers(v.Mine) {
		for _, r := range all {
			if r.ExpertID != u.ID {
				v.Others = append(v.Others, r)
			}
		}
	}
	return v, nil
}

// Submit records an expert's review of a longlisted idea, once.
func (s *Service) Submit(ctx context.Context, panelID, ideaID int64, u *gs.StaffUser, in gs.ReviewInput) error {
	v, err := s.Review(ctx, panelID, ideaID, u)
	if err != nil {
		return err
	}
	if err := in.Validate(v.Panel); err != nil {
		return err
	}
	if err := gs.CheckFirstReview(v.Mine); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		err := tx.InsertReview(panelID, gs.Review{IdeaID: ideaID, ExpertID: u.ID, Recused: in.Recuse, Note: in.Note, Scores: in.Scores})
		if gs.ErrorCode(err) == gs.ECONFLICT { // a second submission raced the first
			return gs.CheckFirstReview(&gs.Review{})
		}
		return err
	})
}

// IdeaResult is one longlisted idea's aggregate.
type IdeaResult struct {
	Idea     store.LonglistIdea
	Score    consensus.Estimate // weighted score, 1 to 5, with a 95% interval over the experts
	Reviews  int
	Recusals int
}

// Results are a panel's aggregates, for its admins.
type Results struct {
	Panel       *gs.Panel
	Ideas       []IdeaResult // best first
	Alpha       float64      // agreement over all criteria (Krippendorff's alpha, interval)
	AlphaOK     bool
	ByCriterion []CriterionAgreement
	Outliers    []consensus.RaterGap
	Experts     map[int64]string
	Disputed    []Disputed       // the ideas the experts disagree on most, most first
	Done        map[int64]int    // reviews (and recusals) per expert, for their progress
	Merge       []MergeCandidate // longlisted near-duplicates, best scored first
}

// CriterionAgreement is the experts' agreement on one criterion.
type CriterionAgreement struct {
	Criterion gs.Criterion
	Alpha     float64
	OK        bool
}

// Results aggregates a panel's reviews: each idea's weighted score with its interval, how well
// the experts agree overall and per criterion, experts far from the rest, and the ideas most
// disputed.
func (s *Service) Results(ctx context.Context, panelID int64, u *gs.StaffUser) (*Results, error) {
	p, err := s.chaired(ctx, panelID, u)
	if err != nil {
		return nil, err
	}
	ideas, err := s.store.Longlist(ctx, panelID)
	if err != nil {
		return nil, err
	}
	reviews, err := s.store.Reviews(ctx, panelID, 0, 0)
	if err != nil {
		return nil, err
	}
	mine := 0
	for _, r := range reviews {
		if r.ExpertID == u.ID {
			mine++
		}
	}
	if err := gs.CheckChairSees(u, mine, len(ideas)); err != nil {
		return nil, err
	}
	weights := make([]float64, len(p.Criteria))
	for k, c := range p.Criteria {
		weights[k] = c.Weight
	}
	res := &Results{Panel: p, Experts: map[int64]string{}, Done: map[int64]int{}}
	perIdea := map[int64][]float64{}
	recused := map[int64]int{}
	var overall []consensus.Rating
	byCrit := make([][]consensus.Rating, len(p.Criteria))
	for _, r := range reviews {
		res.Experts[r.ExpertID] = r.Expert
		res.Done[r.ExpertID]++
		if r.Recused {
			recused[r.IdeaID]++
			continue
		}
		vals := make([]float64, len(p.Criteria))
		for k, c := range p.Criteria {
			vals[k] = float64(r.Scores[c.ID])
			byCrit[k] = append(byCrit[k], consensus.Rating{Unit: int(r.IdeaID), Rater: int(r.ExpertID), Value: vals[k]})
		}
		w, ok := consensus.Weighted(vals, weights)
		if !ok {
			continue
		}
		perIdea[r.IdeaID] = append(perIdea[r.IdeaID], w)
		overall = append(overall, consensus.Rating{Unit: int(r.IdeaID), Rater: int(r.ExpertID), Value: w})
	}
	for _, i := range ideas {
		res.Ideas = append(res.Ideas, IdeaResult{Idea: i, Score: consensus.MeanInterval(perIdea[i.IdeaID], gs.ScoreMin, gs.ScoreMax),
			Reviews: len(perIdea[i.IdeaID]), Recusals: recused[i.IdeaID]})
	}
	slices.SortStableFunc(res.Ideas, func(a, b IdeaResult) int {
		if a.Reviews == 0 || b.Reviews == 0 {
			return cmp.Compare(b.Reviews, a.Reviews)
		}
		return cmp.Compare(b.Score.Mean, a.Score.Mean)
	})
	res.Alpha, res.AlphaOK = consensus.Alpha(overall)
	for k, c := range p.Criteria {
		a, ok := consensus.Alpha(byCrit[k])
		res.ByCriterion = append(res.ByCriterion, CriterionAgreement{Criterion: c, Alpha: a, OK: ok})
	}
	res.Outliers = consensus.Outliers(overall, 1)
	titles := make(map[int64]string, len(ideas))
	for _, i := range ideas {
		titles[i.IdeaID] = i.Title
	}
	for _, d := range consensus.Disagreement(overall) {
		// Ideas the experts agree on exactly are nothing to discuss.
		if d.SD > 0 && len(res.Disputed) < 5 {
			res.Disputed = append(res.Disputed, Disputed{IdeaID: int64(d.Unit), Title: titles[int64(d.Unit)], UnitSpread: d})
		}
	}
	res.Merge = mergeCandidates(res.Ideas)
	return res, nil
}

// Disputed is an idea the experts scored far apart: the spread of their weighted scores.
type Disputed struct {
	IdeaID int64
	Title  string
	consensus.UnitSpread
}

// MergeCandidate is a group of longlisted ideas that say much the same thing (one cluster of
// near-duplicates), for the chair to consider merging into one proposal.
type MergeCandidate struct {
	Ideas   []IdeaResult
	Outside int // similar ideas of the challenge that are not on the longlist
	Up      int // up-votes of the whole cluster, longlisted or not
}

// IDs lists the candidate's longlisted ideas.
func (m MergeCandidate) IDs() []int64 {
	ids := make([]int64, len(m.Ideas))
	for k, i := range m.Ideas {
		ids[k] = i.Idea.IdeaID
	}
	return ids
}

// mergeCandidates groups longlisted ideas that fell in the same near-duplicate cluster when the
// longlist was built. Each idea's NearDupes is its cluster without itself, so the cluster is the
// same set whichever member it is read from; groups with one longlisted idea are not candidates.
func mergeCandidates(ideas []IdeaResult) []MergeCandidate {
	byCluster := map[string]*MergeCandidate{}
	var order []string
	for _, i := range ideas {
		if i.Idea.NearDupes == "" {
			continue
		}
		members := append(strings.Split(i.Idea.NearDupes, ","), strconv.FormatInt(i.Idea.IdeaID, 10))
		slices.Sort(members)
		key := strings.Join(members, ",")
		m, ok := byCluster[key]
		if !ok {
			m = &MergeCandidate{Outside: len(members), Up: i.Idea.Up + i.Idea.NearDupesUp}
			byCluster[key] = m
			order = append(order, key)
		}
		m.Ideas = append(m.Ideas, i)
		m.Outside--
	}
	var out []MergeCandidate
	for _, key := range order {
		if m := byCluster[key]; len(m.Ideas) > 1 {
			out = append(out, *m)
		}
	}
	return out
}
