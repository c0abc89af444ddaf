package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// storageFailure maps the drivers' errors for storage that refuses writes to an EUNAVAILABLE
// error carrying the cause, and anything else to nil. SQLite says so with SQLITE_FULL,
// SQLITE_READONLY and SQLITE_IOERR (with any extended code); PostgreSQL with disk_full (53100),
// read_only_sql_transaction (25006, a standby or a read-only database) and io_error (58030).
func storageFailure(err error) *gs.Error {
	if err == nil {
		return nil
	}
	if ge, ok := errors.AsType[*gs.Error](err); ok && ge.Code == gs.EUNAVAILABLE {
		return ge
	}
	var reason gs.Reason
	if se, ok := errors.AsType[sqlite3.Error](err); ok {
		switch se.Code {
		case sqlite3.ErrFull:
			reason = gs.ReasonDiskFull
		case sqlite3.ErrReadonly:
			reason = gs.ReasonReadOnly
		case sqlite3.ErrIoErr:
			reason = gs.ReasonStorageFailing
		}
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pe.Code {
		case "53100":
			reason = gs.ReasonDiskFull
		case "25006":
			reason = gs.ReasonReadOnly
		case "58030":
			reason = gs.ReasonStorageFailing
		}
	}
	// Nothing people did caused this, and what they typed comes back with the form, so the
	// words only say why and that it is worth trying again.
	var e *gs.Error
	switch reason {
	case gs.ReasonDiskFull:
		e = gs.Errorf(gs.EUNAVAILABLE, "Nothing could be saved just now because the server's storage is full. Please try again in a few minutes.")
	case gs.ReasonReadOnly:
		e = gs.Errorf(gs.EUNAVAILABLE, "Nothing could be saved just now because the server's storage is read-only. Please try again in a few minutes.")
	case gs.ReasonStorageFailing:
		e = gs.Errorf(gs.EUNAVAILABLE, "Nothing could be saved just now because the server's storage is failing. Please try again in a few minutes.")
	default:
		return nil
	}
	e.Err = err
	return e.Because(reason)
}

// noteWrite keeps track of whether writes are failing, for /healthz, from the outcome of a
// write transaction: a storage failure marks them failing until a write commits again.
func (s *Store) noteWrite(err error) error {
	if err == nil {
		s.failing.Store(nil)
		return nil
	}
	if f := storageFailure(err); f != nil {
		s.failing.Store(f)
		return f
	}
	return err
}

// WritesFailing returns the storage failure that made the last write fail, or nil once a write
// has committed since.
func (s *Store) WritesFailing() error {
	if f := s.failing.Load(); f != nil {
		return f
	}
	return nil
}

// LimitPages caps the SQLite database at pages pages (PRAGMA max_page_count, which SQLite never
// sets below the pages already used) on the writer connection, the only one that writes; 0
// lifts the cap. Tests use it to meet a full disk through SQLite's own SQLITE_FULL, without
// filling one. It does nothing on PostgreSQL.
func (s *Store) LimitPages(ctx context.Context, pages int) error {
	if s.dialect != SQLite {
		return nil
	}
	if pages <= 0 {
		pages = 1<<32 - 2 // SQLite's largest page count
	}
	// On the writer, between batches: VACUUM cannot run inside a transaction, and the pragma
	// must reach the connection that writes.
	return s.alone(ctx, func(db *gorm.DB) error {
		if pages < 1<<32-2 {
			// Free pages (a migration that dropped an index leaves some) would take writes
			// first; without them the cap is met by the next page a write needs.
			if err := db.Exec("VACUUM").Error; err != nil {
				return err
			}
		}
		// The pragma answers with a row: read it, so that the writer's kept statement is done
		// and the next SAVEPOINT does not find a statement in progress.
		var now int64
		return db.Raw(fmt.Sprintf("PRAGMA max_page_count = %d", pages)).Scan(&now).Error
	})
}
