package participation

import (
	"context"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/store"
)

// An author's own contributions: the page that lists them, and the changes only the author may
// make (an edit in the first minutes, a withdrawal at any time).

// ownLimit is how many of each kind the author's page lists: far more than anyone posts in a
// challenge, and a bound on the page's cost.
const ownLimit = 200

// Own is a participant's own contributions in one challenge, newest first.
type Own struct {
	Challenge *gs.Challenge
	Ideas     []gs.Idea
	Comments  []gs.OwnComment
	// More is set when there were more than the page lists.
	More bool
}

// OwnContributions returns what the participant with token hash h posted in the challenge,
// whatever became of it. Someone who has never posted gets an empty list, not an error.
func (s *Service) OwnContributions(ctx context.Context, slug string, h gs.TokenHash) (*Own, error) {
	c, err := s.ChallengeFor(ctx, slug, h)
	if err != nil {
		return nil, err
	}
	out := &Own{Challenge: c}
	viewer, err := s.Viewer(ctx, h)
	if err != nil || viewer == 0 {
		return out, err
	}
	if out.Ideas, err = s.store.OwnIdeas(ctx, viewer, c.ID, ownLimit+1); err != nil {
		return nil, err
	}
	if out.Comments, err = s.store.OwnComments(ctx, viewer, c.ID, ownLimit+1); err != nil {
		return nil, err
	}
	if len(out.Ideas) > ownLimit || len(out.Comments) > ownLimit {
		out.More = true
		out.Ideas, out.Comments = out.Ideas[:min(len(out.Ideas), ownLimit)], out.Comments[:min(len(out.Comments), ownLimit)]
	}
	return out, nil
}

// OwnIdea returns an idea for its author to edit, refusing anyone else.
func (s *Service) OwnIdea(ctx context.Context, id int64, h gs.TokenHash) (*gs.Idea, *gs.Challenge, error) {
	i, c, err := s.ideaInPublicChallenge(ctx, id, h)
	if err != nil {
		return nil, nil, err
	}
	viewer, err := s.Viewer(ctx, h)
	if err != nil {
		return nil, nil, err
	}
	if err := checkAuthor(i.ParticipantID, viewer); err != nil {
		return nil, nil, err
	}
	return i, c, nil
}

// OwnComment returns a comment for its author to edit, with its idea and challenge, refusing
// anyone else.
func (s *Service) OwnComment(ctx context.Context, id int64, h gs.TokenHash) (*gs.Comment, *gs.Idea, *gs.Challenge, error) {
	cm, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	i, c, err := s.ideaInPublicChallenge(ctx, cm.IdeaID, h)
	if err != nil {
		return nil, nil, nil, err
	}
	viewer, err := s.Viewer(ctx, h)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkAuthor(cm.ParticipantID, viewer); err != nil {
		return nil, nil, nil, err
	}
	return cm, i, c, nil
}

// checkAuthor refuses anyone but the author. A browser that has never posted has viewer 0.
func checkAuthor(author, viewer int64) error {
	if viewer == 0 || author != viewer {
		return gs.Errorf(gs.EFORBIDDEN, "Only the person who posted this, from the browser they posted it with, can change or withdraw it.")
	}
	return nil
}

// EditIdea changes the title and description of the viewer's own idea within the edit window.
// The question and theme stay. Held words in the new text hold the idea for a moderator, as
// they would a new one.
func (s *Service) EditIdea(ctx context.Context, h gs.TokenHash, id int64, title, body string) (*gs.Idea, error) {
	i, c, err := s.OwnIdea(ctx, id, h)
	if err != nil {
		return nil, err
	}
	in := gs.IdeaInput{QuestionID: i.QuestionID, Title: title, Body: body}
	in.Normalize()
	if err := in.Validate(c); err != nil {
		return nil, err
	}
	html := s.md.Render(in.Body)
	hold := c.HoldReason(markup.Fold(in.Title), markup.Fold(markup.ReadText(html)))
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		it, err := tx.LockItem(gs.TargetIdea, id, store.LockItemAndPhase)
		if err != nil {
			return err
		}
		if err := s.checkEdit(tx, it, gs.PostingIdeas); err != nil {
			return err
		}
		if err := tx.EditText(gs.TargetIdea, id, in.Title, in.Body, html); err != nil {
			return err
		}
		return holdEdited(tx, it, hold)
	})
	if err != nil {
		return nil, err
	}
	i.Title, i.BodyMD, i.BodyHTML, i.Edited = in.Title, in.Body, html, true
	return i, nil
}

// EditComment changes the text of the viewer's own comment within the edit window.
func (s *Service) EditComment(ctx context.Context, h gs.TokenHash, id int64, body string) (*gs.Comment, error) {
	cm, _, c, err := s.OwnComment(ctx, id, h)
	if err != nil {
		return nil, err
	}
	in := gs.CommentInput{Kind: cm.Kind, Body: body}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	html := s.md.Render(in.Body)
	hold := c.HoldReason(markup.Fold(markup.ReadText(html)))
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		it, err := tx.LockItem(gs.TargetComment, id, store.LockItemAndPhase)
		if err != nil {
			return err
		}
		if err := s.checkEdit(tx, it, gs.Commenting); err != nil {
			return err
		}
		if err := tx.EditText(gs.TargetComment, id, "", in.Body, html); err != nil {
			return err
		}
		return holdEdited(tx, it, hold)
	})
	if err != nil {
		return nil, err
	}
	cm.BodyMD, cm.BodyHTML, cm.Edited = in.Body, html, true
	return cm, nil
}

// checkEdit applies the edit rules inside the write: the phase still takes this kind of
// contribution, the author's posting is not paused, and the window is open.
func (s *Service) checkEdit(tx *store.Tx, it *store.Item, act gs.Activity) error {
	if err := it.Phase.Allow(act); err != nil {
		return err
	}
	susp, err := tx.LatestSuspension(it.ParticipantID, it.ChallengeID)
	if err != nil {
		return err
	}
	if err := susp.Refuse(tx.Now()); err != nil {
		return err
	}
	return gs.CheckEdit(it.Status, it.CreatedAt, tx.Now())
}

// holdEdited holds an edited contribution for a moderator when its new text has held words,
// unless it is held already.
func holdEdited(tx *store.Tx, it *store.Item, hold string) error {
	if hold == "" || !it.Status.Visible() {
		return nil
	}
	if err := tx.ChangeStatus(it, gs.StatusHeld, ""); err != nil {
		return err
	}
	return holdForReview(tx, it, hold)
}

// Withdraw takes back the viewer's own idea or comment. It leaves a placeholder where it was,
// its replies stay, and it drops out of every list and count, so its votes stop counting.
func (s *Service) Withdraw(ctx context.Context, h gs.TokenHash, kind gs.TargetKind, id int64) error {
	viewer, err := s.Viewer(ctx, h)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		it, err := tx.LockItem(kind, id, store.LockItemOnly)
		if err != nil {
			return err
		}
		if err := checkAuthor(it.ParticipantID, viewer); err != nil {
			return err
		}
		if err := gs.CheckWithdraw(it.Status); err != nil {
			return err
		}
		return tx.ChangeStatus(it, gs.StatusWithdrawn, "")
	})
}

// Now is the service's clock, the store's, so that the edit window shown matches the one applied.
func (s *Service) Now() time.Time { return s.store.Now().UTC() }

// IdeaOfComment is the idea a publicly readable comment is on, for the comment's address.
func (s *Service) IdeaOfComment(ctx context.Context, id int64) (int64, error) {
	cm, err := s.store.Comment(ctx, id)
	if err != nil {
		return 0, err
	}
	if _, _, err := s.Idea(ctx, cm.IdeaID, ""); err != nil {
		return 0, err
	}
	return cm.IdeaID, nil
}
