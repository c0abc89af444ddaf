package panels_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/groundswell/groundswell/internal/accounts"
	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/panels"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

const password = "correct horse battery staple 42"

func TestPanelReviewIsBlindAndIndependent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		keys, err := anonymity.DeriveKeys([]byte("a test master key that is long enough"))
		if err != nil {
			t.Fatal(err)
		}
		c := &gs.Challenge{Slug: fmt.Sprint("panel-", time.Now().UnixNano()), Title: "Panel challenge", Phase: gs.PhaseOpen,
			Questions: []gs.Question{{Title: "What helps?"}, {Title: "What blocks?"}}}
		if err := st.CreateChallenge(ctx, c); err != nil {
			t.Fatal(err)
		}
		part := participation.New(st, markup.New(), keys)
		for k := 0; k < 6; k++ {
			i, err := part.PostIdea(ctx, keys.TokenHash("author"), c, gs.IdeaInput{QuestionID: c.Questions[k%2].ID, Title: fmt.Sprintf("Idea number %d", k)})
			if err != nil {
				t.Fatal(err)
			}
			for v := 0; v < k; v++ { // later ideas are better liked
				if _, err := part.Vote(ctx, keys.TokenHash(fmt.Sprint("voter", v)), gs.TargetIdea, i.ID, 1); err != nil {
					t.Fatal(err)
				}
			}
		}
		acc := accounts.New(st, nil)
		staff := map[string]*gs.StaffUser{}
		for _, who := range []struct {
			name string
			role gs.Role
		}{{"ann", gs.RoleExpert}, {"bob", gs.RoleExpert}, {"cat", gs.RoleExpert}, {"mod", gs.RoleModerator}, {"boss", gs.RoleAdmin}} {
			u, err := acc.CreateUser(ctx, who.name+"@example.org", who.role, password, gs.Actor{Name: "test"})
			if err != nil {
				t.Fatal(err)
			}
			staff[who.name] = u
		}
		svc := panels.New(st)
		by := gs.Actor{UserID: staff["boss"].ID, Name: "boss@example.org"}

		if _, err := svc.Create(ctx, c.Slug, gs.PanelInput{Name: "x", LonglistSize: 0}, by); gs.ErrorCode(err) != gs.EINVALID ||
			gs.ErrorFields(err)["name"] == "" || gs.ErrorFields(err)["longlist_size"] == "" {
			t.Errorf("a bad panel: got %v, want field errors for the name and the longlist size", err)
		}
		p, err := svc.Create(ctx, c.Slug, gs.PanelInput{Name: "Workforce panel", LonglistSize: 2}, by)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Criteria) != 4 {
			t.Errorf("a new panel has %d criteria, want the 4 defaults", len(p.Criteria))
		}
		for _, name := range []string{"ann", "bob", "cat"} {
			if err := svc.AddExpert(ctx, p.ID, name+"@example.org", by); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.AddExpert(ctx, p.ID, "mod@example.org", by); gs.ErrorCode(err) != gs.EINVALID {
			t.Errorf("adding a moderator: got %v, want a refusal", err)
		}
		if err := svc.AddExpert(ctx, p.ID, "nobody@example.org", by); gs.ErrorCode(err) != gs.EINVALID {
			t.Errorf("adding an unknown address: got %v, want a refusal", err)
		}
		n, err := svc.BuildLonglist(ctx, p.ID, by)
		if err != nil || n != 4 {
			t.Fatalf("longlist: %d ideas (%v), want 2 per question", n, err)
		}
		ann, bob, cat := staff["ann"], staff["bob"], staff["cat"]
		list, err := svc.Longlist(ctx, p.ID, ann)
		if err != nil {
			t.Fatal(err)
		}
		if list.Ideas[0].Title != "Idea number 4" || list.Ideas[1].Title != "Idea number 2" {
			t.Errorf("longlist order: %q, %q; want the best liked of the first question first", list.Ideas[0].Title, list.Ideas[1].Title)
		}
		idea := list.Ideas[0].IdeaID
		scores := func(v int) map[int64]int {
			m := map[int64]int{}
			for _, cr := range p.Criteria {
				m[cr.ID] = v
			}
			return m
		}

		t.Run("an expert off the panel cannot open it", func(t *testing.T) {
			outsider, err := acc.CreateUser(ctx, "out@example.org", gs.RoleExpert, password, by)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Review(ctx, p.ID, idea, outsider); gs.ErrorCode(err) != gs.ENOTFOUND {
				t.Errorf("got %v, want not found", err)
			}
		})
		t.Run("a review needs every criterion scored from 1 to 5", func(t *testing.T) {
			bad := scores(3)
			bad[p.Criteria[0].ID] = 9
			delete(bad, p.Criteria[1].ID)
			err := svc.Submit(ctx, p.ID, idea, ann, gs.ReviewInput{Scores: bad})
			f := gs.ErrorFields(err)
			if f[gs.CriterionField(p.Criteria[0].ID)] == "" || f[gs.CriterionField(p.Criteria[1].ID)] == "" {
				t.Errorf("got %v, want errors on the first two criteria", err)
			}
		})
		t.Run("others' scores stay hidden until one's own are in", func(t *testing.T) {
			if err := svc.Submit(ctx, p.ID, idea, ann, gs.ReviewInput{Scores: scores(4), Note: "strong evidence"}); err != nil {
				t.Fatal(err)
			}
			v, err := svc.Review(ctx, p.ID, idea, bob)
			if err != nil {
				t.Fatal(err)
			}
			if v.Mine != nil || len(v.Others) != 0 {
				t.Fatalf("before reviewing, bob sees %d other reviews", len(v.Others))
			}
			if err := svc.Submit(ctx, p.ID, idea, bob, gs.ReviewInput{Scores: scores(2)}); err != nil {
				t.Fatal(err)
			}
			v, err = svc.Review(ctx, p.ID, idea, bob)
			if err != nil || len(v.Others) != 1 || v.Others[0].Note != "strong evidence" || v.Others[0].Scores[p.Criteria[0].ID] != 4 {
				t.Fatalf("after reviewing, bob sees %+v (%v); want ann's review", v.Others, err)
			}
		})
		t.Run("a review cannot be changed", func(t *testing.T) {
			if err := svc.Submit(ctx, p.ID, idea, bob, gs.ReviewInput{Scores: scores(5)}); gs.ErrorCode(err) != gs.ECONFLICT {
				t.Errorf("a second review: got %v, want a conflict", err)
			}
		})
		t.Run("a recused expert scores nothing and sees nothing", func(t *testing.T) {
			if err := svc.Submit(ctx, p.ID, idea, cat, gs.ReviewInput{Recuse: true, Scores: scores(5)}); err != nil {
				t.Fatal(err)
			}
			v, err := svc.Review(ctx, p.ID, idea, cat)
			if err != nil || v.Mine == nil || !v.Mine.Recused || len(v.Mine.Scores) != 0 || len(v.Others) != 0 {
				t.Errorf("cat after recusing: %+v, %d others (%v)", v.Mine, len(v.Others), err)
			}
			l, _ := svc.Longlist(ctx, p.ID, cat)
			if l.Status(idea) != "recused" || l.Reviewed != 1 {
				t.Errorf("cat's progress: %q, %d reviewed", l.Status(idea), l.Reviewed)
			}
		})
		t.Run("results weigh the scores and count recusals", func(t *testing.T) {
			res, err := svc.Results(ctx, p.ID, staff["boss"])
			if err != nil {
				t.Fatal(err)
			}
			top := res.Ideas[0]
			if top.Idea.IdeaID != idea || top.Reviews != 2 || top.Recusals != 1 || top.Score.Mean != 3 || !(top.Score.Low < 3 && top.Score.High > 3) {
				t.Errorf("results: %+v; want the reviewed idea first at 3 (the mean of 4 and 2) with an interval, 2 reviews, 1 recusal", top)
			}
			if len(res.Disputed) != 1 || res.Disputed[0].IdeaID != idea || res.Disputed[0].Title == "" || res.Disputed[0].SD <= 0 {
				t.Errorf("disputed: %+v; want the idea scored 4 and 2, by its title", res.Disputed)
			}
			if len(res.ByCriterion) != 4 {
				t.Errorf("agreement for %d criteria, want 4", len(res.ByCriterion))
			}
		})
		t.Run("only the chair or an admin shortlists, and a chair sees results after their own reviews", func(t *testing.T) {
			if _, err := svc.Results(ctx, p.ID, bob); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("results for an expert who does not chair: %v; want forbidden", err)
			}
			if err := svc.Shortlist(ctx, p.ID, []int64{idea}, true, bob); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("shortlisting by an expert who does not chair: %v; want forbidden", err)
			}
			if _, err := svc.Results(ctx, p.ID, staff["mod"]); gs.ErrorCode(err) != gs.ENOTFOUND {
				t.Errorf("results for a moderator off the panel: %v; want not found", err)
			}
			if err := svc.AppointChair(ctx, p.ID, staff["mod"].ID, true, by); gs.ErrorCode(err) != gs.ENOTFOUND {
				t.Errorf("making someone off the panel chair: %v; want not found", err)
			}
			if err := svc.AppointChair(ctx, p.ID, bob.ID, true, by); err != nil {
				t.Fatal(err)
			}
			// Bob has reviewed one idea of four: the others' scores stay hidden from him.
			if _, err := svc.Results(ctx, p.ID, bob); gs.ErrorReason(err) != gs.ReasonReviewFirst {
				t.Errorf("results for a chair with reviews to do: %v; want review first", err)
			}
			list, err := svc.Longlist(ctx, p.ID, bob)
			if err != nil || !list.Chair {
				t.Fatalf("bob's longlist: chair %v, %v; want chair", list != nil && list.Chair, err)
			}
			for _, i := range list.Ideas {
				if _, done := list.Mine[i.IdeaID]; !done {
					if err := svc.Submit(ctx, p.ID, i.IdeaID, bob, gs.ReviewInput{Scores: scores(3)}); err != nil {
						t.Fatal(err)
					}
				}
			}
			if _, err := svc.Results(ctx, p.ID, bob); err != nil {
				t.Errorf("results for a chair with every review in: %v", err)
			}
			if err := svc.Shortlist(ctx, p.ID, []int64{idea}, true, bob); err != nil {
				t.Fatalf("shortlisting by the chair: %v", err)
			}
			prop, err := svc.CreateProposal(ctx, p.ID, gs.ProposalInput{Title: "Time to improve", Change: "An hour a fortnight.", Ideas: []int64{idea}}, bob)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.Move(ctx, prop.ID, gs.ProposalShortlisted, "", ann); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("moving a proposal by an expert who does not chair: %v; want forbidden", err)
			}
			if err := svc.Move(ctx, prop.ID, gs.ProposalShortlisted, "", bob); err != nil {
				t.Errorf("moving a proposal by the chair: %v", err)
			}
			// Cat chairs too, but a proposal's scores stay hidden from her until her reviews are in.
			if err := svc.AppointChair(ctx, p.ID, cat.ID, true, by); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Proposal(ctx, prop.ID, cat); gs.ErrorReason(err) != gs.ReasonReviewFirst {
				t.Errorf("a chair with reviews to do opening a proposal: %v; want review first", err)
			}
			if err := svc.AppointChair(ctx, p.ID, bob.ID, false, by); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Proposal(ctx, prop.ID, bob); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("a former chair opening a proposal: %v; want forbidden", err)
			}
		})
	})
}

// TestLonglistShowsNearDuplicates checks that a longlisted idea carries its near-duplicates
// from the whole challenge, with the up-votes they add, and that unrelated ideas stay apart.
func TestLonglistShowsNearDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		keys, err := anonymity.DeriveKeys([]byte("a test master key that is long enough"))
		if err != nil {
			t.Fatal(err)
		}
		c := &gs.Challenge{Slug: fmt.Sprint("dupes-", time.Now().UnixNano()), Title: "Dupes", Phase: gs.PhaseOpen,
			Questions: []gs.Question{{Title: "What helps?"}}}
		if err := st.CreateChallenge(ctx, c); err != nil {
			t.Fatal(err)
		}
		part := participation.New(st, markup.New(), keys)
		post := func(title, body string, votes int) *gs.Idea {
			i, err := part.PostIdea(ctx, keys.TokenHash("author"), c, gs.IdeaInput{QuestionID: c.Questions[0].ID, Title: title, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			for v := 0; v < votes; v++ {
				if _, err := part.Vote(ctx, keys.TokenHash(fmt.Sprint("voter", v)), gs.TargetIdea, i.ID, 1); err != nil {
					t.Fatal(err)
				}
			}
			return i
		}
		lead := post("Free night parking for ward staff", "Night shift staff need free parking near the ward entrance.", 5)
		dupe := post("Free parking for night shift staff", "Give night staff free parking close to the ward.", 3)
		post("Shared handover notes", "One electronic handover note per patient, shared by every team.", 0)
		svc := panels.New(st)
		by := gs.Actor{Name: "test"}
		admin := &gs.StaffUser{Email: "test", Role: gs.RoleAdmin}
		p, err := svc.Create(ctx, c.Slug, gs.PanelInput{Name: "Estates panel", LonglistSize: 1}, by)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.BuildLonglist(ctx, p.ID, by); err != nil {
			t.Fatal(err)
		}
		ideas, err := st.Longlist(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ideas) != 1 || ideas[0].IdeaID != lead.ID || ideas[0].NearDupes != fmt.Sprint(dupe.ID) || ideas[0].NearDupesUp != 3 {
			t.Errorf("longlist: %+v; want the parking idea with its paraphrase #%d and 3 more up-votes", ideas, dupe.ID)
		}

		// With both parking ideas on the longlist, the chair sees them as one merge candidate,
		// and the unrelated idea stays out of it.
		wide, err := svc.Create(ctx, c.Slug, gs.PanelInput{Name: "Wide panel", LonglistSize: 3}, by)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := svc.BuildLonglist(ctx, wide.ID, by); err != nil || n != 3 {
			t.Fatalf("wide longlist: %d ideas, %v; want 3", n, err)
		}
		res, err := svc.Results(ctx, wide.ID, admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Merge) != 1 {
			t.Fatalf("merge candidates: %+v; want one", res.Merge)
		}
		m := res.Merge[0]
		got := m.IDs()
		slices.Sort(got)
		if want := []int64{lead.ID, dupe.ID}; !slices.Equal(got, want) || m.Up != 8 || m.Outside != 0 {
			t.Errorf("merge candidate: ideas %v, %d up-votes, %d outside; want %v, 8, 0", got, m.Up, m.Outside, want)
		}
		if err := svc.Shortlist(ctx, wide.ID, m.IDs(), true, admin); err != nil {
			t.Fatal(err)
		}
		short, err := svc.Shortlisted(ctx, wide.ID, admin)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(short)
		if !slices.Equal(short, got) {
			t.Errorf("shortlist after taking the candidate: %v; want %v", short, got)
		}
		// With a pool of one, only the best-rated idea and the longlisted ones are grouped: the
		// unvoted paraphrase outside both is left out, and a longlisted idea always takes part.
		svc.SetClusterPool(1)
		if _, err := svc.BuildLonglist(ctx, p.ID, by); err != nil {
			t.Fatal(err)
		}
		if ideas, err := st.Longlist(ctx, p.ID); err != nil || len(ideas) != 1 || ideas[0].NearDupes != "" {
			t.Errorf("longlist from a pool of one: %+v, %v; want the lead idea alone", ideas, err)
		}
		if _, err := svc.BuildLonglist(ctx, wide.ID, by); err != nil {
			t.Fatal(err)
		}
		if res, err := svc.Results(ctx, wide.ID, admin); err != nil || len(res.Merge) != 1 {
			t.Errorf("merge candidates from a pool of one with both paraphrases longlisted: %v, %v; want one", res, err)
		}
		svc.SetClusterPool(panels.ClusterPool)

		// All or none: an idea that is not on the longlist refuses the whole batch.
		if err := svc.Shortlist(ctx, p.ID, []int64{lead.ID, dupe.ID}, true, admin); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("shortlisting an idea off the longlist: %v; want not found", err)
		}
		if short, err := svc.Shortlisted(ctx, p.ID, admin); err != nil || len(short) != 0 {
			t.Errorf("after a refused batch the shortlist is %v, %v; want it empty", short, err)
		}
	})
}
