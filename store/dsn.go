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
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/tamledger/tamledger"
)

// DSN is a store's name (--db) taken apart: which database it selects and,
// for SQLite, which file.
type DSN struct {
	Driver string // SQLite or Postgres
	Path   string // SQLite: the file, with a file: URI resolved to its path
	URL    string // the DSN as given
}

var (
	// scheme is what starts a URL; a SQLite path does not look like one.
	scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
	// keyValue is a PostgreSQL key=value connection string ("host=db
	// user=me"), which tamledger would otherwise take for a file name.
	keyValue = regexp.MustCompile(`^\s*(host|hostaddr|port|dbname|user|password|sslmode|service)\s*=`)
	// passwordParam is a password given as a parameter, in a URL's query
	// or in a key=value string.
	passwordParam = regexp.MustCompile(`(?i)(?:^|[?&\s])(?:ssl)?password\s*=\s*('[^']*'|[^&\s]*)`)
)

// ParseDSN tells the stores apart: postgres:// and postgresql:// URLs are
// PostgreSQL; a file: URI (file:PATH?query, file:///abs/path) or any other
// string is the path of a SQLite file. It returns EINVALID for an empty DSN,
// an in-memory SQLite database (each connection would see one of its own),
// another URL scheme and a key=value PostgreSQL string; the DSN it returns
// then still holds URL, for Redacted.
func ParseDSN(s string) (DSN, error) {
	d := DSN{URL: s}
	switch {
	case strings.TrimSpace(s) == "":
		return d, tamledger.Errorf(tamledger.EINVALID, "no database given (want a SQLite file path or a postgres:// URL)")
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		d.Driver = Postgres
		return d, nil
	case strings.HasPrefix(s, "file:"):
		p, err := uriPath(s)
		if err != nil {
			return d, tamledger.Errorf(tamledger.EINVALID, "bad SQLite URI %s: %v (want file:PATH or file:///ABSOLUTE/PATH)", s, err)
		}
		d.Driver, d.Path = SQLite, p
	case scheme.MatchString(s):
		return d, tamledger.Errorf(tamledger.EINVALID, "unknown kind of database %s (want a SQLite file path, file:PATH or a postgres:// URL)", d.Redacted())
	case keyValue.MatchString(s):
		return d, tamledger.Errorf(tamledger.EINVALID, "%s looks like a PostgreSQL key=value string; give it as a URL: postgres://USER:PASSWORD@HOST:5432/DBNAME", d.Redacted())
	default:
		// The SQLite driver drops a plain path's query (it reads its own
		// _pragma keys from it), and so do we.
		p, _, _ := strings.Cut(s, "?")
		d.Driver, d.Path = SQLite, p
	}
	if d.Path == ":memory:" || strings.HasPrefix(s, "file:") && memoryMode(s) {
		return d, tamledger.Errorf(tamledger.EINVALID, "in-memory SQLite (%s) is not supported: every connection would see a database of its own (give a file path)", s)
	}
	return d, nil
}

// memoryMode reports whether a file: URI asks for an in-memory database.
func memoryMode(s string) bool {
	_, q, _ := strings.Cut(s, "?")
	q, _, _ = strings.Cut(q, "#")
	v, _ := url.ParseQuery(q)
	return v.Get("mode") == "memory"
}

// uriPath is the file a SQLite file: URI names, read as SQLite reads it:
// the query and fragment dropped, an authority of "" or "localhost",
// %-escapes decoded.
func uriPath(s string) (string, error) {
	rest := strings.TrimPrefix(s, "file:")
	rest, _, _ = strings.Cut(rest, "#")
	rest, _, _ = strings.Cut(rest, "?")
	if after, ok := strings.CutPrefix(rest, "//"); ok {
		host, p, _ := strings.Cut(after, "/")
		if host != "" && host != "localhost" {
			return "", fmt.Errorf("the host %q is not this machine", host)
		}
		rest = "/" + p
	}
	p, err := url.PathUnescape(rest)
	if err != nil {
		return "", err
	}
	if p == "" || p == "/" {
		return "", errors.New("no file")
	}
	return p, nil
}

// Redacted is the DSN with its passwords replaced by xxxxx, for messages
// and logs. It errs on the side of hiding: in a URL everything between the
// first ':' and the last '@' after the scheme goes (a password may hold an
// unescaped '/', '?' or '@'), and so does every password= parameter.
func (d DSN) Redacted() string {
	s, _ := redact(d.URL)
	return s
}

// redact returns s with its passwords hidden, and the passwords, so that
// scrub can take them out of a driver's message too.
func redact(s string) (string, []string) {
	var secrets []string
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			if c := strings.IndexByte(rest[:at], ':'); c >= 0 {
				secrets = append(secrets, rest[c+1:at])
				s = s[:i+3] + rest[:c+1] + "xxxxx" + rest[at:]
			}
		}
	}
	var b strings.Builder
	last := 0
	for _, m := range passwordParam.FindAllStringSubmatchIndex(s, -1) {
		secrets = append(secrets, s[m[2]:m[3]])
		b.WriteString(s[last:m[2]])
		b.WriteString("xxxxx")
		last = m[3]
	}
	b.WriteString(s[last:])
	return b.String(), secrets
}

// scrub takes the DSN's passwords out of msg, a driver's message that may
// quote the DSN: a URL's or a parameter's password, and the passwords of
// the DSN as given and unescaped. (One of three letters or fewer stays:
// hiding it would garble every word it occurs in.)
func (d DSN) scrub(msg string) string {
	msg, _ = redact(msg)
	_, secrets := redact(d.URL)
	for _, p := range secrets {
		for _, v := range []string{p, unescape(p)} {
			if len(v) > 3 && v != "xxxxx" {
				msg = strings.ReplaceAll(msg, v, "xxxxx")
			}
		}
	}
	return msg
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(strings.Trim(s, "'")); err == nil {
		return u
	}
	return s
}

// Title names the store for people who should not see how to reach it,
// such as the readers of a document that says what it was generated from:
// a SQLite file by its base name ("SQLite file tamledger.db"), a
// PostgreSQL database by its name and host ("PostgreSQL database ledger
// on db.internal"), never a user or a password. "" for a DSN that
// ParseDSN refuses.
func (d DSN) Title() string {
	switch d.Driver {
	case Postgres:
		u, err := url.Parse(d.URL)
		if err != nil {
			return "PostgreSQL database"
		}
		return "PostgreSQL database " + strings.TrimPrefix(u.Path, "/") + " on " + u.Hostname()
	case SQLite:
		return "SQLite file " + filepath.Base(d.Path)
	}
	return ""
}

// place names the store in messages: the file, or the redacted URL.
func (d DSN) place() string {
	if d.Driver == SQLite {
		return d.Path
	}
	return d.Redacted()
}

// rawName is what a raw SQLite connection opens: a file: URI whole (it is
// opened as a URI), a plain path without the query the driver drops.
func (d DSN) rawName() string {
	if strings.HasPrefix(d.URL, "file:") {
		return d.URL
	}
	return d.Path
}

// Exists reports whether dsn names a store, creating nothing. On SQLite it
// is a file that holds a SQLite database (a tamledger store, or one that
// Open would make one); an empty file is none. On PostgreSQL it is
// tamledger's tables in the schema the DSN's search_path selects (public
// by default). A file that is not a SQLite database is EUNAVAILABLE, and so
// is a server that cannot be reached.
func Exists(ctx context.Context, dsn string) (bool, error) {
	d, err := ParseDSN(dsn)
	if err != nil {
		return false, err
	}
	if d.Driver == Postgres {
		db, err := pgConnect(ctx, d)
		if err != nil {
			return false, err
		}
		defer db.Close()
		_, ok, err := pgStore(ctx, db)
		return ok, err
	}
	return sqliteExists(d)
}

// Remove deletes the store dsn names, and nothing else: on SQLite the file
// and its -wal, -shm and -journal files (it refuses a file that is not a
// SQLite database); on PostgreSQL tamledger's tables and schema_migrations
// in the DSN's schema, when they are there. A store that does not exist is
// not an error.
func Remove(ctx context.Context, dsn string) error {
	d, err := ParseDSN(dsn)
	if err != nil {
		return err
	}
	if d.Driver == Postgres {
		return pgRemove(ctx, d)
	}
	if _, err := sqliteExists(d); err != nil {
		return err
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		err := os.Remove(d.Path + suffix)
		switch {
		case errors.Is(err, fs.ErrPermission):
			return unavailable("cannot remove the store %s: permission denied (check the permissions of the directory %s)", d.Path, filepath.Dir(d.Path))
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("store: remove %s: %w", d.Path+suffix, err)
		}
	}
	return nil
}

// sqliteFile reports whether the SQLite file of d is there and not empty,
// from the file system alone.
func sqliteFile(d DSN) (bool, error) {
	fi, err := os.Stat(d.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case errors.Is(err, fs.ErrPermission):
		return false, unavailable("cannot open the store %s: permission denied (check the permissions of the directories above it)", d.Path)
	case err != nil:
		return false, fmt.Errorf("store: %w", err)
	case fi.IsDir():
		return false, unavailable("cannot open the store %s: it is a directory (give a file path with --db)", d.Path)
	}
	// SQLite takes an empty file for an empty database (and drops a
	// -wal file beside it).
	return fi.Size() > 0, nil
}

// sqliteExists is Exists on SQLite. It asks SQLite whether the file is a
// database rather than reading its header itself: closing a descriptor of
// the file would drop the locks this process's connections hold on it.
func sqliteExists(d DSN) (bool, error) {
	ok, err := sqliteFile(d)
	if err != nil || !ok {
		return ok, err
	}
	c, err := openRaw(d.rawName(), strings.HasPrefix(d.URL, "file:"), true)
	if err != nil {
		return false, sqliteTrouble(d, err, fmt.Errorf("store: open %s: %w", d.Path, err))
	}
	defer c.close()
	rs, err := c.query("PRAGMA page_count")
	if err != nil {
		return false, sqliteTrouble(d, err, fmt.Errorf("store: read %s: %w", d.Path, err))
	}
	defer rs.Close()
	n := int64(0)
	if rs.Next() {
		n = rs.Int(0)
	}
	if err := rs.Err(); err != nil {
		return false, sqliteTrouble(d, err, fmt.Errorf("store: read %s: %w", d.Path, err))
	}
	return n > 0, nil
}

// pgConnect connects to the server of a PostgreSQL DSN.
func pgConnect(ctx context.Context, d DSN) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(d.URL)
	if err != nil {
		return nil, pgBadURL(d, err)
	}
	db, err := sql.Open("pgx", d.URL)
	if err != nil {
		return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, pgTrouble(d, &cfg.Config, err, fmt.Errorf("store: connect to PostgreSQL %s: %w", pgAddr(&cfg.Config), err))
	}
	return db, nil
}

// pgStore finds the schema tables are created in (the first of the
// search_path that exists; "" when none does) and whether it holds a
// store: schema_migrations and organizations, the first table tamledger
// made (schema_migrations alone is a common name).
func pgStore(ctx context.Context, db *sql.DB) (schema string, ok bool, err error) {
	var n int
	err = db.QueryRowContext(ctx, `SELECT coalesce(current_schema(), ''),
		(SELECT count(*) FROM pg_catalog.pg_tables
		 WHERE schemaname = current_schema() AND tablename IN ('schema_migrations', 'organizations'))`).Scan(&schema, &n)
	if err != nil {
		return "", false, fmt.Errorf("store: look for tamledger's tables: %w", err)
	}
	return schema, n == 2, nil
}

// pgRemove drops tamledger's tables from the DSN's schema in one
// statement, without CASCADE: an object of someone else's that depends on
// them makes it fail rather than go too.
func pgRemove(ctx context.Context, d DSN) error {
	db, err := pgConnect(ctx, d)
	if err != nil {
		return err
	}
	defer db.Close()
	schema, ok, err := pgStore(ctx, db)
	if err != nil || !ok {
		return err
	}
	tables, err := tableNames(Postgres)
	if err != nil {
		return err
	}
	var names []string
	for _, t := range append(tables, "schema_migrations") {
		names = append(names, pgx.Identifier{schema, t}.Sanitize())
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: remove: %w", err)
	}
	defer tx.Rollback()
	// Not while another process migrates (the lock migrate takes).
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7467826)`); err != nil {
		return fmt.Errorf("store: remove: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+strings.Join(names, ", ")); err != nil {
		return fmt.Errorf("store: remove the tables of schema %s: %w", schema, err)
	}
	return tx.Commit()
}

var createTable = regexp.MustCompile(`(?im)^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)`)

// tableNames lists the tables the migrations of driver create, in order,
// so that Remove drops those of a migration added later too.
func tableNames(driver string) ([]string, error) {
	versions, err := Migrations(driver)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, v := range versions {
		body, err := migrationFiles.ReadFile("migrations/" + driver + "/" + v + ".sql")
		if err != nil {
			return nil, err
		}
		for _, m := range createTable.FindAllStringSubmatch(string(body), -1) {
			names = append(names, m[1])
		}
	}
	return names, nil
}
