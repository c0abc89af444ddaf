package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

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

// TestBrowserOwnContributions is the nurse coming back to what they posted, at phone width: the
// confirmation after posting takes focus (so a screen reader reads it), the idea is marked as
// theirs, they change it within the window, find it under My contributions, are refused a change
// after the window with their text kept and the form's own address in the bar, and withdraw it.
func TestBrowserOwnContributions(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		p := newTab(t, a, "nurse", startChromium(t, chromium))
		defer p.close()
		p.do("post an idea on a phone",
			chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile),
			chromedp.Navigate(a.srv.URL+"/c/open-one/ideas/new"), pageLoaded(),
			chromedp.Click(chromedp.CSS(`#question-0`)),
			chromedp.SendKeys(chromedp.CSS(`#title`), "Print the rota six weeks ahead"),
			chromedp.Click(chromedp.CSS(`form.idea-form button.button--start`)),
			chromedp.WaitVisible(chromedp.CSS(`h1#idea-title`)), pageLoaded(),
		)
		if !p.jsBool(`document.activeElement && document.activeElement.textContent.includes("Your idea is posted.")`) {
			t.Error("the posted confirmation does not have focus, so a screen reader would not read it")
		}
		if got := p.text(`.idea .meta .you`); got != "you" {
			t.Errorf("the author's marker reads %q, want \"you\"", got)
		}
		ideaURL := p.location()

		p.do("change the idea",
			chromedp.Click(chromedp.CSS(`.own-actions a[href$="/edit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`form.edit-form #title`)), pageLoaded(),
			chromedp.SetValue(chromedp.CSS(`#title`), "Print the rota eight weeks ahead"),
			chromedp.Click(chromedp.CSS(`form.edit-form button`)),
			chromedp.WaitVisible(withText(`h1#idea-title`, "eight weeks")), pageLoaded(),
		)
		if got := p.text(`#idea-title + .meta`); !strings.Contains(got, "edited") {
			t.Errorf("the idea's details read %q, want it marked edited", got)
		}

		p.do("find it under My contributions",
			chromedp.Navigate(a.srv.URL+"/c/open-one/mine"),
			chromedp.WaitVisible(withText(`.mine-item a`, "eight weeks")), pageLoaded())

		// Eleven minutes later the window has closed.
		s.Now = func() time.Time { return time.Now().Add(11 * time.Minute) }
		defer func() { s.Now = time.Now }()
		editURL := strings.TrimPrefix(ideaURL, a.srv.URL) + "/edit"
		p.do("try to change it too late",
			chromedp.Navigate(a.srv.URL+editURL), pageLoaded(),
			chromedp.WaitVisible(withText(`.notice`, "that time has passed")))
		if p.jsBool(`!!document.querySelector("form.edit-form button")`) {
			t.Error("after the window the edit form still offers to save")
		}
		if got := p.location(); !strings.HasSuffix(got, editURL) {
			t.Errorf("the refused edit's address is %s, want the form's own", got)
		}

		p.do("withdraw it",
			chromedp.Navigate(ideaURL), pageLoaded(),
			chromedp.Click(chromedp.CSS(`.idea .withdraw summary`)),
			chromedp.Click(chromedp.CSS(`.idea .withdraw button`)),
			chromedp.WaitVisible(withText(`.notice`, "Your idea is withdrawn.")), pageLoaded())
		other := newTab(t, a, "someone else", p.ctx, chromedp.WithNewBrowserContext())
		defer other.close()
		other.do("read the withdrawn idea", chromedp.Navigate(ideaURL), chromedp.WaitVisible(chromedp.CSS(`h1#idea-title`)))
		if got := other.text(`h1#idea-title`); got != "Withdrawn idea" {
			t.Errorf("someone else sees the withdrawn idea titled %q, want a placeholder", got)
		}
		other.do("check the list", chromedp.Navigate(a.srv.URL+"/c/open-one"), pageLoaded())
		if other.jsBool(`document.body.textContent.includes("eight weeks")`) {
			t.Error("the withdrawn idea is still in the list")
		}
	})
}

// TestBrowserRefusedFormShowsItsPage: after a refused post the address bar shows the form's
// page, not the address it was posted to, and reloading it opens the form.
func TestBrowserRefusedFormShowsItsPage(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		p := newTab(t, a, "participant", startChromium(t, chromium))
		defer p.close()
		p.do("post an idea with too short a title",
			chromedp.Navigate(a.srv.URL+"/c/open-one/ideas/new"), pageLoaded(),
			chromedp.Click(chromedp.CSS(`#question-0`)),
			chromedp.SendKeys(chromedp.CSS(`#title`), "Ro"),
			chromedp.SendKeys(chromedp.CSS(`#body`), "Words worth keeping"),
			chromedp.Click(chromedp.CSS(`form.idea-form button.button--start`)),
			chromedp.WaitVisible(chromedp.CSS(`.error-summary`)), pageLoaded(),
		)
		if got := p.location(); got != a.srv.URL+"/c/open-one/ideas/new" {
			t.Errorf("after the refusal the address is %s, want the form's page", got)
		}
		if got := run(p, "read the body", chromedp.Evaluate[string](`document.querySelector("#body").value`)); got != "Words worth keeping" {
			t.Errorf("the typed text came back as %q", got)
		}
		p.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`form.idea-form #title`)), pageLoaded())
	})
}

// TestBrowserSharedComputer is a ward computer at phone width: the first nurse posts an idea
// that waits for a moderator and sees it as theirs; they leave the computer, and the next nurse
// is a new participant who sees nothing of it. The next nurse reports an idea, and the report
// control gives way to "You reported this" beside the idea, with no second report to send.
func TestBrowserSharedComputer(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		other := a.seedIdea(a.open, "Someone else's idea")
		if _, err := storetest.Raw(t, dsn).Exec("UPDATE challenges SET premoderate = TRUE WHERE slug = 'open-one'"); err != nil {
			t.Fatal(err)
		}
		p := newTab(t, a, "ward computer", startChromium(t, chromium))
		defer p.close()
		p.do("the first nurse posts an idea",
			chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile),
			chromedp.Navigate(a.srv.URL+"/c/open-one/ideas/new"), pageLoaded(),
			chromedp.Click(chromedp.CSS(`#question-0`)),
			chromedp.SendKeys(chromedp.CSS(`#title`), "Night rota worries"),
			chromedp.Click(chromedp.CSS(`form.idea-form button.button--start`)),
			chromedp.WaitVisible(withText(`.notice`, "Only you can see this")), pageLoaded())
		held := p.location()

		p.do("leave this computer",
			chromedp.Click(chromedp.CSS(`.leave-form button`)),
			chromedp.WaitVisible(withText(`.notice`, "This browser has forgotten you")), pageLoaded())
		p.do("the next nurse opens the same address", chromedp.Navigate(held), pageLoaded(), chromedp.WaitVisible(chromedp.CSS(`h1`)))
		if p.jsBool(`document.body.textContent.includes("Only you can see this") || document.body.textContent.includes("Night rota worries")`) {
			t.Error("the next person at the computer sees the first person's held idea")
		}

		ideaURL := a.srv.URL + "/ideas/" + strconv.FormatInt(other.ID, 10)
		p.do("report an idea",
			chromedp.Navigate(ideaURL), pageLoaded(),
			chromedp.Click(chromedp.CSS(`.idea details.report summary`)),
			chromedp.Click(chromedp.CSS(`.idea .report-form input[value="off_topic"]`)),
			chromedp.Click(chromedp.CSS(`.idea .report-form button`)),
			chromedp.WaitVisible(chromedp.CSS(`.idea .report--done`)), pageLoaded())
		if got := p.text(`.idea .report--done`); !strings.HasPrefix(got, "You reported this") {
			t.Errorf("beside the idea: %q, want \"You reported this\"", got)
		}
		if p.jsBool(`!!document.querySelector(".idea .report-form")`) {
			t.Error("the idea still offers a report form after it was reported")
		}
	})
}
