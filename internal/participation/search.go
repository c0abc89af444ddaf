package participation

import (
	"context"
	"time"
	"unicode/utf8"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/store"
)

// Hit is an idea or comment found by a search, its title and excerpt marked where it matched.
type Hit struct {
	Comment        bool // a comment on the idea IdeaID; else the idea itself
	ID, IdeaID     int64
	Title, Snippet gs.HTML
	ChallengeSlug  string
	ChallengeTitle string
	CreatedAt      time.Time
}

// SearchView is a page of results: on the first look, some ideas and some comments; asked for
// one kind, a longer page of it. Next is the cursor of each kind's following page, 0 for none.
type SearchView struct {
	Text                    string
	Kind                    gs.TargetKind // "" for both
	Ideas, Comments         []Hit
	NextIdeas, NextComments int64
}

// Result page sizes: a look at both kinds, or a page of one.
const (
	searchGlance = 10
	searchPage   = 25
)

// Search looks for text across every challenge anyone may read. Hidden contributions, drafts and
// invite-only challenges kept to their members never appear.
func (s *Service) Search(ctx context.Context, text string, kind gs.TargetKind, before int64) (*SearchView, error) {
	if !utf8.ValidString(text) {
		return nil, gs.Errorf(gs.EMALFORMED, "The search text is not valid UTF-8.")
	}
	if utf8.RuneCountInString(text) > gs.MaxSearchRunes {
		return nil, gs.Errorf(gs.EMALFORMED, "The search text is too long: use at most %d characters.", gs.MaxSearchRunes)
	}
	if kind != "" && kind != gs.TargetIdea && kind != gs.TargetComment {
		return nil, gs.Errorf(gs.EMALFORMED, "Search ideas or comments.")
	}
	v := &SearchView{Text: text, Kind: kind}
	if text == "" {
		return v, nil
	}
	size := searchPage
	if kind == "" {
		size = searchGlance
	}
	for _, k := range []gs.TargetKind{gs.TargetIdea, gs.TargetComment} {
		if kind != "" && kind != k {
			continue
		}
		hits, err := s.store.Search(ctx, text, k, before, size+1)
		if err != nil {
			return nil, err
		}
		var next int64
		if len(hits) > size {
			hits, next = hits[:size], hits[size-1].ID
		}
		out := marked(hits, k == gs.TargetComment)
		if k == gs.TargetIdea {
			v.Ideas, v.NextIdeas = out, next
		} else {
			v.Comments, v.NextComments = out, next
		}
	}
	return v, nil
}

// Snippets returns, for those of a page's ideas that match text, their marked title and excerpt.
func (s *Service) Snippets(ctx context.Context, ideas []gs.Idea, text string) (map[int64]Hit, error) {
	ids := make([]int64, len(ideas))
	for i, idea := range ideas {
		ids[i] = idea.ID
	}
	hits, err := s.store.IdeaSnippets(ctx, ids, text)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Hit, len(hits))
	for id, h := range hits {
		out[id] = Hit{ID: id, IdeaID: id, Title: markup.Marked(h.Title), Snippet: markup.Marked(h.Snippet)}
	}
	return out, nil
}

func marked(hits []store.SearchHit, comments bool) []Hit {
	out := make([]Hit, len(hits))
	for i, h := range hits {
		out[i] = Hit{Comment: comments, ID: h.ID, IdeaID: h.IdeaID, Title: markup.Marked(h.Title), Snippet: markup.Marked(h.Snippet),
			ChallengeSlug: h.ChallengeSlug, ChallengeTitle: h.ChallengeTitle, CreatedAt: h.CreatedAt}
	}
	return out
}
