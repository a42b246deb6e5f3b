package store

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/semaphore"

	"github.com/tamledger/tamledger"
)

// Bulk reads on PostgreSQL (EachLedger, ReadFloor, Ledger) go through pgx
// connections of their own rather than database/sql, for the same reason
// as the raw SQLite connections: database/sql decodes every column into a
// Go value and copies it again on Scan, an allocation or two per column,
// which on millions of rows made the garbage collector the largest cost.
// Here every result column comes back as text (one result format for the
// whole query) and is read from pgx's buffer: texts are copied once, enums
// and list items are interned, dates, amounts and instants are parsed from
// the bytes. The connections run with TimeZone UTC and DateStyle ISO, so
// that the text of a DATE is YYYY-MM-DD and that of a TIMESTAMPTZ is in
// UTC.

// pgTextResults asks for every result column as text.
var pgTextResults = pgx.QueryResultFormats{pgx.TextFormatCode}

// pgConn is a pgx connection used by one goroutine at a time.
type pgConn struct {
	c *pgx.Conn
	interner
}

func (c *pgConn) rows(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := c.c.Query(ctx, query, append([]any{pgTextResults}, args...)...)
	if err != nil {
		return nil, mapError("read", err, "")
	}
	return &pgRows{c: c, r: r}, nil
}

func (c *pgConn) exec(ctx context.Context, sql string) error {
	_, err := c.c.Exec(ctx, sql)
	return err
}

// pgPool keeps pgx connections between reads (with TimeZone UTC, DateStyle
// ISO, and jit off). At most max are in use at
// once: a reader that would pass that waits for one to come back, rather
// than connecting (a new PostgreSQL connection is a new server process:
// under 50 concurrent requests, connecting for each one cost more than the
// requests). A snapshot of n connections takes its n at once (acquire), so
// that readers holding some and waiting for more cannot block each other.
type pgPool struct {
	cfg    *pgx.ConnConfig
	max    int
	sem    *semaphore.Weighted
	idle   chan *pgConn
	mu     sync.Mutex
	closed bool
}

// pgMaxConns is the most pgx connections a store uses at once.
func pgMaxConns() int { return max(16, 2*runtime.GOMAXPROCS(0)) }

func newPgPool(dsn string) (*pgPool, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.RuntimeParams["TimeZone"] = "UTC"
	cfg.RuntimeParams["DateStyle"] = "ISO, YMD"
	// No JIT compilation: reads turn enable_sort off (snapshot), which
	// makes the planner's cost of any query with an ORDER BY it cannot
	// walk an index for enormous, and past jit_above_cost PostgreSQL
	// compiles the query with LLVM first — 225 ms for the one-row read of
	// a signed-in user, on every request.
	cfg.RuntimeParams["jit"] = "off"
	n := pgMaxConns()
	return &pgPool{cfg: cfg, max: n, sem: semaphore.NewWeighted(int64(n)), idle: make(chan *pgConn, n)}, nil
}

// acquire waits until n more connections may be in use.
func (p *pgPool) acquire(ctx context.Context, n int) error {
	if n > p.max {
		return fmt.Errorf("store: %d PostgreSQL connections asked at once, more than the %d a store uses", n, p.max)
	}
	return p.sem.Acquire(ctx, int64(n))
}

// release says n connections acquired are no longer in use (after put).
func (p *pgPool) release(n int) { p.sem.Release(int64(n)) }

func (p *pgPool) get(ctx context.Context) (*pgConn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	c, err := pgx.ConnectConfig(ctx, p.cfg.Copy())
	if err != nil {
		return nil, err
	}
	return &pgConn{c: c, interner: interner{}}, nil
}

// put returns a connection, ending its transaction.
func (p *pgPool) put(c *pgConn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c.c.PgConn().TxStatus() != 'I' {
		if _, err := c.c.Exec(ctx, "ROLLBACK"); err != nil {
			c.c.Close(ctx)
			return
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		select {
		case p.idle <- c:
			return
		default:
		}
	}
	c.c.Close(ctx)
}

func (p *pgPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		select {
		case c := <-p.idle:
			c.c.Close(ctx)
		default:
			return
		}
	}
}

// snapshot begins a read-only REPEATABLE READ transaction on each of n
// pgx connections, all in one exported snapshot.
func (b *postgresBackend) snapshot(ctx context.Context, n int) (conns []conn, release func(), err error) {
	if err := b.pg.acquire(ctx, n); err != nil {
		return nil, nil, mapError("connect for reading", err, "")
	}
	pcs := make([]*pgConn, 0, n)
	free := func() {
		for _, c := range pcs {
			b.pg.put(c)
		}
		b.pg.release(n)
	}
	defer func() {
		if err != nil {
			free() // the named release is nil on an error path
		}
	}()
	for len(pcs) < n {
		c, err := b.pg.get(ctx)
		if err != nil {
			return nil, nil, mapError("connect for reading", err, "")
		}
		pcs = append(pcs, c)
	}
	var snapshot string
	for i, c := range pcs {
		if err := c.exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
			return nil, nil, mapError("begin read", err, "")
		}
		switch {
		case n == 1:
		case i == 0:
			if err := c.c.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&snapshot); err != nil {
				return nil, nil, mapError("export snapshot", err, "")
			}
		default:
			if err := c.exec(ctx, "SET TRANSACTION SNAPSHOT '"+strings.ReplaceAll(snapshot, "'", "''")+"'"); err != nil {
				return nil, nil, mapError("import snapshot", err, "")
			}
		}
		// The reads are ordered by primary key: walk the key's index rather
		// than sort a range (the planner's choice for wide ranges), so that
		// rows stream from the first.
		if err := c.exec(ctx, "SET LOCAL enable_sort = off"); err != nil {
			return nil, nil, mapError("begin read", err, "")
		}
	}
	conns = make([]conn, n)
	for i, c := range pcs {
		conns[i] = c
	}
	return conns, free, nil
}

// pgRows reads a result whose columns are all text.
type pgRows struct {
	c    *pgConn
	r    pgx.Rows
	vals [][]byte
	e    error
}

func (r *pgRows) next() bool {
	if r.e != nil || !r.r.Next() {
		return false
	}
	r.vals = r.r.RawValues()
	return true
}

func (r *pgRows) err() error {
	if r.e == nil {
		r.e = r.r.Err()
	}
	return mapError("read", r.e, "")
}

func (r *pgRows) close() { r.r.Close() }

func (r *pgRows) fail(err error) {
	if r.e == nil {
		r.e = err
	}
}

func (r *pgRows) columns() int { return len(r.r.FieldDescriptions()) }

func (r *pgRows) touch(int) {}

func (r *pgRows) null(i int) bool { return r.vals[i] == nil }

func (r *pgRows) text(i int) string { return string(r.vals[i]) }

func (r *pgRows) enum(i int) string {
	if r.vals[i] == nil {
		return ""
	}
	return r.c.interned(r.vals[i])
}

func (r *pgRows) bytes(i int) []byte { return r.vals[i] }

func (r *pgRows) same(i int, s string) bool { return r.vals[i] != nil && string(r.vals[i]) == s }

func (r *pgRows) list(i int) []string { return internedList(r.vals[i], r.c.interned) }

func (r *pgRows) date(i int) tamledger.Date {
	if r.vals[i] == nil {
		return tamledger.Date{}
	}
	d, err := parseDate(r.vals[i])
	r.fail(err)
	return d
}

func (r *pgRows) money(i int) *tamledger.Money {
	if r.vals[i] == nil {
		return nil
	}
	m, err := parseMoney(string(r.vals[i]))
	r.fail(err)
	return m
}

func (r *pgRows) float(i int) (float64, bool) {
	if r.vals[i] == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(r.vals[i]), 64)
	if err != nil {
		r.fail(fmt.Errorf("store: bad number %q in the database", r.vals[i]))
	}
	return f, err == nil
}

func (r *pgRows) integer(i int) int64 {
	if r.vals[i] == nil {
		return 0
	}
	n, err := strconv.ParseInt(string(r.vals[i]), 10, 64)
	if err != nil {
		r.fail(fmt.Errorf("store: bad integer %q in the database", r.vals[i]))
	}
	return n
}

func (r *pgRows) boolean(i int) bool { return len(r.vals[i]) > 0 && r.vals[i][0] == 't' }

// pgInstant is the text of a TIMESTAMPTZ in a session whose TimeZone is
// UTC: "2026-04-02 09:00:00+00", with up to six fraction digits.
const pgInstant = "2006-01-02 15:04:05.999999999-07"

func (r *pgRows) instant(i int) (time.Time, bool) {
	if r.vals[i] == nil {
		return time.Time{}, false
	}
	t, err := time.Parse(pgInstant, string(r.vals[i]))
	if err != nil {
		r.fail(fmt.Errorf("store: bad instant %q in the database", r.vals[i]))
		return time.Time{}, false
	}
	return t.UTC(), true
}
