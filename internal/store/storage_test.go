package store_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// readOnly opens a second store on the PostgreSQL database at dsn whose sessions refuse every
// write, as a hot standby or a database set read-only by its operator does (25006).
func readOnly(t *testing.T, dsn string) *store.Store {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("default_transaction_read_only", "on") // pgx sends unknown parameters to the server
	u.RawQuery = q.Encode()
	s, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestWritesToFullOrReadOnlyStorage meets the real errors: SQLite's SQLITE_FULL from a database
// capped at its size, and PostgreSQL's read_only_sql_transaction. The write must fail as
// EUNAVAILABLE with its reason, leave nothing behind, and mark writes failing for /healthz until
// a write succeeds again.
func TestWritesToFullOrReadOnlyStorage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		ctx := context.Background()
		newChallenge(t, s, gs.PhaseOpen) // the schema has rows and pages in use
		w, want := s, gs.ReasonDiskFull
		if s.Dialect() == store.SQLite {
			if err := s.LimitPages(ctx, 1); err != nil {
				t.Fatal(err)
			}
		} else {
			w, want = readOnly(t, dsn), gs.ReasonReadOnly
		}
		if err := w.Ping(ctx); err != nil {
			t.Fatalf("before the failed write, Ping = %v, want nil", err)
		}
		big := strings.Repeat("A long brief. ", 20000)
		c := &gs.Challenge{Slug: "too-big", Title: "Too big", Phase: gs.PhaseOpen, BriefMD: big, BriefHTML: gs.HTML(big),
			Questions: []gs.Question{{Title: "What helps?"}}}
		err := w.CreateChallenge(ctx, c)
		if gs.ErrorCode(err) != gs.EUNAVAILABLE || gs.ErrorReason(err) != want {
			t.Fatalf("write to failing storage: %v (code %q, reason %q); want %q because %q", err, gs.ErrorCode(err), gs.ErrorReason(err), gs.EUNAVAILABLE, want)
		}
		if _, err := s.ChallengeBySlug(ctx, "too-big"); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("after the failed write, the challenge: %v; want not found", err)
		}
		if err := w.Ping(ctx); gs.ErrorReason(err) != want {
			t.Errorf("Ping while writes fail = %v, want reason %q", err, want)
		}
		if w != s && s.Ping(ctx) != nil {
			t.Error("another store on the same database, whose writes work, reports failing writes")
		}
		if s.Dialect() != store.SQLite {
			return
		}
		// Room is made: the next write succeeds, and so does Ping.
		if err := s.LimitPages(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateChallenge(ctx, c); err != nil {
			t.Fatalf("write after making room: %v", err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Errorf("Ping after a write succeeded = %v, want nil", err)
		}
	})
}
