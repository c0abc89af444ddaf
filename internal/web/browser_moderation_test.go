package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestBrowserModeration: three participants report a comment until it is hidden, then a
// moderator signs in, finds it in the queue and restores it.
func TestBrowserModeration(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		storetest.SkipOrFail(t, "chromium is not installed, so the browser test is skipped")
	}
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		ctx := context.Background()
		idea := a.seedIdea(a.open, "Shared rota calendar")
		const remark = "The rota team never listens to anyone on nights"
		cm, err := a.part.PostComment(ctx, "someone", idea.ID, gs.CommentInput{Body: remark})
		if err != nil {
			t.Fatal(err)
		}
		ideaURL := a.srv.URL + "/ideas/" + id(idea.ID)
		commentSel := "#comment-" + id(cm.ID)
		allocCtx := startChromium(t, chromium)
		first := newTab(t, a, "reporter 1", allocCtx)
		defer first.close()

		for i := 1; i <= 3; i++ {
			tab := first
			if i > 1 {
				tab = newTab(t, a, "reporter "+id(int64(i)), first.ctx, chromedp.WithNewBrowserContext())
				defer tab.close()
			}
			report := commentSel + " details.report"
			tab.do("open the idea", chromedp.Navigate(ideaURL), chromedp.WaitVisible(chromedp.CSS(commentSel)), pageLoaded())
			tab.do("open the report form",
				chromedp.Click(chromedp.CSS(report+" > summary")),
				chromedp.WaitVisible(chromedp.CSS(report+" input[value=offensive]")),
			)
			tab.do("send the report",
				chromedp.Click(chromedp.CSS(report+" input[value=offensive]")),
				chromedp.SendKeys(chromedp.CSS(report+" textarea"), "Personal attack on a team"),
				chromedp.Click(chromedp.CSS(report+" button")),
				chromedp.WaitVisible(withText(".notice", "Your report has gone to the moderators")),
			)
		}
		first.do("reload the idea", chromedp.Navigate(ideaURL), chromedp.WaitVisible(chromedp.CSS(commentSel)))
		if got := first.text(commentSel + " .removed"); got != "Removed pending review." {
			t.Errorf("after three reports the comment reads %q, want the placeholder", got)
		}

		if _, err := a.accounts.CreateUser(ctx, "mod@example.org", gs.RoleModerator, staffPassword, gs.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
		mod := newTab(t, a, "moderator", first.ctx, chromedp.WithNewBrowserContext())
		defer mod.close()
		mod.signIn("mod@example.org", "Moderation queue")
		mod.do("open the case",
			chromedp.WaitVisible(withText(".case", "Personal attack on a team")),
			chromedp.Click(withText(".case a", "More actions")),
			chromedp.WaitVisible(withText("h1", "Moderation case")),
		)
		mod.do("restore it",
			chromedp.SendKeys(chromedp.CSS("#restore-reason"), "Sharp but fair criticism"),
			chromedp.Click(withText("form.action-form button", "Restore")),
			chromedp.WaitVisible(withText(".notice", "Done.")),
		)
		mod.screenshot("case")
		first.do("reload the idea", chromedp.Navigate(ideaURL), chromedp.WaitVisible(withText(commentSel+" .prose", remark)))
		first.checkConsole()
		mod.checkConsole()
	})
}
