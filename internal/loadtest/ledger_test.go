package loadtest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestLedgerCheck holds the soak's exactness check to what it promises: acknowledged votes must
// all be there, unanswered ones may be, and counters must match the vote rows. Each case changes
// the database after the ledger, so a check that always passed would fail here.
func TestLedgerCheck(t *testing.T) {
	tests := []struct {
		name   string
		record func(l *Ledger)
		rows   []string // vote rows written after the snapshot: "idea participant value"
		bump   string   // an UPDATE of the counters after the rows
		want   string   // a fragment of the first problem, or "" for none
	}{
		{"acknowledged and present", func(l *Ledger) { l.Record(1, true, Acked) }, []string{"1 2 1"}, "UPDATE ideas SET up = up + 1 WHERE id = 1", ""},
		{"acknowledged but lost", func(l *Ledger) { l.Record(1, true, Acked) }, nil, "", "up rose by 0, want 1"},
		{"unanswered and absent", func(l *Ledger) { l.Record(1, false, Unknown) }, nil, "", ""},
		{"unanswered and present", func(l *Ledger) { l.Record(1, false, Unknown) }, []string{"1 2 -1"}, "UPDATE ideas SET down = down + 1 WHERE id = 1", ""},
		{"counted twice", func(l *Ledger) { l.Record(1, true, Acked) }, []string{"1 2 1"}, "UPDATE ideas SET up = up + 2 WHERE id = 1", "up rose by 2, want 1"},
		{"counter without its row", func(l *Ledger) { l.Record(1, true, Acked) }, nil, "UPDATE ideas SET up = up + 1 WHERE id = 1", "but vote rows"},
		{"refused and absent", func(l *Ledger) { l.Record(1, true, Refused) }, nil, "", ""},
		{"refused but counted", func(l *Ledger) { l.Record(1, true, Refused) }, []string{"1 2 1"}, "UPDATE ideas SET up = up + 1 WHERE id = 1", "want 0 acknowledged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := OpenDB(filepath.Join(t.TempDir(), "t.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, q := range []string{
				"CREATE TABLE ideas (id INTEGER PRIMARY KEY, up INTEGER NOT NULL, down INTEGER NOT NULL)",
				"CREATE TABLE idea_votes (idea_id INTEGER, participant_id INTEGER, value INTEGER, discounted BOOLEAN NOT NULL DEFAULT 0)",
				"INSERT INTO ideas VALUES (1, 1, 0)", "INSERT INTO idea_votes (idea_id, participant_id, value) VALUES (1, 1, 1)",
			} {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			before, err := Snapshot(ctx, db, []int64{1})
			if err != nil {
				t.Fatal(err)
			}
			l := NewLedger()
			tt.record(l)
			for _, r := range tt.rows {
				f := strings.Fields(r)
				if _, err := db.Exec("INSERT INTO idea_votes (idea_id, participant_id, value) VALUES (?, ?, ?)", f[0], f[1], f[2]); err != nil {
					t.Fatal(err)
				}
			}
			if tt.bump != "" {
				if _, err := db.Exec(tt.bump); err != nil {
					t.Fatal(err)
				}
			}
			problems, err := l.Check(ctx, db, before)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && len(problems) > 0:
				t.Errorf("got problems %q, want none", problems)
			case tt.want != "" && (len(problems) == 0 || !strings.Contains(problems[0], tt.want)):
				t.Errorf("got problems %q, want one saying %q", problems, tt.want)
			}
		})
	}
}
