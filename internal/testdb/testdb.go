// Package testdb gives tests a fresh, empty store DSN: a SQLite file in a
// temporary directory, or — when TAMLEDGER_TEST_DB holds a postgres:// DSN —
// a new schema of that PostgreSQL database, dropped when the test ends. CI
// runs the whole suite once each way.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// Postgres is the PostgreSQL DSN the suite runs against, or "".
func Postgres() string {
	dsn := os.Getenv("TAMLEDGER_TEST_DB")
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return dsn
	}
	return ""
}

// DSN returns a DSN for a fresh, empty store.
func DSN(t testing.TB) string {
	t.Helper()
	if pg := Postgres(); pg != "" {
		return Schema(t, pg)
	}
	return filepath.Join(t.TempDir(), "tamledger.db")
}

// Schema creates a uniquely named schema in the database of dsn and returns
// dsn with search_path set to it; the schema is dropped at cleanup.
func Schema(t testing.TB, dsn string) string {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer db.Close()
	name := fmt.Sprintf("t_%d", rand.Uint64()>>1)
	if _, err := db.ExecContext(context.Background(), "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("testdb: create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return
		}
		defer db.Close()
		db.ExecContext(context.Background(), "DROP SCHEMA "+name+" CASCADE")
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("testdb: bad DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
