package groundswell

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Panel is a group of experts reviewing a longlist of a challenge's ideas on weighted criteria.
type Panel struct {
	ID            int64
	ChallengeID   int64
	ChallengeSlug string
	Name          string
	LonglistSize  int     // ideas per question taken from the ranking
	Questions     []int64 // the questions it covers; all of the challenge's when empty
	Criteria      []Criterion
	CreatedAt     time.Time
}

// Covers reports whether the panel reviews ideas answering question q.
func (p *Panel) Covers(q int64) bool {
	if len(p.Questions) == 0 {
		return true
	}
	for _, x := range p.Questions {
		if x == q {
			return true
		}
	}
	return false
}

// Criterion is one thing experts score an idea on, from 1 to 5, with its weight in the total.
type Criterion struct {
	ID          int64
	Position    int
	Name        string
	Description string
	Weight      float64
}

// Score limits.
const (
	ScoreMin     = 1
	ScoreMax     = 5
	PanelNoteMax = 1000
	LonglistMax  = 200
	CriteriaMax  = 8
	// CriterionNameMax and CriterionDescriptionMax bound a criterion's name and description.
	CriterionNameMax, CriterionDescriptionMax = 60, 300
	PanelNameMax                              = 120
	NominationMax                             = 300
	DefaultLonglist                           = 20
)

// DefaultCriteria are the four criteria a new panel starts with; an admin may change them.
func DefaultCriteria() []Criterion {
	return []Criterion{
		{Name: "Impact", Weight: 3, Description: "How much better would work be for staff and patients if this happened? 5 means a large, lasting difference."},
		{Name: "Feasibility", Weight: 2, Description: "Could a team start this within a few months with the people and powers it has? 5 means it could start next week."},
		{Name: "Cost to implement", Weight: 1, Description: "How little money and time would it take? 5 means almost nothing; 1 means a large budget."},
		{Name: "Evidence", Weight: 2, Description: "How well do the discussion, the votes and experience elsewhere show it works? 5 means strong evidence."},
	}
}

// PanelInput is what an admin submits to set up a panel.
type PanelInput struct {
	Name         string
	LonglistSize int
	Questions    []int64
	Criteria     []Criterion
}

// Validate checks a panel against its challenge.
func (in *PanelInput) Validate(c *Challenge) error {
	f := FieldErrors{}
	in.Name = strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(in.Name); {
	case !ValidText(in.Name) || n < 3:
		f.Add("name", "Give the panel a name of at least 3 characters, such as “Workforce panel”.")
	case n > PanelNameMax:
		f.Add("name", "Keep the name under 120 characters.")
	}
	if in.LonglistSize < 1 || in.LonglistSize > LonglistMax {
		f.Add("longlist_size", "Choose how many ideas per question go on the longlist: from 1 to 200.")
	}
	for _, q := range in.Questions {
		if _, ok := c.Question(q); !ok {
			f.Add("questions", "Choose questions of this challenge.")
		}
	}
	if len(in.Criteria) == 0 || len(in.Criteria) > CriteriaMax {
		f.Add("criteria", "A panel needs from 1 to 8 criteria.")
	}
	names := map[string]bool{}
	for k := range in.Criteria {
		cr := &in.Criteria[k]
		cr.Name, cr.Description = strings.TrimSpace(cr.Name), strings.TrimSpace(cr.Description)
		switch {
		case cr.Name == "" || !ValidText(cr.Name) || cr.Weight <= 0 || cr.Weight > 10:
			f.Add("criteria", "Every criterion needs a name and a weight from 0.1 to 10.")
		case utf8.RuneCountInString(cr.Name) > CriterionNameMax || !ValidText(cr.Description) || utf8.RuneCountInString(cr.Description) > CriterionDescriptionMax:
			f.Add("criteria", "Keep a criterion's name under 60 characters and its description under 300.")
		case names[strings.ToLower(cr.Name)]:
			f.Add("criteria", "Give each criterion its own name.")
		}
		names[strings.ToLower(cr.Name)] = true
	}
	return f.Err()
}

// Review is one expert's judgement of one idea: a score per criterion, or a recusal.
type Review struct {
	IdeaID   int64
	ExpertID int64
	Expert   string // shown only to those allowed to see others' reviews
	Recused  bool
	Note     string
	Scores   map[int64]int // criterion id → 1..5
}

// ReviewInput is what an expert submits for an idea.
type ReviewInput struct {
	Recuse bool
	Note   string
	Scores map[int64]int
}

// Validate checks a review against the panel's criteria: every criterion scored from 1 to 5,
// unless the expert recuses, when no score is taken.
func (in *ReviewInput) Validate(p *Panel) error {
	f := FieldErrors{}
	in.Note = strings.TrimSpace(in.Note)
	if !ValidText(in.Note) || utf8.RuneCountInString(in.Note) > PanelNoteMax {
		f.Add("note", "Keep the note under 1,000 characters.")
	}
	if in.Recuse {
		in.Scores = nil
		return f.Err()
	}
	for _, cr := range p.Criteria {
		v, ok := in.Scores[cr.ID]
		if !ok || v < ScoreMin || v > ScoreMax {
			f.Add(CriterionField(cr.ID), "Score “"+cr.Name+"” from 1 to 5.")
		}
	}
	if len(in.Scores) > len(p.Criteria) {
		f.Add("scores", "Score only this panel's criteria.")
	}
	return f.Err()
}

// CriterionField is the form field of a criterion's score.
func CriterionField(id int64) string { return "score_" + strconv.FormatInt(id, 10) }

// SeesOthers is the blindness rule: an expert sees other experts' scores for an idea only after
// submitting their own, so that nobody anchors on anyone else. One who recused never does.
func SeesOthers(mine *Review) bool { return mine != nil && !mine.Recused }

// CheckFirstReview refuses a second review of the same idea by the same expert: reviews are
// independent only if they cannot be revised after seeing the others.
func CheckFirstReview(existing *Review) error {
	if existing == nil {
		return nil
	}
	return Errorf(ECONFLICT, "You have already reviewed this idea; reviews cannot be changed once the other experts' scores are visible to you.")
}

// PanelExpert is a staff member on a panel, and whether they chair it.
type PanelExpert struct {
	StaffUser
	Chair bool
}

// CheckChair says whether u may act as a panel's chair: shortlist, merge ideas into proposals
// and move them on. Admins chair every panel; an expert chairs only a panel they were appointed
// to chair. To someone not on the panel it does not exist.
func CheckChair(u *StaffUser, onPanel, chair bool, panelID int64) error {
	switch {
	case u.Role.CanAdminister() || (onPanel && chair):
		return nil
	case onPanel:
		return Errorf(EFORBIDDEN, "Only the panel's chair or an admin can do this.")
	default:
		return Errorf(ENOTFOUND, "There is no panel number %d among yours.", panelID)
	}
}

// Actor names the staff member in the audit log.
func (u *StaffUser) Actor() Actor { return Actor{UserID: u.ID, Name: u.Email} }

// CheckChairSees lets a chair who also scores see the panel's scores only once their own
// reviews (or recusals) cover the whole longlist, as every expert sees the others' scores for an
// idea only after their own (SeesOthers). Admins, who do not score, always may.
func CheckChairSees(u *StaffUser, mine, longlist int) error {
	if u.Role.CanAdminister() || mine >= longlist {
		return nil
	}
	return Errorf(ECONFLICT, "Review every idea on the longlist before you see the panel's results: you have done %d of %d.", mine, longlist).
		Because(ReasonReviewFirst)
}
