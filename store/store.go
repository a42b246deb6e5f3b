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
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tamledger/tamledger"
	csqlite "github.com/tamledger/tamledger/store/internal/sqlite"
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
	db  *sql.DB  // database/sql: creating and migrating; PostgreSQL's writes
	d   *dialect // the SQL that differs
	b   backend  // what each database does its own way (backend.go)
	dsn DSN      // what Open was given, for messages
}

// Open opens the store named by dsn and brings its schema up to date,
// creating it when it is missing.
//
// ParseDSN says what dsn names: a postgres:// or postgresql:// URL selects
// PostgreSQL (any pgx connection-string option is accepted, such as
// sslmode or search_path); anything else is a SQLite file, as a path or a
// file: URI; the store sets WAL journaling, foreign keys, a 10 s busy
// timeout and synchronous=NORMAL on it.
//
// What the environment refuses is EUNAVAILABLE, with a message that names
// the file or the server and what to do: a missing directory, a file that
// cannot be written, a server that refuses the connection. A malformed dsn
// is EINVALID.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return open(ctx, dsn, true)
}

// OpenExisting is Open for those who only read: it creates nothing, and
// where Exists would say no it returns EUNAVAILABLE ("no store at ...").
func OpenExisting(ctx context.Context, dsn string) (*Store, error) {
	return open(ctx, dsn, false)
}

// pgIdleConns is how many database/sql connections to PostgreSQL a store
// keeps open when idle.
const pgIdleConns = 64

func open(ctx context.Context, dsn string, create bool) (*Store, error) {
	d, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var s *Store
	if d.Driver == Postgres {
		pg, err := newPgPool(dsn)
		if err != nil {
			return nil, pgBadURL(d, err)
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
		}
		// Connections are kept for the concurrent requests of a busy web
		// app: each new one is a server process, and opening and closing
		// them under 50 concurrent requests cost more than the requests
		// (docs/storage.md: size max_connections for it).
		db.SetMaxIdleConns(pgIdleConns)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s = &Store{db: db, d: postgresDialect, b: &postgresBackend{dsn: d, db: db, pg: pg}}
	} else {
		if !create {
			// The file system answers before SQLite, which would
			// create the file, is asked.
			if ok, err := sqliteFile(d); err != nil || !ok {
				return nil, cmp.Or(err, noStore(d))
			}
		}
		db, err := sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("store: open SQLite %s: %w", d.Path, err)
		}
		// Idle connections keep their page caches warm.
		db.SetMaxIdleConns(8)
		s = &Store{db: db, d: sqliteDialect, b: newSQLiteBackend(d)}
	}
	s.dsn = d
	if sb, ok := s.b.(*sqliteBackend); ok && sb.schemaCurrent() {
		// The common case on SQLite: one connection, which the next read
		// reuses; database/sql connects when something writes. SQLite
		// opens a file this process may not write read-only, and says
		// so only at the first write: say it now.
		if create && sb.readOnly() {
			s.Close()
			return nil, unavailable("cannot write the store %s: permission denied (check the file's permissions)", d.Path)
		}
		return s, nil
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.Close()
		return nil, s.b.trouble(err, fmt.Errorf("store: connect to %s: %w", s.d.title, err))
	}
	if _, ok := s.b.(*postgresBackend); ok && !create {
		if _, ok, err := pgStore(ctx, s.db); err != nil || !ok {
			s.Close()
			return nil, cmp.Or(err, noStore(d))
		}
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, s.b.trouble(err, err)
	}
	return s, nil
}

// unavailable is an EUNAVAILABLE error: the environment keeps the store
// from being opened or written.
func unavailable(format string, args ...any) error {
	return tamledger.Errorf(tamledger.EUNAVAILABLE, format, args...)
}

func noStore(d DSN) error {
	return unavailable("no store at %s: import your files (tamledger init ORG writes a starter one) or run tamledger demo", d.place())
}

// readOnly reports whether SQLite opened the file read-only (it does when
// the process may not write it).
func (b *sqliteBackend) readOnly() bool {
	c, err := b.raw.get()
	if err != nil {
		return false
	}
	defer b.raw.put(c)
	return c.ReadOnly()
}

// sqliteTrouble explains a SQLite error by the file system: a missing
// directory, a directory where the file should be, a file or directory
// this process may not write, a file that is not a database, a full disk.
func sqliteTrouble(d DSN, err, fallback error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	p, dir := d.Path, filepath.Dir(d.Path)
	fi, ferr := os.Stat(p)
	if ferr == nil && fi.IsDir() {
		return unavailable("cannot open the store %s: it is a directory (give a file path with --db)", p)
	}
	if errors.Is(ferr, fs.ErrNotExist) {
		di, derr := os.Stat(dir)
		switch {
		case errors.Is(derr, fs.ErrNotExist):
			return unavailable("cannot create the store %s: the directory %s does not exist (create it, or give another --db)", p, dir)
		case derr == nil && !di.IsDir():
			return unavailable("cannot create the store %s: %s is not a directory (give another --db)", p, dir)
		}
	}
	code := sqliteCode(err)
	switch code & 0xff {
	case sqlite3.SQLITE_NOTADB:
		return unavailable("cannot open the store %s: it is not a SQLite database (give another --db)", p)
	case sqlite3.SQLITE_FULL:
		return unavailable("cannot write the store %s: the disk is full (free some space, or give another --db)", p)
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_AUTH:
		if ferr != nil {
			return unavailable("cannot create the store %s: permission denied in the directory %s (check its permissions, or give another --db)", p, dir)
		}
		if code&0xff == sqlite3.SQLITE_READONLY {
			return unavailable("cannot write the store %s: permission denied (check the file's permissions)", p)
		}
		// SQLite keeps p-wal and p-shm beside the file.
		return unavailable("cannot open the store %s: permission denied (check the permissions of the file and of the directory %s)", p, dir)
	}
	return fallback
}

// pgTrouble explains an error of a PostgreSQL server by what the user can
// change: the server's address, the database, the credentials, the schema
// and the role's rights. The password never appears.
func pgTrouble(d DSN, cfg *pgconn.Config, err, fallback error) error {
	if errors.Is(err, context.Canceled) { // Ctrl-C; a connect_timeout is a deadline
		return err
	}
	at := "PostgreSQL at " + pgAddr(cfg)
	var pe *pgconn.PgError
	var dns *net.DNSError
	var ce *pgconn.ConnectError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return unavailable("cannot connect to %s: connection refused (is the server running? check --db or TAMLEDGER_DB)", at)
	case errors.As(err, &dns):
		return unavailable("cannot connect to %s: no such host (check --db or TAMLEDGER_DB)", at)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return unavailable("cannot connect to %s: no route to the host (check --db or TAMLEDGER_DB, and the network)", at)
	case isTimeout(err):
		return unavailable("cannot connect to %s: timed out (is the server reachable? check --db or TAMLEDGER_DB)", at)
	case errors.As(err, &pe):
		switch pe.Code {
		case "28P01": // invalid_password
			return unavailable("cannot connect to %s as %s: password authentication failed (check the user and password in --db or TAMLEDGER_DB)", at, cfg.User)
		case "28000": // invalid_authorization_specification
			return unavailable("cannot connect to %s as %s: %s (check the server's pg_hba.conf, or --db)", at, cfg.User, d.scrub(pe.Message))
		case "3D000": // invalid_catalog_name
			return unavailable("cannot connect to %s: the database %s does not exist (create it, or check --db)", at, cfg.Database)
		case "53300": // too_many_connections
			return unavailable("cannot connect to %s: the server has too many connections (try again later)", at)
		case "57P03": // cannot_connect_now
			return unavailable("cannot connect to %s: the server is starting up or shutting down (try again)", at)
		case "42501": // insufficient_privilege
			return unavailable("cannot use the store in %s (database %s) as %s: %s (the role needs CONNECT on the database and CREATE on the schema; see docs/storage.md)", at, cfg.Database, cfg.User, d.scrub(pe.Message))
		case "3F000": // invalid_schema_name: no schema of the search_path exists
			return unavailable("cannot create the store in %s (database %s): no schema of the search_path exists (create the schema, or fix search_path in --db)", at, cfg.Database)
		case "25006": // read_only_sql_transaction
			return unavailable("cannot write the store in %s: the server is read-only (a standby? give the primary in --db)", at)
		case "53100": // disk_full
			return unavailable("cannot write the store in %s: the server's disk is full", at)
		}
	case errors.As(err, &ce):
		return unavailable("cannot connect to %s: %s (check --db or TAMLEDGER_DB)", at, d.scrub(errors.Unwrap(ce).Error()))
	}
	return fallback
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// pgAddr is host:port, or the socket, of the first server of cfg.
func pgAddr(cfg *pgconn.Config) string {
	if strings.HasPrefix(cfg.Host, "/") {
		return fmt.Sprintf("%s/.s.PGSQL.%d", cfg.Host, cfg.Port)
	}
	return net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
}

// pgBadURL is EINVALID for a PostgreSQL URL pgx cannot read, with pgx's
// reason but not the URL it quotes.
func pgBadURL(d DSN, err error) error {
	why := err.Error()
	if i := strings.LastIndex(why, "`: "); i >= 0 { // cannot parse `URL`: why
		why = why[i+3:]
	}
	return tamledger.Errorf(tamledger.EINVALID, "bad PostgreSQL URL %s: %s (want postgres://USER:PASSWORD@HOST:5432/DBNAME?OPTIONS)", d.Redacted(), d.scrub(why))
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
	s.b.close()
	return s.db.Close()
}

// Title names the store without what a reader need not see (DSN.Title).
func (s *Store) Title() string { return s.dsn.Title() }

// Driver is "sqlite" or "postgres".
func (s *Store) Driver() string { return s.d.name }

// DB is the underlying database handle, for tools and tests that need to
// look at the tables; tamledger code goes through the Store's methods.
func (s *Store) DB() *sql.DB { return s.db }

// sqliteCode is the extended result code of a SQLite error, from the
// database/sql driver or a raw connection; -1 for another error.
func sqliteCode(err error) int {
	var se *sqlite.Error
	var re *csqlite.Error
	switch {
	case errors.As(err, &se):
		return se.Code()
	case errors.As(err, &re):
		return re.Code
	}
	return -1
}

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
	code := sqliteCode(err)
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
