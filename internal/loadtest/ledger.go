package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to read the counts back
	_ "github.com/mattn/go-sqlite3"    // database/sql driver "sqlite3"
)

// Outcome is what a participant learnt about one vote it sent.
type Outcome int

// The outcomes of a vote. Unknown is a vote whose answer never came (the server died, the
// connection broke): it may or may not have been committed, and both are correct.
const (
	Acked Outcome = iota
	Refused
	Unknown
)

// Ledger keeps, client-side, every vote's outcome per idea. Each participant votes at most
// once on an idea and never changes it, so an idea's counts must rise by its acknowledged votes
// plus at most its unknown ones.
type Ledger struct {
	mu    sync.Mutex
	ideas map[int64]*tally
	Total [3]int64 // by Outcome
}

type tally struct{ ackUp, ackDown, unkUp, unkDown int64 }

// NewLedger starts an empty ledger.
func NewLedger() *Ledger { return &Ledger{ideas: map[int64]*tally{}} }

// Record notes one vote's outcome.
func (l *Ledger) Record(idea int64, up bool, o Outcome) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.Total[o]++
	t := l.ideas[idea]
	if t == nil {
		t = &tally{}
		l.ideas[idea] = t
	}
	switch {
	case o == Acked && up:
		t.ackUp++
	case o == Acked:
		t.ackDown++
	case o == Unknown && up:
		t.unkUp++
	case o == Unknown:
		t.unkDown++
	}
}

// Counts are an idea's stored counters and the vote rows behind them.
type Counts struct{ Up, Down, RowsUp, RowsDown int64 }

// OpenDB opens the database behind dsn for checking: a postgres:// URL or a SQLite file.
func OpenDB(dsn string) (*sql.DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return sql.Open("pgx", dsn)
	}
	return sql.Open("sqlite3", "file:"+dsn+"?_busy_timeout=10000")
}

// IdeaIDs lists the visible ideas of the challenge with the given slug, in id order.
func IdeaIDs(ctx context.Context, db *sql.DB, slug string) ([]int64, error) {
	if strings.ContainsAny(slug, `'"\`) {
		return nil, fmt.Errorf("bad slug %q", slug)
	}
	rows, err := db.QueryContext(ctx, "SELECT i.id FROM ideas i JOIN challenges c ON c.id = i.challenge_id WHERE c.slug = '"+slug+"' AND i.status = 'visible' ORDER BY i.id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Snapshot reads the counters and vote rows of the given ideas.
func Snapshot(ctx context.Context, db *sql.DB, ids []int64) (map[int64]Counts, error) {
	out := make(map[int64]Counts, len(ids))
	for from := 0; from < len(ids); from += 500 {
		chunk := ids[from:min(from+500, len(ids))]
		list := make([]string, len(chunk))
		for i, id := range chunk {
			list[i] = strconv.FormatInt(id, 10)
			out[id] = Counts{}
		}
		in := strings.Join(list, ",")
		rows, err := db.QueryContext(ctx, "SELECT id, up, down FROM ideas WHERE id IN ("+in+")")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var c Counts
			if err := rows.Scan(&id, &c.Up, &c.Down); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = c
		}
		rows.Close()
		rows, err = db.QueryContext(ctx, "SELECT idea_id, SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END)"+
			" FROM idea_votes WHERE idea_id IN ("+in+") AND NOT discounted GROUP BY idea_id")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, up, down int64
			if err := rows.Scan(&id, &up, &down); err != nil {
				rows.Close()
				return nil, err
			}
			c := out[id]
			c.RowsUp, c.RowsDown = up, down
			out[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Touched lists the ideas the ledger holds votes for.
func (l *Ledger) Touched() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := make([]int64, 0, len(l.ideas))
	for id := range l.ideas {
		ids = append(ids, id)
	}
	return ids
}

// Check compares the database with the ledger: on every idea voted on, each counter must have
// risen from before by the acknowledged votes plus at most the unknown ones, and the counters
// must equal the vote rows. It returns the problems found, at most ten described.
func (l *Ledger) Check(ctx context.Context, db *sql.DB, before map[int64]Counts) ([]string, error) {
	after, err := Snapshot(ctx, db, l.Touched())
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var problems []string
	n := 0
	for id, t := range l.ideas {
		b, a := before[id], after[id]
		var bad []string
		if d := a.Up - b.Up; d < t.ackUp || d > t.ackUp+t.unkUp {
			bad = append(bad, fmt.Sprintf("up rose by %d, want %d acknowledged (+ up to %d unknown)", d, t.ackUp, t.unkUp))
		}
		if d := a.Down - b.Down; d < t.ackDown || d > t.ackDown+t.unkDown {
			bad = append(bad, fmt.Sprintf("down rose by %d, want %d acknowledged (+ up to %d unknown)", d, t.ackDown, t.unkDown))
		}
		if a.Up != a.RowsUp || a.Down != a.RowsDown {
			bad = append(bad, fmt.Sprintf("counters %d/%d but vote rows %d/%d", a.Up, a.Down, a.RowsUp, a.RowsDown))
		}
		if len(bad) > 0 {
			n++
			if len(problems) < 10 {
				problems = append(problems, fmt.Sprintf("idea %d: %s", id, strings.Join(bad, "; ")))
			}
		}
	}
	if n > len(problems) {
		problems = append(problems, fmt.Sprintf("… and %d more ideas", n-len(problems)))
	}
	return problems, nil
}
