// Package bench measures tamledger at portfolio scale (issue 3): a
// generated store of N organisations with three years of history each
// (demo.Stream: about 200 engagements, 50 recommendations and 10 cases per
// organisation), `tamledger portfolio` and `tamledger scorecard` over it,
// and the floor under them, the time it takes merely to read the same rows
// (store.ReadFloor).
//
// The stores are built once and cached on disk (EnsureStore): bench/genstore
// builds them, bench/report runs every measurement for several sizes in one
// run and prints the table of docs/performance.md, and the benchmarks of
// this package (go test ./internal/bench -run '^$' -bench .) measure the same things
// with testing.B. Nothing large is built by an ordinary `go test`.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/score"
	"github.com/tamledger/tamledger/store"
)

// Defaults of the generated stores.
const (
	DefaultSeed  = 1
	DefaultYears = 3

	// Records per PutBatch, and organisations per write transaction.
	batchRecords = 2000
	orgsPerTx    = 500
)

// AsOf is the day the stores are generated up to and evaluated at.
var AsOf = tamledger.NewDate(2026, 11, 27)

// DefaultDir is where the stores are cached: $TAMLEDGER_BENCH_DIR, else
// /tmp/tamledger-bench (os.TempDir()/tamledger-bench).
func DefaultDir() string {
	if d := os.Getenv("TAMLEDGER_BENCH_DIR"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "tamledger-bench")
}

// Config names one generated store.
type Config struct {
	Dir   string // cache directory; DefaultDir() when empty
	Orgs  int
	Years int            // DefaultYears when 0
	Seed  int64          // DefaultSeed when 0
	AsOf  tamledger.Date // AsOf when zero

	// Progress, when not nil, receives a line now and then while a store
	// is built.
	Progress io.Writer
}

func (c Config) norm() Config {
	if c.Dir == "" {
		c.Dir = DefaultDir()
	}
	if c.Years <= 0 {
		c.Years = DefaultYears
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.AsOf.IsZero() {
		c.AsOf = AsOf
	}
	return c
}

// Path is the SQLite file of the store: DIR/orgs-N.db for the defaults
// (DIR/orgs-10000.db), else DIR/orgs-N-yY-sS-DATE.db.
func (c Config) Path() string {
	c = c.norm()
	name := fmt.Sprintf("orgs-%d.db", c.Orgs)
	if c.Years != DefaultYears || c.Seed != DefaultSeed || c.AsOf != AsOf {
		name = fmt.Sprintf("orgs-%d-y%d-s%d-%s.db", c.Orgs, c.Years, c.Seed, c.AsOf)
	}
	return filepath.Join(c.Dir, name)
}

// EnsureStore returns the path of the store of c, building it first when
// it is not in the cache. A store is built under a temporary name and
// renamed when complete, so an interrupted build is never reused; a cached
// store is rebuilt when its schema is not the one the current store
// package creates (a migration edited in place) or it does not hold N
// organisations. It reports whether it built the store.
func EnsureStore(ctx context.Context, c Config) (path string, built bool, err error) {
	c = c.norm()
	path = c.Path()
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return "", false, err
	}
	if _, err := os.Stat(path); err == nil {
		ok, why, err := cacheValid(ctx, path, c)
		if err != nil {
			return "", false, err
		}
		if ok {
			return path, false, nil
		}
		if c.Progress != nil {
			fmt.Fprintf(c.Progress, "rebuilding %s: %s\n", path, why)
		}
	}
	if err := Build(ctx, path, c); err != nil {
		return "", false, err
	}
	return path, true, nil
}

// cacheValid reports whether the cached store at path can be reused: it
// opens (and so migrates), has the schema a new store gets, and holds
// c.Orgs organisations.
func cacheValid(ctx context.Context, path string, c Config) (ok bool, why string, err error) {
	fresh, err := os.MkdirTemp(c.Dir, "schema-")
	if err != nil {
		return false, "", err
	}
	defer os.RemoveAll(fresh)
	want, err := schemaOf(ctx, filepath.Join(fresh, "empty.db"))
	if err != nil {
		return false, "", err
	}
	got, err := schemaOf(ctx, path)
	if err != nil {
		return false, fmt.Sprintf("it does not open (%v)", err), nil
	}
	if got != want {
		return false, "its schema differs from the one the store creates now", nil
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		return false, fmt.Sprintf("it does not open (%v)", err), nil
	}
	defer s.Close()
	n, err := s.Counts(ctx)
	if err != nil {
		return false, fmt.Sprintf("it cannot be counted (%v)", err), nil
	}
	if n[tamledger.KindOrganization] != c.Orgs {
		return false, fmt.Sprintf("it holds %d organisations", n[tamledger.KindOrganization]), nil
	}
	return true, "", nil
}

// schemaOf opens the store at path (creating or migrating it) and returns
// its schema: the SQL of every table, index and trigger.
func schemaOf(ctx context.Context, path string) (string, error) {
	s, err := store.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer s.Close()
	rows, err := s.DB().QueryContext(ctx, "SELECT type, name, ifnull(sql, '') FROM sqlite_master ORDER BY type, name")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, sql string
		if err := rows.Scan(&typ, &name, &sql); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s %s: %s\n", typ, name, sql)
	}
	return b.String(), rows.Err()
}

// Build generates the store of c into path, replacing any file there.
func Build(ctx context.Context, path string, c Config) error {
	c = c.norm()
	tmp := path + ".building"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	s, err := store.Open(ctx, tmp)
	if err != nil {
		return err
	}
	stats, err := write(ctx, s, c)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "built %s: %s\n", path, stats)
	}
	return os.Rename(tmp, path)
}

// BuildInto generates the store of c into the database dsn (a PostgreSQL
// DSN, say), which must hold no organisation yet.
func BuildInto(ctx context.Context, dsn string, c Config) error {
	c = c.norm()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	counts, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	if counts[tamledger.KindOrganization] > 0 {
		return fmt.Errorf("%s already holds %d organisations: give an empty database", redact(dsn), counts[tamledger.KindOrganization])
	}
	stats, err := write(ctx, s, c)
	if err != nil {
		return err
	}
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "built %s: %s\n", redact(dsn), stats)
	}
	return nil
}

// redact hides the password of a DSN.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return dsn
}

// Stats counts the records of a store by kind.
type Stats struct {
	Orgs, Charters, Engagements, Recommendations, Cases, Events, Reassignments int
	Elapsed                                                                    time.Duration
}

// Records is the number of records in all.
func (s Stats) Records() int {
	return s.Orgs + s.Charters + s.Engagements + s.Recommendations + s.Cases + s.Events + s.Reassignments
}

func (s *Stats) add(kind string) {
	switch kind {
	case tamledger.KindOrganization:
		s.Orgs++
	case tamledger.KindCharter:
		s.Charters++
	case tamledger.KindEngagement:
		s.Engagements++
	case tamledger.KindRecommendation:
		s.Recommendations++
	case tamledger.KindCase:
		s.Cases++
	case tamledger.KindEvent:
		s.Events++
	case tamledger.KindReassignmentRequest:
		s.Reassignments++
	}
}

func (s Stats) String() string {
	str := fmt.Sprintf("%d organisations, %d records (%d engagements, %d recommendations, %d cases, %d charters, %d events, %d reassignment requests)",
		s.Orgs, s.Records(), s.Engagements, s.Recommendations, s.Cases, s.Charters, s.Events, s.Reassignments)
	if s.Elapsed > 0 {
		str += fmt.Sprintf(" in %s (%.0f records/s)", s.Elapsed.Round(time.Millisecond), float64(s.Records())/s.Elapsed.Seconds())
	}
	return str
}

// write streams the portfolio of c into s: PutBatch with batchRecords
// records at a time, one transaction per orgsPerTx organisations.
func write(ctx context.Context, s *store.Store, c Config) (Stats, error) {
	var st Stats
	start := time.Now()
	lastReport := start
	var tx *store.Tx
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	batch := make([]tamledger.Record, 0, batchRecords)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if tx == nil {
			var err error
			if tx, err = s.Begin(ctx); err != nil {
				return err
			}
		}
		if _, err := tx.PutBatch(ctx, batch); err != nil {
			return err
		}
		clear(batch)
		batch = batch[:0]
		return nil
	}
	commit := func() error {
		if err := flush(); err != nil {
			return err
		}
		if tx == nil {
			return nil
		}
		err := tx.Commit()
		tx = nil
		return err
	}
	orgsInTx := 0
	err := demo.Stream(c.Seed, c.Orgs, c.Years, c.AsOf, func(r tamledger.Record) error {
		if r.Kind == tamledger.KindOrganization {
			if orgsInTx == orgsPerTx {
				if err := commit(); err != nil {
					return err
				}
				orgsInTx = 0
				if c.Progress != nil && time.Since(lastReport) >= 5*time.Second {
					lastReport = time.Now()
					el := time.Since(start)
					fmt.Fprintf(c.Progress, "  %d/%d organisations, %d records, %s (%.0f records/s)\n",
						st.Orgs, c.Orgs, st.Records(), el.Round(time.Second), float64(st.Records())/el.Seconds())
				}
			}
			orgsInTx++
		}
		st.add(r.Kind)
		batch = append(batch, r)
		if len(batch) == batchRecords {
			return flush()
		}
		return ctx.Err()
	})
	if err == nil {
		err = commit()
	}
	st.Elapsed = time.Since(start)
	return st, err
}

// Floor reads the rows the portfolio reads and builds nothing
// (store.ReadFloor); it returns the number of rows.
func Floor(ctx context.Context, s *store.Store) (int, error) {
	return s.ReadFloor(ctx, store.ScoringFields)
}

// Portfolio is what `tamledger portfolio --as-of asOf` computes, without
// the printing: every ledger (EachLedger), summarised (score.Summarize),
// worst first.
func Portfolio(ctx context.Context, s *store.Store, asOf tamledger.Date) ([]score.PortfolioRow, error) {
	rows := []score.PortfolioRow{}
	err := s.EachLedger(ctx, store.ScoringFields, func(l *tamledger.Ledger) error {
		rows = append(rows, score.Summarize(l, asOf))
		return nil
	})
	if err != nil {
		return nil, err
	}
	score.SortWorstFirst(rows)
	return rows, nil
}

// Scorecard is what `tamledger scorecard --org org --as-of asOf` computes,
// without the printing: the ledger (store.Ledger) and its scorecard.
func Scorecard(ctx context.Context, s *store.Store, org string, asOf tamledger.Date) (*score.Card, error) {
	l, err := s.Ledger(ctx, org)
	if err != nil {
		return nil, err
	}
	return score.Scorecard(l, asOf), nil
}

// LargestOrg is the organisation with the most records (the slowest
// scorecard), found with one pass of EachLedger, and the number of
// ledgers read.
func LargestOrg(ctx context.Context, s *store.Store) (org string, records, ledgers int, err error) {
	err = s.EachLedger(ctx, store.ScoringFields, func(l *tamledger.Ledger) error {
		ledgers++
		n := 1 + len(l.Charters) + len(l.Engagements) + len(l.Recommendations) + len(l.Cases) + len(l.Events) + len(l.Reassignments)
		if n > records {
			org, records = l.Org.ID, n
		}
		return nil
	})
	return org, records, ledgers, err
}

// ParseSizes reads a comma-separated list of store sizes: "100,1000,10000".
func ParseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("store sizes: %q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}
