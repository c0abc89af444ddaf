package participation

import (
	"cmp"
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
	"github.com/groundswell/groundswell/internal/store"
)

// Pairwise mode: a participant is shown two ideas answering the same question and picks the
// better, or says they cannot decide. Pairs favour ideas compared least, each pair counts once
// per participant, and a Bradley–Terry fit turns the judgements into each idea's chance to beat
// a random other idea, refitted in the background a few seconds after new judgements.

// pairCandidates is how many of a question's least-compared ideas a pair is drawn from.
const pairCandidates = 40

// refitEvery is how often challenges with new judgements are refitted.
const refitEvery = 10 * time.Second

// CompareView is the comparison page: a pair to judge, or why there is none.
type CompareView struct {
	Challenge *gs.Challenge
	Question  gs.Question
	A, B      *gs.Idea
	Token     string // signs the pair, for the form
	Closed    string // the phase does not take comparisons: why, in plain words
	Done      bool   // this participant has judged every pair on offer for the question
}

// ComparePage offers the participant with token hash h a pair of ideas from the challenge's
// question (the first question with two ideas, when questionID is 0).
func (s *Service) ComparePage(ctx context.Context, slug string, questionID int64, h gs.TokenHash) (*CompareView, error) {
	c, err := s.ChallengeFor(ctx, slug, h)
	if err != nil {
		return nil, err
	}
	v := &CompareView{Challenge: c}
	if err := c.Phase.Allow(gs.Comparing); err != nil {
		v.Closed = gs.ErrorMessage(err)
		return v, nil
	}
	questions := c.Questions
	if questionID != 0 {
		q, ok := c.Question(questionID)
		if !ok {
			return nil, gs.Errorf(gs.EMALFORMED, "This challenge has no question number %d.", questionID)
		}
		questions = []gs.Question{q}
	}
	viewer, err := s.Viewer(ctx, h)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(s.pivot(h, 0))))
	for _, q := range questions {
		cands, err := s.store.PairCandidates(ctx, c.ID, q.ID, pairCandidates)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(cands))
		for i, cd := range cands {
			ids[i] = cd.ID
		}
		judged, err := s.store.JudgedPairs(ctx, viewer, ids)
		if err != nil {
			return nil, err
		}
		a, b, ok := ranking.PickPair(cands, func(x, y int64) bool { return judged[orderPair(x, y)] }, rng)
		if !ok {
			continue
		}
		p := orderPair(a, b)
		if v.A, err = s.store.Idea(ctx, a); err != nil {
			return nil, err
		}
		if v.B, err = s.store.Idea(ctx, b); err != nil {
			return nil, err
		}
		v.Question, v.Token = q, s.keys.PairToken(h, p.Low, p.High)
		return v, nil
	}
	v.Done = true
	if len(questions) == 1 {
		v.Question = questions[0]
	}
	return v, nil
}

func orderPair(a, b int64) store.Pair {
	if a > b {
		a, b = b, a
	}
	return store.Pair{Low: a, High: b}
}

// Judgement is what a participant sends back about a pair.
type Judgement struct {
	Token  string // the signed pair they were shown
	Winner int64  // the idea they preferred, or 0
	Skip   bool   // they could not decide
}

// Compare records a participant's judgement of the pair they were shown, once: judging the
// same pair again changes nothing. It returns the question, so that the next pair can follow.
func (s *Service) Compare(ctx context.Context, slug string, h gs.TokenHash, j Judgement) (int64, error) {
	low, high, ok := s.keys.OpenPairToken(h, j.Token)
	if !ok {
		return 0, gs.Errorf(gs.EINVALID, "That pair could not be read, perhaps because the page is old. Here is a fresh pair.")
	}
	p := store.Pair{Low: low, High: high}
	switch {
	case j.Skip && j.Winner != 0:
		return 0, gs.Errorf(gs.EMALFORMED, "Choose one idea or say you cannot decide, not both.")
	case !j.Skip && j.Winner != low && j.Winner != high:
		return 0, gs.Errorf(gs.EINVALID, "Choose one of the two ideas shown, or say you cannot decide.")
	}
	c, err := s.Challenge(ctx, slug)
	if err != nil {
		return 0, err
	}
	var question int64
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		ch, err := tx.LockChallenge(c.ID)
		if err != nil {
			return err
		}
		if err := ch.Phase.Allow(gs.Comparing); err != nil {
			return err
		}
		a, err := tx.LockItem(gs.TargetIdea, low, store.LockItemOnly)
		if err != nil {
			return err
		}
		b, err := tx.LockItem(gs.TargetIdea, high, store.LockItemOnly)
		if err != nil {
			return err
		}
		if a.ChallengeID != c.ID || b.ChallengeID != c.ID || !a.Status.Visible() || !b.Status.Visible() {
			return gs.Errorf(gs.ECONFLICT, "One of these ideas has been removed meanwhile. Here is a fresh pair.")
		}
		question = a.QuestionID
		pid, err := tx.Voice(h, c.ID, ch.Access)
		if err != nil {
			return err
		}
		added, err := tx.InsertPairVote(c.ID, pid, p, j.Winner)
		if err != nil || !added {
			return err // a pair judged before counts once: nothing more to do
		}
		return tx.AddComparison(p)
	})
	if err != nil {
		return 0, err
	}
	s.pairs.mark(c.ID)
	return question, nil
}

// RefitPairwise fits the challenge's judgements again and stores every compared idea's chance
// to beat a random other idea, with its interval.
func (s *Service) RefitPairwise(ctx context.Context, challengeID int64) error {
	js, err := s.store.Judgements(ctx, challengeID)
	if err != nil {
		return err
	}
	index := map[int64]int{}
	var ids []int64
	at := func(id int64) int {
		i, ok := index[id]
		if !ok {
			i = len(ids)
			index[id] = i
			ids = append(ids, id)
		}
		return i
	}
	cs := make([]ranking.Comparison, len(js))
	for k, j := range js {
		cs[k] = ranking.Comparison{Winner: at(j.Winner), Loser: at(j.Loser)}
	}
	fit := ranking.BradleyTerry(len(ids), cs, 500)
	// Written in id order, a few thousand to a transaction, so that the writer is never held long.
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(ids[a], ids[b]) })
	for start := 0; start < len(order); start += fairBatch {
		part := order[start:min(start+fairBatch, len(order))]
		batchIDs, batch := make([]int64, len(part)), make([]ranking.Strength, len(part))
		for k, i := range part {
			batchIDs[k], batch[k] = ids[i], fit[i]
		}
		if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.UpdatePairStrengths(batchIDs, batch) }); err != nil {
			return err
		}
	}
	return nil
}

// pairsDirty remembers which challenges have judgements not yet fitted.
type pairsDirty struct {
	mu  sync.Mutex
	ids map[int64]bool
}

func (d *pairsDirty) mark(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ids == nil {
		d.ids = map[int64]bool{}
	}
	d.ids[id] = true
}

func (d *pairsDirty) take() map[int64]bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.ids
	d.ids = nil
	return out
}

// refitDirty refits every challenge with new judgements; one that fails is tried again later.
func (s *Service) refitDirty(ctx context.Context, log *slog.Logger) {
	for id := range s.pairs.take() {
		if err := s.RefitPairwise(ctx, id); err != nil {
			s.pairs.mark(id)
			if ctx.Err() == nil {
				log.Error("refit pairwise", slog.Int64("challenge_id", id), slog.Any("err", err))
			}
		}
	}
}
