// Package participation is the service behind the anonymous loop: reading challenges and ideas,
// posting ideas and comments, and voting. It opens the store's transactions and applies the
// domain's rules inside them, renders user text once, and returns views ready to draw.
package participation

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/ranking"
	"github.com/groundswell/groundswell/internal/store"
)

// Service carries the participation use cases.
type Service struct {
	store       *store.Store
	md          *markup.Renderer
	keys        *anonymity.Keys
	impressions *impressions
	pairs       pairsDirty
	surges      *surges
}

// New returns a Service over st.
func New(st *store.Store, md *markup.Renderer, keys *anonymity.Keys) *Service {
	return &Service{store: st, md: md, keys: keys, impressions: newImpressions(time.Now()), surges: newSurges()}
}

// ListedPhases are the phases whose challenges appear on the home page and in the API.
var ListedPhases = []gs.Phase{gs.PhaseOpen, gs.PhaseVoting, gs.PhaseReview, gs.PhasePublished, gs.PhaseClosed}

// Challenges returns every public challenge, newest first.
func (s *Service) Challenges(ctx context.Context) ([]gs.Challenge, error) {
	return s.store.Challenges(ctx, ListedPhases...)
}

// AllChallenges returns every challenge, drafts included, newest first, for admins.
func (s *Service) AllChallenges(ctx context.Context) ([]gs.Challenge, error) {
	return s.store.Challenges(ctx, gs.Phases...)
}

// Challenge returns a public challenge by slug; drafts are not found.
func (s *Service) Challenge(ctx context.Context, slug string) (*gs.Challenge, error) {
	c, err := s.store.ChallengeBySlug(ctx, slug)
	if gs.ErrorCode(err) == gs.ENOTFOUND || (err == nil && !c.Phase.Public()) {
		return nil, gs.Errorf(gs.ENOTFOUND, "There is no challenge at this address. It may have been renamed or not yet opened.")
	}
	return c, err
}

// ChallengeFor returns a public challenge by slug if the participant with token hash h may read
// it: an invite-only challenge can keep its pages to those who joined.
func (s *Service) ChallengeFor(ctx context.Context, slug string, h gs.TokenHash) (*gs.Challenge, error) {
	c, err := s.Challenge(ctx, slug)
	if err != nil {
		return nil, err
	}
	return c, s.readable(ctx, c, h)
}

// Voice says whether the participant with token hash h may write and vote in c: in an
// invite-only challenge only after redeeming a code.
func (s *Service) Voice(ctx context.Context, c *gs.Challenge, h gs.TokenHash) error {
	if gs.CheckVoice(c.Access, false) == nil {
		return nil
	}
	member, err := s.store.IsMember(ctx, c.ID, h)
	if err != nil {
		return err
	}
	return gs.CheckVoice(c.Access, member)
}

// readable applies the reading rule of invite-only challenges.
func (s *Service) readable(ctx context.Context, c *gs.Challenge, h gs.TokenHash) error {
	if c.CanRead(false) == nil {
		return nil
	}
	member, err := s.store.IsMember(ctx, c.ID, h)
	if err != nil {
		return err
	}
	return c.CanRead(member)
}

// ChallengeAny returns a challenge by slug in any phase, drafts included, for staff.
func (s *Service) ChallengeAny(ctx context.Context, slug string) (*gs.Challenge, error) {
	return s.store.ChallengeBySlug(ctx, slug)
}

// Viewer resolves a browser's token hash to the participant id once per request: 0 for someone
// who has never written, who therefore has no votes and no contributions of their own.
func (s *Service) Viewer(ctx context.Context, h gs.TokenHash) (int64, error) {
	return s.store.ParticipantByToken(ctx, h)
}

// Ideas returns a page of a challenge's visible ideas.
func (s *Service) Ideas(ctx context.Context, q gs.IdeaQuery) (gs.IdeaPage, error) {
	return s.store.Ideas(ctx, q)
}

// ListView is one page of a challenge's ideas as one viewer sees it.
type ListView struct {
	Challenge *gs.Challenge
	Query     gs.IdeaQuery
	Page      gs.IdeaPage
	MyVotes   map[int64]gs.VoteValue
	// Explored marks the ideas placed on the page because few people have seen them yet.
	Explored map[int64]bool
	// Viewer is the participant looking, 0 for someone who has never written, so that their own
	// ideas can be marked.
	Viewer int64
}

// IdeaList returns the challenge with the given slug and the page of its ideas that f asks for,
// with the viewer's votes on them. With explore set, a page of the fair order gives the
// challenge's exploration share of its places to ideas still gathering votes, drawn at random
// for this participant and page (see MixPage).
func (s *Service) IdeaList(ctx context.Context, slug string, f gs.IdeaFilter, h gs.TokenHash, explore bool) (*ListView, error) {
	c, err := s.ChallengeFor(ctx, slug, h)
	if err != nil {
		return nil, err
	}
	q, err := f.Resolve(c)
	if err != nil {
		return nil, err
	}
	slots := 0
	if explore && (q.Sort == gs.SortFair || q.Sort == gs.SortShuffled) && q.Text == "" {
		slots = ExploreSlots(c.ExploreShare, q.PerPage)
	}
	main := q
	main.PerPage = q.PerPage - slots
	page, err := s.store.Ideas(ctx, main)
	if err != nil {
		return nil, err
	}
	if q.Cursor != nil && q.Cursor.Dir == gs.CursorBefore && !page.More {
		// Nothing lies before this page: it is the first, whatever number the link gave it.
		// If it is short, the start of the list has moved since the link was made, so draw
		// the first page itself.
		page.Page = 1
		if len(page.Ideas) < main.PerPage {
			q.Cursor, main.Cursor, main.Page = nil, nil, 1
			if page, err = s.store.Ideas(ctx, main); err != nil {
				return nil, err
			}
		}
	}
	q.Page = page.Page
	backwards := q.Cursor != nil && q.Cursor.Dir != gs.CursorAfter
	stretch := page.Ideas // the page's stretch of the list's own order
	var explored map[int64]bool
	if slots > 0 && len(stretch) > 0 {
		// Picks come from outside the stretch, so that every page holds its full stretch of
		// the order and the next page, found forwards or backwards, joins on without a gap.
		picks, err := s.store.GatheringIdeas(ctx, q, s.pivot(h, q.Page), slots+len(stretch))
		if err != nil {
			return nil, err
		}
		onPage := make(map[int64]bool, len(stretch))
		for _, i := range stretch {
			onPage[i.ID] = true
		}
		picks = slices.DeleteFunc(picks, func(i gs.Idea) bool { return onPage[i.ID] })
		page.Ideas, explored = MixPage(stretch, picks[:min(len(picks), slots)], main.PerPage)
	}
	linkPages(&page, q, stretch, backwards)
	if err := s.wholeBodies(ctx, page.Ideas); err != nil {
		return nil, err
	}
	ids := make([]int64, len(page.Ideas))
	for i, idea := range page.Ideas {
		ids[i] = idea.ID
	}
	viewer, err := s.Viewer(ctx, h)
	if err != nil {
		return nil, err
	}
	mine, err := s.store.MyVotes(ctx, gs.TargetIdea, viewer, ids)
	if err != nil {
		return nil, err
	}
	return &ListView{Challenge: c, Query: q, Page: page, MyVotes: mine, Explored: explored, Viewer: viewer}, nil
}

// excerptMargin is how many characters at the end of a cut body's text may be the remains of
// a tag or character reference that the cut broke.
const excerptMargin = 16

// wholeBodies reads the whole body of each card whose cut body holds too little text for its
// excerpt, as one whose start is mostly link addresses does, so that every card shows the
// excerpt it would show from the whole body.
func (s *Service) wholeBodies(ctx context.Context, ideas []gs.Idea) error {
	var short []int64
	for _, i := range ideas {
		if i.BodyCut && utf8.RuneCountInString(markup.Summary(i.BodyHTML, math.MaxInt32)) <= gs.CardExcerptRunes+excerptMargin {
			short = append(short, i.ID)
		}
	}
	if len(short) == 0 {
		return nil
	}
	bodies, err := s.store.IdeaBodies(ctx, short)
	if err != nil {
		return err
	}
	for k := range ideas {
		if b, ok := bodies[ideas[k].ID]; ok {
			ideas[k].BodyHTML, ideas[k].BodyCut = b, false
		}
	}
	return nil
}

// linkPages sets the cursors of the pages around page, from the first and last ideas of its
// stretch of the list's own order: exploration picks mixed into the page do not move them.
func linkPages(page *gs.IdeaPage, q gs.IdeaQuery, stretch []gs.Idea, backwards bool) {
	if len(stretch) == 0 || q.Text != "" { // a search pages by number
		return
	}
	hasPrev, hasNext := q.Page > 1 || q.Cursor != nil, page.More
	if backwards {
		hasPrev, hasNext = page.More, q.Cursor.Dir == gs.CursorBefore
	}
	if hasPrev {
		c := gs.CursorAt(q.Sort, gs.CursorBefore, &stretch[0], max(q.Page-1, 1))
		page.Prev = &c
	}
	if hasNext {
		c := gs.CursorAt(q.Sort, gs.CursorAfter, &stretch[len(stretch)-1], min(q.Page+1, gs.MaxPage))
		page.Next = &c
	}
	if pages := page.Pages(); q.Page < pages-1 && hasNext {
		c := gs.LastCursor(q.Sort, pages)
		page.Last = &c
	}
}

// ExploreSlots is how many places of a page of perPage go to ideas still gathering votes: the
// share, rounded, leaving at least one place to the fair order itself.
func ExploreSlots(share float64, perPage int) int {
	n := int(math.Round(share * float64(perPage)))
	return max(0, min(n, perPage-1))
}

// MixPage merges a page of the fair order (main, which may run past its mainSlots places) with
// picks of ideas still gathering votes: main keeps its first mainSlots ideas that are not picks,
// and the picks are spread evenly through the page. It returns the page and which ideas are
// picks.
func MixPage(main, picks []gs.Idea, mainSlots int) ([]gs.Idea, map[int64]bool) {
	picked := make(map[int64]bool, len(picks))
	for _, p := range picks {
		picked[p.ID] = true
	}
	kept := make([]gs.Idea, 0, mainSlots)
	for _, i := range main {
		if len(kept) == mainSlots {
			break
		}
		if !picked[i.ID] {
			kept = append(kept, i)
		}
	}
	total := len(kept) + len(picks)
	out := make([]gs.Idea, 0, total)
	next := 0
	for k, p := range picks {
		// Pick k goes to place (k+1)·total/(len(picks)+1), rounded down.
		at := (k + 1) * total / (len(picks) + 1)
		for len(out) < at && next < len(kept) {
			out = append(out, kept[next])
			next++
		}
		out = append(out, p)
	}
	out = append(out, kept[next:]...)
	return out, picked
}

// pivot is where a participant's random sample of ideas still gathering votes starts, for one
// page on one day: stable while they page back and forth, different tomorrow and for others.
func (s *Service) pivot(h gs.TokenHash, page int) int32 {
	var mh maphash.Hash
	mh.SetSeed(s.impressions.seed)
	_, _ = mh.WriteString(string(h))
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], uint64(page))
	binary.LittleEndian.PutUint64(b[8:], uint64(time.Now().Unix()/86400))
	_, _ = mh.Write(b[:])
	return int32(mh.Sum64() & 0x7fffffff)
}

// SimilarIdeas returns up to five visible ideas whose titles resemble title.
func (s *Service) SimilarIdeas(ctx context.Context, c *gs.Challenge, title string) ([]gs.Idea, error) {
	return s.store.SimilarIdeas(ctx, c.ID, title, 5)
}

// Idea returns a visible idea with its public challenge, if the participant with token hash h
// may read it.
func (s *Service) Idea(ctx context.Context, id int64, h gs.TokenHash) (*gs.Idea, *gs.Challenge, error) {
	i, c, err := s.ideaInPublicChallenge(ctx, id, h)
	if err != nil {
		return nil, nil, err
	}
	if !i.Status.Visible() {
		return nil, nil, gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", id)
	}
	return i, c, nil
}

func (s *Service) ideaInPublicChallenge(ctx context.Context, id int64, h gs.TokenHash) (*gs.Idea, *gs.Challenge, error) {
	i, err := s.store.Idea(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.ChallengeByID(ctx, i.ChallengeID)
	if err != nil {
		return nil, nil, err
	}
	if !c.Phase.Public() {
		return nil, nil, gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", id)
	}
	if err := s.readable(ctx, c, h); err != nil {
		return nil, nil, err
	}
	return i, c, nil
}

// SeeIdea is the rule for who sees an idea that is not visible: its author still sees it, held,
// pending or hidden, with the reason, so they learn what happened; everyone else is told it was
// removed, and by whom, without its text.
func SeeIdea(i *gs.Idea, viewer int64) (mine bool, err error) {
	mine = viewer != 0 && viewer == i.ParticipantID
	if i.Status.Visible() || mine || i.Status.Withdrawn() {
		return mine, nil // a withdrawn idea leaves a placeholder, drawn without its text
	}
	switch i.Status {
	case gs.StatusHidden:
		if i.StatusReason == "" {
			return false, gs.Errorf(gs.ENOTFOUND, "This idea was removed by a moderator.")
		}
		return false, gs.Errorf(gs.ENOTFOUND, "This idea was removed by a moderator: %s", i.StatusReason)
	case gs.StatusPending:
		return false, gs.Errorf(gs.ENOTFOUND, "This idea has been removed while a moderator reviews reports about it.")
	}
	return false, gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", i.ID)
}

// IdeaView is an idea page as one viewer sees it: the idea, its challenge, the viewer's votes
// and the discussion already built into threads.
type IdeaView struct {
	Idea      *gs.Idea
	Challenge *gs.Challenge
	Mine      bool // the viewer wrote the idea
	MyVote    gs.VoteValue
	Threads   []*ThreadNode
	// Comments is how many comments the viewer is shown, placeholders included.
	Comments int
	// Proposals are the published change proposals the idea went into.
	Proposals []gs.Proposal
	// Reported is what on the page the viewer has reported ("idea:ID", "comment:ID").
	Reported map[string]bool
	// Discussion is which page of the comments this is.
	Discussion Discussion
}

// CommentsPerPage is how many comments an idea's page shows at once. Comments come in the order
// they were written, so a page holds every earlier comment its replies answer, except those on
// earlier pages.
const CommentsPerPage = 200

// IdeaPage returns everything an idea's page shows to the viewer with token hash h, in a fixed
// number of queries however long the discussion is; the viewer is resolved once. The discussion
// comes a page at a time: the comments after the comment id after (0 for the first page).
func (s *Service) IdeaPage(ctx context.Context, id int64, h gs.TokenHash, after int64) (*IdeaView, error) {
	i, c, err := s.ideaInPublicChallenge(ctx, id, h)
	if err != nil {
		return nil, err
	}
	viewer, err := s.Viewer(ctx, h)
	if err != nil {
		return nil, err
	}
	mine, err := SeeIdea(i, viewer)
	if err != nil {
		return nil, err
	}
	if i.Status.Withdrawn() && !mine {
		i.Title, i.BodyMD, i.BodyHTML = "", "", ""
	}
	all, err := s.store.CommentsAfter(ctx, id, after, CommentsPerPage+1)
	if err != nil {
		return nil, err
	}
	page := Discussion{After: after}
	if len(all) > CommentsPerPage {
		all, page.More = all[:CommentsPerPage], true
	}
	if len(all) > 0 {
		page.Next = all[len(all)-1].ID
	}
	shown := ShownComments(all, viewer)
	ideaVotes, err := s.store.MyVotes(ctx, gs.TargetIdea, viewer, []int64{id})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(shown))
	for k, cm := range shown {
		ids[k] = cm.ID
	}
	commentVotes, err := s.store.MyVotes(ctx, gs.TargetComment, viewer, ids)
	if err != nil {
		return nil, err
	}
	proposals, err := s.store.PublicProposalsOf(ctx, id)
	if err != nil {
		return nil, err
	}
	reported, err := s.store.MyReports(ctx, viewer, id)
	if err != nil {
		return nil, err
	}
	threads := BuildThreads(shown, viewer, commentVotes)
	if err := s.nameEarlierParents(ctx, threads, after); err != nil {
		return nil, err
	}
	return &IdeaView{Idea: i, Challenge: c, Mine: mine, MyVote: ideaVotes[id], Comments: len(shown),
		Threads: threads, Proposals: proposals, Reported: reported, Discussion: page}, nil
}

// Discussion is where a page of an idea's discussion sits: after which comment it starts,
// whether more follow, and the comment the next page starts after.
type Discussion struct {
	After, Next int64
	More        bool
}

// nameEarlierParents names whom a reply answers when its comment is on an earlier page, so that
// a later page still reads as a conversation.
func (s *Service) nameEarlierParents(ctx context.Context, threads []*ThreadNode, after int64) error {
	var ids []int64
	for _, n := range threads {
		if n.ParentID != 0 && n.ParentID <= after && n.ReplyTo == "" {
			ids = append(ids, n.ParentID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names, err := s.store.CommentAuthors(ctx, ids)
	if err != nil {
		return err
	}
	for _, n := range threads {
		if n.ParentID != 0 && n.ParentID <= after && n.ReplyTo == "" {
			n.ReplyTo = names[n.ParentID]
		}
	}
	return nil
}

// ShownComments is the rule for what of a discussion a viewer sees. Hidden and pending comments
// stay in place without their text, so replies keep their context; their authors still see
// their own text. Held comments are shown to their authors only.
func ShownComments(all []gs.Comment, viewer int64) []gs.Comment {
	out := make([]gs.Comment, 0, len(all))
	for _, c := range all {
		mine := viewer != 0 && c.ParticipantID == viewer
		switch {
		case c.Status.Visible() || mine:
		case c.Status.Held():
			continue
		default:
			c.BodyMD, c.BodyHTML = "", ""
		}
		out = append(out, c)
	}
	return out
}

// VisibleComments returns the public comments on a visible idea, oldest first, for the API.
func (s *Service) VisibleComments(ctx context.Context, ideaID int64) ([]gs.Comment, error) {
	all, err := s.store.Comments(ctx, ideaID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if c.Status.Visible() {
			out = append(out, c)
		}
	}
	return out, nil
}

// Comment returns one comment, whatever its status; callers decide what to show.
func (s *Service) Comment(ctx context.Context, id int64) (*gs.Comment, error) {
	return s.store.Comment(ctx, id)
}

// MyVotes returns the votes of the participant with token hash h on items of one kind, for a
// page that shows only a list (an idea page gets them in IdeaPage).
func (s *Service) MyVotes(ctx context.Context, h gs.TokenHash, kind gs.TargetKind, ids []int64) (map[int64]gs.VoteValue, error) {
	viewer, err := s.Viewer(ctx, h)
	if err != nil {
		return nil, err
	}
	return s.store.MyVotes(ctx, kind, viewer, ids)
}

// PostIdea validates in against c and stores it under the participant's pseudonym. Inside one
// write: the phase must take ideas, the participant must not be suspended, and an idea the
// challenge's prevention settings catch is held for a moderator.
func (s *Service) PostIdea(ctx context.Context, h gs.TokenHash, c *gs.Challenge, in gs.IdeaInput) (*gs.Idea, error) {
	in.Normalize()
	if err := in.Validate(c); err != nil {
		return nil, err
	}
	html := s.md.Render(in.Body)
	var out *gs.Idea
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		ch, err := tx.LockChallenge(c.ID)
		if err != nil {
			return err
		}
		if err := ch.Phase.Allow(gs.PostingIdeas); err != nil {
			return err
		}
		pid, name, err := s.author(tx, h, ch.ID, ch.Access)
		if err != nil {
			return err
		}
		hold := ch.HoldReason(markup.Fold(in.Title), markup.Fold(markup.ReadText(html))) // what readers will see
		ni := store.NewIdea{
			ChallengeID: ch.ID, QuestionID: in.QuestionID, ParticipantID: pid, Author: name,
			Title: in.Title, BodyMD: in.Body, BodyHTML: html, Status: statusFor(hold),
		}
		ni.CreatedAt = tx.Now().Truncate(time.Minute)
		ni.Hot = ranking.Hot(0, 0, ni.CreatedAt)
		ni.Fair = ranking.Fair(0, 0, 0, ch.FairMean, ranking.FairPrior)
		ni.Shuffle = rand.Int32()
		if t, ok := c.Theme(in.Theme); ok {
			ni.ThemeID = t.ID
		}
		if out, err = tx.InsertIdea(ni); err != nil {
			return err
		}
		out.ChallengeSlug = ch.Slug
		if hold == "" {
			return tx.AddIdeaCount(ch.ID, out.QuestionID, out.ThemeID, 1)
		}
		return holdForReview(tx, &store.Item{Kind: gs.TargetIdea, ID: out.ID, ChallengeID: ch.ID, IdeaID: out.ID, ParticipantID: pid}, hold)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PostComment validates in and stores it on the idea. Inside one write: the idea must be
// visible and its phase take comments, a reply's parent must be a visible comment on the same
// idea, the participant must not be suspended, and the idea's counters move with the comment
// unless it is held.
func (s *Service) PostComment(ctx context.Context, h gs.TokenHash, ideaID int64, in gs.CommentInput) (*gs.Comment, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	i, err := s.store.Idea(ctx, ideaID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.ChallengeByID(ctx, i.ChallengeID)
	if err != nil {
		return nil, err
	}
	html := s.md.Render(in.Body)
	hold := c.HoldReason(markup.Fold(markup.ReadText(html)))
	var out *gs.Comment
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		idea, err := tx.LockItem(gs.TargetIdea, ideaID, store.LockItemAndPhase)
		if err != nil {
			return err
		}
		if !idea.Status.Visible() {
			return gs.Errorf(gs.ENOTFOUND, "There is no idea number %d.", ideaID)
		}
		if err := idea.Phase.Allow(gs.Commenting); err != nil {
			return err
		}
		depth := 1
		if in.ParentID != 0 {
			parent, err := tx.Comment(in.ParentID)
			if err != nil && gs.ErrorCode(err) != gs.ENOTFOUND {
				return err
			}
			if depth, err = gs.CheckReply(parent, ideaID); err != nil {
				return err
			}
		}
		pid, name, err := s.author(tx, h, idea.ChallengeID, idea.Access)
		if err != nil {
			return err
		}
		out, err = tx.InsertComment(store.NewComment{
			IdeaID: ideaID, ParentID: in.ParentID, Depth: depth, ParticipantID: pid, Author: name,
			Kind: in.Kind, BodyMD: in.Body, BodyHTML: html, Status: statusFor(hold),
		})
		if err != nil {
			return err
		}
		item := &store.Item{Kind: gs.TargetComment, ID: out.ID, ChallengeID: idea.ChallengeID, IdeaID: ideaID,
			ParticipantID: pid, CommentKind: in.Kind, Status: out.Status}
		if hold != "" { // held comments are counted only once a moderator publishes them
			return holdForReview(tx, item, hold)
		}
		comments, impls := gs.CounterDelta(gs.TargetComment, in.Kind, "", gs.StatusVisible)
		if err := tx.AddToIdeaCounters(ideaID, comments, impls); err != nil {
			return err
		}
		return tx.RefreshDiscussion(ideaID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Vote records, changes or clears the participant's vote on an idea or comment. The item row is
// locked first (PostgreSQL) or the single writer holds the database (SQLite), so the vote row,
// the counters and the stored scores always agree, however many people vote at once.
//
// Vote counts the voter as one whose browser has long been known; VoteFrom says how long.
func (s *Service) Vote(ctx context.Context, h gs.TokenHash, kind gs.TargetKind, id int64, v gs.VoteValue) (gs.VoteResult, error) {
	return s.VoteFrom(ctx, h, 365*24*time.Hour, kind, id, v)
}

// VoteFrom is Vote from a browser known for age. A new idea vote from a participant without
// standing is marked unproven, and a burst of them on one idea opens a moderation case (a
// surge), where a moderator can discount them.
func (s *Service) VoteFrom(ctx context.Context, h gs.TokenHash, age time.Duration, kind gs.TargetKind, id int64, v gs.VoteValue) (gs.VoteResult, error) {
	var res gs.VoteResult
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		it, err := tx.LockItem(kind, id, store.LockItemOnly)
		if err != nil {
			return err
		}
		if !it.Status.Visible() || !it.IdeaStatus.Visible() {
			return gs.Errorf(gs.ENOTFOUND, "There is no %s number %d.", kind, id)
		}
		if err := it.Phase.Allow(gs.Voting); err != nil {
			return err
		}
		pid, err := tx.Voice(h, it.ChallengeID, it.Access)
		if err != nil {
			return err
		}
		cast, err := tx.VoteOf(kind, id, pid)
		if err != nil {
			return err
		}
		old, discounted := cast.Value, cast.Discounted
		res = gs.VoteResult{Mine: v, CountsHidden: it.HideCounts && v == 0}
		res.Up, res.Down = gs.Tally(it.Up, it.Down, old, v)
		if discounted { // a discounted vote is in no count, whatever it becomes
			res.Up, res.Down = it.Up, it.Down
		}
		res.Score = ranking.Wilson(res.Up, res.Down)
		if old == v {
			return nil // the same vote again changes nothing
		}
		unproven := kind == gs.TargetIdea && old == 0 && s.unproven(it, age)
		if err := tx.PutVote(kind, id, pid, old, v, unproven); err != nil {
			return err
		}
		switch {
		case unproven:
			if err := tx.AddUnproven(id, 1); err != nil {
				return err
			}
			it.Unproven++
			if err := s.watchSurge(tx, it); err != nil {
				return err
			}
		case v == 0 && cast.Unproven && !discounted:
			if err := tx.AddUnproven(id, -1); err != nil {
				return err
			}
		}
		if discounted {
			return nil
		}
		return tx.SetScores(kind, id, store.Scores{Up: res.Up, Down: res.Down, Score: res.Score,
			Hot: ranking.Hot(res.Up, res.Down, it.CreatedAt), Controversy: ranking.Controversy(res.Up, res.Down),
			Fair:      ranking.Fair(res.Up, res.Down, it.Impressions, it.FairMean, ranking.FairPrior),
			Gathering: ranking.Gathering(res.Up, res.Down, it.Impressions, it.GatherMin)})
	})
	return res, err
}

// unproven reports whether a new vote comes from a browser too new for standing. A vote is
// judged by the browser's age alone: everyone's first vote in a challenge comes before any
// activity there, and a script must now hold its cookies for the standing time before its votes
// count as anyone's.
func (s *Service) unproven(it *store.Item, age time.Duration) bool {
	return !gs.HasStanding(age, time.Duration(it.StandingMinutes)*time.Minute, true)
}

// watchSurge counts an unproven vote on an idea and, when it makes a surge, opens (or reopens)
// the idea's moderation case flagged with the surge's size, audited as the system's.
func (s *Service) watchSurge(tx *store.Tx, it *store.Item) error {
	now := tx.Now()
	n, surge := s.surges.observe(it.ID, now, it.Up+it.Down, now.Sub(it.CreatedAt))
	if !surge && gs.IsStuffed(it.Unproven, it.Up+it.Down+1) && s.surges.flagOnce(it.ID, now) {
		n, surge = it.Unproven, true // a slow drip: most of its votes are from new browsers
	}
	if !surge {
		return nil
	}
	c, err := tx.OpenCase(it, false)
	if err != nil {
		return err
	}
	if err := tx.FlagSurge(c, n); err != nil {
		return err
	}
	return tx.Audit(gs.AuditEntry{Actor: gs.SystemActor, Action: "surge", TargetType: string(it.Kind), TargetID: it.ID,
		ChallengeID: it.ChallengeID, Reason: "votes from new browsers arrived much faster than usual",
		After: gs.Snapshot(map[string]any{"unproven_votes_in_window": n, "window_minutes": int(gs.SurgeWindow.Minutes())})})
}

// author resolves who is posting in a challenge inside a write: their participant id, created
// on first write, and their pseudonym there. A participant a moderator has suspended in the
// challenge is refused, and so is one without a voice in an invite-only challenge.
func (s *Service) author(tx *store.Tx, h gs.TokenHash, challengeID int64, access gs.AccessMode) (int64, string, error) {
	pid, err := tx.Voice(h, challengeID, access)
	if err != nil {
		return 0, "", err
	}
	susp, err := tx.LatestSuspension(pid, challengeID)
	if err != nil {
		return 0, "", err
	}
	if err := susp.Refuse(tx.Now()); err != nil {
		return 0, "", err
	}
	name, err := tx.Alias(challengeID, pid, func(attempt int) string { return s.keys.Pseudonym(h, challengeID, attempt) })
	return pid, name, err
}

// statusFor is the status a new contribution starts in: held when prevention caught it.
func statusFor(holdReason string) gs.Status {
	if holdReason != "" {
		return gs.StatusHeld
	}
	return gs.StatusVisible
}

// holdForReview opens a case for a contribution held before publication and audits the hold.
func holdForReview(tx *store.Tx, it *store.Item, why string) error {
	c, err := tx.OpenCase(it, true)
	if err != nil {
		return err
	}
	return tx.Audit(gs.AuditEntry{Actor: gs.SystemActor, Action: "hold", TargetType: string(it.Kind), TargetID: it.ID,
		ChallengeID: it.ChallengeID, Reason: why, After: gs.Snapshot(map[string]any{"status": gs.StatusHeld, "case": c.ID})})
}
