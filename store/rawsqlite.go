package store

import (
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// A raw SQLite connection, for the bulk work: the write transactions and
// the reads of EachLedger and ReadFloor. It talks to SQLite's C API
// (modernc.org/sqlite/lib, the library under the database/sql driver) on a
// connection opened without SQLite's per-connection mutex, binds arguments
// by position and hands out column bytes without copying them: on millions
// of rows that halves the time spent reading and cuts a quarter off
// writing. A rawConn is used by one goroutine at a time; read connections
// are query_only.

type rawConn struct {
	tls      *libc.TLS
	db       uintptr
	stmts    map[string]uintptr // prepared queries, by text
	interner                    // small vocabularies: services, statuses, workload ids
	zero     uintptr            // an empty C string
}

func openRaw(name string, uri, readOnly bool) (c *rawConn, err error) {
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
	c = &rawConn{tls: tls, db: *(*uintptr)(cmem(pdb)), stmts: map[string]uintptr{}, interner: interner{}}
	if rc != sqlite3.SQLITE_OK {
		err = c.error(rc)
		c.close()
		return nil, err
	}
	pragmas := []string{
		fmt.Sprintf("PRAGMA busy_timeout = %d", sqliteBusyTimeout.Milliseconds()),
		fmt.Sprintf("PRAGMA mmap_size = %d", sqliteMmapBytes),
	}
	if readOnly {
		pragmas = append(pragmas, fmt.Sprintf("PRAGMA cache_size = %d", -sqliteCacheKiB), "PRAGMA query_only = 1")
	} else {
		pragmas = append(pragmas, fmt.Sprintf("PRAGMA cache_size = %d", -sqliteWriteCacheKiB),
			"PRAGMA foreign_keys = 1", "PRAGMA synchronous = NORMAL")
	}
	for _, p := range pragmas {
		if err := c.exec(p); err != nil {
			c.close()
			return nil, err
		}
	}
	return c, nil
}

// sqliteError is an error of a raw connection, with SQLite's extended
// result code (mapError reads it).
type sqliteError struct {
	code int
	msg  string
}

func (e *sqliteError) Error() string { return fmt.Sprintf("sqlite: %s (%d)", e.msg, e.code) }

func (c *rawConn) error(rc int32) error {
	msg, code := "unknown error", int(rc)
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
		if x := int(sqlite3.Xsqlite3_extended_errcode(c.tls, c.db)); x&0xff == code&0xff {
			code = x
		}
	}
	return &sqliteError{code: code, msg: msg}
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

// prepare compiles sql; the caller finalizes the statement.
func (c *rawConn) prepare(sql string) (uintptr, error) {
	p, err := libc.CString(sql)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(c.tls, p)
	pst := libc.Xcalloc(c.tls, 1, 8)
	defer libc.Xfree(c.tls, pst)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, p, -1, pst, 0); rc != sqlite3.SQLITE_OK {
		return 0, c.error(rc)
	}
	return *(*uintptr)(cmem(pst)), nil
}

// bind binds args to st by position: strings, nil, integers, floats and
// booleans (as 0 and 1), which is what the store passes. The texts are
// copied, all at once, into C memory that the caller frees (rawRows.close)
// once the statement is reset.
func (c *rawConn) bind(st uintptr, args []any) (mem uintptr, err error) {
	size := 0
	for _, a := range args {
		if v, ok := a.(string); ok {
			size += len(v)
		}
	}
	if size > 0 {
		if mem = libc.Xmalloc(c.tls, types.Size_t(size)); mem == 0 {
			return 0, fmt.Errorf("store: out of memory binding %d bytes", size)
		}
	}
	buf := unsafe.Slice((*byte)(cmem(mem)), size)
	off := 0
	for i, a := range args {
		n := int32(i + 1)
		var rc int32
		switch v := a.(type) {
		case nil:
			rc = sqlite3.Xsqlite3_bind_null(c.tls, st, n)
		case string:
			if len(v) == 0 {
				rc = sqlite3.Xsqlite3_bind_text(c.tls, st, n, c.empty(), 0, 0)
				break
			}
			copy(buf[off:], v)
			rc = sqlite3.Xsqlite3_bind_text(c.tls, st, n, mem+uintptr(off), int32(len(v)), 0) // SQLITE_STATIC
			off += len(v)
		case int64:
			rc = sqlite3.Xsqlite3_bind_int64(c.tls, st, n, v)
		case int:
			rc = sqlite3.Xsqlite3_bind_int64(c.tls, st, n, int64(v))
		case float64:
			rc = sqlite3.Xsqlite3_bind_double(c.tls, st, n, v)
		case bool:
			b := int64(0)
			if v {
				b = 1
			}
			rc = sqlite3.Xsqlite3_bind_int64(c.tls, st, n, b)
		default:
			err = fmt.Errorf("store: cannot bind a %T", a)
		}
		if err == nil && rc != sqlite3.SQLITE_OK {
			err = c.error(rc)
		}
		if err != nil {
			sqlite3.Xsqlite3_clear_bindings(c.tls, st)
			if mem != 0 {
				libc.Xfree(c.tls, mem)
			}
			return 0, err
		}
	}
	return mem, nil
}

// empty is a C empty string, for binding "" (a NULL pointer would bind
// NULL).
func (c *rawConn) empty() uintptr {
	if c.zero == 0 {
		c.zero = libc.Xcalloc(c.tls, 1, 1)
	}
	return c.zero
}

// query runs sql, prepared once per connection, with args. Close the rows
// before the next query.
func (c *rawConn) query(sql string, args ...any) (*rawRows, error) {
	st := c.stmts[sql]
	if st == 0 {
		var err error
		if st, err = c.prepare(sql); err != nil {
			return nil, err
		}
		c.stmts[sql] = st
	}
	mem, err := c.bind(st, args)
	if err != nil {
		sqlite3.Xsqlite3_reset(c.tls, st)
		return nil, err
	}
	return &rawRows{c: c, st: st, mem: mem}, nil
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
	if c.zero != 0 {
		libc.Xfree(c.tls, c.zero)
		c.zero = 0
	}
	c.tls.Close()
}

// rawRows is a statement being stepped. Column bytes are valid until the
// next step.
type rawRows struct {
	c   *rawConn
	st  uintptr
	mem uintptr // the bound texts
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
	if r.mem != 0 {
		libc.Xfree(r.c.tls, r.mem)
		r.mem = 0
	}
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

// rawPool keeps raw connections to a SQLite file between reads, with their
// page caches.
type rawPool struct {
	name   string
	uri    bool
	idle   chan *rawConn
	mu     sync.Mutex
	closed bool
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
		return openRaw(p.name, p.uri, true)
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
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		select {
		case p.idle <- c:
			return
		default:
		}
	}
	c.close()
}

func (p *rawPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for {
		select {
		case c := <-p.idle:
			c.close()
		default:
			return
		}
	}
}
