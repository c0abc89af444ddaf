package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestBrowserQueueAtSpeed: on a phone-sized screen a moderator has a bulk action refused and
// finds their choices kept, selects all and none, decides two items in the queue itself, clears
// the rest in one bulk action, all without opening a case page, then works through two more
// with "Save and next case".
func TestBrowserQueueAtSpeed(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ideas := a.reportedIdeas(20, "Queue item")
		cases := make([]int64, len(ideas))
		for i, idea := range ideas {
			cases[i] = caseFor(t, s, gs.TargetIdea, idea.ID)
		}
		if _, err := a.accounts.CreateUser(t.Context(), "quick@example.org", gs.RoleModerator, staffPassword, gs.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
		mod := newTab(t, a, "moderator", startChromium(t, chromium))
		defer mod.close()
		mod.do("use a phone's width", chromedp.EmulateViewport(375, 800))
		mod.signIn("quick@example.org", "Moderation queue")
		if got := mod.text(".menu-count"); !strings.HasPrefix(got, "20") {
			t.Errorf("the menu counts %q waiting, want 20", got)
		}

		sel := func(caseID int64) string { return fmt.Sprintf("#sel-%d", caseID) }
		mod.do("tick two items and hide them without a reason",
			chromedp.Click(chromedp.CSS(sel(cases[3]))),
			chromedp.Click(chromedp.CSS(sel(cases[5]))),
			chromedp.SetValue(chromedp.CSS("#bulk-action"), "hide"),
			chromedp.Click(withText("#bulk button", "Apply to selected")),
			chromedp.WaitVisible(withText(".error-summary", "Give a reason when hiding")), pageLoaded(),
		)
		if !mod.jsBool(fmt.Sprintf(`document.querySelector(%q).checked && document.querySelector(%q).checked && !document.querySelector(%q).checked`,
			sel(cases[3]), sel(cases[5]), sel(cases[4]))) {
			t.Errorf("after the refusal the ticked items are not the two that were ticked")
		}
		if got := run(mod, "read the bulk action", chromedp.Value(chromedp.CSS("#bulk-action"))); got != "hide" {
			t.Errorf("after the refusal the bulk action is %q, want hide", got)
		}

		mod.do("select all, then none",
			chromedp.Click(chromedp.CSS(`a[data-select="all"]`)),
			chromedp.Poll[chromedp.Void](`[...document.querySelectorAll("input[form=bulk]")].every(b => b.checked)`),
			chromedp.Click(chromedp.CSS(`a[data-select="none"]`)),
			chromedp.Poll[chromedp.Void](`[...document.querySelectorAll("input[form=bulk]")].every(b => !b.checked)`),
		)

		mod.do("hide one item in the queue with a stock reason",
			chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#stock-%d", cases[0])), gs.DefaultStockReasons[4]),
			chromedp.Click(chromedp.CSS(fmt.Sprintf("#case-%d button[value=hide]", cases[0]))),
			chromedp.WaitVisible(withText(".notice", fmt.Sprintf("Hid item %d", cases[0]))), pageLoaded(),
		)
		mod.do("keep another in the queue",
			chromedp.Click(chromedp.CSS(fmt.Sprintf("#case-%d button[value=dismiss]", cases[1]))),
			chromedp.WaitVisible(withText(".notice", fmt.Sprintf("Kept item %d", cases[1]))), pageLoaded(),
		)
		mod.do("keep the other eighteen at once",
			chromedp.Click(chromedp.CSS(`a[data-select="all"]`)),
			chromedp.SetValue(chromedp.CSS("#bulk-action"), "dismiss"),
			chromedp.Click(withText("#bulk button", "Apply to selected")),
			chromedp.WaitVisible(withText(".notice", "18 items done.")), pageLoaded(),
		)
		if !strings.Contains(mod.text("main"), "Nothing waiting.") {
			t.Errorf("the queue is not empty after clearing it")
		}
		if loc := mod.location(); strings.Contains(loc, "/moderation/cases/") {
			t.Errorf("the moderator ended on a case page: %s", loc)
		}
		if got, _ := s.Idea(t.Context(), ideas[0].ID); got.Status != gs.StatusHidden || got.StatusReason != gs.DefaultStockReasons[4] {
			t.Errorf("the item hidden from the queue: %s %q", got.Status, got.StatusReason)
		}

		more := a.reportedIdeas(2, "Next item")
		first, second := caseFor(t, s, gs.TargetIdea, more[0].ID), caseFor(t, s, gs.TargetIdea, more[1].ID)
		mod.do("open the first of two new cases",
			chromedp.Navigate(a.srv.URL+"/moderation"),
			chromedp.Click(chromedp.CSS(fmt.Sprintf("#case-%d a[href$='/cases/%d']", first, first))),
			chromedp.WaitVisible(withText("h1", fmt.Sprintf("Moderation case %d", first))), pageLoaded(),
		)
		mod.do("keep it and go on",
			chromedp.Click(chromedp.CSS("#act-dismiss button[value=next]")),
			chromedp.WaitVisible(withText("h1", fmt.Sprintf("Moderation case %d", second))),
			chromedp.WaitVisible(withText(".notice", fmt.Sprintf("Saved item %d", first))), pageLoaded(),
		)
		mod.do("hide the last with a stock reason and go on",
			chromedp.SetValue(chromedp.CSS("#hide-stock"), gs.DefaultStockReasons[3]),
			chromedp.Click(chromedp.CSS("#act-hide button[value=next]")),
			chromedp.WaitVisible(withText(".notice", "The queue is clear")), pageLoaded(),
		)
		mod.screenshot("queue")
		mod.checkConsoleBut("/moderation/bulk", "422") // the refused bulk action above

	})
}

// TestBrowserStaffPagesFitAPhone: at 320 px every staff page fits the screen without sideways
// scrolling, and a scrolling table can be reached by keyboard.
func TestBrowserStaffPagesFitAPhone(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ideas := a.reportedIdeas(2, "A rather long idea title that goes on about rota patterns and handovers")
		c := caseFor(t, s, gs.TargetIdea, ideas[0].ID)
		mod, _ := a.staffMember(gs.RoleModerator)
		wantStatus(t, "hide", mod.post("/moderation/cases/"+id(c), vals("version", caseVersion(t, mod, c), "action", "hide",
			"reason", "a reason with a long unbroken address https://example.org/a/very/long/path/that/does/not/break")), 303)
		if _, err := a.accounts.CreateUser(t.Context(), "a-very-long-staff-address-for-testing@some-long-hospital-trust.example.org",
			gs.RoleAdmin, staffPassword, gs.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
		admin := newTab(t, a, "admin", startChromium(t, chromium))
		defer admin.close()
		admin.do("use a small phone's width", chromedp.EmulateViewport(320, 640))
		admin.signIn("a-very-long-staff-address-for-testing@some-long-hospital-trust.example.org", "Administration")
		for _, page := range []struct{ path, heading string }{
			{"/moderation", "Moderation queue"},
			{"/moderation?state=closed", "Moderation queue"},
			{"/moderation/cases/" + id(c), "Moderation case"},
			{"/admin/audit", "Audit log"},
			{"/admin/users", "Staff accounts"},
			{"/admin/challenges/open-one", "Settings"},
			{"/admin", "Administration"},
		} {
			// The screenshots (when asked for) change the width, so it is set for every page.
			admin.do("open "+page.path, chromedp.EmulateViewport(320, 640), chromedp.Navigate(a.srv.URL+page.path),
				chromedp.WaitVisible(withText("h1", page.heading)), pageLoaded())
			width := run(admin, "measure "+page.path, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if width > 320 {
				wide := run(admin, "find what is wide", chromedp.Evaluate[string](`[...document.querySelectorAll("main *")].filter(e => e.getBoundingClientRect().right > 321).slice(0, 3).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
				t.Errorf("%s is %d px wide in a 320 px screen, want at most 320 (%s)", page.path, width, wide)
			}
			admin.screenshot(strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(page.path))
		}
		admin.do("open the audit log", chromedp.Navigate(a.srv.URL+"/admin/audit"), chromedp.WaitVisible(withText("h1", "Audit log")), pageLoaded())
		if !admin.jsBool(`(() => { const r = document.querySelector(".table-wrap"); return r.tabIndex === 0 && r.getAttribute("role") === "region" && !!r.getAttribute("aria-label") })()`) {
			t.Errorf("the audit log's scrolling region cannot be reached by keyboard or has no name")
		}
		admin.checkConsole()
	})
}

// checkConsoleBut is checkConsole for a tab that was refused on purpose: an error naming the
// refused address and status is expected, and any other fails the test.
func (b *tab) checkConsoleBut(url, status string) {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		if strings.HasSuffix(m.URL, "/favicon.ico") || (strings.HasSuffix(m.URL, url) && strings.Contains(m.String(), status)) {
			continue
		}
		if m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleError {
			b.t.Errorf("%s: browser console: got %s (at %s), want no errors", b.name, m, m.URL)
		}
	}
}
