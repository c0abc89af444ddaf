package groundswell

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what participants type, in characters (runes), not bytes.
const (
	IdeaTitleMin   = 3
	IdeaTitleMax   = 140
	IdeaBodyMax    = 5000
	CommentBodyMax = 3000
	// MaxThreadDepth is how deep replies nest on the page; deeper replies are shown at this depth.
	MaxThreadDepth = 3
)

// Status says whether a contribution is shown to the public.
type Status string

// Contribution statuses. Only visible contributions appear in lists, counts, search and the API.
const (
	StatusVisible Status = "visible"
	// StatusWithdrawn is a contribution its author took back: it leaves a placeholder, its
	// replies stay, and its votes stop counting.
	StatusWithdrawn Status = "withdrawn"
)

// Withdrawn reports whether the author took the contribution back.
func (s Status) Withdrawn() bool { return s == StatusWithdrawn }

// Visible reports whether the public sees the contribution.
func (s Status) Visible() bool { return s == StatusVisible }

// Held reports whether the contribution waits for a moderator to publish it.
func (s Status) Held() bool { return s == StatusHeld }

// Pending reports whether reports hid the contribution until a moderator looks.
func (s Status) Pending() bool { return s == StatusPending }

// Hidden reports whether a moderator hid the contribution.
func (s Status) Hidden() bool { return s == StatusHidden }

// TargetKind names what a vote, report or moderation case is about.
type TargetKind string

// The kinds of contribution that can be voted on, reported and moderated.
const (
	TargetIdea    TargetKind = "idea"
	TargetComment TargetKind = "comment"
)

// Valid reports whether k is a known kind.
func (k TargetKind) Valid() bool { return k == TargetIdea || k == TargetComment }

// TokenHash is the keyed hash of a participant's browser token: all the database ever holds of
// who wrote or voted. Only the anonymity package makes one from a token.
type TokenHash string

// CounterDelta is the rule that keeps an idea's comment counters honest: only visible comments
// count, so a comment moving into or out of view changes them, and an implementation suggestion
// changes both. Ideas themselves carry no such counter.
func CounterDelta(kind TargetKind, ck CommentKind, from, to Status) (comments, implementations int) {
	if kind != TargetComment || from.Visible() == to.Visible() {
		return 0, 0
	}
	d := 1
	if from.Visible() {
		d = -1
	}
	if ck == KindImplementation {
		return d, d
	}
	return d, 0
}

// VisibilityDelta is +1 when a contribution comes into public view, -1 when it leaves it, and
// 0 otherwise: the change to every count of visible contributions.
func VisibilityDelta(from, to Status) int {
	switch {
	case !from.Visible() && to.Visible():
		return 1
	case from.Visible() && !to.Visible():
		return -1
	}
	return 0
}

// CheckReply decides whether a comment may be posted under parent on idea ideaID, and returns
// the depth the reply is stored at. A missing parent, or one on another idea, is a field error
// (the text is offered again as a top-level comment); a removed parent is a conflict.
func CheckReply(parent *Comment, ideaID int64) (depth int, err error) {
	switch {
	case parent == nil:
		return 0, Errorf(EINVALID, "The comment you are replying to does not exist.").Because(ReasonParentMissing)
	case parent.IdeaID != ideaID:
		return 0, Errorf(EINVALID, "The comment you are replying to belongs to another idea.").Because(ReasonParentMissing)
	case !parent.Status.Visible():
		return 0, Errorf(ECONFLICT, "The comment you are replying to has been removed, so it cannot take replies.").Because(ReasonParentHidden)
	}
	return parent.Depth + 1, nil
}

// Idea is a participant's answer to one of a challenge's questions.
type Idea struct {
	ID              int64
	ChallengeID     int64
	ChallengeSlug   string
	QuestionID      int64
	ThemeID         int64 // 0 when the idea has no theme
	ParticipantID   int64 // internal: who wrote it, for the author's own view; never shown
	Author          string
	Title           string
	BodyMD          string
	BodyHTML        HTML
	Status          Status
	StatusReason    string
	Up, Down        int
	Score           float64 // Wilson lower bound of up/(up+down) at 95%
	Hot             float64
	Controversy     float64
	Comments        int
	Implementations int
	CreatedAt       time.Time

	// What fair ranking keeps: how many participants were shown the idea, its fair score, its
	// discussion score, and whether it is still gathering votes.
	Impressions int
	Fair        float64
	Discussion  float64
	Gathering   bool
	// Shuffle is a random key that orders the list while vote counts are hidden.
	Shuffle int32
	// Pairwise results: how many comparisons involved the idea, and its chance to beat a random
	// other idea of the challenge with a 95% interval.
	Comparisons                   int
	PairChance, PairLow, PairHigh float64
	// Edited marks an idea its author changed after posting. Only the fact is kept, never when.
	Edited bool
	// BodyCut marks an idea read for a card in a list whose BodyHTML holds only the start of
	// its body, enough for an excerpt.
	BodyCut bool
}

// CommentKind separates ordinary discussion from suggestions of how to make an idea happen.
type CommentKind string

// The comment kinds.
const (
	KindComment        CommentKind = "comment"
	KindImplementation CommentKind = "implementation"
)

// Valid reports whether k is a known kind.
func (k CommentKind) Valid() bool { return k == KindComment || k == KindImplementation }

// Implementation reports whether the comment suggests how to make the idea happen.
func (k CommentKind) Implementation() bool { return k == KindImplementation }

// Comment is a reply to an idea or to another comment.
type Comment struct {
	ID            int64
	IdeaID        int64
	ParentID      int64 // 0 for a top-level comment
	Depth         int   // 1 for a top-level comment
	ParticipantID int64 // internal: who wrote it, for the author's own view; never shown
	Author        string
	Kind          CommentKind
	BodyMD        string
	BodyHTML      HTML
	Status        Status
	StatusReason  string
	Up, Down      int
	Score         float64
	CreatedAt     time.Time
	// Edited marks a comment its author changed after posting. Only the fact is kept, never when.
	Edited bool
}

// OwnComment is one of a participant's comments as its author's own page lists it: with the
// idea it is on and how many visible replies it has.
type OwnComment struct {
	Comment
	IdeaTitle  string
	IdeaStatus Status
	Replies    int
}

// IdeaInput is what a participant submits to post an idea.
type IdeaInput struct {
	QuestionID int64
	Title      string
	Body       string
	Theme      string // a theme slug, or empty
}

// Normalize trims surrounding space so validation and storage see the same text.
func (in *IdeaInput) Normalize() {
	in.Title = strings.TrimSpace(collapseSpace(in.Title))
	in.Body = strings.TrimSpace(in.Body)
	in.Theme = strings.TrimSpace(in.Theme)
}

// Validate checks the input against the challenge it is posted to.
func (in IdeaInput) Validate(c *Challenge) error {
	f := FieldErrors{}
	if _, ok := c.Question(in.QuestionID); !ok {
		f.Add("question", "Choose which question your idea answers.")
	}
	checkText(f, "title", in.Title, IdeaTitleMin, IdeaTitleMax, "title")
	checkLine(f, "title", in.Title, "title")
	checkText(f, "body", in.Body, 0, IdeaBodyMax, "description")
	if in.Theme != "" {
		if _, ok := c.Theme(in.Theme); !ok {
			f.Add("theme", "Choose one of the listed themes, or none.")
		}
	}
	return f.Err()
}

// CommentInput is what a participant submits to comment on an idea.
type CommentInput struct {
	ParentID int64
	Kind     CommentKind
	Body     string
}

// Normalize trims surrounding space and defaults the kind.
func (in *CommentInput) Normalize() {
	in.Body = strings.TrimSpace(in.Body)
	if in.Kind == "" {
		in.Kind = KindComment
	}
}

// Validate checks the fields that do not need the database.
func (in CommentInput) Validate() error {
	f := FieldErrors{}
	if !in.Kind.Valid() {
		f.Add("kind", "Choose whether this is a comment or a way to make the idea happen.")
	}
	checkText(f, "body", in.Body, 1, CommentBodyMax, "comment")
	return f.Err()
}

// VoteValue is a participant's vote: +1, -1, or 0 to clear it.
type VoteValue int

// ParseVote reads the form value of a vote: up, down or clear.
func ParseVote(s string) (VoteValue, error) {
	switch s {
	case "up":
		return 1, nil
	case "down":
		return -1, nil
	case "clear":
		return 0, nil
	}
	return 0, Errorf(EINVALID, "A vote must be up, down or clear.")
}

// String is the form value of v.
func (v VoteValue) String() string {
	switch v {
	case 1:
		return "up"
	case -1:
		return "down"
	}
	return "clear"
}

// Tally moves an item's up and down counts from a participant's old vote to their new one.
func Tally(up, down int, old, v VoteValue) (int, int) {
	count := func(x, want VoteValue) int {
		if x == want {
			return 1
		}
		return 0
	}
	return up + count(v, 1) - count(old, 1), down + count(v, -1) - count(old, -1)
}

// VoteResult is an item's counts after a vote, as the voter may see them.
type VoteResult struct {
	Up, Down int
	Score    float64
	Mine     VoteValue
	// CountsHidden is set when the challenge hides counts until one votes and the voter has
	// just cleared their vote.
	CountsHidden bool
}

// ValidText reports whether s is valid UTF-8 without control characters other than tab and
// line breaks; NUL in particular, which PostgreSQL refuses to store.
func ValidText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == 0 || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') {
			return false
		}
	}
	return true
}

func checkText(f FieldErrors, field, s string, min, max int, noun string) {
	if !utf8.ValidString(s) {
		f.Add(field, "The "+noun+" contains characters we cannot read. Please retype it.")
		return
	}
	for _, r := range s {
		if r == 0 || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') {
			f.Add(field, "The "+noun+" contains invisible control characters. Please remove them.")
			return
		}
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && min > 0:
		f.Add(field, "Please write a "+noun+".")
	case n < min:
		f.Add(field, "The "+noun+" is too short: use at least "+strconv.Itoa(min)+" characters.")
	case n > max:
		f.Add(field, "The "+noun+" is too long: "+strconv.Itoa(n)+" characters, and the limit is "+strconv.Itoa(max)+".")
	}
}

// CheckTitle applies an idea title's rules on its own, for a moderator editing one.
func CheckTitle(title string) error {
	f := FieldErrors{}
	checkText(f, "title", title, IdeaTitleMin, IdeaTitleMax, "title")
	checkLine(f, "title", title, "title")
	return f.Err()
}

// checkLine holds a one-line text shown in lists (a title) to what cannot mislead: no
// characters that reorder the text around them (bidi embeddings, overrides and isolates), which
// could make a queue line show a false author or date, and at least one visible character.
func checkLine(f FieldErrors, field, s, noun string) {
	if _, bad := f[field]; bad || s == "" {
		return
	}
	visible := false
	for _, r := range s {
		if (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			f.Add(field, "The "+noun+" contains invisible characters that change the direction of text. Please remove them.")
			return
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			visible = true
		}
	}
	if !visible {
		f.Add(field, "The "+noun+" has no visible characters. Please write it in words.")
	}
}

func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// EditWindow is how long after posting an author may change what they wrote. After it, others
// may have replied to the words as they stand; the author can still withdraw.
const EditWindow = 10 * time.Minute

// CheckEdit decides whether the author may change a contribution posted at created (as stored,
// to the minute) at now. Only what is visible, or held for a moderator, can be edited: a
// contribution under review or hidden stays as the moderator saw it.
func CheckEdit(st Status, created, now time.Time) error {
	switch {
	case st.Withdrawn():
		return Errorf(ECONFLICT, "You withdrew this, so it can no longer be changed.")
	case st.Hidden() || st.Pending():
		return Errorf(ECONFLICT, "A moderator is dealing with this, so it cannot be changed now.")
	case now.Sub(created) > EditWindow+time.Minute:
		// created is kept to the minute, so the window gets that minute back: nobody is refused
		// before ten full minutes have passed.
		return Errorf(ECONFLICT, "You can change what you posted for 10 minutes after posting, and that time has passed. You can still withdraw it.")
	}
	return nil
}

// Editable reports whether a contribution of status st posted at created can still be
// edited at now, for showing the Edit link.
func Editable(st Status, created, now time.Time) bool { return CheckEdit(st, created, now) == nil }

// CheckWithdraw decides whether the author may withdraw a contribution. Anything visible or
// waiting for a moderator can be withdrawn at any time; what a moderator has hidden is already
// out of view, and what they are reviewing waits for their decision.
func CheckWithdraw(st Status) error {
	switch {
	case st.Withdrawn():
		return Errorf(ECONFLICT, "You have already withdrawn this.")
	case st.Hidden():
		return Errorf(ECONFLICT, "A moderator has already hidden this, so nobody else can see it.")
	case st.Pending():
		return Errorf(ECONFLICT, "A moderator is reviewing reports about this. You can withdraw it once they have decided.")
	}
	return nil
}
