package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// TestStorageFailures maps each driver's words for storage that refuses writes, as they arrive
// wrapped by GORM and by wrap, to one reason; everything else is left alone.
func TestStorageFailures(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want gs.Reason // "" for not a storage failure
	}{
		{"sqlite full", sqlite3.Error{Code: sqlite3.ErrFull}, gs.ReasonDiskFull},
		{"sqlite read-only", sqlite3.Error{Code: sqlite3.ErrReadonly, ExtendedCode: sqlite3.ErrReadonlyDbMoved}, gs.ReasonReadOnly},
		{"sqlite I/O error", sqlite3.Error{Code: sqlite3.ErrIoErr, ExtendedCode: sqlite3.ErrIoErrWrite}, gs.ReasonStorageFailing},
		{"postgres disk full", &pgconn.PgError{Code: "53100"}, gs.ReasonDiskFull},
		{"postgres read-only transaction", &pgconn.PgError{Code: "25006"}, gs.ReasonReadOnly},
		{"postgres I/O error", &pgconn.PgError{Code: "58030"}, gs.ReasonStorageFailing},
		{"sqlite busy", sqlite3.Error{Code: sqlite3.ErrBusy}, ""},
		{"sqlite constraint", sqlite3.Error{Code: sqlite3.ErrConstraint}, ""},
		{"postgres serialization failure", &pgconn.PgError{Code: "40001"}, ""},
		{"another error", errors.New("boom"), ""},
	} {
		for _, err := range []error{c.err, fmt.Errorf("commit: %w", c.err), wrap(c.err, "Idea")} {
			got := storageFailure(err)
			switch {
			case c.want == "" && got != nil:
				t.Errorf("%s (%v): mapped to %v, want left alone", c.name, err, got)
			case c.want != "" && (got == nil || got.Code != gs.EUNAVAILABLE || got.Reason != c.want || !errors.Is(got, c.err)):
				t.Errorf("%s (%v): got %v, want EUNAVAILABLE because %s, keeping the cause", c.name, err, got, c.want)
			}
		}
	}
}
