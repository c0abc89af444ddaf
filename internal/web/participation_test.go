package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/groundswell/groundswell/internal/campaigns"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/panels"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

var locationIdea = regexp.MustCompile(`^/ideas/(\d+)$`)

// pageCase is one page template: who looks (a staff role or "participant"), at which address,
// what the page must say, and the status it answers with.
type pageCase struct {
	who, path, want string
	status          int
}

// everyPage fills a test app with something for every page to show, signs a browser in for each
// staff role, and returns the address of each page template with the browser that sees it.
func everyPage(t *testing.T, a *testApp, s *store.Store) (map[string]pageCase, map[string]*participant) {
	t.Helper()
	setup, err := a.accounts.SetupLink(context.Background()) // before any admin exists
	if err != nil || setup == "" {
		t.Fatalf("setup link: %q, %v", setup, err)
	}
	idea := a.seedIdea(a.open, "Protected time for improvement")
	wantStatus(t, "report", a.participant().report("idea", idea.ID, "spam"), http.StatusSeeOther)
	caseID := caseFor(t, s, gs.TargetIdea, idea.ID)
	browsers := map[string]*participant{"participant": a.participant()}
	users := map[gs.Role]*gs.StaffUser{}
	for _, role := range []gs.Role{gs.RoleModerator, gs.RoleExpert, gs.RoleAdmin} {
		browsers[string(role)], users[role] = a.staffMember(role)
	}
	ps := panels.New(s)
	boss := gs.Actor{UserID: users[gs.RoleAdmin].ID, Name: users[gs.RoleAdmin].Email}
	panel, err := ps.Create(context.Background(), "open-one", gs.PanelInput{Name: "Workforce panel", LonglistSize: 5}, boss)
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.AddExpert(context.Background(), panel.ID, users[gs.RoleExpert].Email, boss); err != nil {
		t.Fatal(err)
	}
	if n, err := ps.BuildLonglist(context.Background(), panel.ID, boss); err != nil || n != 1 {
		t.Fatalf("longlist: %d, %v", n, err)
	}
	if err := ps.Shortlist(context.Background(), panel.ID, []int64{idea.ID}, true, users[gs.RoleAdmin]); err != nil {
		t.Fatal(err)
	}
	invite, err := a.accounts.Invite(context.Background(), "invited@example.org", gs.RoleExpert, panel.ID, boss)
	if err != nil {
		t.Fatal(err)
	}
	proposal, err := ps.CreateProposal(context.Background(), panel.ID, gs.ProposalInput{Title: "A proposal", Change: "Do it.", Ideas: []int64{idea.ID}}, users[gs.RoleAdmin])
	if err != nil {
		t.Fatal(err)
	}
	camp := campaigns.New(s, markup.New(), a.keys)
	inv, err := camp.Create(context.Background(), gs.ChallengeForm{Title: "Invited voices", Slug: "invited-one",
		Questions: []gs.QuestionForm{{Title: "What would you change?"}}, Access: gs.AccessInvite, ReadWithoutCode: true,
		StaffGroups: "Nursing\nMidwifery"}, boss)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := camp.Mint(context.Background(), inv.ID, 2, "Ward 7", boss)
	if err != nil {
		t.Fatal(err)
	}
	if err := camp.Move(context.Background(), inv.ID, gs.PhaseOpen, boss); err != nil {
		t.Fatal(err)
	}
	author := browsers["participant"]
	posted := author.post("/c/open-one/ideas", vals("question", id(a.open.Questions[0].ID), "title", "Rotas a month ahead", "body", "So we can plan."))
	wantStatus(t, "post an idea", posted, http.StatusSeeOther)
	own := posted.header.Get("Location")
	pages := map[string]pageCase{
		"home":               {"participant", "/", "Open challenges", http.StatusOK},
		"challenge":          {"participant", "/c/open-one", "Protected time for improvement", http.StatusOK},
		"idea_new":           {"participant", "/c/open-one/ideas/new", "Which question does your idea answer?", http.StatusOK},
		"idea":               {"participant", "/ideas/" + id(idea.ID), "Discussion", http.StatusOK},
		"transparency":       {"participant", "/c/open-one/moderation", "Challenge open-one", http.StatusOK},
		"what_we_store":      {"participant", "/what-we-store", "What we never store", http.StatusOK},
		"compare":            {"participant", "/c/voting-one/compare", "Which idea would do more good?", http.StatusOK},
		"error":              {"participant", "/nowhere", "Page not found", http.StatusNotFound},
		"login":              {"participant", "/login", "Staff sign-in", http.StatusOK},
		"setup":              {"participant", "/setup/" + setup, "Create the first admin", http.StatusOK},
		"moderation_queue":   {"moderator", "/moderation", "Protected time for improvement", http.StatusOK},
		"moderation_case":    {"moderator", "/moderation/cases/" + id(caseID), "Protected time for improvement", http.StatusOK},
		"panels":             {"expert", "/panels", "Workforce panel", http.StatusOK},
		"admin_home":         {"admin", "/admin", "Administration", http.StatusOK},
		"admin_users":        {"admin", "/admin/users", "Staff accounts", http.StatusOK},
		"admin_audit":        {"admin", "/admin/audit", "Audit log", http.StatusOK},
		"admin_settings":     {"admin", "/admin/challenges/open-one", "Settings", http.StatusOK},
		"admin_original":     {"admin", "/admin/cases/" + id(caseID) + "/original", "Original text", http.StatusOK},
		"panel":              {"expert", "/panels/" + id(panel.ID), "Your progress: 0 of 1 reviewed", http.StatusOK},
		"panel_review":       {"expert", "/panels/" + id(panel.ID) + "/ideas/" + id(idea.ID), "What the crowd said", http.StatusOK},
		"admin_panels":       {"admin", "/admin/panels", "Set up a panel", http.StatusOK},
		"admin_panel":        {"admin", "/admin/panels/" + id(panel.ID), "Build the longlist", http.StatusOK},
		"admin_proposal":     {"admin", "/admin/proposals/" + id(proposal.ID), "Move to: Shortlisted", http.StatusOK},
		"guide":              {"participant", "/guide/open-one", "From voices to changes", http.StatusOK},
		"invite":             {"participant", "/invite/" + invite, "Join as staff", http.StatusOK},
		"admin_challenge":    {"admin", "/admin/challenges/invited-one/edit", "Only staff with an invite code", http.StatusOK},
		"admin_invites":      {"admin", "/admin/challenges/invited-one/invites", "Ward 7", http.StatusOK},
		"admin_invite_sheet": {"admin", "/admin/challenges/invited-one/invites/" + id(batch.ID), "Invited voices", http.StatusOK},
		"join":               {"participant", "/join", "Join with your invite code", http.StatusOK},
		"search":             {"participant", "/search?q=protected", "<mark>Protected</mark> time", http.StatusOK},
		"analytics":          {"participant", "/c/open-one/summary", "In numbers", http.StatusOK},
		"about_me":           {"participant", "/c/invited-one/about-me", "Your staff group", http.StatusOK},
		"mine":               {"participant", "/c/open-one/mine", "Rotas a month ahead", http.StatusOK},
		"edit":               {"participant", own + "/edit", "So we can plan.", http.StatusOK},
	}
	return pages, browsers
}

// TestEveryPageRenders draws every page template the server parsed, driven by the template list,
// so that a new page without a case here fails.
func TestEveryPageRenders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		pages, browsers := everyPage(t, a, s)
		names := a.server.PageNames()
		if len(names) < len(pages) {
			t.Errorf("the server parsed %d page templates, fewer than the %d this test draws", len(names), len(pages))
		}
		for _, name := range names {
			t.Run(name, func(t *testing.T) {
				pg, ok := pages[name]
				if !ok {
					t.Fatalf("page template %q has no case in this test: add the address that draws it", name)
				}
				r := browsers[pg.who].get(pg.path)
				wantStatus(t, pg.path, r, pg.status)
				if r.status >= 500 {
					t.Log(a.logs.String()[max(0, len(a.logs.String())-1500):])
				}
				if !strings.Contains(r.body, `data-page="`+name+`"`) {
					t.Errorf("%s did not draw the %s template", pg.path, name)
				}
				if !strings.Contains(r.body, pg.want) {
					t.Errorf("%s: page lacks %q", pg.path, pg.want)
				}
				if strings.Contains(r.body, "<script>") || regexp.MustCompile(`\son[a-z]+=`).MatchString(r.body) {
					t.Errorf("%s: inline script found; the CSP forbids it", pg.path)
				}
				if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
					t.Errorf("%s: Content-Security-Policy = %q", pg.path, csp)
				}
			})
		}
		// The other phases draw the challenge page with their own notices.
		for path, want := range map[string]string{
			"/c/voting-one": "New ideas are closed",
			"/c/closed-one": "Ideas, comments and votes are closed",
		} {
			if r := browsers["participant"].get(path); r.status != http.StatusOK || !strings.Contains(r.body, want) {
				t.Errorf("%s: status %d, want 200 with %q", path, r.status, want)
			}
		}
	})
}

func TestParticipationLoop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		alice, bob := a.participant(), a.participant()
		alice.get("/c/open-one/ideas/new")

		r := alice.post("/c/open-one/ideas", vals("question", id(a.open.Questions[1].ID),
			"title", "  Let   porters   swap shifts online ", "body", "It would **save** hours.\n\n<script>alert(1)</script>", "theme", "rotas"))
		wantStatus(t, "post idea", r, http.StatusSeeOther)
		m := locationIdea.FindStringSubmatch(r.header.Get("Location"))
		if m == nil {
			t.Fatalf("post idea: Location %q, want /ideas/{id}", r.header.Get("Location"))
		}
		ideaPath := "/ideas/" + m[1]
		page := alice.get(ideaPath)
		for _, want := range []string{"Let porters swap shifts online", "<strong>save</strong>", "&lt;script&gt;", "Rotas", "What blocks?"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("idea page lacks %q", want)
			}
		}
		if strings.Contains(page.body, "<script>alert") {
			t.Error("raw HTML from the body reached the page as markup")
		}

		// A comment, a reply, and an implementation suggestion.
		r = bob.post(ideaPath+"/comments", vals("body", "Which system would we use?"))
		wantStatus(t, "comment", r, http.StatusSeeOther)
		cm := regexp.MustCompile(`#comment-(\d+)$`).FindStringSubmatch(r.header.Get("Location"))
		if cm == nil || !strings.HasPrefix(r.header.Get("Location"), ideaPath+"#comment-") {
			t.Fatalf("comment Location = %q", r.header.Get("Location"))
		}
		r = alice.post(ideaPath+"/comments", vals("body", "The rota app we already have.", "parent", cm[1]))
		wantStatus(t, "reply", r, http.StatusSeeOther)
		r = bob.post(ideaPath+"/comments", vals("body", "Ask the rota team for a two-week trial.", "kind", "implementation"))
		wantStatus(t, "implementation", r, http.StatusSeeOther)

		page = bob.get(ideaPath)
		if n := strings.Count(page.body, `class="comment comment--level-2`); n != 1 {
			t.Errorf("replies at level 2: %d, want 1", n)
		}
		if !strings.Contains(page.body, "comment--impl") || !strings.Contains(page.body, "1 way to make it happen") {
			t.Error("implementation suggestion is not shown distinctly and counted")
		}

		// Votes: up, the same again, a flip, and a clear, seen by another participant.
		votePath := ideaPath + "/vote"
		for _, step := range []struct {
			who      *participant
			value    string
			up, down int
		}{
			{bob, "up", 1, 0}, {bob, "up", 1, 0}, {alice, "up", 2, 0}, {bob, "down", 1, 1}, {alice, "clear", 0, 1},
		} {
			r := step.who.post(votePath, vals("value", step.value, "next", ideaPath))
			wantStatus(t, "vote "+step.value, r, http.StatusSeeOther)
			if r.header.Get("Location") != ideaPath {
				t.Errorf("vote redirect = %q, want %q", r.header.Get("Location"), ideaPath)
			}
			var got struct{ Up, Down int }
			a.participant().getJSON("/api/v1"+ideaPath, &got)
			if got.Up != step.up || got.Down != step.down {
				t.Errorf("after %s: %d up %d down, want %d up %d down", step.value, got.Up, got.Down, step.up, step.down)
			}
		}

		// A script gets JSON instead of a redirect.
		r = alice.postJSON(votePath, vals("value", "up"))
		wantStatus(t, "json vote", r, http.StatusOK)
		var vote struct {
			Up, Down *int
			MyVote   string `json:"my_vote"`
		}
		r.json(t, &vote)
		if vote.Up == nil || *vote.Up != 1 || *vote.Down != 1 || vote.MyVote != "up" {
			t.Errorf("json vote = %s", r.body)
		}
		r = alice.postJSON("/ideas/"+m[1]+"/comments", vals("body", "From a script"))
		wantStatus(t, "json comment", r, http.StatusCreated)
		if !strings.Contains(r.body, `"body_html":"\u003cp\u003eFrom a script\u003c/p\u003e"`) {
			t.Errorf("json comment body: %s", r.body)
		}

		// Comment votes.
		r = alice.post("/comments/"+cm[1]+"/vote", vals("value", "down", "next", ideaPath+"#comment-"+cm[1]))
		wantStatus(t, "comment vote", r, http.StatusSeeOther)
		var full struct {
			Comments []struct {
				ID       int64
				Up, Down *int
			}
		}
		a.participant().getJSON("/api/v1"+ideaPath, &full)
		if len(full.Comments) != 4 || *full.Comments[0].Down != 1 {
			t.Errorf("comments after vote: %+v", full.Comments)
		}
	})
}

func TestDeepRepliesFlatten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Deep thread")
		p := a.participant()
		path := "/ideas/" + id(idea.ID)
		parent := ""
		for i := 0; i < 5; i++ {
			r := p.post(path+"/comments", vals("body", "level "+id(int64(i+1)), "parent", parent))
			wantStatus(t, "reply", r, http.StatusSeeOther)
			parent = regexp.MustCompile(`(\d+)$`).FindString(r.header.Get("Location"))
		}
		page := p.get(path)
		for level, want := range map[int]int{1: 1, 2: 1, 3: 3} {
			if n := strings.Count(page.body, "comment--level-"+id(int64(level))+`"`); n != want {
				t.Errorf("comments drawn at level %d: %d, want %d", level, n, want)
			}
		}
		if strings.Contains(page.body, "comment--level-4") {
			t.Error("a reply was nested deeper than 3")
		}
		if n := strings.Count(page.body, "replying to"); n != 2 {
			t.Errorf("flattened replies naming their parent: %d, want 2", n)
		}
	})
}

func TestListsSortFilterPaginate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		var ideas []*gs.Idea
		for _, title := range []string{"Alpha rota idea", "Bravo tools idea", "Charlie rota idea"} {
			ideas = append(ideas, a.seedIdea(a.open, title))
		}
		for i, who := range []string{"v1", "v2", "v3"} {
			if _, err := a.part.Vote(ctx, a.keys.TokenHash(who), gs.TargetIdea, ideas[1].ID, 1); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if _, err := a.part.Vote(ctx, a.keys.TokenHash(who), gs.TargetIdea, ideas[0].ID, 1); err != nil {
					t.Fatal(err)
				}
			}
		}
		var list struct {
			Ideas []struct {
				ID    int64
				Title string
				Score *float64
			}
			Page    int
			PerPage int `json:"per_page"`
			Total   int
		}
		p := a.participant()
		p.getJSON("/api/v1/challenges/open-one/ideas?sort=top", &list)
		if list.Total != 3 || list.Ideas[0].ID != ideas[1].ID || list.Ideas[1].ID != ideas[0].ID {
			t.Errorf("top order: %+v", list)
		}
		if *list.Ideas[0].Score < 0.43 || *list.Ideas[0].Score > 0.44 {
			t.Errorf("score of 3 up 0 down = %f, want the Wilson lower bound 0.438", *list.Ideas[0].Score)
		}
		p.getJSON("/api/v1/challenges/open-one/ideas?sort=new&per_page=2&page=2", &list)
		if list.Total != 3 || len(list.Ideas) != 1 || list.Ideas[0].ID != ideas[0].ID || list.Page != 2 || list.PerPage != 2 {
			t.Errorf("new, page 2 of 2: %+v", list)
		}
		p.getJSON("/api/v1/challenges/open-one/ideas?q=rota", &list)
		if list.Total != 2 {
			t.Errorf("search rota: total %d, want 2", list.Total)
		}
		html := p.get("/c/open-one?sort=new&per_page=2")
		if !strings.Contains(html.body, "Page 1 of 2") || !strings.Contains(html.body, `rel="next"`) {
			t.Error("the challenge page does not paginate")
		}
		empty := p.get("/c/open-one?q=zebra")
		if !strings.Contains(empty.body, "No ideas match") || !strings.Contains(empty.body, "clear the filters") {
			t.Error("a search with no results has no helpful empty state")
		}
		blank := p.get("/c/voting-one")
		if !strings.Contains(blank.body, "No ideas yet") {
			t.Error("an empty challenge has no empty state")
		}
	})
}

func TestSimilarIdeasWithoutJavaScript(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		existing := a.seedIdea(a.open, "Handover notes on paper get lost")
		p := a.participant()
		r := p.post("/c/open-one/ideas", vals("action", "check", "title", "Digital handover notes", "body", "My draft text"))
		wantStatus(t, "check similar", r, http.StatusOK)
		if !strings.Contains(r.body, "/ideas/"+id(existing.ID)) || !strings.Contains(r.body, "My draft text") {
			t.Error("the check did not list the similar idea while keeping the draft")
		}
		var sim struct{ Ideas []struct{ ID int64 } }
		p.getJSON("/api/v1/challenges/open-one/similar?title=handover+notes", &sim)
		if len(sim.Ideas) != 1 || sim.Ideas[0].ID != existing.ID {
			t.Errorf("similar API: %+v", sim)
		}
	})
}

func TestHideCountsUntilVoted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Hidden counts idea")
		if _, err := a.part.Vote(context.Background(), a.keys.TokenHash("someone"), gs.TargetIdea, idea.ID, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.SetHideCountsUntilVoted(context.Background(), a.open.ID, true); err != nil {
			t.Fatal(err)
		}
		p := a.participant()
		page := p.get("/c/open-one")
		if !strings.Contains(page.body, "Vote to see") {
			t.Error("counts are not hidden before voting")
		}
		var got struct{ Up *int }
		p.getJSON("/api/v1/ideas/"+id(idea.ID), &got)
		if got.Up != nil {
			t.Errorf("API showed up=%d before the participant voted", *got.Up)
		}
		p.post("/ideas/"+id(idea.ID)+"/vote", vals("value", "down"))
		p.getJSON("/api/v1/ideas/"+id(idea.ID), &got)
		if got.Up == nil || *got.Up != 1 {
			t.Errorf("API after voting: %v, want up=1", got.Up)
		}
		if page := p.get("/c/open-one"); strings.Contains(page.body, "Vote to see") {
			t.Error("counts still hidden after voting")
		}
		t.Run("no order reveals popularity while voting is open", func(t *testing.T) {
			fresh := a.participant()
			page := fresh.get("/c/open-one")
			for _, tab := range []string{">Top<", ">Rising<", ">Divided<"} {
				if strings.Contains(page.body, tab) {
					t.Errorf("the tab %s is offered while counts are hidden", tab)
				}
			}
			if !strings.Contains(page.body, ">Fair<") || !strings.Contains(page.body, "orders by votes open when voting closes") {
				t.Error("the fair order or the reason for the missing tabs is not shown")
			}
			for _, sort := range []string{"top", "hot", "controversial"} {
				wantStatus(t, "sort="+sort, fresh.get("/c/open-one?sort="+sort), http.StatusConflict)
				wantStatus(t, "API sort="+sort, fresh.getJSON("/api/v1/challenges/open-one/ideas?sort="+sort, nil), http.StatusConflict)
			}
			if !strings.Contains(page.body, "random order that says nothing about their votes") {
				t.Error("the fair list of a challenge hiding counts does not say its order is random")
			}
			if r := fresh.get("/ideas/" + id(idea.ID)); strings.Contains(r.body, "voted it up") || !strings.Contains(r.body, "once you have voted on it") {
				t.Error("the idea page explains its rank with votes the participant may not see yet")
			}
		})
	})
}

// TestRankingIsExplained checks that every list says what its order means, that cards show the
// figure the order uses, and that an idea page says why the idea ranks where it does.
func TestRankingIsExplained(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	ctx := context.Background()
	idea := a.seedIdea(a.open, "An idea to explain")
	for k, v := range []gs.VoteValue{1, 1, 1, -1} {
		if _, err := a.part.Vote(ctx, a.keys.TokenHash(fmt.Sprint("voter", k)), gs.TargetIdea, idea.ID, v); err != nil {
			t.Fatal(err)
		}
	}
	p := a.participant()
	for _, tt := range []struct{ sort, explain, figure string }{
		{"", "some places on each page go to newer ideas", "Still gathering votes"},
		{"top", "counted cautiously", "At least 30% in favour"},
		{"controversial", "divided them most evenly", "3 for, 1 against"},
		{"discussed", "a suggestion of how to make it happen counts double", "0 comments, 0 ways to make it happen"},
	} {
		page := p.get("/c/open-one?sort=" + tt.sort)
		wantStatus(t, "sort="+tt.sort, page, http.StatusOK)
		if !strings.Contains(page.body, tt.explain) || !strings.Contains(page.body, tt.figure) {
			t.Errorf("sort=%q: want the line %q and the figure %q", tt.sort, tt.explain, tt.figure)
		}
	}
	r := p.get("/ideas/" + id(idea.ID))
	for _, want := range []string{"Why it ranks where it does", "3 people voted it up and 1 down", "still gathering votes"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the idea page lacks %q", want)
		}
	}
}

// TestVoteInPlaceRedrawsTheBox checks the answer the script gets when it votes in place: the
// same vote partial the page draws, as it stands after the vote.
func TestVoteInPlaceRedrawsTheBox(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	a := newApp(t, dsn, storetest.Open(t, dsn))
	idea := a.seedIdea(a.open, "Vote on me in place")
	p := a.participant()
	p.get("/ideas/" + id(idea.ID))
	r := p.postRaw("/ideas/"+id(idea.ID)+"/vote", "application/x-www-form-urlencoded", vals("value", "up", "next", "/c/open-one").Encode(),
		map[string]string{"X-Groundswell-Fragment": "vote", "X-CSRF-Token": p.csrf})
	wantStatus(t, "vote in place", r, http.StatusOK)
	for _, want := range []string{`data-vote`, `vote--up`, `aria-pressed="true"`, `value="clear"`, `<span class="vote__net" title="1 up, 0 down">1</span>`, `name="next" value="/c/open-one"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the redrawn box lacks %q:\n%s", want, r.body)
		}
	}
	if strings.Contains(r.body, "<html") {
		t.Error("the answer is a whole page, want only the box")
	}
}

var pairField = regexp.MustCompile(`name="pair" value="([^"]+)"`)
var winnerButton = regexp.MustCompile(`name="winner" value="(\d+)"`)

func TestCompareTwoAtATime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		a.seedIdea(a.voting, "First idea to weigh")
		a.seedIdea(a.voting, "Second idea to weigh")
		p := a.participant()
		page := p.get("/c/voting-one/compare")
		wantStatus(t, "compare page", page, http.StatusOK)
		tok, winners := pairField.FindStringSubmatch(page.body), winnerButton.FindAllStringSubmatch(page.body, -1)
		if tok == nil || len(winners) != 2 {
			t.Fatalf("the page offers no pair to judge:\n%.1500s", page.body)
		}
		r := p.post("/c/voting-one/compare", vals("pair", tok[1], "winner", winners[0][1]))
		wantStatus(t, "judge", r, http.StatusSeeOther)
		if loc := r.header.Get("Location"); !strings.Contains(loc, "/c/voting-one/compare") || !strings.Contains(loc, "done=1") {
			t.Errorf("after judging: redirected to %q, want the next pair", loc)
		}
		if next := p.get(r.header.Get("Location")); !strings.Contains(next.body, "You have compared every pair") || !strings.Contains(next.body, "your choice is counted") {
			t.Error("with the only pair judged, the page does not say so and thank the participant")
		}
		r = p.post("/c/voting-one/compare", vals("pair", "1.2.forged", "winner", "1"))
		wantStatus(t, "forged pair", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "could not be read") || !strings.Contains(r.body, "<title>Error:") {
			t.Error("a forged pair is not explained, or the title does not say Error")
		}
		wantStatus(t, "bad winner", p.post("/c/voting-one/compare", vals("pair", tok[1], "winner", "abc")), http.StatusBadRequest)
		wantStatus(t, "no such challenge", p.get("/c/nowhere/compare"), http.StatusNotFound)
		if open := p.get("/c/open-one/compare"); !strings.Contains(open.body, "opens when the challenge moves to its voting phase") {
			t.Error("the open challenge's compare page does not say when comparing opens")
		}
		q := a.participant()
		qp := q.get("/c/voting-one/compare")
		tok, winners = pairField.FindStringSubmatch(qp.body), winnerButton.FindAllStringSubmatch(qp.body, -1)
		if tok == nil || len(winners) != 2 {
			t.Fatal("a second participant gets no pair")
		}
		wantStatus(t, "judge by script", q.postJSON("/c/voting-one/compare", vals("pair", tok[1], "skip", "1")), http.StatusCreated)
	})
}
