package participation_test

import (
	"fmt"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/participation"
)

func TestSeeIdea(t *testing.T) {
	const author = 42
	idea := func(s gs.Status, reason string) *gs.Idea {
		return &gs.Idea{ID: 7, ParticipantID: author, Status: s, StatusReason: reason}
	}
	tests := []struct {
		name   string
		idea   *gs.Idea
		viewer int64
		mine   bool
		says   string // the refusal's message; "" when the viewer sees the idea
	}{
		{"visible to a stranger", idea(gs.StatusVisible, ""), 9, false, ""},
		{"visible to someone who never wrote", idea(gs.StatusVisible, ""), 0, false, ""},
		{"visible to its author", idea(gs.StatusVisible, ""), author, true, ""},
		{"hidden shown to its author", idea(gs.StatusHidden, "insults"), author, true, ""},
		{"pending shown to its author", idea(gs.StatusPending, ""), author, true, ""},
		{"held shown to its author", idea(gs.StatusHeld, ""), author, true, ""},
		{"hidden refused with the moderator's reason", idea(gs.StatusHidden, "insults"), 9, false,
			"This idea was removed by a moderator: insults"},
		{"pending refused while reviewed", idea(gs.StatusPending, ""), 9, false,
			"This idea has been removed while a moderator reviews reports about it."},
		{"held is as if it never existed", idea(gs.StatusHeld, ""), 9, false, "There is no idea number 7."},
		{"no participant is nobody's author", &gs.Idea{ID: 7, Status: gs.StatusHeld}, 0, false, "There is no idea number 7."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mine, err := participation.SeeIdea(tt.idea, tt.viewer)
			if mine != tt.mine {
				t.Errorf("mine: got %v, want %v", mine, tt.mine)
			}
			if tt.says == "" {
				if err != nil {
					t.Errorf("got error %v, want none", err)
				}
				return
			}
			if got := gs.ErrorCode(err); got != gs.ENOTFOUND {
				t.Errorf("code: got %q, want %q", got, gs.ENOTFOUND)
			}
			if got := gs.ErrorMessage(err); got != tt.says {
				t.Errorf("message: got %q, want %q", got, tt.says)
			}
		})
	}
}

func TestShownComments(t *testing.T) {
	const alice, bob, carol = 1, 2, 3
	c := func(id int64, by int64, s gs.Status) gs.Comment {
		text := fmt.Sprintf("text %d", id)
		return gs.Comment{ID: id, ParticipantID: by, Author: fmt.Sprint("author ", by), Status: s,
			BodyMD: text, BodyHTML: gs.HTML("<p>" + text + "</p>")}
	}
	all := []gs.Comment{
		c(1, alice, gs.StatusVisible),
		c(2, bob, gs.StatusHidden),
		c(3, bob, gs.StatusPending),
		c(4, carol, gs.StatusHeld),
		c(5, alice, gs.StatusHeld),
		c(6, carol, gs.StatusVisible),
		c(7, 0, gs.StatusHidden), // no participant id: nobody's, not even viewer 0's
	}
	// shown is "id" for a comment with its text, "id-" for a placeholder without it.
	tests := []struct {
		name   string
		viewer int64
		shown  []string
	}{
		{"someone who never wrote", 0, []string{"1", "2-", "3-", "6", "7-"}},
		{"alice keeps her held comment", alice, []string{"1", "2-", "3-", "5", "6", "7-"}},
		{"bob sees his own hidden and pending text", bob, []string{"1", "2", "3", "6", "7-"}},
		{"carol keeps her held comment", carol, []string{"1", "2-", "3-", "4", "6", "7-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := participation.ShownComments(all, tt.viewer)
			var got []string
			for _, cm := range out {
				switch {
				case cm.BodyMD == "" && cm.BodyHTML == "":
					got = append(got, fmt.Sprintf("%d-", cm.ID))
				case cm.BodyMD == fmt.Sprintf("text %d", cm.ID) && cm.BodyHTML != "":
					got = append(got, fmt.Sprint(cm.ID))
				default:
					got = append(got, fmt.Sprintf("%d?(%q, %q)", cm.ID, cm.BodyMD, cm.BodyHTML))
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.shown, " ") {
				t.Errorf("got %v, want %v", got, tt.shown)
			}
		})
	}
	t.Run("placeholder keeps its author and status", func(t *testing.T) {
		out := participation.ShownComments(all, 0)
		if out[1].ID != 2 || out[1].Author != "author 2" || out[1].Status != gs.StatusHidden {
			t.Errorf("got %+v, want comment 2 by %q, hidden", out[1], "author 2")
		}
	})
	t.Run("the input keeps its text", func(t *testing.T) {
		participation.ShownComments(all, 0)
		if all[1].BodyMD != "text 2" {
			t.Errorf("input BodyMD: got %q, want %q", all[1].BodyMD, "text 2")
		}
	})
}

// thread is a compact picture of threads: "id@level" for each node, with children in brackets
// and, for replies drawn beside their parent, "^author" naming whom they answer.
func thread(nodes []*participation.ThreadNode) string {
	var parts []string
	for _, n := range nodes {
		s := fmt.Sprintf("%d@%d", n.ID, n.Level)
		if n.ReplyTo != "" {
			s += "^" + n.ReplyTo
		}
		if len(n.Children) > 0 {
			s += "[" + thread(n.Children) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestBuildThreads(t *testing.T) {
	if gs.MaxThreadDepth != 3 {
		t.Fatalf("gs.MaxThreadDepth: got %d, want 3, which these cases are worked out for", gs.MaxThreadDepth)
	}
	cm := func(id, parent int64, author string) gs.Comment {
		return gs.Comment{ID: id, ParentID: parent, Author: author, Status: gs.StatusVisible}
	}
	tests := []struct {
		name     string
		comments []gs.Comment
		want     string
	}{
		{"none", nil, ""},
		{"top-level comments in order", []gs.Comment{cm(1, 0, "A"), cm(2, 0, "B")}, "1@1 2@1"},
		{"replies nest", []gs.Comment{cm(1, 0, "A"), cm(2, 1, "B"), cm(3, 2, "C"), cm(4, 1, "D")}, "1@1[2@2[3@3] 4@2]"},
		{"a reply below the last level is drawn beside its parent",
			[]gs.Comment{cm(1, 0, "A"), cm(2, 1, "B"), cm(3, 2, "C"), cm(4, 3, "D")},
			"1@1[2@2[3@3 4@3^C]]"},
		{"a reply to a reply drawn beside stays at the last level",
			[]gs.Comment{cm(1, 0, "A"), cm(2, 1, "B"), cm(3, 2, "C"), cm(4, 3, "D"), cm(5, 4, "E")},
			"1@1[2@2[3@3 4@3^C 5@3^D]]"},
		{"a reply whose parent is missing becomes a root",
			[]gs.Comment{cm(1, 0, "A"), cm(2, 99, "B"), cm(3, 2, "C")},
			"1@1 2@1[3@2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thread(participation.BuildThreads(tt.comments, 0, nil)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("Mine and MyVote", func(t *testing.T) {
		comments := []gs.Comment{
			{ID: 1, ParticipantID: 5, Author: "A"},
			{ID: 2, ParentID: 1, ParticipantID: 6, Author: "B"},
			{ID: 3, ParentID: 1, ParticipantID: 5, Author: "A"},
			{ID: 4, Author: "C"}, // no participant id: nobody's, not even viewer 0's
		}
		votes := map[int64]gs.VoteValue{2: 1, 3: -1, 99: 1}
		want := map[int64]struct {
			mine bool
			vote gs.VoteValue
		}{1: {true, 0}, 2: {false, 1}, 3: {true, -1}, 4: {false, 0}}
		for _, viewer := range []int64{5, 0} {
			seen := 0
			participation.Walk(participation.BuildThreads(comments, viewer, votes), func(n *participation.ThreadNode) {
				seen++
				w := want[n.ID]
				if mine := w.mine && viewer != 0; n.Mine != mine {
					t.Errorf("viewer %d, comment %d Mine: got %v, want %v", viewer, n.ID, n.Mine, mine)
				}
				if n.MyVote != w.vote {
					t.Errorf("viewer %d, comment %d MyVote: got %d, want %d", viewer, n.ID, n.MyVote, w.vote)
				}
			})
			if seen != len(comments) {
				t.Errorf("viewer %d: walked %d nodes, want %d", viewer, seen, len(comments))
			}
		}
	})
}

func TestWalkOrder(t *testing.T) {
	cm := func(id, parent int64, author string) gs.Comment {
		return gs.Comment{ID: id, ParentID: parent, Author: author}
	}
	comments := []gs.Comment{
		cm(1, 0, "A"), cm(2, 1, "B"), cm(3, 2, "C"), cm(4, 3, "D"), cm(5, 0, "E"), cm(6, 1, "F"), cm(7, 5, "G"),
	}
	// 1[2[3 4^C] 6] 5[7]: parents before replies, siblings in order.
	want := "1 2 3 4 6 5 7"
	var got []string
	participation.Walk(participation.BuildThreads(comments, 0, nil), func(n *participation.ThreadNode) {
		got = append(got, fmt.Sprint(n.ID))
	})
	if strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
	t.Run("nothing to walk", func(t *testing.T) {
		participation.Walk(nil, func(n *participation.ThreadNode) { t.Errorf("got a call for %d, want none", n.ID) })
	})
}
