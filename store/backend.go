package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// backend is what each database does its own way; the SQL they share is the
// dialect's. sqliteBackend and postgresBackend are the two.
type backend interface {
	// read returns n connections that all see one committed state, and
	// what releases them. Every read of the store goes through it.
	read(ctx context.Context, n int) ([]conn, func(), error)
	// begin starts a write transaction, and returns what lets the next
	// writer of this process in once it ends.
	begin(ctx context.Context) (txConn, func(), error)
	// committing runs in a write transaction that wrote something, just
	// before it commits.
	committing(ctx context.Context, c txConn) error
	// committed returns a connection that reads the state committed before
	// the running write transaction, without waiting for its writes, and
	// what releases it; nil when reads go through the transaction itself.
	committed() (*rawConn, func(), error)
	// trouble says what the environment did to err (EUNAVAILABLE naming
	// the file or server and what to do), or returns fallback.
	trouble(err, fallback error) error
	close()
}

// sqliteBackend keeps a SQLite file: raw connections (store/internal/sqlite)
// for the bulk reads and the writes, database/sql to create and migrate.
type sqliteBackend struct {
	dsn DSN
	// wmu serialises this process's write transactions (a channel so that
	// begin can give up when its context ends). SQLite has one writer at a
	// time; waiting here instead of in SQLite's busy handler is fair and
	// does not poll.
	wmu chan struct{}
	raw *rawPool // raw connections for reads
	wc  *rawConn // the raw write connection, used under wmu
}

func newSQLiteBackend(d DSN) *sqliteBackend {
	return &sqliteBackend{dsn: d, wmu: make(chan struct{}, 1), raw: newRawPool(d.rawName())}
}

func (b *sqliteBackend) read(ctx context.Context, n int) ([]conn, func(), error) {
	return b.snapshot(ctx, n)
}

func (b *sqliteBackend) begin(ctx context.Context) (txConn, func(), error) {
	select {
	case b.wmu <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	var once sync.Once
	unlock := func() { once.Do(func() { <-b.wmu }) }
	wc, err := b.writeConn()
	if err != nil {
		unlock()
		return nil, nil, err
	}
	rt, err := beginRaw(wc)
	if err != nil {
		unlock()
		return nil, nil, mapError("begin", err, "")
	}
	return rt, unlock, nil
}

// committing bumps store_generation, which readers on several connections
// compare to know that they see one state (snapshot), and Store.Generation
// reads.
func (b *sqliteBackend) committing(ctx context.Context, c txConn) error {
	_, err := c.exec(ctx, "UPDATE store_generation SET n = n + 1")
	return err
}

// committed is a raw connection in a read transaction: begun after the
// write transaction took SQLite's write lock, it sees what was committed
// before, which no one can change meanwhile.
func (b *sqliteBackend) committed() (*rawConn, func(), error) {
	c, err := b.raw.get()
	if err != nil {
		return nil, nil, err
	}
	if err := c.exec("BEGIN"); err != nil {
		b.raw.put(c)
		return nil, nil, err
	}
	return c, func() { b.raw.put(c) }, nil
}

func (b *sqliteBackend) trouble(err, fallback error) error {
	return sqliteTrouble(b.dsn, err, fallback)
}

func (b *sqliteBackend) close() {
	b.raw.close()
	select {
	case b.wmu <- struct{}{}: // no write transaction is open
		if b.wc != nil {
			b.wc.close()
			b.wc = nil
		}
		<-b.wmu
	default:
	}
}

// writeConn is the raw write connection, opened on first use. The caller
// holds wmu.
func (b *sqliteBackend) writeConn() (*rawConn, error) {
	if b.wc == nil {
		c, err := openRaw(b.raw.name, b.raw.uri, false)
		if err != nil {
			return nil, sqliteTrouble(b.dsn, err, fmt.Errorf("store: open SQLite for writing: %w", err))
		}
		// SQLite opens a file this process may not write read-only, and
		// says so only at the first write: say it before the first.
		if c.ReadOnly() {
			c.close()
			return nil, unavailable("cannot write the store %s: permission denied (check the file's permissions)", b.dsn.Path)
		}
		b.wc = c
	}
	return b.wc, nil
}

// postgresBackend keeps a PostgreSQL schema: database/sql for one read and
// the writes, pgx connections of its own for the bulk reads.
type postgresBackend struct {
	dsn DSN
	db  *sql.DB
	pg  *pgPool
}

// read is, for one connection, a REPEATABLE READ transaction on the
// connection Open made (a pgx connection of its own would cost a connect);
// for several, pgx connections in one exported snapshot.
func (b *postgresBackend) read(ctx context.Context, n int) ([]conn, func(), error) {
	if n > 1 {
		return b.snapshot(ctx, n)
	}
	tx, err := b.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, nil, mapError("begin read", err, "")
	}
	// Reads are ordered by primary key: walk the key's index rather than
	// sort a range (the planner's choice for wide ranges), so that rows
	// stream from the first. That makes the cost of a query whose order
	// no index gives enormous, and past jit_above_cost PostgreSQL would
	// compile it with LLVM first (225 ms for the one-row read of a
	// signed-in user): no JIT (pgPool's connections have it off too).
	if _, err := tx.ExecContext(ctx, "SET LOCAL enable_sort = off; SET LOCAL jit = off"); err != nil {
		tx.Rollback()
		return nil, nil, mapError("begin read", err, "")
	}
	return []conn{sqlConn{tx}}, func() { tx.Rollback() }, nil
}

func (b *postgresBackend) begin(ctx context.Context) (txConn, func(), error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, mapError("begin", err, "")
	}
	return &sqlTx{tx: tx, stmts: map[stmtKey]*sql.Stmt{}}, func() {}, nil
}

// committing bumps store_generation, which Store.Generation reads. The
// row's lock is held from here to the commit only.
func (b *postgresBackend) committing(ctx context.Context, c txConn) error {
	_, err := c.exec(ctx, "UPDATE store_generation SET n = n + 1")
	return err
}

func (b *postgresBackend) committed() (*rawConn, func(), error) { return nil, nil, nil }

func (b *postgresBackend) trouble(err, fallback error) error {
	return pgTrouble(b.dsn, &b.pg.cfg.Config, err, fallback)
}

func (b *postgresBackend) close() { b.pg.close() }
