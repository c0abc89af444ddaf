package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
)

// feedSize is how many entries a feed carries, newest first.
const feedSize = 50

// feedDay keeps a feed's times to the day, as pages and exports do: a precise time next to a
// contribution could help tell who wrote it.
func feedDay(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// feedPage is the base of a page that has an Atom feed, which it announces in its head.
func (s *Server) feedPage(c echo.Context, title, feed string) basePage {
	b := s.base(c, title)
	b.Feed = feed
	return b
}

// shareSummary is how long a link preview's description may be, in characters.
const shareSummary = 200

// shared gives a public page its link-preview description.
func shared(c echo.Context, b basePage, title string, text gs.HTML, path string) basePage {
	b.Share = &shareMeta{Title: title, Description: markup.Summary(text, shareSummary), URL: origin(c) + path}
	return b
}

// origin is the scheme and host the request came to, for the absolute links a feed needs.
func origin(c echo.Context) string { return c.Scheme() + "://" + c.Request().Host }

// challengeFeed is an Atom feed of a public challenge's newest ideas. Entries carry no author:
// a feed reader has no need of the pseudonyms.
func (s *Server) challengeFeed(c echo.Context) error {
	v, err := s.part.IdeaList(c.Request().Context(), c.Param("slug"), gs.IdeaFilter{Sort: gs.SortNew, Page: 1, PerPage: feedSize}, "", false)
	if err != nil {
		return err
	}
	ch, base := v.Challenge, origin(c)
	f := &feeds.Feed{
		Title: ch.Title + ": new ideas", Link: &feeds.Link{Href: base + challengePath(ch.Slug)},
		Id: base + challengePath(ch.Slug), Author: &feeds.Author{Name: "The staff taking part in " + ch.Title},
		Description: "The newest ideas shared in this challenge.",
	}
	for _, i := range v.Page.Ideas {
		day := feedDay(i.CreatedAt)
		f.Items = append(f.Items, &feeds.Item{Id: base + ideaPath(i.ID), Title: i.Title, Link: &feeds.Link{Href: base + ideaPath(i.ID)},
			Content: string(i.BodyHTML), Created: day, Updated: day})
		if day.After(f.Updated) {
			f.Updated = day
		}
	}
	return writeAtom(c, f)
}

// guideFeed is an Atom feed of a challenge's published change proposals.
func (s *Server) guideFeed(c echo.Context) error {
	g, err := s.panels.GuideOf(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	base := origin(c) + guidePath(g.Challenge.Slug)
	f := &feeds.Feed{
		Title: g.Challenge.Title + ": change guide", Link: &feeds.Link{Href: base}, Id: base,
		Author:      &feeds.Author{Name: "The expert panels of " + g.Challenge.Title},
		Description: "Changes chosen from what staff said, with the evidence behind each.",
	}
	for _, t := range g.Themes {
		for _, p := range t.Proposals {
			day := feedDay(p.CreatedAt)
			anchor := base + "#proposal-" + strconv.FormatInt(p.ID, 10)
			f.Items = append(f.Items, &feeds.Item{Id: anchor, Title: p.Title, Link: &feeds.Link{Href: anchor},
				Description: p.Change, Created: day, Updated: day})
			if day.After(f.Updated) {
				f.Updated = day
			}
		}
	}
	return writeAtom(c, f)
}

func writeAtom(c echo.Context, f *feeds.Feed) error {
	if f.Updated.IsZero() {
		f.Updated = time.Unix(0, 0).UTC() // an empty feed still needs a valid date
	}
	f.Created = f.Updated
	body, err := f.ToAtom()
	if err != nil {
		return gs.Internal("write the feed", err)
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", []byte(body))
}
