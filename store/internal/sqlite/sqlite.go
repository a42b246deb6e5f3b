// Package sqlite is SQLite's C API as the store uses it for its bulk work:
// the write transactions and the reads of whole organisations. It talks to
// modernc.org/sqlite/lib (the library under the database/sql driver) on a
// connection opened without SQLite's per-connection mutex, binds arguments
// by position and hands out column bytes without copying them: on millions
// of rows that halves the time spent reading and cuts a quarter off
// writing (docs/performance.md).
//
// It depends on how modernc.org/libc lays out C memory and threads: the
// versions it was checked with are TestedLibc and TestedSQLite, and a test
// fails when go.mod moves to others.
//
// A Conn has no mutex, so it must never be used by two goroutines at once:
// each call that steps SQLite claims the Conn and panics if another
// goroutine holds it. Handing a Conn from one goroutine to another between
// calls is fine.
package sqlite

import (
	"fmt"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	lib "modernc.org/sqlite/lib"
)

// The module versions this package was written and checked against.
const (
	TestedLibc   = "v1.80.1"
	TestedSQLite = "v1.62.0"
)

// Conn is a connection to a SQLite database.
type Conn struct {
	tls   *libc.TLS
	db    uintptr
	stmts map[string]Stmt // prepared queries, by text
	zero  uintptr         // an empty C string
	busy  atomic.Bool
}

// Stmt is a prepared statement of a Conn.
type Stmt uintptr

// Error is an error of SQLite, with its extended result code.
type Error struct {
	Code int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("sqlite: %s (%d)", e.Msg, e.Code) }

// Open opens the database file name (a file: URI when uri is set), read
// and write, creating it when create is set, and runs pragmas on it.
func Open(name string, uri, create bool, pragmas ...string) (c *Conn, err error) {
	tls := libc.NewTLS()
	cname, err := libc.CString(name)
	if err != nil {
		tls.Close()
		return nil, err
	}
	defer libc.Xfree(tls, cname)
	pdb := libc.Xcalloc(tls, 1, 8)
	defer libc.Xfree(tls, pdb)
	flags := int32(lib.SQLITE_OPEN_READWRITE | lib.SQLITE_OPEN_NOMUTEX)
	if uri {
		flags |= lib.SQLITE_OPEN_URI
	}
	if create {
		flags |= lib.SQLITE_OPEN_CREATE
	}
	rc := lib.Xsqlite3_open_v2(tls, cname, pdb, flags, 0)
	c = &Conn{tls: tls, db: *(*uintptr)(cmem(pdb)), stmts: map[string]Stmt{}}
	if rc != lib.SQLITE_OK {
		err = c.error(rc)
		c.Close()
		return nil, err
	}
	for _, p := range pragmas {
		if err := c.Exec(p); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// claim marks c as in use by the calling goroutine until release.
func (c *Conn) claim() {
	if !c.busy.CompareAndSwap(false, true) {
		panic("sqlite: a Conn is used by two goroutines at once (it has no mutex: give it to one goroutine at a time)")
	}
}

func (c *Conn) release() { c.busy.Store(false) }

func (c *Conn) error(rc int32) error {
	msg, code := "unknown error", int(rc)
	if c.db != 0 {
		msg = libc.GoString(lib.Xsqlite3_errmsg(c.tls, c.db))
		if x := int(lib.Xsqlite3_extended_errcode(c.tls, c.db)); x&0xff == code&0xff {
			code = x
		}
	}
	return &Error{Code: code, Msg: msg}
}

// Exec runs one or more statements without arguments.
func (c *Conn) Exec(sql string) error {
	c.claim()
	defer c.release()
	p, err := libc.CString(sql)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, p)
	if rc := lib.Xsqlite3_exec(c.tls, c.db, p, 0, 0, 0); rc != lib.SQLITE_OK {
		return c.error(rc)
	}
	return nil
}

// Prepare compiles sql; Finalize the statement when done with it.
func (c *Conn) Prepare(sql string) (Stmt, error) {
	c.claim()
	defer c.release()
	p, err := libc.CString(sql)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(c.tls, p)
	pst := libc.Xcalloc(c.tls, 1, 8)
	defer libc.Xfree(c.tls, pst)
	if rc := lib.Xsqlite3_prepare_v2(c.tls, c.db, p, -1, pst, 0); rc != lib.SQLITE_OK {
		return 0, c.error(rc)
	}
	return Stmt(*(*uintptr)(cmem(pst))), nil
}

// Finalize frees a prepared statement.
func (c *Conn) Finalize(st Stmt) { lib.Xsqlite3_finalize(c.tls, uintptr(st)) }

// Query runs sql, prepared once per connection, with args. Close the rows
// before the next query.
func (c *Conn) Query(sql string, args ...any) (*Rows, error) {
	st := c.stmts[sql]
	if st == 0 {
		var err error
		if st, err = c.Prepare(sql); err != nil {
			return nil, err
		}
		c.stmts[sql] = st
	}
	return c.Run(st, args...)
}

// Run binds args to a prepared statement; step it with the Rows.
func (c *Conn) Run(st Stmt, args ...any) (*Rows, error) {
	mem, err := c.bind(st, args)
	if err != nil {
		lib.Xsqlite3_reset(c.tls, uintptr(st))
		return nil, err
	}
	return &Rows{c: c, st: uintptr(st), mem: mem}, nil
}

// bind binds args to st by position: strings, nil, integers, floats and
// booleans (as 0 and 1). The texts are copied, all at once, into C memory
// that Rows.Close frees once the statement is reset.
func (c *Conn) bind(st Stmt, args []any) (mem uintptr, err error) {
	size := 0
	for _, a := range args {
		if v, ok := a.(string); ok {
			size += len(v)
		}
	}
	if size > 0 {
		if mem = libc.Xmalloc(c.tls, types.Size_t(size)); mem == 0 {
			return 0, fmt.Errorf("sqlite: out of memory binding %d bytes", size)
		}
	}
	buf := unsafe.Slice((*byte)(cmem(mem)), size)
	off := 0
	s := uintptr(st)
	for i, a := range args {
		n := int32(i + 1)
		var rc int32
		switch v := a.(type) {
		case nil:
			rc = lib.Xsqlite3_bind_null(c.tls, s, n)
		case string:
			if len(v) == 0 {
				rc = lib.Xsqlite3_bind_text(c.tls, s, n, c.empty(), 0, 0)
				break
			}
			copy(buf[off:], v)
			rc = lib.Xsqlite3_bind_text(c.tls, s, n, mem+uintptr(off), int32(len(v)), 0) // SQLITE_STATIC
			off += len(v)
		case int64:
			rc = lib.Xsqlite3_bind_int64(c.tls, s, n, v)
		case int:
			rc = lib.Xsqlite3_bind_int64(c.tls, s, n, int64(v))
		case float64:
			rc = lib.Xsqlite3_bind_double(c.tls, s, n, v)
		case bool:
			b := int64(0)
			if v {
				b = 1
			}
			rc = lib.Xsqlite3_bind_int64(c.tls, s, n, b)
		default:
			err = fmt.Errorf("sqlite: cannot bind a %T", a)
		}
		if err == nil && rc != lib.SQLITE_OK {
			err = c.error(rc)
		}
		if err != nil {
			lib.Xsqlite3_clear_bindings(c.tls, s)
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
func (c *Conn) empty() uintptr {
	if c.zero == 0 {
		c.zero = libc.Xcalloc(c.tls, 1, 1)
	}
	return c.zero
}

// Changes is the number of rows the last statement changed.
func (c *Conn) Changes() int64 { return lib.Xsqlite3_changes64(c.tls, c.db) }

// ReadOnly reports whether SQLite opened the main database read-only (it
// does when the process may not write the file).
func (c *Conn) ReadOnly() bool { return lib.Xsqlite3_db_readonly(c.tls, c.db, 0) == 1 }

// InTx reports whether a transaction is open.
func (c *Conn) InTx() bool { return lib.Xsqlite3_get_autocommit(c.tls, c.db) == 0 }

// cmem is a pointer to SQLite's memory, which is outside the Go heap.
func cmem(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// Close finalizes the cached statements and closes the connection.
func (c *Conn) Close() {
	c.claim()
	defer c.release()
	for _, st := range c.stmts {
		lib.Xsqlite3_finalize(c.tls, uintptr(st))
	}
	c.stmts = nil
	if c.db != 0 {
		lib.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	if c.zero != 0 {
		libc.Xfree(c.tls, c.zero)
		c.zero = 0
	}
	c.tls.Close()
}

// Rows is a statement being stepped. Column bytes are valid until the next
// step.
type Rows struct {
	c   *Conn
	st  uintptr
	mem uintptr // the bound texts
	err error
}

// Next steps to the next row.
func (r *Rows) Next() bool {
	if r.err != nil {
		return false
	}
	r.c.claim()
	rc := lib.Xsqlite3_step(r.c.tls, r.st)
	r.c.release()
	switch rc {
	case lib.SQLITE_ROW:
		return true
	case lib.SQLITE_DONE:
		return false
	default:
		r.err = r.c.error(rc)
		return false
	}
}

// Err is the error that ended the rows, if any.
func (r *Rows) Err() error { return r.err }

// Close resets the statement (it stays prepared) and frees the bound
// texts.
func (r *Rows) Close() {
	lib.Xsqlite3_reset(r.c.tls, r.st)
	lib.Xsqlite3_clear_bindings(r.c.tls, r.st)
	if r.mem != 0 {
		libc.Xfree(r.c.tls, r.mem)
		r.mem = 0
	}
}

// Columns is the number of columns of a row.
func (r *Rows) Columns() int { return int(lib.Xsqlite3_column_count(r.c.tls, r.st)) }

// Null reports whether column i is NULL.
func (r *Rows) Null(i int) bool {
	return lib.Xsqlite3_column_type(r.c.tls, r.st, int32(i)) == lib.SQLITE_NULL
}

// Bytes is column i's text, valid until the next step; nil for NULL.
func (r *Rows) Bytes(i int) []byte {
	p := lib.Xsqlite3_column_text(r.c.tls, r.st, int32(i))
	if p == 0 {
		return nil
	}
	n := lib.Xsqlite3_column_bytes(r.c.tls, r.st, int32(i))
	if n == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(cmem(p)), n)
}

// Float is column i as a float64.
func (r *Rows) Float(i int) float64 { return lib.Xsqlite3_column_double(r.c.tls, r.st, int32(i)) }

// Int is column i as an int64.
func (r *Rows) Int(i int) int64 { return lib.Xsqlite3_column_int64(r.c.tls, r.st, int32(i)) }
