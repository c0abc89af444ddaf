package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// postOwnIdea posts an idea as p through the form and returns its address.
func postOwnIdea(t *testing.T, a *testApp, p *participant, title string) string {
	t.Helper()
	r := p.post("/c/open-one/ideas", vals("question", strconv.FormatInt(a.open.Questions[0].ID, 10), "title", title, "body", "The first words."))
	wantStatus(t, "post an idea", r, http.StatusSeeOther)
	return r.header.Get("Location")
}

// dumpIdeas is every row of the tables an edit or withdrawal may touch, for "nothing changed".
func dumpIdeas(t *testing.T, dsn string) string {
	db := storetest.Raw(t, dsn)
	var b strings.Builder
	for _, table := range []string{"ideas", "comments", "idea_counts"} {
		b.WriteString(strings.Join(storetest.Dump(t, db, table), "\n"))
	}
	return b.String()
}

// TestAuthorEditsWithinTheWindow: the author changes an idea in the first ten minutes and it is
// marked edited; after the window, or from anyone else, the change is refused, nothing changes,
// and what was typed comes back.
func TestAuthorEditsWithinTheWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		author := a.participant()
		path := postOwnIdea(t, a, author, "Rotas a month ahead")

		page := author.get(path)
		for _, want := range []string{"Your idea is posted.", "Change your idea", `class="you"`} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the author's first look at the idea: missing %q", want)
			}
		}
		if again := author.get(path); strings.Contains(again.body, "Your idea is posted.") {
			t.Error("the posted confirmation came back on a second look, want it shown once")
		}
		if other := a.participant().get(path); strings.Contains(other.body, "Change your idea") || strings.Contains(other.body, `class="you"`) {
			t.Error("another participant sees the author's controls or the you marker")
		}

		wantStatus(t, "open the edit form", author.get(path+"/edit"), http.StatusOK)
		r := author.post(path+"/edit", vals("title", "Rotas six weeks ahead", "body", "Six weeks is enough."))
		wantStatus(t, "edit in time", r, http.StatusSeeOther)
		page = author.get(path)
		for _, want := range []string{"Rotas six weeks ahead", "Six weeks is enough.", ">edited<", "Your change is saved."} {
			if !strings.Contains(page.body, want) {
				t.Errorf("after the edit the idea page lacks %q", want)
			}
		}

		// A title too short is a field to fix, with the typed text kept.
		before := dumpIdeas(t, dsn)
		r = author.post(path+"/edit", vals("title", "Ro", "body", "Keep this text"))
		wantStatus(t, "edit with a short title", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "Keep this text") || !strings.Contains(r.body, `value="Ro"`) {
			t.Error("a refused edit lost what was typed")
		}
		// Someone else cannot change it.
		r = a.participant().post(path+"/edit", vals("title", "Taken over", "body", "Not mine"))
		wantStatus(t, "edit by someone else", r, http.StatusForbidden)

		// Eleven minutes on, the window has closed.
		s.Now = func() time.Time { return time.Now().Add(11*time.Minute + time.Second) }
		defer func() { s.Now = time.Now }()
		if page := author.get(path); strings.Contains(page.body, "Change your idea") {
			t.Error("after the window the idea page still offers to change it")
		}
		r = author.post(path+"/edit", vals("title", "Rotas a year ahead", "body", "Too late?"))
		wantStatus(t, "edit after the window", r, http.StatusConflict)
		if !strings.Contains(r.body, "Too late?") || !strings.Contains(r.body, "that time has passed") {
			t.Errorf("the late edit did not come back with its text and the reason:\n%s", r.body)
		}
		if after := dumpIdeas(t, dsn); after != before {
			t.Error("a refused edit changed the database")
		}
	})
}

// TestWithdrawStopsCounting: a withdrawn idea leaves the list and the counts, its votes stop
// counting, others see a placeholder with the discussion, and a moderator's dismissal does not
// bring it back. A withdrawn comment leaves a placeholder and its replies.
func TestWithdrawStopsCounting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		author, reader := a.participant(), a.participant()
		path := postOwnIdea(t, a, author, "Rotas a month ahead")
		id := strings.TrimPrefix(path, "/ideas/")
		wantStatus(t, "vote", reader.post(path+"/vote", vals("value", "up")), http.StatusSeeOther)
		c := reader.post(path+"/comments", vals("body", "Yes, please."))
		wantStatus(t, "comment", c, http.StatusSeeOther)
		commentID := c.header.Get("Location")[strings.LastIndex(c.header.Get("Location"), "-")+1:]
		wantStatus(t, "reply", author.post(path+"/comments", vals("body", "Thank you.", "parent", commentID)), http.StatusSeeOther)

		if list := reader.get("/c/open-one"); !strings.Contains(list.body, "Rotas a month ahead") || !strings.Contains(list.body, "(1)") {
			t.Fatal("the idea is not listed before it is withdrawn")
		}
		wantStatus(t, "withdraw by someone else", reader.post(path+"/withdraw", nil), http.StatusForbidden)
		wantStatus(t, "withdraw", author.post(path+"/withdraw", nil), http.StatusSeeOther)
		if page := author.get(path); !strings.Contains(page.body, "Your idea is withdrawn.") {
			t.Error("the author is not told the idea is withdrawn")
		}

		list := reader.get("/c/open-one")
		if strings.Contains(list.body, "Rotas a month ahead") || !strings.Contains(list.body, "(0)") {
			t.Error("the withdrawn idea is still listed or counted")
		}
		page := reader.get(path)
		wantStatus(t, "read the withdrawn idea", page, http.StatusOK)
		if strings.Contains(page.body, "Rotas a month ahead") || !strings.Contains(page.body, "Withdrawn idea") || !strings.Contains(page.body, "Yes, please.") {
			t.Error("others should see a placeholder and the discussion, without the idea's text")
		}
		wantStatus(t, "vote on a withdrawn idea", reader.post(path+"/vote", vals("value", "down")), http.StatusNotFound)
		wantStatus(t, "withdraw twice", author.post(path+"/withdraw", nil), http.StatusConflict)

		// A moderator dismissing a report does not bring it back.
		db := storetest.Raw(t, dsn)
		var ideaStatus string
		if err := db.QueryRow("SELECT status FROM ideas WHERE id = " + id).Scan(&ideaStatus); err != nil || ideaStatus != string(gs.StatusWithdrawn) {
			t.Fatalf("status after withdrawal: %q, %v", ideaStatus, err)
		}

		// The reply's author withdraws their comment on the reader's comment; the reader's comment stays.
		var replyID string
		if err := db.QueryRow("SELECT id FROM comments WHERE parent_id = " + commentID).Scan(&replyID); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "withdraw a comment", author.post("/comments/"+replyID+"/withdraw", nil), http.StatusSeeOther)
		wantStatus(t, "withdraw the reader's comment", reader.post("/comments/"+commentID+"/withdraw", nil), http.StatusSeeOther)
		page = a.participant().get(path)
		if strings.Contains(page.body, "Thank you.") || strings.Contains(page.body, "Yes, please.") || strings.Count(page.body, "Withdrawn by its author.") != 2 {
			t.Error("withdrawn comments should leave placeholders without their text")
		}
		var comments int
		if err := db.QueryRow("SELECT comments FROM ideas WHERE id = " + id).Scan(&comments); err != nil || comments != 0 {
			t.Errorf("the idea's comment counter after both comments were withdrawn: %d, %v; want 0", comments, err)
		}
	})
}

// TestMyContributions lists what the participant posted with its state, and what changed since
// they last looked, remembered in their own cookie.
func TestMyContributions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		author, reader := a.participant(), a.participant()
		if empty := author.get("/c/open-one/mine"); !strings.Contains(empty.body, "You have not posted anything") {
			t.Error("a participant with nothing posted should see a helpful empty page")
		}
		path := postOwnIdea(t, a, author, "Rotas a month ahead")
		first := author.get("/c/open-one/mine")
		for _, want := range []string{"Rotas a month ahead", "Published", "first look", "0 comments"} {
			if !strings.Contains(first.body, want) {
				t.Errorf("first look at My contributions lacks %q", want)
			}
		}
		wantStatus(t, "comment", reader.post(path+"/comments", vals("body", "Good idea.")), http.StatusSeeOther)
		wantStatus(t, "vote", reader.post(path+"/vote", vals("value", "up")), http.StatusSeeOther)
		second := author.get("/c/open-one/mine")
		for _, want := range []string{"1 comment", "(1 new)", "1 vote"} {
			if !strings.Contains(second.body, want) {
				t.Errorf("second look lacks %q", want)
			}
		}
		if strings.Contains(second.body, "first look") {
			t.Error("the second look still says it is the first")
		}
		if third := author.get("/c/open-one/mine"); strings.Contains(third.body, "new)") {
			t.Error("a third look with nothing new still shows something new")
		}
		if other := reader.get("/c/open-one/mine"); !strings.Contains(other.body, `Your ideas <span class="count">(0)`) || !strings.Contains(other.body, "Good idea.") {
			t.Errorf("the reader's page should list their comment and no ideas:\n%s", other.body)
		}
	})
}

// cookieAge is the Max-Age of the participant cookie an answer sets, or -1 when it sets none.
func cookieAge(r response) int {
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == "gs_p" {
			return ck.MaxAge
		}
	}
	return -1
}

// TestParticipantCookieLastsAsLongAsNeeded: a browser that only looks around is remembered for
// a month; opening a challenge whose voting closes in 60 days makes it a month after that; and
// later saves of the cookie (a note after posting) never shorten it.
func TestParticipantCookieLastsAsLongAsNeeded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		closes := time.Now().Add(60 * 24 * time.Hour)
		ch := &gs.Challenge{Slug: "scheduled-one", Title: "Scheduled", Phase: gs.PhaseOpen, BriefMD: "A brief.", BriefHTML: "<p>A brief.</p>",
			Questions: []gs.Question{{Title: "What helps?"}}, Schedule: gs.Schedule{ReviewAt: &closes}}
		if err := s.CreateChallenge(t.Context(), ch); err != nil {
			t.Fatal(err)
		}
		const day = 24 * 3600
		near := func(what string, got, wantDays int) {
			t.Helper()
			if got < wantDays*day-120 || got > wantDays*day+120 {
				t.Errorf("%s: the participant cookie lasts %d s (%.1f days), want %d days", what, got, float64(got)/day, wantDays)
			}
		}
		p := a.participant()
		near("first visit", cookieAge(p.get("/")), 30)
		if again := cookieAge(p.get("/")); again != -1 {
			t.Errorf("a second look around set the cookie again (Max-Age %d), want it left alone", again)
		}
		near("opening a challenge that closes in 60 days", cookieAge(p.get("/c/scheduled-one")), 90)
		posted := p.post("/c/scheduled-one/ideas", vals("question", strconv.FormatInt(ch.Questions[0].ID, 10), "title", "Rotas a month ahead"))
		wantStatus(t, "post", posted, http.StatusSeeOther)
		near("the note left after posting", cookieAge(posted), 90)
		// An unscheduled challenge needs 90 days from now, no more than the cookie has already.
		if got := cookieAge(p.get("/c/open-one")); got != -1 {
			t.Errorf("opening a challenge that needs no longer set the cookie again (Max-Age %d)", got)
		}
		if page := p.get("/what-we-store"); !strings.Contains(page.body, "Scheduled") || !strings.Contains(page.body, "until a month after voting closes") {
			t.Error("What we store does not say how long the cookie lasts")
		}
	})
}

// TestSharedDevicesForgetOnClose: a challenge set up for shared computers turns the participant
// cookie into one that ends when the browser closes, and says so.
func TestSharedDevicesForgetOnClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ch := &gs.Challenge{Slug: "ward-pc", Title: "Ward computers", Phase: gs.PhaseOpen, BriefMD: "A brief.", BriefHTML: "<p>A brief.</p>",
			Questions: []gs.Question{{Title: "What helps?"}}, SharedDevices: true}
		if err := s.CreateChallenge(t.Context(), ch); err != nil {
			t.Fatal(err)
		}
		p := a.participant()
		p.get("/")
		r := p.get("/c/ward-pc")
		var ck *http.Cookie
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == "gs_p" {
				ck = c
			}
		}
		if ck == nil || ck.MaxAge != 0 || !ck.Expires.IsZero() {
			t.Fatalf("opening a shared-devices challenge: participant cookie %+v, want one that ends with the browser", ck)
		}
		if !strings.Contains(r.body, "Set up for shared computers.") {
			t.Error("the challenge page does not say it is set up for shared computers")
		}
		posted := p.post("/c/ward-pc/ideas", vals("question", strconv.FormatInt(ch.Questions[0].ID, 10), "title", "Rotas a month ahead"))
		if got := cookieAge(posted); got != 0 {
			t.Errorf("a later save of the cookie gave it Max-Age %d, want it to stay a session cookie", got)
		}
		if page := p.get("/what-we-store"); !strings.Contains(page.body, "until the browser closes") {
			t.Error("What we store does not say the shared challenge's cookie ends with the browser")
		}
	})
}

// TestDiscussionComesInPages: a long discussion is drawn 200 comments at a time, in the order
// they were written, with links between the pages; a reply on a later page names whom it
// answers on an earlier one; a broken page link is a 400.
func TestDiscussionComesInPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Rotas a month ahead")
		ctx := t.Context()
		first, err := a.part.PostComment(ctx, a.keys.TokenHash("first voice"), idea.ID, gs.CommentInput{Body: "The very first comment."})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 203 {
			if _, err := a.part.PostComment(ctx, a.keys.TokenHash(fmt.Sprint("voice ", i%7)), idea.ID, gs.CommentInput{Body: fmt.Sprintf("Comment number %d.", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.part.PostComment(ctx, a.keys.TokenHash("late voice"), idea.ID, gs.CommentInput{ParentID: first.ID, Body: "A late reply to the first."}); err != nil {
			t.Fatal(err)
		}
		p := a.participant()
		path := "/ideas/" + strconv.FormatInt(idea.ID, 10)
		page := p.get(path)
		if n := strings.Count(page.body, `<li class="comment `); n != 200 {
			t.Errorf("the first page draws %d comments, want 200", n)
		}
		next := regexp.MustCompile(`href="(/ideas/\d+\?after=\d+)#comments"`).FindStringSubmatch(page.body)
		if next == nil {
			t.Fatal("no link to the later comments")
		}
		later := p.get(next[1])
		wantStatus(t, "the later comments", later, http.StatusOK)
		if n := strings.Count(later.body, `<li class="comment `); n != 5 {
			t.Errorf("the second page draws %d comments, want 5", n)
		}
		if !strings.Contains(later.body, "A late reply to the first.") || !strings.Contains(later.body, "replying to") || !strings.Contains(later.body, "Back to the first comments") {
			t.Error("the second page should hold the late reply, name whom it answers, and link back")
		}
		if strings.Contains(later.body, "Show later comments") {
			t.Error("the last page of comments still offers later ones")
		}
		wantStatus(t, "a broken page link", p.get(path+"?after=soon"), http.StatusBadRequest)
	})
}
