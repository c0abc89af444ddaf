package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
)

// A participant's own contributions: the confirmation after posting, the page that lists what
// they posted, and the edit and withdraw actions that only the author's browser may take.

// The notes a redirect leaves for the next page, kept in the sealed participant cookie (never on
// the server) and shown once, so that the addresses of the contract stay as they are.
const (
	notePosted    = "posted"
	noteEdited    = "edited"
	noteWithdrawn = "withdrawn"
)

// flashNote leaves a note about an item ("posted", "edited", "withdrawn") for the page the
// browser is sent to next.
func (s *Server) flashNote(c echo.Context, note string, kind gs.TargetKind, id int64) {
	sess, err := s.sessions.Get(c.Request(), participantCookie)
	if err != nil {
		return // a cookie that cannot be read gets no note; the action itself has happened
	}
	sess.AddFlash(note + ":" + string(kind) + ":" + strconv.FormatInt(id, 10))
	_ = saveParticipant(c, sess)
}

// itemNote is a note left by the previous request about one item.
type itemNote struct {
	Note string
	Kind gs.TargetKind
	ID   int64
}

// Is reports whether the note is about the given item.
func (n itemNote) Is(kind gs.TargetKind, id int64) bool { return n.Kind == kind && n.ID == id }

// takeNote reads and clears the note left for this page, if there is one.
func (s *Server) takeNote(c echo.Context) itemNote {
	sess, err := s.sessions.Get(c.Request(), participantCookie)
	if err != nil {
		return itemNote{}
	}
	flashes := sess.Flashes()
	if len(flashes) == 0 {
		return itemNote{}
	}
	_ = saveParticipant(c, sess)
	raw, _ := flashes[len(flashes)-1].(string)
	var n itemNote
	for i, part := range strings.SplitN(raw, ":", 3) {
		switch i {
		case 0:
			n.Note = part
		case 1:
			n.Kind = gs.TargetKind(part)
		case 2:
			n.ID, _ = strconv.ParseInt(part, 10, 64)
		}
	}
	return n
}

// editPage is the form that changes an idea or a comment in the minutes after posting.
type editPage struct {
	basePage
	Challenge *gs.Challenge
	Kind      gs.TargetKind
	ID        int64
	IdeaID    int64
	Title     string // ideas only
	Body      string
	Errors    map[string]string
	Refused   string // why the change could not be made, when it is not about a field
	// MinutesLeft is how long the window has left, rounded down, for the hint.
	MinutesLeft int
}

func minutesLeft(created, now time.Time) int {
	return max(0, int((gs.EditWindow+time.Minute-now.Sub(created))/time.Minute))
}

func (s *Server) ideaEditShow(c echo.Context) error {
	id, err := pathID(c, "idea")
	if err != nil {
		return err
	}
	i, ch, err := s.part.OwnIdea(c.Request().Context(), id, participantHash(c))
	if err != nil {
		return err
	}
	return s.renderEdit(c, &editPage{basePage: s.base(c, "Change your idea"), Challenge: ch, Kind: gs.TargetIdea, ID: i.ID, IdeaID: i.ID,
		Title: i.Title, Body: i.BodyMD}, i.Status, i.CreatedAt)
}

func (s *Server) ideaEditSubmit(c echo.Context) error {
	id, err := pathID(c, "idea")
	if err != nil {
		return err
	}
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	h := participantHash(c)
	i, ch, err := s.part.OwnIdea(ctx, id, h)
	if err != nil {
		return err
	}
	page := &editPage{basePage: s.base(c, "Change your idea"), Challenge: ch, Kind: gs.TargetIdea, ID: id, IdeaID: id,
		Title: vals.Get("title"), Body: vals.Get("body"), MinutesLeft: minutesLeft(i.CreatedAt, s.part.Now())}
	if err = throttled(c); err == nil {
		_, err = s.part.EditIdea(ctx, h, id, page.Title, page.Body)
	}
	if err != nil {
		return s.editRefused(c, page, err)
	}
	s.flashNote(c, noteEdited, gs.TargetIdea, id)
	if wantsJSON(c) {
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, ideaPath(id))
}

func (s *Server) commentEditShow(c echo.Context) error {
	id, err := pathID(c, "comment")
	if err != nil {
		return err
	}
	cm, _, ch, err := s.part.OwnComment(c.Request().Context(), id, participantHash(c))
	if err != nil {
		return err
	}
	return s.renderEdit(c, &editPage{basePage: s.base(c, "Change your comment"), Challenge: ch, Kind: gs.TargetComment, ID: id, IdeaID: cm.IdeaID,
		Body: cm.BodyMD}, cm.Status, cm.CreatedAt)
}

// renderEdit draws the edit form with the minutes left, or says why the window has closed,
// keeping the text on the page.
func (s *Server) renderEdit(c echo.Context, page *editPage, st gs.Status, created time.Time) error {
	now := s.part.Now()
	page.MinutesLeft = minutesLeft(created, now)
	if err := gs.CheckEdit(st, created, now); err != nil {
		page.Refused = say(c, err)
		return s.render(c, http.StatusConflict, "edit", page)
	}
	return s.render(c, http.StatusOK, "edit", page)
}

func (s *Server) commentEditSubmit(c echo.Context) error {
	id, err := pathID(c, "comment")
	if err != nil {
		return err
	}
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	h := participantHash(c)
	cm, _, ch, err := s.part.OwnComment(ctx, id, h)
	if err != nil {
		return err
	}
	page := &editPage{basePage: s.base(c, "Change your comment"), Challenge: ch, Kind: gs.TargetComment, ID: id, IdeaID: cm.IdeaID,
		Body: vals.Get("body"), MinutesLeft: minutesLeft(cm.CreatedAt, s.part.Now())}
	if err = throttled(c); err == nil {
		_, err = s.part.EditComment(ctx, h, id, page.Body)
	}
	if err != nil {
		return s.editRefused(c, page, err)
	}
	s.flashNote(c, noteEdited, gs.TargetComment, id)
	if wantsJSON(c) {
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, commentPath(cm.IdeaID, id))
}

// editRefused draws the edit form again with what was typed and why it was refused.
func (s *Server) editRefused(c echo.Context, page *editPage, err error) error {
	ref, ok := refusedForm(c, err)
	if !ok {
		return err
	}
	if ref.Fields != nil {
		page.Errors = ref.Fields
	} else {
		page.Refused = ref.Message
	}
	return s.render(c, ref.Status, "edit", page)
}

func (s *Server) ideaWithdraw(c echo.Context) error {
	id, err := pathID(c, "idea")
	if err != nil {
		return err
	}
	if err := s.part.Withdraw(c.Request().Context(), participantHash(c), gs.TargetIdea, id); err != nil {
		return err
	}
	s.flashNote(c, noteWithdrawn, gs.TargetIdea, id)
	if wantsJSON(c) {
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, ideaPath(id))
}

func (s *Server) commentWithdraw(c echo.Context) error {
	id, err := pathID(c, "comment")
	if err != nil {
		return err
	}
	cm, _, _, err := s.part.OwnComment(c.Request().Context(), id, participantHash(c))
	if err != nil {
		return err
	}
	if err := s.part.Withdraw(c.Request().Context(), participantHash(c), gs.TargetComment, id); err != nil {
		return err
	}
	s.flashNote(c, noteWithdrawn, gs.TargetComment, id)
	if wantsJSON(c) {
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, commentPath(cm.IdeaID, id))
}

// mineItem is one row of My contributions.
type mineItem struct {
	Kind         gs.TargetKind
	ID, IdeaID   int64
	Title        string // the idea's title; for a comment, the title of the idea it is on
	Excerpt      string // comments only
	Status       gs.Status
	StatusReason string
	Edited       bool
	URL          string
	Replies      int
	Votes        int
	// NewReplies and NewVotes are the change since the participant last opened this page, as
	// remembered in their own browser; Known is false for an item the browser has no record of.
	NewReplies, NewVotes int
	Known                bool
	Own                  ownActions
}

type minePage struct {
	basePage
	Challenge *gs.Challenge
	Ideas     []mineItem
	Comments  []mineItem
	More      bool
	// ShowVotes is false while a challenge hides vote counts until people vote.
	ShowVotes bool
	// FirstLook is set when the browser has no record of an earlier visit to this page.
	FirstLook bool
}

// seenKey is where the participant cookie keeps, per challenge, the replies and votes each of
// the participant's items had when they last opened My contributions. It lives in the sealed
// cookie on their own device, never on the server, where a visit time could be lined up with
// what they post.
func seenKey(challengeID int64) string { return "seen:" + strconv.FormatInt(challengeID, 10) }

// seenLimit bounds how many items the record covers, so that the cookie stays small; the newest
// items are the ones that get replies.
const seenLimit = 60

// parseSeen reads a record like "i12=3.5,c40=1.0": item, then replies and votes.
func parseSeen(raw string) map[string][2]int {
	out := map[string][2]int{}
	for _, part := range strings.Split(raw, ",") {
		key, counts, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		r, v, ok := strings.Cut(counts, ".")
		if !ok {
			continue
		}
		nr, err1 := strconv.Atoi(r)
		nv, err2 := strconv.Atoi(v)
		if err1 == nil && err2 == nil {
			out[key] = [2]int{nr, nv}
		}
	}
	return out
}

func seenID(kind gs.TargetKind, id int64) string { return string(kind[:1]) + strconv.FormatInt(id, 10) }

func (s *Server) mineShow(c echo.Context) error {
	h := participantHash(c)
	own, err := s.part.OwnContributions(c.Request().Context(), c.Param("slug"), h)
	if err != nil {
		return err
	}
	ch, now := own.Challenge, s.part.Now()
	page := &minePage{basePage: s.base(c, "My contributions"), Challenge: ch, More: own.More,
		ShowVotes: !(ch.HideCountsUntilVoted && ch.Phase.AcceptsVotes())}
	for _, i := range own.Ideas {
		page.Ideas = append(page.Ideas, mineItem{Kind: gs.TargetIdea, ID: i.ID, IdeaID: i.ID, Title: i.Title, Status: i.Status,
			StatusReason: i.StatusReason, Edited: i.Edited, URL: ideaPath(i.ID), Replies: i.Comments, Votes: i.Up + i.Down,
			Own: newOwnActions(c, gs.TargetIdea, i.ID, i.Status, i.CreatedAt, now)})
	}
	for _, cm := range own.Comments {
		page.Comments = append(page.Comments, mineItem{Kind: gs.TargetComment, ID: cm.ID, IdeaID: cm.IdeaID, Title: cm.IdeaTitle,
			Excerpt: markup.Summary(cm.BodyHTML, 160), Status: cm.Status, StatusReason: cm.StatusReason, Edited: cm.Edited,
			URL: commentPath(cm.IdeaID, cm.ID), Replies: cm.Replies, Votes: cm.Up + cm.Down,
			Own: newOwnActions(c, gs.TargetComment, cm.ID, cm.Status, cm.CreatedAt, now)})
	}
	if len(page.Ideas)+len(page.Comments) > 0 {
		s.compareWithLastLook(c, ch.ID, page)
	}
	return s.render(c, http.StatusOK, "mine", page)
}

// compareWithLastLook fills in what changed since the browser's record of the last visit, and
// replaces the record with what the page shows now.
func (s *Server) compareWithLastLook(c echo.Context, challengeID int64, page *minePage) {
	sess, err := s.sessions.Get(c.Request(), participantCookie)
	if err != nil {
		return
	}
	raw, had := sess.Values[seenKey(challengeID)].(string)
	page.FirstLook = !had
	before := parseSeen(raw)
	var record []string
	for _, list := range [][]mineItem{page.Ideas, page.Comments} {
		for k := range list {
			it := &list[k]
			key := seenID(it.Kind, it.ID)
			if was, ok := before[key]; ok {
				it.Known = true
				it.NewReplies, it.NewVotes = max(0, it.Replies-was[0]), max(0, it.Votes-was[1])
			}
			if len(record) < seenLimit {
				record = append(record, key+"="+strconv.Itoa(it.Replies)+"."+strconv.Itoa(it.Votes))
			}
		}
	}
	// Only this challenge's record is kept, so that the cookie stays small.
	for k := range sess.Values {
		if name, ok := k.(string); ok && strings.HasPrefix(name, "seen:") && name != seenKey(challengeID) {
			delete(sess.Values, k)
		}
	}
	sess.Values[seenKey(challengeID)] = strings.Join(record, ",")
	_ = saveParticipant(c, sess)
}
