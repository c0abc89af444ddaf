package moderation_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/markup"
	"github.com/groundswell/groundswell/internal/moderation"
	"github.com/groundswell/groundswell/internal/store"
	"github.com/groundswell/groundswell/internal/store/storetest"
)

// TestConcurrentSettingsSavesQueue checks that admins saving a challenge's settings at the same
// moment wait for each other rather than deadlock, and that every save is audited.
func TestConcurrentSettingsSavesQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string, st *store.Store) {
		ctx := context.Background()
		c := &gs.Challenge{Slug: fmt.Sprint("settings-", time.Now().UnixNano()), Title: "Settings", Phase: gs.PhaseOpen}
		if err := st.CreateChallenge(ctx, c); err != nil {
			t.Fatal(err)
		}
		svc := moderation.New(st, markup.New())
		const admins, rounds = 6, 5
		errs := make(chan error, admins*rounds)
		var wg sync.WaitGroup
		for a := 0; a < admins; a++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := 0; r < rounds; r++ {
					errs <- svc.UpdateSettings(ctx, c.ID, moderation.Settings{ReportThreshold: 1 + (a+r)%9, HeldWords: "x"},
						gs.Actor{Name: fmt.Sprint("admin ", a)})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("a concurrent save failed: %v", err)
			}
		}
		log, more, err := st.AuditLog(ctx, gs.AuditQuery{Action: "challenge.settings", PerPage: 100})
		if err != nil || more || len(log) != admins*rounds {
			t.Errorf("audit rows for the saves: %d, more %v (%v), want %d", len(log), more, err, admins*rounds)
		}
	})
}
