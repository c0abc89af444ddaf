package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/groundswell/groundswell/internal/accounts"
	"github.com/groundswell/groundswell/internal/campaigns"
	"github.com/groundswell/groundswell/internal/config"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/panels"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
	"github.com/groundswell/groundswell/internal/web"
	"github.com/groundswell/groundswell/static"
	"github.com/groundswell/groundswell/templates"
)

// TestWriteLimitSharedAcrossInstances: two instances on one database share each participant's
// write limit when they count writes in the database, as serve does on PostgreSQL. With limits
// kept in memory the same participant would get the burst once per instance.
func TestWriteLimitSharedAcrossInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, s *store.Store) {
		a := newApp(t, dsn, s)
		idea := a.seedIdea(a.open, "Rotas a month ahead")
		cfg := config.Default()
		cfg.WriteBurst, cfg.WriteRate = 3, 0.01 // three writes per five minutes
		second := func() *httptest.Server {
			srv, err := web.New(web.Deps{
				Config: cfg, Logger: slog.New(slog.DiscardHandler), Keys: a.keys, Participation: a.part, Accounts: accounts.New(s, slog.New(slog.DiscardHandler)),
				Moderation: moderation.New(s, markup.New()), Panels: panels.New(s), Campaigns: campaigns.New(s, markup.New(), a.keys),
				Ping: s.Ping, Templates: templates.FS, Static: static.FS, SharedWrites: s.CountWrite,
			})
			if err != nil {
				t.Fatal(err)
			}
			h := httptest.NewServer(srv)
			t.Cleanup(h.Close)
			return h
		}
		instances := []*httptest.Server{second(), second()}
		p := a.participant()
		path := "/ideas/" + strconv.FormatInt(idea.ID, 10) + "/vote"
		var statuses []int
		for i, value := range []string{"up", "down", "up", "down", "up"} {
			a.srv = instances[i%2] // the participant's requests land on either instance
			statuses = append(statuses, p.post(path, vals("value", value)).status)
		}
		want := []int{303, 303, 303, 429, 429}
		for i := range want {
			if statuses[i] != want[i] {
				t.Fatalf("votes alternating between two instances: %v, want %v", statuses, want)
			}
		}
		n, err := s.CountWrite(context.Background(), 1, 1)
		if err != nil || n != 1 {
			t.Errorf("a fresh bucket counts %d, %v; want 1", n, err)
		}
	})
}
