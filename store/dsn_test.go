package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

func TestParseDSN(t *testing.T) {
	for _, tt := range []struct{ dsn, driver, path string }{
		{"tamledger.db", store.SQLite, "tamledger.db"},
		{"/var/lib/tamledger/ledger.db", store.SQLite, "/var/lib/tamledger/ledger.db"},
		{"x.db?_pragma=foreign_keys(1)", store.SQLite, "x.db"}, // the driver drops a path's query
		{"file:x.db", store.SQLite, "x.db"},
		{"file:x.db?mode=ro&cache=shared", store.SQLite, "x.db"},
		{"file:/tmp/x.db#part", store.SQLite, "/tmp/x.db"},
		{"file:///tmp/a%20b.db", store.SQLite, "/tmp/a b.db"},
		{"file://localhost/tmp/x.db", store.SQLite, "/tmp/x.db"},
		{"postgres://u:p@db.example.com:5432/tamledger?sslmode=require", store.Postgres, ""},
		{"postgresql://db/tamledger", store.Postgres, ""},
	} {
		d, err := store.ParseDSN(tt.dsn)
		if err != nil || d.Driver != tt.driver || d.Path != tt.path || d.URL != tt.dsn {
			t.Errorf("ParseDSN(%q) = %+v, %v; want driver %s, path %q", tt.dsn, d, err, tt.driver, tt.path)
		}
	}
	for _, tt := range []struct{ dsn, want string }{
		{"", "no database given"},
		{"  ", "no database given"},
		{":memory:", "in-memory SQLite"},
		{"file::memory:", "in-memory SQLite"},
		{"file:x.db?mode=memory&cache=shared", "in-memory SQLite"},
		{"file:", "bad SQLite URI"},
		{"file://otherhost/x.db", "is not this machine"},
		{"mysql://u:s3cr3t-pw@h/db", "unknown kind of database mysql://u:xxxxx@h/db"},
		{"host=db user=me password=s3cr3t-pw", "password=xxxxx"},
	} {
		d, err := store.ParseDSN(tt.dsn)
		if tamledger.ErrorCode(err) != tamledger.EINVALID || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDSN(%q): %v, want EINVALID saying %q", tt.dsn, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Errorf("ParseDSN(%q): the error shows the password: %v", tt.dsn, err)
		}
		if d.URL != tt.dsn {
			t.Errorf("ParseDSN(%q).URL = %q: a DSN in error keeps its URL, for Redacted", tt.dsn, d.URL)
		}
	}
}

func TestRedacted(t *testing.T) {
	for _, tt := range []struct{ dsn, want string }{
		{"tamledger.db", "tamledger.db"},
		{"file:x.db?mode=ro", "file:x.db?mode=ro"},
		{"postgres://db/tamledger", "postgres://db/tamledger"},
		{"postgres://me@db:5432/tamledger?sslmode=disable", "postgres://me@db:5432/tamledger?sslmode=disable"},
		{"postgres://me:s3cr3t@db:5432/tamledger?sslmode=disable", "postgres://me:xxxxx@db:5432/tamledger?sslmode=disable"},
		{"postgres://me@db/tamledger?sslmode=disable&password=s3cr3t", "postgres://me@db/tamledger?sslmode=disable&password=xxxxx"},
		{"postgresql://me@db/tamledger?password=s3cr3t&sslpassword=k3y", "postgresql://me@db/tamledger?password=xxxxx&sslpassword=xxxxx"},
		// Unescaped, a password may hold '/', '?' and '@': all of it goes.
		{"postgres://me:s3/cr?3t@x@db/tamledger", "postgres://me:xxxxx@db/tamledger"},
		{"host=db password=s3cr3t user=me", "host=db password=xxxxx user=me"},
	} {
		d, _ := store.ParseDSN(tt.dsn)
		if got := d.Redacted(); got != tt.want {
			t.Errorf("Redacted(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}

// A store's title names it for a document's reader: no directory, no
// user, no password.
func TestTitle(t *testing.T) {
	for dsn, want := range map[string]string{
		"/home/me/ledgers/tamledger.db":                                "SQLite file tamledger.db",
		"file:/srv/t.db?_pragma=busy_timeout(5000)":                    "SQLite file t.db",
		"postgres://me:s3cret@db.internal:5432/ledger?sslmode=require": "PostgreSQL database ledger on db.internal",
		"mysql://x/y": "",
	} {
		d, _ := store.ParseDSN(dsn)
		if got := d.Title(); got != want {
			t.Errorf("ParseDSN(%q).Title() = %q, want %q", dsn, got, want)
		}
	}
}

func TestExistsAndRemoveSQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "t.db")
	exists := func(dsn string, want bool) {
		t.Helper()
		if ok, err := store.Exists(ctx, dsn); err != nil || ok != want {
			t.Errorf("Exists(%q) = %v, %v; want %v", dsn, ok, err, want)
		}
	}

	exists(path, false)
	if s, err := store.OpenExisting(ctx, "file:"+path); tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE ||
		tamledger.ErrorMessage(err) != "no store at "+path+": import your files (tamledger init ORG writes a starter one) or run tamledger demo" {
		t.Errorf("OpenExisting of a missing file: %v, %v; want EUNAVAILABLE no store at %s", s, err, path)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("OpenExisting created the file")
	}
	if err := store.Remove(ctx, path); err != nil {
		t.Errorf("Remove of a missing store: %v", err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	exists(path, false) // SQLite reads an empty file as an empty database

	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, orgRecord("acme"))
	s.Close()
	exists(path, true)
	exists("file:"+path, true)
	exists("file://"+path+"?mode=ro", true)
	// file:PATH and PATH are one store.
	s, err = store.OpenExisting(ctx, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Get(ctx, tamledger.KindOrganization, "", "acme"); !ok || err != nil {
		t.Errorf("file:%s does not see what %s holds: %v, %v", path, path, ok, err)
	}
	s.Close()

	// Remove takes the file and what SQLite keeps beside it.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.WriteFile(path+suffix, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Remove(ctx, "file:"+path); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) > 0 {
		t.Errorf("Remove left %v", left)
	}
	exists(path, false)

	t.Run("not a store", func(t *testing.T) {
		text := filepath.Join(dir, "notes.txt")
		if err := os.WriteFile(text, []byte("my notes, which are not a database\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{
			"Exists": func() error { _, err := store.Exists(ctx, text); return err }(),
			"Remove": store.Remove(ctx, text),
			"Open":   func() error { _, err := store.Open(ctx, text); return err }(),
		} {
			if tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE || tamledger.ErrorMessage(err) != "cannot open the store "+text+": it is not a SQLite database (give another --db)" {
				t.Errorf("%s of a text file: %v", name, err)
			}
		}
		if b, _ := os.ReadFile(text); !strings.HasPrefix(string(b), "my notes") {
			t.Errorf("the text file changed: %q", b)
		}
		for name, err := range map[string]error{
			"Exists":       func() error { _, err := store.Exists(ctx, dir); return err }(),
			"Remove":       store.Remove(ctx, dir),
			"Open":         func() error { _, err := store.Open(ctx, dir); return err }(),
			"OpenExisting": func() error { _, err := store.OpenExisting(ctx, dir); return err }(),
		} {
			if tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE || !strings.Contains(err.Error(), "it is a directory") {
				t.Errorf("%s of a directory: %v", name, err)
			}
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		missing := filepath.Join(dir, "no", "such")
		_, err := store.Open(ctx, filepath.Join(missing, "t.db"))
		want := "cannot create the store " + filepath.Join(missing, "t.db") + ": the directory " + missing + " does not exist (create it, or give another --db)"
		if tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE || tamledger.ErrorMessage(err) != want {
			t.Errorf("Open in a missing directory: %v, want EUNAVAILABLE %q", err, want)
		}
	})
}

func TestPostgresUnreachable(t *testing.T) {
	// Nothing listens on port 1: no server is needed.
	for _, dsn := range []string{
		"postgres://me:s3cr3t-pw@127.0.0.1:1/tamledger?sslmode=disable",
		"postgresql://me@127.0.0.1:1/tamledger?sslmode=disable&password=s3cr3t-pw",
	} {
		_, err1 := store.Exists(context.Background(), dsn)
		_, err2 := store.Open(context.Background(), dsn)
		_, err3 := store.OpenExisting(context.Background(), dsn)
		err4 := store.Remove(context.Background(), dsn)
		for _, err := range []error{err1, err2, err3, err4} {
			want := "cannot connect to PostgreSQL at 127.0.0.1:1: connection refused (is the server running? check --db or TAMLEDGER_DB)"
			if tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE || tamledger.ErrorMessage(err) != want {
				t.Errorf("%s: %v, want EUNAVAILABLE %q", dsn, err, want)
			}
		}
	}
	_, err := store.Open(context.Background(), "postgres://me:s3cr3t-pw@db:notaport/tamledger")
	if tamledger.ErrorCode(err) != tamledger.EINVALID || strings.Contains(err.Error(), "s3cr3t-pw") ||
		!strings.Contains(err.Error(), "bad PostgreSQL URL postgres://me:xxxxx@db:notaport/tamledger: invalid port") {
		t.Errorf("Open of a bad URL: %v", err)
	}
}

func TestExistsAndRemovePostgres(t *testing.T) {
	ctx := context.Background()
	dsn := postgresDSN(t)
	admin, err := sql.Open("pgx", os.Getenv(pgEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := dsn[strings.LastIndex(dsn, "search_path=")+len("search_path="):]
	tables := func(schema string) []string {
		t.Helper()
		rows, err := admin.Query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, schema)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			names = append(names, n)
		}
		return names
	}

	if ok, err := store.Exists(ctx, dsn); ok || err != nil {
		t.Fatalf("Exists of an empty schema = %v, %v", ok, err)
	}
	if _, err := store.OpenExisting(ctx, dsn); tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE || !strings.Contains(err.Error(), "no store at postgres://") {
		t.Errorf("OpenExisting of an empty schema: %v", err)
	}
	if got := tables(schema); len(got) > 0 {
		t.Fatalf("OpenExisting created %v", got)
	}
	// A table of someone else's with a name tamledger uses is no store,
	// and Remove leaves it.
	if _, err := admin.Exec(`CREATE TABLE ` + schema + `.events (x int)`); err != nil {
		t.Fatal(err)
	}
	if err := store.Remove(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	if got := tables(schema); len(got) != 1 {
		t.Fatalf("Remove of a schema without a store left %v, want [events]", got)
	}
	if _, err := admin.Exec(`DROP TABLE ` + schema + `.events`); err != nil {
		t.Fatal(err)
	}

	// Another schema's store stays when this one's goes.
	other := postgresDSN(t)
	for _, d := range []string{dsn, other} {
		s, err := store.Open(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		put(t, s, orgRecord("acme"))
		s.Close()
	}
	if _, err := admin.Exec(`CREATE TABLE ` + schema + `.keep_me (x int)`); err != nil {
		t.Fatal(err)
	}
	if ok, err := store.Exists(ctx, dsn); !ok || err != nil {
		t.Fatalf("Exists of a store = %v, %v", ok, err)
	}
	if err := store.Remove(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	if got := tables(schema); strings.Join(got, ",") != "keep_me" {
		t.Errorf("after Remove the schema holds %v, want [keep_me]", got)
	}
	if ok, err := store.Exists(ctx, dsn); ok || err != nil {
		t.Errorf("Exists after Remove = %v, %v", ok, err)
	}
	if ok, err := store.Exists(ctx, other); !ok || err != nil {
		t.Errorf("Remove took another schema's store: Exists = %v, %v", ok, err)
	}
	// Every table went: the migrations run again on the same schema.
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open after Remove: %v", err)
	}
	if orgs, err := s.Organizations(ctx); len(orgs) != 0 || err != nil {
		t.Errorf("a store opened after Remove holds %v, %v", orgs, err)
	}
	s.Close()

	t.Run("environment", func(t *testing.T) {
		base := os.Getenv(pgEnv)
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		_, err := store.Open(ctx, base+sep+"search_path=tamledger_no_such_schema")
		if tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE || !strings.Contains(err.Error(), "no schema of the search_path exists (create the schema, or fix search_path in --db)") {
			t.Errorf("Open with a missing schema: %v", err)
		}
		i := strings.Index(base[len("postgres://"):], "/") + len("postgres://")
		j := strings.IndexAny(base[i+1:]+"?", "?") + i + 1
		nodb := base[:i+1] + "tamledger_no_such_database" + base[j:]
		_, err = store.Open(ctx, nodb)
		if tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE || !strings.Contains(err.Error(), "the database tamledger_no_such_database does not exist (create it, or check --db)") {
			t.Errorf("Open of a missing database (%s): %v", nodb, err)
		}
	})
}
