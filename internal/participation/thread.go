package participation

import gs "github.com/groundswell/groundswell/internal/groundswell"

// ThreadNode is a comment placed in its thread, with what the viewer needs to know about it.
type ThreadNode struct {
	gs.Comment
	// Level is the depth the comment is drawn at: replies nest to gs.MaxThreadDepth, and deeper
	// replies sit at the last level.
	Level int
	// ReplyTo names the author answered, for a reply drawn at a shallower level than its parent's
	// child would be.
	ReplyTo  string
	Mine     bool // the viewer wrote it
	MyVote   gs.VoteValue
	Children []*ThreadNode

	shownUnder *ThreadNode
}

// BuildThreads arranges comments (oldest first, as ShownComments returns them) into threads.
// A reply to a comment at the deepest level is drawn beside it, under the same parent, and
// names whom it answers; a reply whose parent is not shown starts a thread of its own.
func BuildThreads(comments []gs.Comment, viewer int64, myVotes map[int64]gs.VoteValue) []*ThreadNode {
	var roots []*ThreadNode
	byID := make(map[int64]*ThreadNode, len(comments))
	for _, cm := range comments {
		n := &ThreadNode{Comment: cm, Level: 1, Mine: viewer != 0 && viewer == cm.ParticipantID, MyVote: myVotes[cm.ID]}
		byID[cm.ID] = n
		parent := byID[cm.ParentID]
		switch {
		case parent == nil:
			roots = append(roots, n)
		case parent.Level < gs.MaxThreadDepth:
			n.Level = parent.Level + 1
			n.shownUnder = parent
			parent.Children = append(parent.Children, n)
		default:
			n.Level, n.ReplyTo = parent.Level, parent.Author
			n.shownUnder = parent.shownUnder
			n.shownUnder.Children = append(n.shownUnder.Children, n)
		}
	}
	return roots
}

// Walk calls fn for every node of the threads, parents before their replies.
func Walk(threads []*ThreadNode, fn func(*ThreadNode)) {
	for _, n := range threads {
		fn(n)
		Walk(n.Children, fn)
	}
}
