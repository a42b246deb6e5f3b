package store

import (
	"context"
	"database/sql"
	"errors"

	csqlite "github.com/tamledger/tamledger/store/internal/sqlite"
)

// txConn is the connection of a write transaction: database/sql on
// PostgreSQL, the store's raw write connection on SQLite (its multi-row
// statements cost a quarter less CPU there, which is what bounds an
// import).
type txConn interface {
	conn
	// exec runs a statement and returns the number of rows it changed.
	exec(ctx context.Context, query string, args ...any) (int64, error)
	// upsert runs the Tx's prepared upsert k (built by sql the first
	// time); with k.returning it returns the rows written.
	upsert(ctx context.Context, k stmtKey, sql func() string, args []any) (rows, error)
	commit() error
	rollback() error
}

type sqlTx struct {
	tx    *sql.Tx
	stmts map[stmtKey]*sql.Stmt
}

func (t *sqlTx) rows(ctx context.Context, query string, args ...any) (rows, error) {
	return sqlConn{t.tx}.rows(ctx, query, args...)
}

func (t *sqlTx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t *sqlTx) upsert(ctx context.Context, k stmtKey, query func() string, args []any) (rows, error) {
	st := t.stmts[k]
	if st == nil {
		var err error
		if st, err = t.tx.PrepareContext(ctx, query()); err != nil {
			return nil, err
		}
		t.stmts[k] = st
	}
	if !k.returning {
		_, err := st.ExecContext(ctx, args...)
		return nil, err
	}
	r, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	return newSQLRows(r)
}

func (t *sqlTx) commit() error { return t.tx.Commit() }

func (t *sqlTx) rollback() error {
	if err := t.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) { // ErrTxDone: the context ended and database/sql rolled back
		return err
	}
	return nil
}

// rawTx is a transaction on a raw SQLite connection.
type rawTx struct {
	c     *rawConn
	stmts map[stmtKey]csqlite.Stmt // the Tx's upserts, finalized at its end
}

func beginRaw(c *rawConn) (*rawTx, error) {
	if err := c.exec("BEGIN IMMEDIATE"); err != nil {
		return nil, err
	}
	return &rawTx{c: c, stmts: map[stmtKey]csqlite.Stmt{}}, nil
}

func (t *rawTx) rows(ctx context.Context, query string, args ...any) (rows, error) {
	return t.c.rows(ctx, query, args...)
}

func (t *rawTx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	r, err := t.c.query(query, args...)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	for r.Next() {
	}
	if err := r.Err(); err != nil {
		return 0, err
	}
	return t.c.Changes(), nil
}

func (t *rawTx) upsert(ctx context.Context, k stmtKey, query func() string, args []any) (rows, error) {
	st := t.stmts[k]
	if st == 0 {
		var err error
		if st, err = t.c.Prepare(query()); err != nil {
			return nil, err
		}
		t.stmts[k] = st
	}
	r, err := t.c.Run(st, args...)
	if err != nil {
		return nil, err
	}
	if k.returning {
		return &rawReadRows{rs: r, c: t.c}, nil
	}
	defer r.Close()
	for r.Next() {
	}
	return nil, r.Err()
}

func (t *rawTx) end(sql string) error {
	for _, st := range t.stmts {
		t.c.Finalize(st)
	}
	t.stmts = nil
	err := t.c.exec(sql)
	if err != nil && t.c.InTx() {
		t.c.exec("ROLLBACK") // a failed COMMIT leaves the transaction open
	}
	return err
}

func (t *rawTx) commit() error { return t.end("COMMIT") }

func (t *rawTx) rollback() error {
	if !t.c.InTx() {
		t.end("SELECT 1")
		return nil // SQLite rolled back already (after some errors it does)
	}
	return t.end("ROLLBACK")
}
