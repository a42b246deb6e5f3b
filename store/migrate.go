package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// The schema, as numbered migrations: migrations/<driver>/NNNN_name.sql. The
// two folders hold the same file names; a migration is applied once, in
// name order, and recorded in schema_migrations.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// Migrations lists the migration versions (file names without .sql) of a
// driver, in the order they apply.
func Migrations(driver string) ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/"+driver+"/*.sql")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("store: no migrations for driver %q", driver)
	}
	versions := make([]string, len(names))
	for i, n := range names {
		versions[i] = strings.TrimSuffix(path.Base(n), ".sql")
	}
	slices.Sort(versions)
	return versions, nil
}

// migrate applies the migrations not yet recorded, all in one transaction,
// so that a failed migration leaves the schema as it was. On PostgreSQL an
// advisory lock keeps two processes from migrating at once; on SQLite the
// write transaction does.
func (s *Store) migrate(ctx context.Context) (err error) {
	versions, err := Migrations(s.d.name)
	if err != nil {
		return err
	}
	// Most opens find the schema current: check that without taking the
	// write lock, so that a reader does not queue behind a long import.
	if current, err := s.schemaCurrent(ctx, versions); err == nil && current {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			err = fmt.Errorf("store: migrate %s: %w", s.d.title, err)
		}
	}()
	if s.d.name == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7467826)`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT NOT NULL PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return err
	}
	applied, err := appliedMigrations(ctx, sqlConn{tx})
	if err != nil {
		return err
	}
	for v := range applied {
		if !slices.Contains(versions, v) {
			return unavailable("the store at %s has migration %s, which this tamledger does not know: it was written by a newer version (use that version, or a newer one, with this store)", s.dsn.place(), v)
		}
	}
	for _, v := range versions {
		if applied[v] {
			continue
		}
		body, err := migrationFiles.ReadFile("migrations/" + s.d.name + "/" + v + ".sql")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("%s: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
			v, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// schemaCurrent reports whether a SQLite store's schema is current,
// on a raw read connection that it leaves in the pool for the reads that
// follow. Any failure (no file yet, no schema_migrations table) says no:
// Open then connects through database/sql, which creates and migrates.
func (b *sqliteBackend) schemaCurrent() bool {
	versions, err := Migrations(SQLite)
	if err != nil {
		return false
	}
	c, err := b.raw.get()
	if err != nil {
		return false
	}
	defer b.raw.put(c)
	applied, err := appliedMigrations(context.Background(), c)
	return err == nil && current(applied, versions)
}

// schemaCurrent reports whether every version is applied and no other.
func (s *Store) schemaCurrent(ctx context.Context, versions []string) (bool, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	applied, err := appliedMigrations(ctx, sqlConn{tx})
	if err != nil {
		return false, err
	}
	return current(applied, versions), nil
}

// current reports whether applied holds every version and no other.
func current(applied map[string]bool, versions []string) bool {
	if len(applied) != len(versions) {
		return false
	}
	for _, v := range versions {
		if !applied[v] {
			return false
		}
	}
	return true
}

func appliedMigrations(ctx context.Context, c conn) (map[string]bool, error) {
	rs, err := c.rows(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rs.close()
	applied := map[string]bool{}
	for rs.next() {
		applied[rs.text(0)] = true
	}
	return applied, rs.err()
}
