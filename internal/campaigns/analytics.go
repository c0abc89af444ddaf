package campaigns

import (
	"context"
	"log/slog"
	"slices"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
)

// AnalyticsDays is how many days the daily charts cover.
const AnalyticsDays = 60

// Bar is one labelled count in a breakdown.
type Bar struct {
	Label string
	Count int
}

// Funnel counts a challenge's way from contributions to published proposals.
type Funnel = store.Funnel

// Analytics is what a challenge's dashboard, or its public summary, shows.
type Analytics struct {
	Challenge *gs.Challenge
	// Totals are the latest running totals, as of AsOf (zero before the first snapshot).
	Totals gs.DayTotals
	AsOf   time.Time
	// Daily is what each of the last days added, oldest first.
	Daily []gs.DayTotals
	// Breakdowns: ideas per question and theme; people per staff group and region, with groups
	// under gs.MinGroup merged into "Other".
	ByQuestion, ByTheme []Bar
	Groups, Regions     []gs.GroupCount
	Funnel              Funnel
}

// Analytics gathers a challenge's figures. Every figure comes from kept totals and counters, so
// the cost does not grow with the challenge.
func (s *Service) Analytics(ctx context.Context, c *gs.Challenge) (*Analytics, error) {
	a := &Analytics{Challenge: c}
	today := s.day(s.store.Now())
	totals, err := s.store.ActivityDays(ctx, c.ID, today.AddDate(0, 0, -AnalyticsDays))
	if err != nil {
		return nil, err
	}
	if len(totals) > 0 {
		a.Totals, a.AsOf = totals[len(totals)-1], totals[len(totals)-1].Day
		daily := gs.DailyChanges(totals)
		if len(daily) > AnalyticsDays { // the extra day only served as the base of the first difference
			daily = daily[1:]
		}
		a.Daily = daily
	}
	byQ, byT, err := s.store.IdeaBreakdown(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, q := range c.Questions {
		a.ByQuestion = append(a.ByQuestion, Bar{Label: q.Title, Count: byQ[q.ID]})
	}
	for _, t := range c.Themes {
		a.ByTheme = append(a.ByTheme, Bar{Label: t.Name, Count: byT[t.ID]})
	}
	if len(c.Themes) > 0 {
		a.ByTheme = append(a.ByTheme, Bar{Label: "No theme", Count: byT[0]})
	}
	groups, regions, err := s.store.SelfDescriptions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	a.Groups, a.Regions = gs.MergeSmallGroups(groups), gs.MergeSmallGroups(regions)
	if a.Funnel, err = s.store.FunnelOf(ctx, c.ID); err != nil {
		return nil, err
	}
	return a, nil
}

// day is the calendar day of t where the server is, as a date.
func (s *Service) day(t time.Time) time.Time {
	t = t.In(s.Loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// SnapshotActivity records today's running totals of every challenge still changing: those not
// in draft that have not ended, or ended within the last two days.
func (s *Service) SnapshotActivity(ctx context.Context) error {
	now := s.store.Now()
	cs, err := s.store.Challenges(ctx, gs.PhaseOpen, gs.PhaseVoting, gs.PhaseReview, gs.PhasePublished, gs.PhaseClosed)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.EndedAt != nil && now.Sub(*c.EndedAt) > 48*time.Hour {
			continue
		}
		if err := s.store.SnapshotActivity(ctx, c.ID, s.day(now)); err != nil {
			return err
		}
	}
	return nil
}

// RunActivity snapshots the running totals every interval until ctx ends.
func (s *Service) RunActivity(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.SnapshotActivity(ctx); err != nil && ctx.Err() == nil {
			log.Error("activity snapshot", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Describe counts a participant's optional answers about themselves (a staff group and a
// region, either of which may be left out), once per challenge. Only answers the challenge
// offers are taken; nothing joins them to the participant.
func (s *Service) Describe(ctx context.Context, h gs.TokenHash, c *gs.Challenge, group, region string) error {
	groups, regions := gs.SplitChoices(c.StaffGroups), gs.SplitChoices(c.Regions)
	if len(groups) == 0 && len(regions) == 0 {
		return gs.Errorf(gs.ECONFLICT, "This challenge does not ask people to describe themselves.")
	}
	f := gs.FieldErrors{}
	if group != "" && !slices.Contains(groups, group) {
		f.Add("staff_group", "Choose one of the staff groups listed, or leave it blank.")
	}
	if region != "" && !slices.Contains(regions, region) {
		f.Add("region", "Choose one of the places listed, or leave it blank.")
	}
	if group == "" && region == "" {
		f.Add("staff_group", "Choose a staff group or a place, or just skip this: it is optional.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		pid, err := tx.Voice(h, c.ID, c.Access)
		if err != nil {
			return err
		}
		_, err = tx.Describe(c.ID, pid, group, region)
		return err
	})
}

// HasDescribed reports whether the participant has already answered in the challenge.
func (s *Service) HasDescribed(ctx context.Context, c *gs.Challenge, h gs.TokenHash) (bool, error) {
	return s.store.HasDescribed(ctx, c.ID, h)
}
