package web

import (
	"github.com/groundswell/groundswell/internal/campaigns"
	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/i18n"
)

// chart is a bar chart drawn as SVG on the server, with the same numbers as a table beside it
// for screen readers and for anyone who wants the figures.
type chart struct {
	ID, Title  string
	Summary    string // one sentence a screen reader hears in place of the picture
	Horizontal bool
	Width      int
	Height     int
	Bars       []chartBar
	// Axis labels under a daily chart: its first and last day.
	From, To string
	Unit     string // the column heading for the values
}

type chartBar struct {
	Label      string
	Value      int
	X, Y, W, H float64
	LabelY     float64 // horizontal bars: where the label's baseline sits
}

const (
	chartWidth   = 640
	dailyHeight  = 150
	rowHeight    = 46
	valueColumn  = 70
	minBarLength = 1.5
)

// dailyChart draws what each day added to one figure, one slot per day of the window, the
// latest at the right, so that every chart shares one time axis and a young challenge's few
// days do not swell to fill it.
func dailyChart(id, title, unit string, days []gs.DayTotals, pick func(gs.DayTotals) int, l *i18n.Locale) chart {
	c := chart{ID: id, Title: title, Unit: unit, Width: chartWidth, Height: dailyHeight}
	if len(days) == 0 {
		c.Summary = l.Say("%s: no figures yet.", title)
		return c
	}
	top, total, best := 0, 0, 0
	for i, d := range days {
		v := pick(d)
		total += v
		if v > top {
			top, best = v, i
		}
	}
	last := days[len(days)-1].Day
	first := last.AddDate(0, 0, -(campaigns.AnalyticsDays - 1))
	step := float64(chartWidth) / float64(campaigns.AnalyticsDays)
	for _, d := range days {
		v := pick(d)
		slot := int(d.Day.Sub(first).Hours()/24 + 0.5)
		if slot < 0 || slot >= campaigns.AnalyticsDays {
			continue
		}
		h := 0.0
		if top > 0 {
			h = float64(dailyHeight-4) * float64(v) / float64(top)
		}
		if v > 0 {
			h = max(h, minBarLength)
		}
		c.Bars = append(c.Bars, chartBar{Label: l.Date(d.Day), Value: v, X: float64(slot)*step + step*0.12, W: step * 0.76,
			Y: float64(dailyHeight) - h, H: h})
	}
	c.From, c.To = l.Date(first), l.Date(last)
	c.Summary = l.Say("%[1]s from %[2]s to %[3]s: %[4]s in all.", title, c.From, c.To, l.Number(total))
	if top > 0 {
		c.Summary += " " + l.Say("Most on %[1]s (%[2]s).", l.Date(days[best].Day), l.Number(top))
	}
	return c
}

// barsChart draws counts one under another: each row a label with its bar beneath.
func barsChart(id, title, unit string, bars []campaigns.Bar, l *i18n.Locale) chart {
	c := chart{ID: id, Title: title, Unit: unit, Horizontal: true, Width: chartWidth, Height: max(1, len(bars)) * rowHeight}
	top := 0
	for _, b := range bars {
		top = max(top, b.Count)
	}
	room := float64(chartWidth - valueColumn)
	summary := title + ": "
	for i, b := range bars {
		w := 0.0
		if top > 0 {
			w = room * float64(b.Count) / float64(top)
		}
		if b.Count > 0 {
			w = max(w, minBarLength)
		}
		c.Bars = append(c.Bars, chartBar{Label: truncate(b.Label, 56), Value: b.Count, X: 0, Y: float64(i*rowHeight) + 24, W: w, H: 16,
			LabelY: float64(i*rowHeight) + 18})
		if i > 0 {
			summary += "; "
		}
		summary += b.Label + " " + l.Number(b.Count)
	}
	if len(bars) == 0 {
		summary += l.Say("nothing to show yet")
	}
	c.Summary = summary + "."
	return c
}

// groupBars turns a merged breakdown of people into bars.
func groupBars(gc []gs.GroupCount) []campaigns.Bar {
	out := make([]campaigns.Bar, len(gc))
	for i, g := range gc {
		out[i] = campaigns.Bar{Label: g.Name, Count: g.Count}
	}
	return out
}
