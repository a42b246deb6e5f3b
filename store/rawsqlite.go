package store

import (
	"fmt"
	"strings"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// A raw SQLite connection, for the bulk reads of EachLedger and ReadFloor
// only. It talks to SQLite's C API (modernc.org/sqlite/lib, the library
// under the database/sql driver) on a connection opened without SQLite's
// per-connection mutex, and hands out column bytes without copying them:
// on a portfolio of millions of rows that halves the time spent reading.
// A rawConn is used by one goroutine at a time and only runs SELECTs
// (query_only).

type rawConn struct {
	tls    *libc.TLS
	db     uintptr
	stmts  map[string]uintptr
	intern map[string]string // small vocabularies: services, statuses, workload ids
}

const maxInterned = 4096

func openRaw(name string, uri bool) (c *rawConn, err error) {
	tls := libc.NewTLS()
	cname, err := libc.CString(name)
	if err != nil {
		tls.Close()
		return nil, err
	}
	defer libc.Xfree(tls, cname)
	pdb := libc.Xcalloc(tls, 1, 8)
	defer libc.Xfree(tls, pdb)
	flags := int32(sqlite3.SQLITE_OPEN_READWRITE | sqlite3.SQLITE_OPEN_NOMUTEX)
	if uri {
		flags |= sqlite3.SQLITE_OPEN_URI
	}
	rc := sqlite3.Xsqlite3_open_v2(tls, cname, pdb, flags, 0)
	c = &rawConn{tls: tls, db: *(*uintptr)(cmem(pdb)), stmts: map[string]uintptr{}, intern: map[string]string{}}
	if rc != sqlite3.SQLITE_OK {
		err = c.error(rc)
		c.close()
		return nil, err
	}
	for _, p := range []string{
		fmt.Sprintf("PRAGMA busy_timeout = %d", sqliteBusyTimeout.Milliseconds()),
		fmt.Sprintf("PRAGMA mmap_size = %d", sqliteMmapBytes),
		fmt.Sprintf("PRAGMA cache_size = %d", -sqliteCacheKiB),
		"PRAGMA query_only = 1",
	} {
		if err := c.exec(p); err != nil {
			c.close()
			return nil, err
		}
	}
	return c, nil
}

func (c *rawConn) error(rc int32) error {
	msg := "unknown error"
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	return fmt.Errorf("sqlite: %s (%d)", msg, rc)
}

func (c *rawConn) exec(sql string) error {
	p, err := libc.CString(sql)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, p)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, p, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.error(rc)
	}
	return nil
}

// query runs sql with text arguments. The statement is prepared once per
// connection. Close the rows before the next query.
func (c *rawConn) query(sql string, args ...any) (*rawRows, error) {
	st := c.stmts[sql]
	if st == 0 {
		p, err := libc.CString(sql)
		if err != nil {
			return nil, err
		}
		pst := libc.Xcalloc(c.tls, 1, 8)
		rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, p, -1, pst, 0)
		st = *(*uintptr)(cmem(pst))
		libc.Xfree(c.tls, pst)
		libc.Xfree(c.tls, p)
		if rc != sqlite3.SQLITE_OK {
			return nil, c.error(rc)
		}
		c.stmts[sql] = st
	}
	for i, a := range args {
		s, ok := a.(string)
		if !ok {
			return nil, fmt.Errorf("store: raw query argument %d is a %T, not a string", i+1, a)
		}
		p, err := libc.CString(s)
		if err != nil {
			return nil, err
		}
		rc := sqlite3.Xsqlite3_bind_text(c.tls, st, int32(i+1), p, int32(len(s)), sqlite3.SQLITE_TRANSIENT)
		libc.Xfree(c.tls, p)
		if rc != sqlite3.SQLITE_OK {
			return nil, c.error(rc)
		}
	}
	return &rawRows{c: c, st: st}, nil
}

// cmem is a pointer to SQLite's memory, which is outside the Go heap.
func cmem(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

func (c *rawConn) close() {
	for _, st := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, st)
	}
	c.stmts = nil
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	c.tls.Close()
}

// rawRows is a statement being stepped. Column bytes are valid until the
// next step.
type rawRows struct {
	c   *rawConn
	st  uintptr
	err error
}

func (r *rawRows) next() bool {
	if r.err != nil {
		return false
	}
	switch rc := sqlite3.Xsqlite3_step(r.c.tls, r.st); rc {
	case sqlite3.SQLITE_ROW:
		return true
	case sqlite3.SQLITE_DONE:
		return false
	default:
		r.err = r.c.error(rc)
		return false
	}
}

func (r *rawRows) close() {
	sqlite3.Xsqlite3_reset(r.c.tls, r.st)
	sqlite3.Xsqlite3_clear_bindings(r.c.tls, r.st)
}

func (r *rawRows) null(i int) bool {
	return sqlite3.Xsqlite3_column_type(r.c.tls, r.st, int32(i)) == sqlite3.SQLITE_NULL
}

// bytes is column i's text, valid until the next step; nil for NULL.
func (r *rawRows) bytes(i int) []byte {
	p := sqlite3.Xsqlite3_column_text(r.c.tls, r.st, int32(i))
	if p == 0 {
		return nil
	}
	n := sqlite3.Xsqlite3_column_bytes(r.c.tls, r.st, int32(i))
	if n == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(cmem(p)), n)
}

func (r *rawRows) float(i int) float64 {
	return sqlite3.Xsqlite3_column_double(r.c.tls, r.st, int32(i))
}

func (r *rawRows) int(i int) int64 {
	return sqlite3.Xsqlite3_column_int64(r.c.tls, r.st, int32(i))
}

// interned is b as a string, shared with earlier equal values.
func (c *rawConn) interned(b []byte) string {
	if s, ok := c.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(c.intern) < maxInterned {
		c.intern[s] = s
	}
	return s
}

// rawPool keeps raw connections to a SQLite file between reads, with their
// page caches.
type rawPool struct {
	name string
	uri  bool
	idle chan *rawConn
}

func newRawPool(dsn string) *rawPool {
	name, uri := dsn, strings.HasPrefix(dsn, "file:")
	return &rawPool{name: name, uri: uri, idle: make(chan *rawConn, 8)}
}

func (p *rawPool) get() (*rawConn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
		return openRaw(p.name, p.uri)
	}
}

// put returns a connection, ending its read transaction.
func (p *rawPool) put(c *rawConn) {
	if sqlite3.Xsqlite3_get_autocommit(c.tls, c.db) == 0 {
		if err := c.exec("ROLLBACK"); err != nil {
			c.close()
			return
		}
	}
	select {
	case p.idle <- c:
	default:
		c.close()
	}
}

func (p *rawPool) close() {
	for {
		select {
		case c := <-p.idle:
			c.close()
		default:
			return
		}
	}
}
