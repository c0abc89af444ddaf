package web_test

import (
	"net/http"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestTextCannotLie: a title that would reverse a queue line, or that has nothing visible, is
// refused with the typed text kept; every title and pseudonym on the moderation pages sits in
// its own bidi isolate, so right-to-left text cannot reorder the author or date beside it.
func TestTextCannotLie(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		p := a.participant()
		p.get("/c/open-one/ideas/new")
		q := id(a.open.Questions[0].ID)
		r := p.post("/c/open-one/ideas", vals("question", q, "title", "Good idea \u202e2026 ,1 naJ", "body", "kept words"))
		wantStatus(t, "a right-to-left override in a title", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, "kept words") || !strings.Contains(r.body, "change the direction of text") {
			t.Error("the refused idea lost its text or its reason")
		}
		r = p.post("/c/open-one/ideas", vals("question", q, "title", "\u200b\u200b\u200b\u200b"))
		wantStatus(t, "a title of zero-width spaces", r, http.StatusUnprocessableEntity)

		idea := a.seedIdea(a.open, "משמרות קצרות יותר")
		p.report("idea", idea.ID, "off_topic")
		mod, _ := a.staffMember(gs.RoleModerator)
		r = mod.get("/moderation")
		wantStatus(t, "the queue", r, http.StatusOK)
		if !strings.Contains(r.body, "<bdi>משמרות קצרות יותר</bdi>") {
			t.Errorf("the queue does not isolate the title:\n%.300s", r.body[strings.Index(r.body, "<main"):])
		}
		r = mod.get("/moderation/cases/" + id(caseFor(t, s, gs.TargetIdea, idea.ID)))
		if !strings.Contains(r.body, "<bdi>משמרות קצרות יותר</bdi>") || !strings.Contains(r.body, "by <bdi>") {
			t.Error("the case page does not isolate the title and the author")
		}
	})
}
