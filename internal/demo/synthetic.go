package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/ranking"
	"github.com/groundswell/groundswell/internal/store"
)

// Size is how big a synthetic challenge is.
type Size struct {
	Ideas, Comments, Votes, Participants int
}

// Check refuses sizes that cannot be built: votes need ideas, and nobody votes twice on one idea.
func (z Size) Check() error {
	switch {
	case z.Ideas < 1 || z.Participants < 1:
		return gs.Errorf(gs.EINVALID, "A synthetic challenge needs at least one idea and one participant.")
	case z.Ideas > 5_000_000 || z.Participants > 50_000_000 || z.Votes > 200_000_000 || z.Comments > 50_000_000:
		return gs.Errorf(gs.EINVALID, "That is larger than a synthetic challenge may be (5 million ideas, 200 million votes).")
	case z.Votes < 0 || z.Comments < 0:
		return gs.Errorf(gs.EINVALID, "Counts cannot be negative.")
	case int64(z.Votes) > int64(z.Ideas)*int64(z.Participants):
		return gs.Errorf(gs.EINVALID, "%d votes cannot fit: each of %d participants votes at most once on each of %d ideas.", z.Votes, z.Participants, z.Ideas)
	}
	return nil
}

// Progress hears how far a long job has come: done of total units of the named stage.
type Progress func(stage string, done, total int)

// SyntheticSlug is the slug of the synthetic challenge of a given number of ideas.
func SyntheticSlug(ideas int) string { return fmt.Sprintf("synthetic-%d", ideas) }

// Synthetic builds a large challenge for benchmarks and query plans: participants, ideas posted
// over two months, votes spread like real ones (a few ideas draw most of them), threaded
// comments and implementation suggestions. It writes in large batches straight through the
// store, but every counter and stored score is computed by the same functions the live path
// uses, so lists and pages behave as they would for real. The content is generated, and says so.
// A challenge of the same number of ideas already there is left alone (created=false).
func Synthetic(ctx context.Context, st *store.Store, keys *anonymity.Keys, z Size, progress Progress) (created bool, err error) {
	if err := z.Check(); err != nil {
		return false, err
	}
	slug := SyntheticSlug(z.Ideas)
	if c, err := st.ChallengeBySlug(ctx, slug); err == nil {
		if c.Phase == gs.PhaseDraft { // it opens only when the last batch is written
			return false, gs.Errorf(gs.ECONFLICT, "An earlier run was interrupted and left /c/%s incomplete. Seed into a new --data directory (or database), or delete that one first.", slug)
		}
		return false, nil
	} else if gs.ErrorCode(err) != gs.ENOTFOUND {
		return false, err
	}
	rng := rand.New(rand.NewPCG(uint64(z.Ideas), uint64(z.Votes)))
	c := &gs.Challenge{
		Slug: slug, Title: fmt.Sprintf("Synthetic challenge of %d ideas", z.Ideas), Phase: gs.PhaseDraft,
		BriefMD: "Generated data for measuring Groundswell at scale. Nothing here was written by a person.", BriefHTML: "<p>Generated data for measuring Groundswell at scale. Nothing here was written by a person.</p>",
		Questions: []gs.Question{{Title: "What helps change happen?"}, {Title: "What gets in the way?"}, {Title: "What would you change first?"}},
		Themes:    []gs.Theme{{Slug: "time", Name: "Time"}, {Slug: "tools", Name: "Tools"}, {Slug: "teams", Name: "Teams"}, {Slug: "training", Name: "Training"}, {Slug: "leadership", Name: "Leadership"}},
	}
	if err := st.CreateChallenge(ctx, c); err != nil {
		return false, err
	}
	g := &generator{ctx: ctx, st: st, keys: keys, z: z, c: c, rng: rng, progress: progress}
	for _, step := range []func() error{g.participants, g.ideas, g.votes, g.comments, g.finish} {
		if err := step(); err != nil {
			return false, err
		}
	}
	return true, nil
}

type generator struct {
	ctx      context.Context
	st       *store.Store
	keys     *anonymity.Keys
	z        Size
	c        *gs.Challenge
	rng      *rand.Rand
	progress Progress

	firstParticipant int64
	firstIdea        int64
	weights          []float64 // popularity, for votes and comments
	quality          []float64 // chance a voter likes the idea
	up, down         []int
	nComments, impls []int
	talk             [][]ranking.Contribution
	created          []time.Time
	authors          []int64
	names            map[int64]string // participant → pseudonym in the challenge
	taken            map[string]bool
	votesOf          []int // how many votes each idea gets
	commentsOf       []int // how many comments each idea gets
}

const batchRows = 100_000

// write runs fill in one transaction of the store, reporting progress.
func (g *generator) write(stage string, total int, fill func(tx *store.Tx, from, to int) error) error {
	for from := 0; from < total; from += batchRows {
		to := min(from+batchRows, total)
		if err := g.st.Write(g.ctx, func(tx *store.Tx) error { return fill(tx, from, to) }); err != nil {
			return fmt.Errorf("synthetic %s: %w", stage, err)
		}
		if g.progress != nil {
			g.progress(stage, to, total)
		}
	}
	return nil
}

func (g *generator) participants() error {
	err := g.st.Write(g.ctx, func(tx *store.Tx) error {
		var err error
		g.firstParticipant, err = tx.NextID("participants")
		return err
	})
	if err != nil {
		return err
	}
	return g.write("participants", g.z.Participants, func(tx *store.Tx, from, to int) error {
		rows := make([][]any, 0, to-from)
		for i := from; i < to; i++ {
			rows = append(rows, []any{g.firstParticipant + int64(i), string(g.keys.TokenHash(fmt.Sprint("synthetic participant ", i)))})
		}
		return tx.BulkInsert("participants", []string{"id", "token_hash"}, rows)
	})
}

// participant draws a participant, some far more active than others.
func (g *generator) participant() int64 {
	p := g.z.Participants
	k := int(float64(p) * math.Pow(g.rng.Float64(), 2.5)) // skewed towards low indexes
	return g.firstParticipant + int64(min(k, p-1))
}

// alias returns a participant's pseudonym in the challenge, choosing a free one the way the live
// path does (the keyed name, then the next attempt on a collision); new ones go in aliases.
func (g *generator) alias(pid int64, fresh *[][]any) string {
	if n, ok := g.names[pid]; ok {
		return n
	}
	h := g.keys.TokenHash(fmt.Sprint("synthetic participant ", pid-g.firstParticipant))
	for attempt := 0; ; attempt++ {
		name := g.keys.Pseudonym(h, g.c.ID, attempt)
		if !g.taken[name] {
			g.taken[name], g.names[pid] = true, name
			*fresh = append(*fresh, []any{g.c.ID, pid, name})
			return name
		}
	}
}

var synthWords = []string{"rota", "handover", "training", "parking", "breaks", "forms", "night shift", "rest room", "mentoring",
	"discharge", "supplies", "IT login", "team huddle", "feedback", "flexible hours", "induction", "pharmacy", "referrals"}

func (g *generator) ideas() error {
	n := g.z.Ideas
	g.weights, g.quality = make([]float64, n), make([]float64, n)
	g.up, g.down = make([]int, n), make([]int, n)
	g.nComments, g.impls, g.talk = make([]int, n), make([]int, n), make([][]ranking.Contribution, n)
	g.created, g.authors = make([]time.Time, n), make([]int64, n)
	g.names, g.taken = map[int64]string{}, map[string]bool{}
	start := time.Now().UTC().Add(-60 * 24 * time.Hour).Truncate(time.Minute)
	ranks := g.rng.Perm(n)
	var sum float64
	for i := range n {
		g.weights[i] = 1 / math.Pow(float64(ranks[i]+1), 0.9) // Zipf-like attention
		sum += g.weights[i]
		g.quality[i] = 0.25 + 0.6*g.rng.Float64()
		g.created[i] = start.Add(time.Duration(float64(60*24*time.Hour) * float64(i) / float64(n))).Truncate(time.Minute)
		g.authors[i] = g.participant()
	}
	for i := range g.weights {
		g.weights[i] /= sum
	}
	err := g.st.Write(g.ctx, func(tx *store.Tx) error {
		var err error
		g.firstIdea, err = tx.NextID("ideas")
		return err
	})
	if err != nil {
		return err
	}
	// Votes and comments are drawn now, so that the ideas go in with their final counters, and
	// the fair scores with the challenge's final mean.
	g.drawVotes()
	g.drawComments()
	var up, seen int
	for i := range g.up {
		up += g.up[i]
		seen += (g.up[i] + g.down[i]) * (3 + i%5)
	}
	g.c.FairMean = ranking.MeanRate(up, seen, g.c.FairMean)
	return g.write("ideas", n, func(tx *store.Tx, from, to int) error {
		var aliases [][]any
		rows := make([][]any, 0, to-from)
		for i := from; i < to; i++ {
			author := g.alias(g.authors[i], &aliases)
			title := fmt.Sprintf("Idea %d: better %s for %s", i+1, synthWords[i%len(synthWords)], synthWords[(i/7)%len(synthWords)])
			body := fmt.Sprintf("Generated idea number %d about %s.", i+1, synthWords[(i*3)%len(synthWords)])
			var theme any
			if i%10 < 7 {
				theme = g.c.Themes[i%len(g.c.Themes)].ID
			}
			up, down := g.up[i], g.down[i]
			impressions := (up + down) * (3 + i%5)
			gathering := ranking.Gathering(up, down, impressions, g.c.GatherMin)
			rows = append(rows, []any{
				g.firstIdea + int64(i), g.c.ID, g.c.Questions[i%len(g.c.Questions)].ID, theme, g.authors[i], author, title, body,
				"<p>" + body + "</p>", string(gs.StatusVisible), up, down, ranking.Wilson(up, down), ranking.Hot(up, down, g.created[i]),
				ranking.Controversy(up, down), g.nComments[i], g.impls[i], g.created[i], impressions,
				ranking.Fair(up, down, impressions, g.c.FairMean, ranking.FairPrior), ranking.Discussion(g.talk[i]), gathering,
				g.rng.Int32(),
			})
		}
		if err := tx.BulkInsert("aliases", []string{"challenge_id", "participant_id", "name"}, aliases); err != nil {
			return err
		}
		return tx.BulkInsert("ideas", []string{"id", "challenge_id", "question_id", "theme_id", "participant_id", "author", "title",
			"body_md", "body_html", "status", "up", "down", "score", "hot", "controversy", "comments", "implementations",
			"created_at", "impressions", "fair", "discussion", "gathering", "shuffle"}, rows)
	})
}

// share splits total among ideas by their weights, each idea capped at most (a participant
// votes once per idea), with the rounding remainder handed out at random.
func (g *generator) share(total, most int) []int {
	out := make([]int, len(g.weights))
	given := 0
	for i, w := range g.weights {
		out[i] = min(int(w*float64(total)), most)
		given += out[i]
	}
	for given < total {
		i := g.rng.IntN(len(out))
		if out[i] < most {
			out[i]++
			given++
		}
	}
	return out
}

func (g *generator) drawVotes() {
	g.votesOf = g.share(g.z.Votes, g.z.Participants)
	for i, k := range g.votesOf {
		// Voters like an idea with its quality, so counts split like real ones.
		up := 0
		for range k {
			if g.rng.Float64() < g.quality[i] {
				up++
			}
		}
		g.up[i], g.down[i] = up, k-up
	}
}

func (g *generator) votes() error {
	// Each idea's voters are distinct: a random start and a stride coprime with the number of
	// participants walk through them without repeats.
	p := int64(g.z.Participants)
	return g.write("idea votes", len(g.votesOf), func(tx *store.Tx, from, to int) error {
		var rows [][]any
		for i := from; i < to; i++ {
			k := g.votesOf[i]
			startAt, stride := g.rng.Int64N(p), coprimeStride(p, g.rng)
			for j := 0; j < k; j++ {
				value := -1
				if j < g.up[i] {
					value = 1
				}
				voter := g.firstParticipant + (startAt+int64(j)*stride)%p
				rows = append(rows, []any{g.firstIdea + int64(i), voter, value})
			}
			if len(rows) >= batchRows {
				if err := tx.BulkInsert("idea_votes", []string{"idea_id", "participant_id", "value"}, rows); err != nil {
					return err
				}
				rows = rows[:0]
			}
		}
		return tx.BulkInsert("idea_votes", []string{"idea_id", "participant_id", "value"}, rows)
	})
}

func coprimeStride(p int64, rng *rand.Rand) int64 {
	if p <= 1 {
		return 1
	}
	for {
		s := 1 + rng.Int64N(p-1)
		if gcd(s, p) == 1 {
			return s
		}
	}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func (g *generator) drawComments() {
	g.commentsOf = g.share(g.z.Comments, math.MaxInt32)
	for i, k := range g.commentsOf {
		for j := range k {
			impl := j%5 == 4
			at := g.created[i].Add(time.Duration(j+1) * 37 * time.Minute)
			g.talk[i] = append(g.talk[i], ranking.Contribution{Implementation: impl, At: at})
			g.nComments[i]++
			if impl {
				g.impls[i]++
			}
		}
	}
}

func (g *generator) comments() error {
	var next int64
	err := g.st.Write(g.ctx, func(tx *store.Tx) error {
		var err error
		next, err = tx.NextID("comments")
		return err
	})
	if err != nil {
		return err
	}
	return g.write("comments", len(g.commentsOf), func(tx *store.Tx, from, to int) error {
		var rows, aliases [][]any
		for i := from; i < to; i++ {
			var thread []int64 // this idea's comment ids, to reply to
			var depths []int
			for j, c := range g.talk[i] {
				id := next
				next++
				var parent any
				depth := 1
				if len(thread) > 0 && g.rng.Float64() < 0.4 {
					k := g.rng.IntN(len(thread))
					parent, depth = thread[k], depths[k]+1
				}
				who := g.participant()
				kind := gs.KindComment
				if c.Implementation {
					kind = gs.KindImplementation
				}
				body := fmt.Sprintf("Generated comment %d on idea %d.", j+1, i+1)
				rows = append(rows, []any{id, g.firstIdea + int64(i), parent, depth, who, g.alias(who, &aliases), string(kind),
					body, "<p>" + body + "</p>", string(gs.StatusVisible), c.At})
				thread, depths = append(thread, id), append(depths, depth)
			}
		}
		if err := tx.BulkInsert("aliases", []string{"challenge_id", "participant_id", "name"}, aliases); err != nil {
			return err
		}
		return tx.BulkInsert("comments", []string{"id", "idea_id", "parent_id", "depth", "participant_id", "author", "kind",
			"body_md", "body_html", "status", "created_at"}, rows)
	})
}

// finish stores the challenge's fair prior at the generated mean and opens it.
func (g *generator) finish() error {
	if err := g.st.ResetSequences(g.ctx, "participants", "ideas", "comments"); err != nil {
		return err
	}
	if err := g.st.Write(g.ctx, func(tx *store.Tx) error {
		if err := tx.RebuildIdeaCounts(g.c.ID); err != nil {
			return err
		}
		return tx.SetFairMean(g.c.ID, g.c.FairMean)
	}); err != nil {
		return err
	}
	return g.st.SetPhase(g.ctx, g.c.ID, gs.PhaseOpen)
}
