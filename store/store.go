// Package store keeps tamledger's records in one SQL database: an embedded
// SQLite file by default, PostgreSQL for teams. Both speak the same schema
// (store/migrations/sqlite and store/migrations/postgres, same file names),
// through plain database/sql.
//
// Every kind has its own table keyed by (organization, id) (Organization and
// PriceBook by id). A row holds the record's canonical JSON (encoding/json of
// the domain value) in spec, a rev incremented on every real change and
// updated_at, plus typed columns for what the scoring rules read in bulk, so
// that Ledger and EachLedger build domain values without decoding JSON for
// the large kinds (Engagement, Recommendation, Case).
//
// Writes go through a Tx (Begin, Put, PutBatch, PutIfRev, Delete, Commit).
// Errors a user can act on are *tamledger.Error values: ECONFLICT for a
// concurrent change, EINVALID for a record the store cannot take (an unknown
// organisation, a bad key), ENOTFOUND for a missing organisation or record.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tamledger/tamledger"
)

// Driver names returned by Store.Driver.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// SQLite connection settings applied to every connection of a SQLite store.
const (
	sqliteBusyTimeout = 10 * time.Second
	sqliteCacheKiB    = 16384 // PRAGMA cache_size: 16 MiB of page cache per connection
	// The write connection's cache holds the pages a large import keeps
	// coming back to (an index); larger caches cost more to set up and
	// free than they save.
	sqliteWriteCacheKiB = 65536
	sqliteMmapBytes     = 2147418112 // PRAGMA mmap_size: SQLite's default maximum (just under 2 GiB)
	sqlitePageSize      = 16384      // PRAGMA page_size of a new database
)

// Store is a tamledger database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	d  *dialect

	// wmu serialises this process's write transactions on SQLite (a
	// channel so that Begin can give up when its context ends). SQLite has
	// one writer at a time; waiting here instead of in SQLite's busy
	// handler is fair and does not poll. Nil for PostgreSQL.
	wmu chan struct{}

	raw *rawPool // SQLite: raw connections for bulk reads
	wc  *rawConn // SQLite: the raw write connection, used under wmu
	pg  *pgPool  // PostgreSQL: pgx connections for bulk reads
}

// Open opens the store named by dsn and brings its schema up to date.
//
// A dsn starting with postgres:// or postgresql:// selects PostgreSQL (any
// pgx connection-string option is accepted, such as sslmode or
// search_path). Anything else is the path of a SQLite file (created when
// missing), optionally as a file: URI; the store sets WAL journaling,
// foreign keys, a 10 s busy timeout and synchronous=NORMAL on it.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var s *Store
	if isPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
		}
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(5 * time.Minute)
		pg, err := newPgPool(dsn)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
		}
		s = &Store{db: db, d: postgresDialect, pg: pg}
	} else {
		if strings.TrimSpace(dsn) == "" {
			return nil, tamledger.Errorf(tamledger.EINVALID, "no database given (want a SQLite file path or a postgres:// URL)")
		}
		db, err := sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("store: open SQLite %s: %w", dsn, err)
		}
		// Idle connections keep their page caches warm.
		db.SetMaxIdleConns(8)
		s = &Store{db: db, d: sqliteDialect, wmu: make(chan struct{}, 1), raw: newRawPool(dsn)}
	}
	if s.raw != nil && s.rawSchemaCurrent() {
		// The common case on SQLite: one connection, which the next read
		// reuses; database/sql connects when something writes.
		return s, nil
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", s.d.title, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteDSN adds the store's connection settings to a SQLite path or file:
// URI. Pragmas given as _pragma are run in lexical order by the driver, so
// journal_mode goes through the driver's own key, which runs after them.
func sqliteDSN(dsn string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -sqliteCacheKiB))
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", sqliteMmapBytes))
	// A new database gets 16 KiB pages (an existing one keeps its own):
	// a bulk read then visits a quarter of the pages, and a store built
	// by imports, whose tables' pages interleave in the file, reads
	// 10-15 % faster (docs/performance.md).
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", sqlitePageSize))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	// Write transactions take SQLite's write lock at BEGIN, so two writers
	// queue instead of failing when the second tries to upgrade its read
	// lock. Read-only transactions stay deferred.
	q.Set("_txlock", "immediate")
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + q.Encode()
}

// Close closes the database. On SQLite the last connection to close
// checkpoints the write-ahead log into the database file.
func (s *Store) Close() error {
	if s.raw != nil {
		s.raw.close()
	}
	if s.pg != nil {
		s.pg.close()
	}
	if s.wmu != nil {
		select {
		case s.wmu <- struct{}{}: // no write transaction is open
			if s.wc != nil {
				s.wc.close()
				s.wc = nil
			}
			<-s.wmu
		default:
		}
	}
	return s.db.Close()
}

// Driver is "sqlite" or "postgres".
func (s *Store) Driver() string { return s.d.name }

// DB is the underlying database handle, for tools and tests that need to
// look at the tables; tamledger code goes through the Store's methods.
func (s *Store) DB() *sql.DB { return s.db }

// mapError turns a driver error into a *tamledger.Error when it means
// something a user can act on; what is a conflict (unique violation,
// serialisation failure, deadlock, database busy) becomes ECONFLICT, a
// foreign-key violation EINVALID with fk as the message, and other
// constraint or data errors EINVALID. Anything else is returned wrapped
// with op and is internal.
func mapError(op string, err error, fk string) error {
	if err == nil {
		return nil
	}
	var te *tamledger.Error
	if errors.As(err, &te) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := -1
	var se *sqlite.Error
	var re *sqliteError
	switch {
	case errors.As(err, &se):
		code = se.Code()
	case errors.As(err, &re):
		code = re.code
	}
	if code >= 0 {
		switch {
		case code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return tamledger.Errorf(tamledger.EINVALID, "%s", fk)
		case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return tamledger.Errorf(tamledger.ECONFLICT, "%s: the record was created concurrently; try again", op)
		case code&0xff == sqlite3.SQLITE_BUSY, code&0xff == sqlite3.SQLITE_LOCKED:
			return tamledger.Errorf(tamledger.ECONFLICT, "%s: the database is busy (another writer held it for more than %s); try again", op, sqliteBusyTimeout)
		case code&0xff == sqlite3.SQLITE_CONSTRAINT:
			return tamledger.Errorf(tamledger.EINVALID, "%s: %s", op, err.Error())
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23503": // foreign_key_violation
			return tamledger.Errorf(tamledger.EINVALID, "%s", fk)
		case pe.Code == "23505": // unique_violation
			return tamledger.Errorf(tamledger.ECONFLICT, "%s: the record was created concurrently; try again", op)
		case pe.Code == "40001", pe.Code == "40P01": // serialization_failure, deadlock_detected
			return tamledger.Errorf(tamledger.ECONFLICT, "%s: a concurrent transaction changed the same records; try again", op)
		case pe.Code == "55P03": // lock_not_available
			return tamledger.Errorf(tamledger.ECONFLICT, "%s: the records are locked by another transaction; try again", op)
		case strings.HasPrefix(pe.Code, "23"), strings.HasPrefix(pe.Code, "22"): // integrity constraint, data exception
			return tamledger.Errorf(tamledger.EINVALID, "%s: %s", op, pe.Message)
		}
	}
	return fmt.Errorf("store: %s: %w", op, err)
}
