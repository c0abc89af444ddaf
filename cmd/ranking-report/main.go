// Command ranking-report runs the ranking simulation (internal/ranking/sim) for every algorithm
// over 20 seeded campaigns, prints the table of results, and draws them as an SVG chart.
//
//	go run ./cmd/ranking-report [-runs 20] [-svg docs/ranking-results.svg]
package main

import (
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/groundswell/groundswell/internal/ranking/sim"
)

func main() {
	runs := flag.Int("runs", 20, "seeded campaigns per algorithm")
	svgPath := flag.String("svg", "docs/ranking-results.svg", "where to draw the chart (empty: nowhere)")
	flag.Parse()
	if *runs < 2 {
		fmt.Fprintln(os.Stderr, "ranking-report: -runs must be at least 2, to give a standard deviation")
		os.Exit(2)
	}
	total := *runs * len(sim.Algorithms)
	var mu sync.Mutex
	done := 0
	sums := sim.Default.Summarise(*runs, runtime.NumCPU(), func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		fmt.Fprintf(os.Stderr, "\rsimulating: %d of %d campaigns", done, total)
	})
	fmt.Fprintln(os.Stderr)
	printTable(os.Stdout, sums, *runs)
	if *svgPath != "" {
		if err := os.WriteFile(*svgPath, []byte(chart(sums)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "ranking-report:", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "chart written to %s\n", *svgPath)
	}
}

func printTable(w io.Writer, sums []sim.Summary, runs int) {
	m := sim.Default
	fmt.Fprintf(w, "%d ideas and %d participants (%d visits each) over %d days; mean ± standard deviation over %d seeded runs.\n\n",
		m.Ideas, m.Participants, m.Visits, m.Days, runs)
	fmt.Fprintln(w, "| algorithm | precision@50 | late_recall@50 | kendall_tau |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, s := range sums {
		fmt.Fprintf(w, "| %s | %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f |\n", s.Algorithm,
			s.Precision, s.PrecisionSD, s.LateRecall, s.LateRecallSD, s.Tau, s.TauSD)
	}
}

// chart draws one group of three bars per algorithm, with error bars of one standard deviation,
// and a title and description for screen readers.
func chart(sums []sim.Summary) string {
	const (
		width, rowH, left, top, barH = 860, 64, 330, 70, 14
		plotW                        = width - left - 30
	)
	height := top + rowH*len(sums) + 50
	colors := []string{"#1f6f5c", "#c2571a", "#3b5ba9"}
	names := []string{"precision@50", "late_recall@50", "kendall_tau"}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="t d" font-family="sans-serif" font-size="13">`+"\n", width, height)
	b.WriteString(`<title id="t">How well each ranking finds the best ideas in a simulated campaign</title>` + "\n")
	b.WriteString(`<desc id="d">Bars from 0 to 1 for precision at 50, late recall at 50 and Kendall tau, one group per algorithm; `)
	for _, s := range sums {
		fmt.Fprintf(&b, "%s: %.2f, %.2f, %.2f. ", html.EscapeString(string(s.Algorithm)), s.Precision, s.LateRecall, s.Tau)
	}
	b.WriteString("</desc>\n")
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", width, height)
	for i, n := range names {
		x := left + i*170
		fmt.Fprintf(&b, `<rect x="%d" y="20" width="14" height="14" fill="%s"/><text x="%d" y="32">%s</text>`+"\n", x, colors[i], x+20, n)
	}
	for t := 0; t <= 4; t++ {
		x := left + plotW*t/4
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ddd"/><text x="%d" y="%d" text-anchor="middle" fill="#555">%.2f</text>`+"\n",
			x, top-8, x, height-40, x, height-24, float64(t)/4)
	}
	for k, s := range sums {
		y := top + k*rowH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-10, y+26, html.EscapeString(string(s.Algorithm)))
		for i, v := range [][2]float64{{s.Precision, s.PrecisionSD}, {s.LateRecall, s.LateRecallSD}, {s.Tau, s.TauSD}} {
			by := y + i*(barH+4)
			w := int(max(0, v[0]) * plotW)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", left, by, w, barH, colors[i])
			lo, hi := max(0, v[0]-v[1]), min(1, v[0]+v[1])
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#222"/>`+"\n",
				float64(left)+lo*plotW, by+barH/2, float64(left)+hi*plotW, by+barH/2)
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}
