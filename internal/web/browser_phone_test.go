package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// longBrief is a brief of the length real challenges have: three paragraphs that would push
// the ideas off a phone's first screen if they were shown in full.
const longBrief = `Every team knows where its own work gets stuck: the form filled in twice, the rota that
arrives too late to plan childcare, the handover that depends on who happens to be on shift.
This challenge asks the people doing the work what would make change easier.

You do not need an account, and nobody will see your name. Ideas appear under a pseudonym
that stays the same within this challenge, so that a conversation can be followed without
anyone knowing who is talking. Write about the work, not about named colleagues.

While the challenge is open you can share ideas, comment on them, suggest how they could be
made to happen and vote them up or down. When it closes, a panel reads the best-supported ideas
and turns the strongest into a short guide of changes that teams can try.`

// TestBrowserPhoneFindsTheIdeas is the nurse on a break: on a phone the first idea starts within
// the first screen, each card shows the start of the idea, and sorting or paging keeps the reader
// at the list instead of sending them back to the top.
func TestBrowserPhoneFindsTheIdeas(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ch := &gs.Challenge{
			Slug: "phone-one", Title: "Making change easier on the wards", Phase: gs.PhaseOpen, BriefMD: longBrief,
			BriefHTML: gs.HTML("<p>" + strings.ReplaceAll(longBrief, "\n\n", "</p><p>") + "</p>"),
			Questions: []gs.Question{
				{Title: "What helps change happen here?", Prompt: "Tell us about something, big or small, that made it easier to improve the way you work."},
				{Title: "What gets in the way of change?", Prompt: "Describe a barrier that stops good ideas from being tried, or stops them lasting."},
				{Title: "What would you do to make change easier?", Prompt: "If you could change one thing about how improvements happen where you work, what would it be?"},
			},
			Themes: []gs.Theme{{Slug: "rotas", Name: "Rotas"}},
		}
		if err := s.CreateChallenge(context.Background(), ch); err != nil {
			t.Fatal(err)
		}
		body := strings.Repeat("Handover sheets are copied by hand at every shift change, which takes twenty minutes. ", 6)
		for i := range 22 { // more than a page, so that there is a next page to go to
			if _, err := a.part.PostIdea(context.Background(), a.keys.TokenHash(fmt.Sprint("author ", i)), ch,
				gs.IdeaInput{QuestionID: ch.Questions[i%3].ID, Title: fmt.Sprintf("Idea number %d about handovers", i), Body: body}); err != nil {
				t.Fatal(err)
			}
		}

		p := newTab(t, a, "nurse on a phone", startChromium(t, chromium))
		defer p.close()
		p.do("open the challenge on a phone",
			chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile),
			chromedp.Navigate(a.srv.URL+"/c/phone-one"),
			chromedp.WaitVisible(chromedp.CSS(".idea-card")), pageLoaded(),
		)
		top := run(p, "measure the first card", chromedp.Evaluate[float64](`document.querySelector(".idea-card").getBoundingClientRect().top + window.scrollY`))
		if top > 900 {
			t.Errorf("at 375 px the first idea card starts %.0f px down, want within the first 900 px", top)
		}
		if p.jsBool(`document.querySelector(".questions").open`) {
			t.Error("on a phone the questions are unfolded, want them folded")
		}
		if got := p.text(".brief-lede"); !strings.HasSuffix(got, "…") || len(got) > 400 {
			t.Errorf("on a phone the brief starts %q, want a short start ending in an ellipsis", got)
		}
		p.do("read the full brief", chromedp.Click(chromedp.CSS(".brief-more summary")))
		if got := p.text(".brief-more .brief"); !strings.Contains(got, "turns the strongest into a short guide") {
			t.Errorf("the full brief reads %q, want all of it", got)
		}
		// Each card shows the idea's start, clamped to two lines.
		lines := run(p, "measure an excerpt", chromedp.Evaluate[float64](`(() => {
			const e = document.querySelector(".idea-card .excerpt");
			return e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight) })()`))
		if got := p.text(".idea-card .excerpt"); !strings.HasPrefix(got, "Handover sheets are copied") {
			t.Errorf("the first card's excerpt reads %q, want the start of the idea", got)
		}
		if lines < 1.5 || lines > 2.2 {
			t.Errorf("the excerpt is %.1f lines tall, want two", lines)
		}

		// A sort tab and the next-page link land at the list.
		for _, step := range []struct{ what, click, then string }{
			{"choose the Newest order", `nav.tabs a[href*="sort=new"]`, `nav.tabs a[aria-current][href*="sort=new"]`},
			{"go to the next page", `nav.pagination a[rel=next]`, `nav.pagination a[rel=prev]`},
		} {
			p.do(step.what, chromedp.Click(chromedp.CSS(step.click)), chromedp.WaitVisible(chromedp.CSS(step.then)), pageLoaded())
			if !p.jsBool(`location.hash === "#ideas" && window.scrollY > 0`) {
				t.Errorf("after %s the browser is at %s, scrolled %v px, want at #ideas", step.what, p.location(),
					run(p, "read the scroll", chromedp.Evaluate[float64](`window.scrollY`)))
			}
			at := run(p, "measure the list heading", chromedp.Evaluate[float64](`document.querySelector("#ideas").getBoundingClientRect().top`))
			if at < -1 || at > 100 {
				t.Errorf("after %s the list starts %.0f px from the top of the screen, want at the top", step.what, at)
			}
		}
		if loc := p.location(); !strings.Contains(loc, "cursor=") || !strings.Contains(loc, "sort=new") ||
			!p.jsBool(`document.querySelector("nav.pagination span").textContent.startsWith("Page 2 of")`) {
			t.Errorf("after sorting and paging the browser is at %s, want page 2 of the newest, by cursor", loc)
		}
		p.checkConsole()
	})
}
