package sqlite_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tamledger/tamledger/store/internal/sqlite"
)

// The package reaches into modernc.org/libc's C memory and threads: a new
// version of libc or of the SQLite translation must be checked (run the
// store's tests and its benchmarks) before TestedLibc and TestedSQLite move.
func TestDependencyVersions(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join("..", "..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for path, tested := range map[string]string{"modernc.org/libc": sqlite.TestedLibc, "modernc.org/sqlite": sqlite.TestedSQLite} {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(path) + `\s+(\S+)`).FindSubmatch(mod)
		if m == nil {
			t.Errorf("go.mod does not require %s", path)
			continue
		}
		if got := string(m[1]); got != tested {
			t.Errorf("go.mod requires %s %s, but store/internal/sqlite was checked with %s: check it with the new version (go test ./store/..., bash bench/import.sh), then update the constant", path, got, tested)
		}
	}
}

func open(t *testing.T) *sqlite.Conn {
	t.Helper()
	c, err := sqlite.Open(filepath.Join(t.TempDir(), "t.db"), false, true, "PRAGMA journal_mode = WAL")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestQueryAndBind(t *testing.T) {
	c := open(t)
	if err := c.Exec("CREATE TABLE t (s TEXT, i INTEGER, f REAL, b INTEGER, n TEXT)"); err != nil {
		t.Fatal(err)
	}
	rs, err := c.Query("INSERT INTO t VALUES ($1, $2, $3, $4, $5)", "héllo", int64(42), 2.5, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
	}
	rs.Close()
	if rs.Err() != nil || c.Changes() != 1 {
		t.Fatalf("insert: %v, %d changes", rs.Err(), c.Changes())
	}
	rs, err = c.Query("SELECT s, i, f, b, n, '' FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	if !rs.Next() {
		t.Fatalf("no row: %v", rs.Err())
	}
	if string(rs.Bytes(0)) != "héllo" || rs.Int(1) != 42 || rs.Float(2) != 2.5 || rs.Int(3) != 1 || !rs.Null(4) || rs.Bytes(4) != nil || rs.Bytes(5) == nil || rs.Columns() != 6 {
		t.Errorf("row: %q %d %g %d null=%v", rs.Bytes(0), rs.Int(1), rs.Float(2), rs.Int(3), rs.Null(4))
	}
	if rs.Next() {
		t.Error("a second row")
	}
}

func TestErrors(t *testing.T) {
	c := open(t)
	err := c.Exec("SELECT * FROM nowhere")
	if err == nil || !strings.Contains(err.Error(), "no such table: nowhere") {
		t.Fatalf("error %v", err)
	}
	if e, ok := err.(*sqlite.Error); !ok || e.Code != 1 {
		t.Errorf("error %T %v, want *sqlite.Error with code 1 (SQLITE_ERROR)", err, err)
	}
	if _, err := c.Query("SELECT $1", struct{}{}); err == nil || !strings.Contains(err.Error(), "cannot bind") {
		t.Errorf("binding a struct: %v", err)
	}
	if _, err := sqlite.Open(filepath.Join(t.TempDir(), "missing", "t.db"), false, true); err == nil {
		t.Error("opened a file in a missing directory")
	}
}

// A Conn has no mutex: a second goroutine that calls it while the first is
// inside SQLite panics, instead of corrupting memory.
func TestOneGoroutineAtATime(t *testing.T) {
	c := open(t)
	started := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a statement that runs for a while
		defer wg.Done()
		rs, err := c.Query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT count(*) FROM n")
		if err != nil {
			t.Error(err)
			return
		}
		close(started)
		rs.Next()
		rs.Close()
	}()
	<-started
	time.Sleep(20 * time.Millisecond)
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		c.Exec("SELECT 1")
	}()
	wg.Wait()
	if recovered == nil || !strings.Contains(recovered.(string), "two goroutines at once") {
		t.Fatalf("concurrent use: recovered %v, want a panic naming the rule", recovered)
	}
	// Handed over between calls, it is fine.
	done := make(chan error)
	go func() { done <- c.Exec("SELECT 1") }()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
