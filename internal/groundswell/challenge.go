package groundswell

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Phase is where a challenge stands in its life; it decides which writes are allowed.
type Phase string

// The phases, in the order a challenge normally moves through them.
const (
	PhaseDraft     Phase = "draft"
	PhaseOpen      Phase = "open"
	PhaseVoting    Phase = "voting"
	PhaseReview    Phase = "review"
	PhasePublished Phase = "published"
	PhaseClosed    Phase = "closed"
)

// Phases lists every phase in order.
var Phases = []Phase{PhaseDraft, PhaseOpen, PhaseVoting, PhaseReview, PhasePublished, PhaseClosed}

// Valid reports whether p is a known phase.
func (p Phase) Valid() bool {
	for _, q := range Phases {
		if p == q {
			return true
		}
	}
	return false
}

// Label is the phase as a person reads it.
func (p Phase) Label() string {
	switch p {
	case PhaseDraft:
		return "Draft"
	case PhaseOpen:
		return "Open for ideas"
	case PhaseVoting:
		return "Voting"
	case PhaseReview:
		return "Under expert review"
	case PhasePublished:
		return "Published"
	case PhaseClosed:
		return "Closed"
	}
	return string(p)
}

// Public reports whether anyone may see a challenge in this phase.
func (p Phase) Public() bool { return p != PhaseDraft && p.Valid() }

// AcceptsIdeas reports whether new ideas may be posted: only while the challenge is open.
func (p Phase) AcceptsIdeas() bool { return p.Allow(PostingIdeas) == nil }

// AcceptsComments reports whether comments and implementation suggestions may be posted.
func (p Phase) AcceptsComments() bool { return p.Allow(Commenting) == nil }

// AcceptsVotes reports whether votes may be cast, changed or cleared.
func (p Phase) AcceptsVotes() bool { return p.Allow(Voting) == nil }

// Activity is a kind of participant write that a phase allows or refuses.
type Activity int

// The activities phases decide on.
const (
	PostingIdeas Activity = iota
	Commenting
	Voting
	// Comparing is judging pairs of ideas side by side, once the ideas are in: the voting phase.
	Comparing
)

// Allow is the phase rule: ideas are posted only while a challenge is open; comments and votes
// also during the voting phase. A refusal says in plain words what is still possible.
func (p Phase) Allow(a Activity) error {
	open := p == PhaseOpen || (p == PhaseVoting && a != PostingIdeas)
	if a == Comparing {
		open = p == PhaseVoting
	}
	if open {
		return nil
	}
	words := Msg{Format: p.Words()}
	var e *Error
	switch {
	case a == Comparing && p == PhaseOpen:
		e = Errorf(ECONFLICT, "Comparing ideas side by side opens when the challenge moves to its voting phase, once the ideas are in. For now you can vote on them one by one.")
	case a == Comparing:
		e = Errorf(ECONFLICT, "Comparing ideas side by side opens when the challenge moves to its voting phase; this challenge is %s.", words)
	case a == PostingIdeas && !p.Public():
		e = Errorf(ECONFLICT, "This challenge is not open yet, so it does not take ideas yet.")
	case a == PostingIdeas && p == PhaseVoting:
		e = Errorf(ECONFLICT, "This challenge is %s, so it no longer takes new ideas. You can still comment and vote.", words)
	case a == PostingIdeas:
		e = Errorf(ECONFLICT, "This challenge is %s, so it no longer takes new ideas.", words)
	case a == Commenting:
		e = Errorf(ECONFLICT, "This challenge is %s, so comments are closed.", words)
	default:
		e = Errorf(ECONFLICT, "This challenge is %s, so voting is closed.", words)
	}
	return e.Because(ReasonPhaseClosed)
}

// Words is the phase as it reads in a sentence: "This challenge is …".
func (p Phase) Words() string {
	switch p {
	case PhaseOpen:
		return "open for ideas"
	case PhaseVoting:
		return "in its voting phase"
	case PhaseReview:
		return "with the expert panel"
	case PhasePublished:
		return "published"
	case PhaseClosed:
		return "closed"
	}
	return "not open yet"
}

// Challenge is one campaign: a brief, the open questions staff answer, and themes to file under.
type Challenge struct {
	ID        int64
	Slug      string
	Title     string
	BriefMD   string
	BriefHTML HTML
	Phase     Phase
	// HideCountsUntilVoted keeps an item's vote counts from a participant until they have voted
	// on it, so early counts do not herd later voters.
	HideCountsUntilVoted bool
	// SharedDevices is for challenges taken part in on shared computers: the browser forgets its
	// participant when it closes, instead of remembering them until after voting.
	SharedDevices bool
	// ReportThreshold is how many distinct reports hide an item pending review.
	ReportThreshold int
	// Premoderate holds every new contribution for review before it is published.
	Premoderate bool
	// HeldWords lists words (one per line) that hold a contribution for review.
	HeldWords string
	// StockReasons lists (one per line) the reasons moderators pick from when keeping or hiding
	// an item; empty offers DefaultStockReasons.
	StockReasons string
	// ExploreShare is the fraction of each page of the fair list given to ideas still gathering
	// votes, chosen at random per participant, so that late ideas are seen.
	ExploreShare float64
	// GatherMin is how many impressions an idea needs before it stops "gathering votes".
	GatherMin int
	// FairMean is the challenge's up-votes per impression, the centre of the fair score's prior.
	FairMean float64
	// Access says who may take part; ReadWithoutCode lets anyone read an invite-only challenge.
	Access          AccessMode
	ReadWithoutCode bool
	// Schedule is when the challenge moves on by itself.
	Schedule Schedule
	// RetentionDays is how long after it ends the rows that only served taking part are kept;
	// EndedAt is when it was last published or closed, nil while it runs.
	RetentionDays int
	EndedAt       *time.Time
	// StaffGroups and Regions are the answers offered for describing oneself, one per line;
	// both empty when the challenge does not ask.
	StaffGroups, Regions string
	// StandingMinutes is how long a browser must be known, having voted or posted here, before
	// its reports can hide anything; 0 turns the rule off.
	StandingMinutes int
	CreatedAt       time.Time
	Questions       []Question
	Themes          []Theme
}

// Question returns the challenge's question with id, if there is one.
func (c *Challenge) Question(id int64) (Question, bool) {
	for _, q := range c.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}

// Theme returns the challenge's theme with slug, if there is one.
func (c *Challenge) Theme(slug string) (Theme, bool) {
	for _, t := range c.Themes {
		if t.Slug == slug {
			return t, true
		}
	}
	return Theme{}, false
}

// ThemeByID returns the challenge's theme with id, if there is one.
func (c *Challenge) ThemeByID(id int64) (Theme, bool) {
	for _, t := range c.Themes {
		if t.ID == id {
			return t, true
		}
	}
	return Theme{}, false
}

// Question is one of the open questions a challenge asks.
type Question struct {
	ID          int64
	ChallengeID int64
	Position    int
	Title       string
	Prompt      string
}

// Theme is a label ideas can be filed under.
type Theme struct {
	ID          int64
	ChallengeID int64
	Slug        string
	Name        string
}

// HoldReason says why a new contribution with these texts must wait for a moderator before it
// is published, or "" when it can go straight out.
func (c *Challenge) HoldReason(texts ...string) string {
	if c.Premoderate {
		return "pre-moderation is on for this challenge"
	}
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(c.HeldWords), func(r rune) bool { return r == '\n' || r == ',' || r == '\r' }) {
		if w = strings.TrimSpace(w); w != "" {
			words[w] = true
		}
	}
	if len(words) == 0 {
		return ""
	}
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '\'' }) {
			if words[w] {
				return "it contains a word on the challenge's review list"
			}
		}
	}
	return ""
}

// Ordering votes is what hide-counts-until-voted guards: while a challenge hiding counts takes
// votes, no order may reveal which ideas are popular.
func (c *Challenge) hidesPopularity() bool {
	return c.HideCountsUntilVoted && c.Phase.AcceptsVotes()
}

// DefaultSort is the order a list takes when none is asked for: fair while ideas are being
// posted and voted on, so that late ideas get seen; top once voting has closed.
func (c *Challenge) DefaultSort() Sort {
	if c.Phase.AcceptsVotes() {
		return SortFair
	}
	return SortTop
}

// Sorts lists the orders this challenge offers now. While a challenge hides counts until one
// votes and voting is open, the orders by votes (top, hot, controversial) are withheld.
func (c *Challenge) Sorts() []Sort {
	var out []Sort
	for _, s := range Sorts {
		if !c.hidesPopularity() || !s.RevealsPopularity() {
			out = append(out, s)
		}
	}
	return out
}

// Offers reports whether s is one of the challenge's sorts now.
func (c *Challenge) Offers(s Sort) bool { return slices.Contains(c.Sorts(), s) }
