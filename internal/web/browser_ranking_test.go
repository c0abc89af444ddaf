package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestBrowserRanking walks the orders and the pairwise mode in a real browser: every sort tab
// of a challenge in its voting phase opens its list with its explanation, an idea explains its
// rank, and a participant compares two ideas and is thanked.
func TestBrowserRanking(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		first := a.seedIdea(a.voting, "Quiet room for breaks on every ward")
		a.seedIdea(a.voting, "Handover notes that follow the patient")
		allocCtx := startChromium(t, chromium)
		p := newTab(t, a, "participant", allocCtx)
		defer p.close()

		p.do("open the challenge", chromedp.Navigate(a.srv.URL+"/c/voting-one"), pageLoaded())
		if got := p.text(`.tabs a[aria-current="true"]`); got != "Fair" {
			t.Errorf("default tab: got %q, want Fair", got)
		}
		for _, tab := range []struct{ label, explains string }{
			{"Top", "counted cautiously"}, {"Rising", "gaining votes now"}, {"Newest", "newest ideas come first"},
			{"Divided", "divided them most evenly"}, {"Most discussed", "liveliest discussion"}, {"Fair", "fair hearing"},
		} {
			p.do("open the "+tab.label+" tab",
				chromedp.Click(withText(`.tabs a`, tab.label)),
				chromedp.WaitVisible(chromedp.CSS(`.tabs a[aria-current="true"]`)), pageLoaded())
			if got := p.text(`.tabs a[aria-current="true"]`); got != tab.label {
				t.Errorf("after clicking %s the current tab is %q", tab.label, got)
			}
			if got := p.text(`.sort-explain`); !strings.Contains(got, tab.explains) {
				t.Errorf("%s: the list says %q, want it to explain %q", tab.label, got, tab.explains)
			}
		}
		p.do("open an idea", chromedp.Navigate(a.srv.URL+"/ideas/"+id(first.ID)), pageLoaded(),
			chromedp.Click(chromedp.CSS(`details.explain summary`)), chromedp.WaitVisible(chromedp.CSS(`details.explain li`)))
		if got := p.text(`details.explain`); !strings.Contains(got, "still gathering votes") {
			t.Errorf("the idea's explanation: %q", got)
		}
		p.screenshot("idea-explained")

		p.do("go to the comparison", chromedp.Navigate(a.srv.URL+"/c/voting-one"), pageLoaded(),
			chromedp.Click(chromedp.CSS(`.challenge-head a[href$="/compare"]`)), chromedp.WaitVisible(chromedp.CSS(`.compare__idea`)), pageLoaded())
		p.screenshot("compare")
		p.do("choose the first idea", chromedp.Click(chromedp.CSS(`.compare__idea button`)), chromedp.WaitVisible(chromedp.CSS(`.notice`)), pageLoaded())
		if got := p.text(`main`); !strings.Contains(got, "your choice is counted") || !strings.Contains(got, "You have compared every pair") {
			t.Errorf("after choosing: %q", got)
		}
		p.checkConsole()
	})
}
