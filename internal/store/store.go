// Package store is the only package that speaks to the database. It opens SQLite or PostgreSQL
// through GORM, applies the embedded migrations with goose, and maps database failures to
// groundswell error codes.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/groundswell/groundswell/internal/config"
	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// Dialect names the database behind a Store.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store holds the database handles. On SQLite, writes go through a single connection owned by
// one goroutine (writer), which begins every transaction with BEGIN IMMEDIATE and commits the
// writes waiting at the time together, and reads through a separate pool, so writers queue in Go
// instead of meeting "database is locked". On PostgreSQL both are one pool.
type Store struct {
	w, r    *gorm.DB
	dialect Dialect
	// failing is the storage failure that made the last write fail, nil once a write commits.
	failing atomic.Pointer[gs.Error]
	// pruned is the newest rate-limit window before which counts were removed (CountWrite).
	pruned atomic.Int64
	// writer runs SQLite's writes, batched (group commit); nil on PostgreSQL.
	writer *writer
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// IsPostgres reports whether dsn selects PostgreSQL rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Options are the settings a store is opened with; the zero value is the default.
type Options struct {
	// Sync is SQLite's durability level: config.SyncFull (also when empty) or config.SyncNormal.
	Sync config.Sync
}

// Open connects to dsn with the default options.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith connects to dsn: a postgres:// URL, or otherwise the path of a SQLite file, created
// with its directory if missing.
func OpenWith(ctx context.Context, dsn string, o Options) (*Store, error) {
	sync := "FULL"
	switch o.Sync {
	case "", config.SyncFull:
	case config.SyncNormal:
		sync = "NORMAL"
	default:
		return nil, fmt.Errorf("open: unknown SQLite sync level %q", o.Sync)
	}
	cfg := &gorm.Config{Logger: logger.Discard, TranslateError: true}
	s := &Store{Now: time.Now}
	if IsPostgres(dsn) {
		db, err := gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, _ := db.DB()
		sqlDB.SetMaxOpenConns(25)
		sqlDB.SetMaxIdleConns(25)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		s.w, s.r, s.dialect = db, db, Postgres
	} else {
		path := sqlitePath(dsn)
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("create the database directory: %w", err)
			}
		}
		// The database holds what people wrote: readable by its owner only, whatever the umask.
		// Creating it here also finds out early, with the operating system's own words and the
		// path, when the file or its directory cannot be written; SQLite would say only "unable
		// to open database file".
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open the database for writing: %w", err)
		}
		f.Close()
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			if fi, err := os.Stat(f); err == nil && fi.Mode().Perm()&0o077 != 0 {
				_ = os.Chmod(f, 0o600)
			}
		}
		common := url.Values{}
		common.Set("_journal_mode", "WAL")
		// Deleted content is overwritten with zeros, so a purge leaves no words in free pages.
		common.Set("_secure_delete", "on")
		common.Set("_foreign_keys", "on")
		common.Set("_busy_timeout", "10000")
		// FULL waits for the disk at every commit, so that a power cut loses no acknowledged
		// write; group commit (writer.go) shares that wait among all the writes of a batch.
		common.Set("_synchronous", sync)
		wq := url.Values{}
		for k, v := range common {
			wq[k] = v
		}
		wq.Set("_txlock", "immediate")
		// The writer's connection keeps its prepared statements (the driver's cache, which
		// resets each statement when it is put back, so none is left running), and GORM opens
		// no transaction of its own there: the group commit opens and closes them.
		wq.Set("_stmt_cache_size", "256")
		wcfg := *cfg
		wcfg.SkipDefaultTransaction = true
		w, err := gorm.Open(sqlite.Open("file:"+path+"?"+wq.Encode()), &wcfg)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, dirProblem(filepath.Dir(path), err))
		}
		wdb, _ := w.DB()
		wdb.SetMaxOpenConns(1)
		wdb.SetMaxIdleConns(1)
		wdb.SetConnMaxLifetime(0)
		wdb.SetConnMaxIdleTime(0)
		// Make the file (and WAL mode) exist before readers connect.
		if err := wdb.PingContext(ctx); err != nil {
			wdb.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, dirProblem(filepath.Dir(path), err))
		}
		rq := url.Values{}
		for k, v := range common {
			rq[k] = v
		}
		rq.Set("_query_only", "true")
		r, err := gorm.Open(sqlite.Open("file:"+path+"?"+rq.Encode()), cfg)
		if err != nil {
			return nil, fmt.Errorf("open sqlite reader: %w", err)
		}
		rdb, _ := r.DB()
		rdb.SetMaxOpenConns(8)
		rdb.SetMaxIdleConns(8)
		s.w, s.r, s.dialect = w, r, SQLite
	}
	for _, db := range []*gorm.DB{s.w, s.r} {
		if err := countQueries(db); err != nil {
			s.Close()
			return nil, fmt.Errorf("register the query counter: %w", err)
		}
		if s.w == s.r {
			break
		}
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.dialect == SQLite {
		if err := cancelCheck(s.w); err != nil {
			s.Close()
			return nil, fmt.Errorf("register the cancellation check: %w", err)
		}
		s.writer = newWriter(s, s.w)
	}
	return s, nil
}

// OpenExisting is Open for the commands that must not create a database (backup, migrate, user
// add, rank recompute): given a mistyped path, Open would make a new, empty database there and
// the command would report success on it.
func OpenExisting(ctx context.Context, dsn string) (*Store, error) {
	return OpenExistingWith(ctx, dsn, Options{})
}

// OpenExistingWith is OpenWith for the commands that must not create a database.
func OpenExistingWith(ctx context.Context, dsn string, o Options) (*Store, error) {
	if !IsPostgres(dsn) {
		path := sqlitePath(dsn)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("there is no database at %s: check --data or --db (only serve and seed create a new one)", path)
		} else if err != nil {
			return nil, fmt.Errorf("open the database: %w", err)
		}
	}
	return OpenWith(ctx, dsn, o)
}

// sqlitePath is the file a SQLite DSN names.
func sqlitePath(dsn string) string { return strings.TrimPrefix(dsn, "sqlite://") }

// dirProblem finds the real cause when SQLite cannot open a file it could create: it also writes
// the -wal and -shm files beside the database, so a directory that cannot be written (read-only,
// or another owner's) fails with a misleading "no such file". Creating a file there names it.
func dirProblem(dir string, err error) error {
	f, perr := os.CreateTemp(dir, ".groundswell-check-*")
	if perr != nil {
		return fmt.Errorf("%w (the directory cannot be written: %v)", err, perr)
	}
	f.Close()
	os.Remove(f.Name())
	return err
}

// Dialect reports which database the store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers and that writes are not failing (WritesFailing).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.WritesFailing(); err != nil {
		return err
	}
	db, err := s.r.DB()
	if err != nil {
		return err
	}
	return db.PingContext(ctx)
}

// Close finishes the writes already queued, then closes every connection.
func (s *Store) Close() error {
	if s.writer != nil {
		s.writer.close()
	}
	var errs []error
	seen := map[*sql.DB]bool{}
	for _, g := range []*gorm.DB{s.w, s.r} {
		if g == nil {
			continue
		}
		if db, err := g.DB(); err == nil && !seen[db] {
			seen[db] = true
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// migrationDir is the folder of the migrations file system that holds this dialect's files.
func (s *Store) migrationDir() string {
	if s.dialect == Postgres {
		return "postgres"
	}
	return "sqlite"
}

func (s *Store) provider(migrations fs.FS) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, s.migrationDir())
	if err != nil {
		return nil, err
	}
	db, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	return goose.NewProvider(dialect, db, sub)
}

// Migrate applies every pending migration from migrations (a file system with sqlite/ and
// postgres/ folders) and returns the versions it applied.
func (s *Store) Migrate(ctx context.Context, migrations fs.FS) ([]int64, error) {
	p, err := s.provider(migrations)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var res []*goose.MigrationResult
	err = s.alone(ctx, func(*gorm.DB) error {
		var err error
		res, err = p.Up(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []int64
	for _, r := range res {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// MigrationSources lists the migration files for dialect, for checking that dialects agree.
func MigrationSources(migrations fs.FS, dialect Dialect) ([]string, error) {
	dir := "sqlite"
	if dialect == Postgres {
		dir = "postgres"
	}
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// now returns the store's clock reading in UTC.
func (s *Store) now() time.Time { return s.Now().UTC() }

// read returns the read handle bound to ctx, or the transaction ctx carries (Tx.Within).
func (s *Store) read(ctx context.Context) *gorm.DB {
	if tx := s.outer(ctx); tx != nil {
		return tx.db
	}
	return s.r.WithContext(ctx)
}

// lockRows is the row-locking suffix for a SELECT on PostgreSQL: the rows of table update are
// locked for writing (NO KEY UPDATE, so inserts that merely reference them are not blocked),
// and the rows of each share table against change, such as the challenge whose phase was just
// checked. SQLite's single writer already serializes, so there it is empty.
func (s *Store) lockRows(update string, share ...string) string {
	if s.dialect != Postgres {
		return ""
	}
	out := " FOR NO KEY UPDATE OF " + update
	for _, t := range share {
		out += " FOR SHARE OF " + t
	}
	return out
}

// lockShare locks rows against change on PostgreSQL for the rest of the transaction.
func (s *Store) lockShare(table string) string {
	if s.dialect != Postgres {
		return ""
	}
	return " FOR SHARE OF " + table
}

// wrap maps database errors to groundswell codes; unknown failures become EINTERNAL with the
// cause kept for the log.
func wrap(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return gs.Errorf(gs.ENOTFOUND, "%s was not found.", what)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return gs.Errorf(gs.ECONFLICT, "%s already exists.", what)
	}
	var ge *gs.Error
	if errors.As(err, &ge) {
		return err
	}
	if f := storageFailure(err); f != nil {
		return f
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("store: %s: %w", strings.ToLower(what), err)
}

// Scrub makes deleted text unrecoverable from the files after a purge: on SQLite it moves every
// page out of the write-ahead log and truncates it, so no older copy of a page survives there
// (secure_delete has already zeroed the freed space); on PostgreSQL it vacuums the tables given,
// so that dead row versions are removed from their pages.
func (s *Store) Scrub(ctx context.Context, tables ...string) error {
	return s.alone(ctx, func(db *gorm.DB) error {
		if s.dialect == Postgres {
			for _, t := range tables {
				if err := db.Exec("VACUUM " + t).Error; err != nil {
					return wrap(err, "Vacuum")
				}
			}
			return nil
		}
		// The checkpoint answers with a row: read it, so that the writer's kept statement is done
		// and the next SAVEPOINT does not find a statement in progress.
		var res struct{ Busy, Log, Checkpointed int }
		return wrap(db.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&res).Error, "Checkpoint")
	})
}

// Backup writes a consistent copy of a SQLite database to path while the server keeps running:
// VACUUM INTO reads one snapshot, so concurrent writes neither block it nor tear it. PostgreSQL
// has its own tools for this (pg_dump), which the error names.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return gs.Errorf(gs.EINVALID, "backup copies SQLite databases; for PostgreSQL use pg_dump.")
	}
	if _, err := os.Stat(path); err == nil {
		return gs.Errorf(gs.ECONFLICT, "%s already exists; choose a new file name so that no backup is overwritten.", path)
	}
	return s.alone(ctx, func(db *gorm.DB) error { return db.Exec("VACUUM INTO ?", path).Error })
}
