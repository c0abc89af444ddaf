// Package demo seeds a living example challenge, with ideas, threaded discussion and votes from
// made-up staff, so that a fresh installation has something real-looking to explore.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/participation"
	"github.com/groundswell/groundswell/internal/store"
)

// Slug is the demo challenge's slug.
const Slug = "make-change-happen"

// Personas is how many made-up participants take part in the demo.
const Personas = 40

// Seed creates the demo challenge if it is not there yet (idempotent: a second call does nothing
// and returns created=false). Everything it writes goes through the participation service, so the
// demo obeys the same rules, counters and pseudonyms as real contributions, and all of it commits
// in one transaction: an interrupted seed leaves nothing behind, and the next run starts afresh.
// The content and the votes are the same on every run.
func Seed(ctx context.Context, st *store.Store, svc *participation.Service, keys *anonymity.Keys) (created bool, err error) {
	err = st.Write(ctx, func(tx *store.Tx) error {
		ctx := tx.Within(ctx)
		_, err := st.ChallengeBySlug(ctx, Slug)
		switch gs.ErrorCode(err) {
		case "":
			return nil
		case gs.ENOTFOUND:
		default:
			return fmt.Errorf("demo: look for challenge: %w", err)
		}
		if err := seed(ctx, st, svc, keys); err != nil {
			return err
		}
		created = true
		return nil
	})
	if gs.ErrorCode(err) == gs.ECONFLICT && !created {
		// Another process may have created it between our look-up and our insert; any other
		// conflict is a real failure.
		if _, again := st.ChallengeBySlug(ctx, Slug); again == nil {
			return false, nil
		}
	}
	if err != nil {
		return false, err
	}
	return created, nil
}

func seed(ctx context.Context, st *store.Store, svc *participation.Service, keys *anonymity.Keys) error {
	c := challenge()
	if err := st.CreateChallenge(ctx, c); err != nil {
		if gs.ErrorCode(err) == gs.ECONFLICT {
			return err
		}
		return fmt.Errorf("demo: create challenge: %w", err)
	}
	who := func(n int) gs.TokenHash { return keys.TokenHash(fmt.Sprintf("demo-participant-%d", n)) }
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range ideas {
		idea, err := svc.PostIdea(ctx, who(d.by), c, gs.IdeaInput{
			QuestionID: c.Questions[d.question].ID, Title: d.title, Body: d.body, Theme: d.theme,
		})
		if err != nil {
			return fmt.Errorf("demo: post idea %q: %w", d.title, err)
		}
		if err := postThread(ctx, svc, who, rng, idea.ID, 0, d.comments); err != nil {
			return fmt.Errorf("demo: discuss idea %q: %w", d.title, err)
		}
		for _, v := range ballot(rng, d.by, d.votes, d.support) {
			if _, err := svc.Vote(ctx, who(v.by), gs.TargetIdea, idea.ID, v.value); err != nil {
				return fmt.Errorf("demo: vote on idea %q: %w", d.title, err)
			}
		}
	}
	return nil
}

// postThread posts comments under parent (0 for the idea itself), their replies after each, and
// a handful of votes on every one of them.
func postThread(ctx context.Context, svc *participation.Service, who func(int) gs.TokenHash, rng *rand.Rand,
	ideaID, parent int64, thread []comment) error {
	for _, d := range thread {
		kind := gs.KindComment
		if d.implementation {
			kind = gs.KindImplementation
		}
		c, err := svc.PostComment(ctx, who(d.by), ideaID, gs.CommentInput{ParentID: parent, Kind: kind, Body: d.body})
		if err != nil {
			return err
		}
		n := rng.IntN(6)
		if d.implementation {
			n += 3 // suggestions of how to do it draw more attention
		}
		for _, v := range ballot(rng, d.by, n, 0.8) {
			if _, err := svc.Vote(ctx, who(v.by), gs.TargetComment, c.ID, v.value); err != nil {
				return err
			}
		}
		if err := postThread(ctx, svc, who, rng, ideaID, c.ID, d.replies); err != nil {
			return err
		}
	}
	return nil
}

type vote struct {
	by    int
	value gs.VoteValue
}

// ballot picks n voters other than the author and gives round(n*support) of them an up vote and
// the rest a down vote, so an idea's split is exactly what its data says.
func ballot(rng *rand.Rand, author, n int, support float64) []vote {
	n = min(n, Personas-1)
	ups := int(float64(n)*support + 0.5)
	var out []vote
	for _, p := range rng.Perm(Personas) {
		if len(out) == n {
			break
		}
		if p+1 == author {
			continue
		}
		out = append(out, vote{by: p + 1, value: -1})
	}
	for i, j := range rng.Perm(n) {
		if i == ups {
			break
		}
		out[j].value = 1
	}
	return out
}

func challenge() *gs.Challenge {
	c := &gs.Challenge{
		Slug:    Slug,
		Title:   "Make change happen",
		BriefMD: brief,
		Phase:   gs.PhaseOpen,
		Questions: []gs.Question{
			{
				Title:  "What helps change happen here?",
				Prompt: "Tell us about something, big or small, that made it easier to improve the way you and your team work.",
			},
			{
				Title:  "What gets in the way of change?",
				Prompt: "Describe a barrier that stops good ideas from being tried, or stops them lasting once they have been.",
			},
			{
				Title:  "What would you do to make change easier?",
				Prompt: "If you could change one thing about how improvements happen where you work, what would it be and why?",
			},
		},
		Themes: []gs.Theme{
			{Slug: "time-and-workload", Name: "Time and workload"},
			{Slug: "leadership-and-listening", Name: "Leadership and listening"},
			{Slug: "tools-and-systems", Name: "Tools and systems"},
			{Slug: "wellbeing", Name: "Wellbeing"},
			{Slug: "learning", Name: "Learning and development"},
			{Slug: "teamwork", Name: "Teamwork across services"},
		},
	}
	c.BriefHTML = markup.New().Render(c.BriefMD)
	return c
}

const brief = `The people who know best where the work gets stuck are usually the ones doing it: on the ward, in the ambulance, behind the pharmacy counter, at the front desk. This challenge asks everyone who works here three questions: **what helps change happen**, **what blocks it**, and **what you would do** to make it easier.

Posting is anonymous. There is no login, and we never ask for your name, email address or staff number. Your ideas and comments appear under a pseudonym that stays the same throughout this challenge, so others can follow a conversation without knowing who you are. Please write about how the work is done, not about named colleagues.

While the challenge is open, anyone can add ideas, comment, suggest how an idea could be made to happen, and vote ideas up or down. When voting closes, an expert panel of front-line staff, managers and improvement specialists will read the best-supported and most-discussed ideas, and turn the strongest into a published guide of changes that teams can start trying straight away.`

type idea struct {
	question int    // index into the challenge's questions
	theme    string // theme slug, or empty
	by       int    // persona who posts it
	title    string
	body     string
	votes    int     // how many personas vote on it
	support  float64 // the share of those votes that are up
	comments []comment
}

type comment struct {
	by             int
	implementation bool
	body           string
	replies        []comment
}

const (
	helps = iota
	blocks
	wouldDo
)

// ideas are posted in this order; the last ones have few votes, like ideas that have just arrived.
var ideas = []idea{
	{
		question: helps, theme: "teamwork", by: 1, votes: 30, support: 0.9,
		title: "Ten-minute huddles where anyone can raise a snag",
		body: `On our surgical ward we start every shift with a ten-minute huddle. Anyone can bring up a problem, including healthcare assistants, students and the domestic team, and it goes on a whiteboard with a name next to it.

Small things now get fixed within a week because everybody can see them. It costs ten minutes and saves us far more than that in chasing.`,
		comments: []comment{
			{by: 25, body: "We tried this and it fell apart as soon as the ward manager went on leave. It only lasts if it doesn't belong to one person.",
				replies: []comment{
					{by: 1, body: "Agreed. We take turns leading it, students included, and they are often the ones who notice the odd things the rest of us have stopped seeing.",
						replies: []comment{
							{by: 31, body: "Rotating the lead is a good call. We also photograph the whiteboard and put it in a shared folder so the night team can see what was raised."},
						}},
				}},
			{by: 26, implementation: true, body: `**How we could roll it out:**

- start on two wards for six weeks
- a plain whiteboard with three columns: raised, who owns it, done
- the matron drops in on one huddle a week to listen, not to chair`},
		},
	},
	{
		question: helps, theme: "leadership-and-listening", by: 2, votes: 26, support: 0.92,
		title: "A manager who says \"try it for a month\"",
		body: `The most useful thing any manager has done for me was to skip the business case and say: *try it for a month and tell me what happened*.

That is how we started pharmacist checks of discharge medicines on two wards. Half of it worked and half of it didn't, and we kept the half that did. A formal proposal would still be sitting in someone's inbox.`,
		comments: []comment{
			{by: 27, body: "This only works if \"it didn't work\" is an acceptable answer. In my last job a failed trial was quietly held against you.",
				replies: []comment{
					{by: 2, body: "Yes. Finding out what doesn't work should count as a result, not as a failure."},
				}},
			{by: 28, implementation: true, body: "A one-page trial form: what we are changing, how we will know if it helped, and the date we stop. The manager signs it in five minutes instead of waiting for a committee."},
		},
	},
	{
		question: helps, theme: "time-and-workload", by: 3, votes: 20, support: 0.85,
		title: "One protected hour a fortnight for improvement work",
		body: `Our therapy team gets one protected hour every two weeks to work on something that annoys us about how the service runs. It is not much, but it is enough to gather a bit of data, talk to another team, or test a small change.

Without that hour, improvement only ever happened in people's own time.`,
		comments: []comment{
			{by: 29, body: "How do you keep it protected? Ours gets cancelled whenever we're short, which is most weeks.",
				replies: []comment{
					{by: 3, body: "We put it on the roster as a named activity, the same way as mandatory training. It still gets bumped sometimes, but far less often.",
						replies: []comment{
							{by: 30, body: "That is the bit that made the difference for us too. If it isn't on the roster, it doesn't exist."},
						}},
				}},
		},
	},
	{
		question: helps, theme: "teamwork", by: 4, votes: 16, support: 0.9,
		title: "Spending a day shadowing another department",
		body: `I'm a porter, and last year I spent a day with the bed management team in the emergency department. I now understand why requests come through in the order they do, and they understand why a transfer up to the fourth floor takes twenty minutes at visiting time.

Since then we have changed the way urgent moves are flagged, and there are a lot fewer cross phone calls.`,
		comments: []comment{
			{by: 32, body: "I work in bed management and would love more of this. Most of the friction between our teams comes from not knowing what the other side is juggling."},
			{by: 4, implementation: true, body: "Offer a shadow day to every new starter within their first three months, with a simple list of departments that have agreed to host."},
		},
	},
	{
		question: helps, theme: "leadership-and-listening", by: 5, votes: 12, support: 0.7,
		title: "A \"you raised it, here's what happened\" board in the staff room",
		body:  `Our outpatient clinic keeps a board in the staff room listing every suggestion people have made and what became of it. It is low-tech, but it shows that raising something is worth the effort.`,
		comments: []comment{
			{by: 33, body: "Good idea, as long as it also shows the suggestions that were turned down and the reason. Otherwise people assume silence means no."},
		},
	},
	{
		// Much the same idea as the board above, as happens in any crowd: the panel's longlist
		// shows the two as a merge candidate.
		question: helps, theme: "leadership-and-listening", by: 39, votes: 8, support: 0.75,
		title: "A staff room board listing every suggestion and what happened to it",
		body:  `Every staff room should have a board listing each suggestion people have raised and what happened to it, including the ones turned down and why. Once people can see that raising something is worth the effort, they raise far more.`,
	},
	{
		question: helps, theme: "learning", by: 6, votes: 10, support: 0.8,
		title: "Improvement coaches who come to the department",
		body: `The quality improvement team used to run courses in the education centre that nobody on shifts could ever get to. Now a coach comes to radiology once a week at handover and helps us set up small tests of change.

It is far more useful than another certificate.`,
	},
	{
		question: helps, theme: "leadership-and-listening", by: 7, votes: 18, support: 0.85,
		title: "Being trusted to fix small things without asking",
		body: `At our ambulance station the team leader made it clear that anything under a set cost, and with no effect on clinical practice, we can just sort out ourselves and tell her afterwards.

The layout of the response bags changed within a fortnight because of it. Under the old way it would have taken a year.`,
		comments: []comment{
			{by: 35, body: "What counts as small, though? Without a clear limit people will either do nothing or far too much.",
				replies: []comment{
					{by: 7, body: "Ours is written down: under a set amount, no change to clinical practice, and the team leader is told afterwards."},
				}},
			{by: 36, implementation: true, body: "Print the limit and the rules on one card and put it up in every station and ward office, so nobody has to guess what they are allowed to do."},
		},
	},
	{
		question: helps, theme: "tools-and-systems", by: 8, votes: 22, support: 0.5,
		title: "Wards and pharmacy on the same group chat",
		body: `On our medical wards we set up a group chat with the ward pharmacists. Quick questions about discharge medicines get answered in minutes instead of after three rounds of phone tag.

It started as a workaround, but it has made a real difference to how quickly patients get home.`,
		comments: []comment{
			{by: 37, body: "Please be careful. Patient details on an unofficial app are a data breach waiting to happen.",
				replies: []comment{
					{by: 8, body: "That's fair. We only use it for things like \"please ring the ward\", never names or hospital numbers.",
						replies: []comment{
							{by: 37, body: "Then it belongs on the approved messaging tool. We already have one; it's just that nobody was ever shown how to use it."},
						}},
				}},
			{by: 38, body: "It has noticeably cut the delays on discharge medicines on my ward."},
		},
	},
	{
		question: blocks, theme: "time-and-workload", by: 9, votes: 34, support: 0.94,
		title: "No slack in the rota means no time to think",
		body: `Every improvement project I have been part of died the same way: the people who cared about it were pulled back to cover gaps in the rota.

When the rota is built with no slack at all, change is always the first thing to go. It's not that people don't want to improve things. They simply never get the chance to.`,
		comments: []comment{
			{by: 10, body: "Backfill for improvement work needs to be in the budget from the start, not scraped together afterwards.",
				replies: []comment{
					{by: 40, implementation: true, body: "Add a fixed share of hours to every team's establishment for improvement and training, and report on it every month, the same way sickness absence is reported."},
				}},
		},
	},
	{
		question: blocks, theme: "tools-and-systems", by: 10, votes: 24, support: 0.9,
		title: "Typing the same details into three different systems",
		body: `As a medical secretary I type the same patient details into the referral form, the patient record and an audit spreadsheet. None of them talk to each other.

Every minute spent re-typing is a minute not spent chasing results or answering patients who ring in worried.`,
		comments: []comment{
			{by: 12, implementation: true, body: "Map one referral pathway from start to finish with the people who actually fill in the forms, remove every duplicated field, then move on to the next pathway."},
		},
	},
	{
		question: blocks, theme: "leadership-and-listening", by: 11, votes: 25, support: 0.85,
		title: "Our ideas disappear after the staff survey",
		body: `We fill in the staff survey every year and then hear nothing. A few months later the same questions come round again.

If nobody tells us what happened to our answers, why would anyone bother to give honest ones?`,
		comments: []comment{
			{by: 13, body: "We did get a poster once. It listed changes that had been planned long before the survey."},
		},
	},
	{
		question: blocks, by: 12, votes: 17, support: 0.6,
		title: "Sign-off chains that take months for a tiny change",
		body: `In the lab we wanted to change the colour of one label on specimen bags to cut down on mix-ups. It needed approval from four separate groups and took seven months.

By the time it was agreed, half the people who had suggested it had moved on.`,
		comments: []comment{
			{by: 15, body: "Some sign-off exists for good reasons, though. Labelling errors in the lab can really hurt patients.",
				replies: []comment{
					{by: 12, body: "True, but four groups for a label colour isn't safety, it's habit. Could one small group own low-risk changes and meet every fortnight?"},
				}},
		},
	},
	{
		question: blocks, theme: "wellbeing", by: 13, votes: 28, support: 0.89,
		title: "Fear of being seen as a troublemaker",
		body: `When you are on a fixed-term contract or working through an agency, pointing out a problem feels risky. You worry about whether your contract gets renewed, or which shifts you are offered.

So people keep quiet and work around things instead, and the problem stays.`,
		comments: []comment{
			{by: 16, body: "Thank you for writing this. It is exactly why I'm glad this site is anonymous."},
			{by: 17, body: "As a manager I needed to read this. Most of us don't intend to make people feel that way, but clearly we sometimes do."},
		},
	},
	{
		question: blocks, theme: "learning", by: 14, votes: 15, support: 0.55,
		title: "Rotations move junior doctors on before anything sticks",
		body: `We rotate every four months. By the time I have understood why discharge letters get stuck, I'm on another site, and the next doctor starts again from nothing.

Projects end up as posters for our portfolios rather than changes that last.`,
		comments: []comment{
			{by: 18, body: "Could projects be part of the handover between rotations? A single page on what has already been tried would help.",
				replies: []comment{
					{by: 14, implementation: true, body: "Keep one improvement log per department. Each new doctor reads it on their first day and adds to it before they leave, so the work belongs to the department, not to a person."},
				}},
			{by: 19, body: "Rotation is how doctors learn, though. The problem isn't rotating, it's tying each project to one person."},
		},
	},
	{
		question: blocks, theme: "tools-and-systems", by: 15, votes: 21, support: 0.52,
		title: "Computers that log you out in the middle of a task",
		body: `The ward computers lock after a few minutes, and logging back in takes the best part of two. During a medicines round that happens again and again.

People end up propping screens open or sharing logins, which is worse for everyone.`,
		comments: []comment{
			{by: 20, body: "Short timeouts are there because an unattended screen shows a patient's record. Tap-in cards would solve both problems.",
				replies: []comment{
					{by: 15, body: "Tap-in cards would be brilliant. We were promised them two years ago."},
				}},
		},
	},
	{
		question: blocks, theme: "teamwork", by: 16, votes: 13, support: 0.8,
		title: "Services that only talk to each other when something has gone wrong",
		body: `As a paramedic, the only time I really talk to the emergency department team beyond a handover is when things have already gone wrong: at three in the morning, on the phone, with a queue of ambulances outside.

We never sit down together when things are calm to work out how to make handovers smoother.`,
		comments: []comment{
			{by: 22, implementation: true, body: "After the worst nights, hold a short joint debrief led by someone from neither team, and focus it on what to fix rather than who to blame."},
		},
	},
	{
		question: wouldDo, theme: "leadership-and-listening", by: 17, votes: 23, support: 0.85,
		title: "A small-change fund any team can bid for in one page",
		body: `Give every directorate a small pot of money for staff-led improvements. A team writes one page about the problem and what they want to try, and gets an answer within two weeks.

Lots of good ideas need a few hundred pounds, not a capital bid.`,
		comments: []comment{
			{by: 23, implementation: true, body: "Cap each bid at a modest amount, decide within two weeks, and publish every decision with a sentence explaining why."},
			{by: 24, body: "The panel deciding should include front-line staff, not only finance and senior managers."},
		},
	},
	{
		question: wouldDo, theme: "leadership-and-listening", by: 18, votes: 9, support: 0.8,
		title: "Make \"what got better this month\" a standing agenda item",
		body:  `Start every team meeting with five minutes on what has improved since the last one, however small. It keeps improvement visible and reminds people that things do change.`,
		comments: []comment{
			{by: 25, body: "Our midwifery team started doing this a few months ago. It takes no effort and it changes the mood of the whole meeting."},
		},
	},
	{
		question: wouldDo, theme: "tools-and-systems", by: 19, votes: 19, support: 0.65,
		title: "Retire an old form for every new one introduced",
		body: `Forms only ever get added, never taken away. I'd make a simple rule: anyone who introduces a new form has to retire an old one.

Admin teams would get hours back every week.`,
		comments: []comment{
			{by: 26, body: "Some new forms replace risky workarounds, though. One in, one out might be too blunt a rule.",
				replies: []comment{
					{by: 19, body: "Fair point. Perhaps review every form once a year instead: who reads it, and what would happen if we stopped using it?"},
				}},
		},
	},
	{
		question: wouldDo, theme: "teamwork", by: 20, votes: 11, support: 0.9,
		title: "Swap days between community and hospital teams",
		body: `As a district nurse I often see patients who have just come home from hospital, and the hospital teams rarely see what happens next. Neither side really knows what the other is dealing with.

I'd pair each community team with a ward and let staff swap places for a day now and then.`,
		comments: []comment{
			{by: 27, implementation: true, body: "Pair each community team with one ward, offer every member of staff one swap day a quarter, and hold a short debrief afterwards about what each side would change."},
		},
	},
	{
		question: wouldDo, theme: "wellbeing", by: 21, votes: 20, support: 0.45,
		title: "Regular wellbeing check-ins with your line manager",
		body:  `I'd like every member of staff to have a short wellbeing conversation with their line manager each month, separate from appraisal and about how you are, not about performance.`,
		comments: []comment{
			{by: 28, body: "Honestly, I don't want a check-in. I want a break I can actually take.",
				replies: []comment{
					{by: 21, body: "Both matter, but I agree the break has to come first.",
						replies: []comment{
							{by: 29, body: "Our ward now covers each other's breaks using a sign-up sheet. It sounds basic, but breaks actually happen now."},
						}},
				}},
		},
	},
	{
		question: wouldDo, theme: "learning", by: 22, votes: 3, support: 0.67,
		title: "Teach basic improvement methods at induction",
		body:  `Everyone who joins should learn the basics of testing a small change and measuring whether it helped. It doesn't need to be a course, just a practical hour with real examples from our own services.`,
		comments: []comment{
			{by: 30, body: "Induction is already three days of slides. If something goes in, something else should come out."},
		},
	},
	{
		question: wouldDo, theme: "teamwork", by: 23, votes: 8, support: 0.9,
		title: "Give night staff a say as well",
		body: `Every consultation, focus group and listening event happens at two in the afternoon on a weekday. As a night porter I have never been able to go to a single one.

Night shifts are where many of the workarounds live, so we'd have plenty to say.`,
		comments: []comment{
			{by: 32, implementation: true, body: "Run every listening session twice, once in the small hours, and post a short written summary for anyone who can't make either."},
		},
	},
	{
		question: wouldDo, by: 24, votes: 2, support: 1,
		title: "Tell us what happened to every idea in this challenge",
		body: `Whatever the panel decides, I'd like a short note on every idea posted here: taken forward, merged with another, or not taken forward and why.

That is how people will know it was worth taking part.`,
	},
}
