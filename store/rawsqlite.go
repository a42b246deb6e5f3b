package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tamledger/tamledger/store/internal/sqlite"
)

// A raw SQLite connection, for the bulk work: the write transactions and
// the reads of whole organisations (store/internal/sqlite). It is used by
// one goroutine at a time (the package panics otherwise); read connections
// are query_only.
type rawConn struct {
	*sqlite.Conn
	interner // small vocabularies: services, statuses, workload ids
}

func openRaw(name string, uri, readOnly bool) (*rawConn, error) {
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
	c, err := sqlite.Open(name, uri, false, pragmas...)
	if err != nil {
		return nil, err
	}
	return &rawConn{Conn: c, interner: interner{}}, nil
}

func (c *rawConn) exec(sql string) error { return c.Exec(sql) }

// query runs sql, prepared once per connection, with args. Close the rows
// before the next query.
func (c *rawConn) query(sql string, args ...any) (*sqlite.Rows, error) { return c.Query(sql, args...) }

func (c *rawConn) close() { c.Close() }

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

// get returns an idle connection or opens one; none once the store is
// closed (a reader still running after Close would otherwise open the file
// again, and its -wal and -shm files with it).
func (p *rawPool) get() (*rawConn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return nil, errors.New("store: closed")
	}
	return openRaw(p.name, p.uri, true)
}

// put returns a connection, ending its read transaction.
func (p *rawPool) put(c *rawConn) {
	if c.InTx() {
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
