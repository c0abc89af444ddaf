package groundswell

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AccessMode says who may take part in a challenge.
type AccessMode string

// The access modes.
const (
	// AccessOpen lets anyone with the link take part.
	AccessOpen AccessMode = "open"
	// AccessInvite lets only those who redeemed an invite code write and vote.
	AccessInvite AccessMode = "invite"
)

// Valid reports whether m is a known access mode.
func (m AccessMode) Valid() bool { return m == AccessOpen || m == AccessInvite }

// CheckVoice is the invite rule: in an invite-only challenge only a participant who redeemed a
// code may write, vote or report.
func CheckVoice(m AccessMode, member bool) error {
	if m != AccessInvite || member {
		return nil
	}
	return Errorf(EFORBIDDEN, "This challenge is for invited staff. To take part, enter the invite code you were given on the Join page.").
		Because(ReasonNotJoined)
}

// CanRead is the reading rule: an invite-only challenge may keep its pages from people without
// a code.
func (c *Challenge) CanRead(member bool) error {
	if c.Access != AccessInvite || c.ReadWithoutCode || member {
		return nil
	}
	return Errorf(EFORBIDDEN, "This challenge is only open to invited staff, and only they can read it. Enter the invite code you were given on the Join page.").
		Because(ReasonNotJoined)
}

// Schedule is when a challenge moves on by itself: it opens for ideas, moves to voting and
// goes to the expert panel. A nil time means no automatic change.
type Schedule struct {
	OpensAt, VotingAt, ReviewAt *time.Time
}

// steps pairs each scheduled time with the phase it starts, in order.
func (s Schedule) steps() []struct {
	at    *time.Time
	phase Phase
} {
	return []struct {
		at    *time.Time
		phase Phase
	}{{s.OpensAt, PhaseOpen}, {s.VotingAt, PhaseVoting}, {s.ReviewAt, PhaseReview}}
}

// Due is the automatic phase rule: the latest phase whose time has come, when that is later
// than the current one. Only the scheduled part of a challenge's life moves by itself: a
// challenge an admin has already taken further (or published, or closed) stays where it is, and
// a schedule never moves a challenge back.
func (s Schedule) Due(current Phase, now time.Time) (Phase, bool) {
	due := current
	for _, st := range s.steps() {
		if st.at != nil && !now.Before(*st.at) && st.phase.after(due) {
			due = st.phase
		}
	}
	return due, due != current
}

// Next is the next scheduled change after now from the current phase, if there is one.
func (s Schedule) Next(current Phase, now time.Time) (Phase, time.Time, bool) {
	for _, st := range s.steps() {
		if st.at != nil && st.at.After(now) && st.phase.after(current) {
			return st.phase, *st.at, true
		}
	}
	return "", time.Time{}, false
}

func (p Phase) index() int {
	for i, q := range Phases {
		if q == p {
			return i
		}
	}
	return -1
}

func (p Phase) after(q Phase) bool { return p.index() > q.index() }

// CheckPhaseChange is the rule for an admin moving a challenge by hand. Any move is allowed
// except back to draft once people have been able to see it: a draft is hidden, and what
// participants wrote must not vanish with it.
func CheckPhaseChange(from, to Phase) error {
	if !to.Valid() {
		return Errorf(EINVALID, "Choose one of the phases listed.")
	}
	if to == PhaseDraft && from != PhaseDraft {
		return Errorf(ECONFLICT, "A challenge that has been open cannot go back to draft: what people wrote in it would disappear. Close it instead.")
	}
	return nil
}

// Retention limits, in days after a challenge is published or closed.
const (
	DefaultRetentionDays = 90
	MaxRetentionDays     = 3650
)

// Ended reports whether a challenge in phase p has finished taking part: published or closed.
func (p Phase) Ended() bool { return p == PhasePublished || p == PhaseClosed }

// PurgeDue is the retention rule: once a challenge has ended and its retention has run out, the
// rows that only served taking part in it may go.
func (c *Challenge) PurgeDue(now time.Time) bool {
	if c.EndedAt == nil || !c.Phase.Ended() {
		return false
	}
	return !now.Before(c.EndedAt.AddDate(0, 0, c.RetentionDays))
}

// ChallengeForm is what an admin types to set up or edit a challenge. Dates are "YYYY-MM-DD"
// as a date field sends them; each change happens at midnight where the server is.
type ChallengeForm struct {
	Title, Slug, Brief   string
	Questions            []QuestionForm
	Themes               []ThemeForm // the existing themes; one left blank is removed
	NewThemes            string      // new theme names, one per line
	OpensOn, VotingOn    string
	ReviewOn             string
	Access               AccessMode
	ReadWithoutCode      bool
	HideCountsUntilVoted bool
	SharedDevices        bool
	RetentionDays        string // whole days, as typed
	// StaffGroups and Regions offer answers for describing oneself, one per line.
	StaffGroups, Regions string
}

// QuestionForm is one open question as typed: its title and an optional prompt.
type QuestionForm struct {
	ID            int64
	Title, Prompt string
}

// SetupParts is what a challenge has when it is edited: its questions and themes by id, each
// with whether ideas use it.
type SetupParts struct {
	Questions, Themes map[int64]bool
}

// CheckSetupEdit is the rule for editing a challenge's questions and themes: the form may name
// only the challenge's own (another id means the page is out of date or was tampered with), and
// a question or theme that ideas already use may be reworded but not removed.
func CheckSetupEdit(now SetupParts, qs []QuestionForm, ts []ThemeForm) error {
	stale := func(field string) error {
		return FieldErrorf(field, "This form is out of date: it names something the challenge no longer has. Reload the page and make your changes again.")
	}
	kept := map[int64]bool{}
	for _, q := range qs {
		if _, ok := now.Questions[q.ID]; q.ID != 0 && !ok {
			return stale("questions")
		}
		if q.ID != 0 && q.Title != "" {
			kept[q.ID] = true
		}
	}
	for id, used := range now.Questions {
		if used && !kept[id] {
			return FieldErrorf("questions", "A question that already has ideas cannot be removed. Reword it instead.")
		}
	}
	for _, t := range ts {
		used, ok := now.Themes[t.ID]
		if t.ID != 0 && !ok {
			return stale("themes")
		}
		if t.ID != 0 && t.Name == "" && used {
			return FieldErrorf("themes", "A theme that already has ideas filed under it cannot be removed. Rename it instead.")
		}
	}
	return nil
}

// ThemeForm is an existing theme as typed: its id and its (new) name.
type ThemeForm struct {
	ID   int64
	Name string
}

// Limits of a challenge's set-up.
const (
	MaxChoices      = 40
	MaxQuestions    = 8
	MaxThemes       = 20
	MaxBriefRunes   = 20000
	maxTitleRunes   = 120
	maxPromptRunes  = 500
	maxThemeRunes   = 60
	maxSlugLength   = 60
	minSlugLength   = 3
	minTitleRunes   = 5
	minQuestionRune = 5
)

// CheckedChallenge is a challenge form that passed its checks, with its dates read.
type CheckedChallenge struct {
	ChallengeForm
	Questions []QuestionForm // the non-empty ones, in order
	Themes    []ThemeForm    // kept (id and name), removed (id, no name) and new (name, no id)
	Schedule  Schedule
	Retention int // days after the challenge ends
}

// CheckChallengeForm validates a challenge's set-up, reading dates in loc. Every problem is
// reported against its field at once.
func CheckChallengeForm(in ChallengeForm, loc *time.Location) (CheckedChallenge, error) {
	f := FieldErrors{}
	out := CheckedChallenge{ChallengeForm: in}
	out.Title = collapseSpace(in.Title)
	checkText(f, "title", out.Title, minTitleRunes, maxTitleRunes, "title")
	checkLine(f, "title", out.Title, "title")
	out.Slug = strings.TrimSpace(in.Slug)
	if msg := slugProblem(out.Slug); msg.Format != "" {
		f.Addf("slug", msg.Format, msg.Args...)
	}
	out.Brief = strings.TrimSpace(in.Brief)
	checkText(f, "brief", out.Brief, 0, MaxBriefRunes, "brief")
	for i, q := range in.Questions {
		q.Title, q.Prompt = collapseSpace(q.Title), strings.TrimSpace(q.Prompt)
		field := "question_" + strconv.Itoa(i+1)
		if q.Title == "" {
			if q.Prompt != "" {
				f.Add(field, "Give this question a title, or clear its prompt too.")
			}
			if q.ID != 0 {
				out.Questions = append(out.Questions, q) // an existing question left blank: removed, if it can be
			}
			continue
		}
		checkText(f, field, q.Title, minQuestionRune, maxTitleRunes, "question")
		checkLine(f, field, q.Title, "question")
		checkText(f, field+"_prompt", q.Prompt, 0, maxPromptRunes, "prompt")
		out.Questions = append(out.Questions, q)
	}
	asked := 0
	for _, q := range out.Questions {
		if q.Title != "" {
			asked++
		}
	}
	if asked == 0 {
		f.Add("question_1", "Ask at least one question: it is what staff answer with their ideas.")
	}
	if asked > MaxQuestions {
		f.Addf("question_1", "Ask at most %d questions.", MaxQuestions)
	}
	seen := map[string]bool{}
	themeOK := func(name string) bool {
		if !ValidText(name) || utf8.RuneCountInString(name) > maxThemeRunes {
			f.Addf("themes", "Keep each theme to one line of at most %d characters.", maxThemeRunes)
			return false
		}
		key := strings.ToLower(name)
		if seen[key] {
			f.Addf("themes", "The theme %q is listed twice.", name)
			return false
		}
		seen[key] = true
		return true
	}
	kept := 0
	out.Themes = nil
	for _, t := range in.Themes {
		t.Name = collapseSpace(t.Name)
		if t.Name != "" && themeOK(t.Name) {
			kept++
		}
		out.Themes = append(out.Themes, t)
	}
	for _, line := range strings.Split(in.NewThemes, "\n") {
		if name := collapseSpace(line); name != "" && themeOK(name) {
			kept++
			out.Themes = append(out.Themes, ThemeForm{Name: name})
		}
	}
	if kept > MaxThemes {
		f.Addf("themes", "Use at most %d themes.", MaxThemes)
	}
	if out.Access == "" {
		out.Access = AccessOpen
	}
	if !out.Access.Valid() {
		f.Add("access", "Choose who can take part.")
	}
	for _, l := range []struct {
		field string
		value *string
	}{{"staff_groups", &out.StaffGroups}, {"regions", &out.Regions}} {
		choices := SplitChoices(*l.value)
		if len(choices) > MaxChoices {
			f.Addf(l.field, "Offer at most %d answers.", MaxChoices)
		}
		for _, c := range choices {
			if !ValidText(c) || utf8.RuneCountInString(c) > maxThemeRunes {
				f.Addf(l.field, "Keep each answer to one line of at most %d characters.", maxThemeRunes)
				break
			}
		}
		*l.value = strings.Join(choices, "\n")
	}
	out.Retention = DefaultRetentionDays
	if v := strings.TrimSpace(in.RetentionDays); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxRetentionDays {
			f.Addf("retention_days", "Choose a number of days from 1 to %d.", MaxRetentionDays)
		}
		out.Retention = n
	}
	var err error
	dates := []struct {
		field, value, what string
		to                 **time.Time
	}{
		{"opens_on", in.OpensOn, "opening", &out.Schedule.OpensAt},
		{"voting_on", in.VotingOn, "voting", &out.Schedule.VotingAt},
		{"review_on", in.ReviewOn, "review", &out.Schedule.ReviewAt},
	}
	var last *time.Time
	lastWhat := ""
	for _, d := range dates {
		v := strings.TrimSpace(d.value)
		if v == "" {
			continue
		}
		t, perr := time.ParseInLocation("2006-01-02", v, loc)
		if perr != nil || t.Year() < 2000 || t.Year() > 2200 {
			f.Add(d.field, "Enter the "+d.what+" date as year-month-day, for example 2027-03-01.")
			continue
		}
		t = t.UTC() // stored and compared in UTC, like every time Groundswell keeps
		*d.to = &t
		if last != nil && !t.After(*last) {
			f.Add(d.field, "The "+d.what+" date must come after the "+lastWhat+" date.")
		}
		last, lastWhat = &t, d.what
	}
	if err = f.Err(); err != nil {
		return CheckedChallenge{}, err
	}
	return out, nil
}

func slugProblem(s string) Msg {
	if s == "" {
		return Msg{Format: "Give the challenge a web address."}
	}
	if s == "new" {
		return Msg{Format: "“new” is kept for the page that makes challenges. Choose another web address."}
	}
	if len(s) < minSlugLength || len(s) > maxSlugLength {
		return Msg{Format: "Use %d to %d characters for the web address.", Args: []any{minSlugLength, maxSlugLength}}
	}
	for i, r := range s {
		ok := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r == '-' && i > 0 && i < len(s)-1)
		if !ok {
			return Msg{Format: "Use only small letters, digits and dashes in the web address, and do not start or end with a dash."}
		}
	}
	return Msg{}
}

// InviteAlphabet is what invite codes are written in: capital letters and digits, without the
// ones that are easy to confuse when read aloud or copied by hand (0 and O, 1, I and L, U and V).
const InviteAlphabet = "ABCDEFGHJKMNPQRSTWXYZ23456789"

// InviteCodeLength is how many symbols a code has: 12 from 29 give 58 bits, far beyond guessing
// at the rate redemption allows.
const InviteCodeLength = 12

// NormalizeInviteCode reads a code as a person may type it: in any case, with spaces or dashes
// anywhere. It returns the bare code or a plain-words error.
func NormalizeInviteCode(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '\u2010' || r == '\u2013' || r == '\u2014' || r == '\u00a0':
			continue
		case r < utf8.RuneSelf && strings.ContainsRune(InviteAlphabet, r):
			b.WriteRune(r)
		default:
			return "", (&Error{Code: EINVALID, Message: "That is not an invite code. Codes use capital letters and the digits 2 to 9 only; check the letters against the ones you were given.",
				Fields: map[string]string{"code": "Codes use capital letters and the digits 2 to 9 only."}})
		}
	}
	code := b.String()
	if code == "" {
		return "", &Error{Code: EINVALID, Message: "Enter the invite code you were given.", Fields: map[string]string{"code": "Enter the invite code you were given."}}
	}
	if len(code) != InviteCodeLength {
		return "", FieldErrorf("code", "An invite code has %d letters and digits; this one has %d. Check it against the one you were given.", InviteCodeLength, len(code))
	}
	return code, nil
}

// FormatInviteCode groups a bare code in fours, the way it is printed: ABCD-EFGH-JKMN.
func FormatInviteCode(code string) string {
	var parts []string
	for len(code) > 4 {
		parts = append(parts, code[:4])
		code = code[4:]
	}
	return strings.Join(append(parts, code), "-")
}

// MaxMint is how many codes one batch may hold.
const MaxMint = 20000

// CheckMint validates a request for n invite codes with a label for the admin's own reference.
func CheckMint(access AccessMode, n int, label string) (string, error) {
	f := FieldErrors{}
	if access != AccessInvite {
		return "", Errorf(ECONFLICT, "This challenge is open to anyone with the link. Switch it to invite-only before minting codes.")
	}
	if n < 1 || n > MaxMint {
		f.Addf("count", "Choose how many codes to make, from 1 to %d.", MaxMint)
	}
	label = collapseSpace(label)
	if !ValidText(label) || utf8.RuneCountInString(label) > 80 {
		f.Add("label", "Keep the label to one line of at most 80 characters.")
	}
	return label, f.Err()
}

// How long a participant's browser is remembered. The cookie is what keeps one person to one
// vote per idea, so it must outlast the challenge's voting; after that it only serves to read
// "My contributions", for a month. It never lasts longer than browsers allow (400 days).
const (
	RememberAfterVoting = 30 * 24 * time.Hour
	RememberUnscheduled = 90 * 24 * time.Hour
	RememberAtMost      = 400 * 24 * time.Hour
)

// RememberUntil is how long a browser taking part in c at now needs to be remembered: until a
// month after voting closes when that is scheduled, 90 days from now when it is not, and a month
// from now once voting has closed.
func (c *Challenge) RememberUntil(now time.Time) time.Time {
	until := now.Add(RememberUnscheduled)
	switch {
	case !c.Phase.AcceptsIdeas() && !c.Phase.AcceptsVotes() && c.Phase != PhaseDraft:
		until = now.Add(RememberAfterVoting)
	case c.Schedule.ReviewAt != nil && c.Schedule.ReviewAt.After(now):
		until = c.Schedule.ReviewAt.Add(RememberAfterVoting)
	}
	if limit := now.Add(RememberAtMost); until.After(limit) {
		return limit
	}
	return until
}
