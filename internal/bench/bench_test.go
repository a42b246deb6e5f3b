package bench_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/internal/bench"
	"github.com/tamledger/tamledger/score"
	"github.com/tamledger/tamledger/store"
)

// A small store: what genstore writes is what demo.Stream generates, the
// portfolio over EachLedger is the summary of each organisation's Ledger,
// and a cached store is reused.
func TestSmallStore(t *testing.T) {
	ctx := context.Background()
	c := bench.Config{Dir: t.TempDir(), Orgs: 20}
	path, built, err := bench.EnsureStore(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if !built || path != c.Path() {
		t.Fatalf("EnsureStore = %s, %v; want %s, built", path, built, c.Path())
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, built, err := bench.EnsureStore(ctx, c); err != nil || built {
		t.Fatalf("second EnsureStore: built %v, %v; want the cached store", built, err)
	}
	if fi2, _ := os.Stat(path); !fi2.ModTime().Equal(fi.ModTime()) {
		t.Error("the cached store was rewritten")
	}

	want := map[string]int{}
	if err := demo.Stream(bench.DefaultSeed, 20, bench.DefaultYears, bench.AsOf, func(r tamledger.Record) error {
		want[r.Kind]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for kind, n := range want {
		if got[kind] != n {
			t.Errorf("%s: %d stored, %d generated", kind, got[kind], n)
		}
	}
	rowsRead, err := bench.Floor(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range want {
		total += n
	}
	if rowsRead != total {
		t.Errorf("ReadFloor read %d rows, the store holds %d records", rowsRead, total)
	}

	rows, err := bench.Portfolio(ctx, s, bench.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 20 {
		t.Fatalf("%d portfolio rows, want 20", len(rows))
	}
	orgs, err := s.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var each []score.PortfolioRow
	for _, o := range orgs {
		l, err := s.Ledger(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		each = append(each, score.Summarize(l, bench.AsOf))
		card, err := bench.Scorecard(ctx, s, o.ID, bench.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(card, score.Scorecard(l, bench.AsOf)) {
			t.Errorf("%s: bench.Scorecard differs from score.Scorecard of its Ledger", o.ID)
		}
	}
	score.SortWorstFirst(each)
	if !reflect.DeepEqual(rows, each) {
		t.Errorf("the portfolio over EachLedger differs from summarising each Ledger:\n%v\n%v", rows, each)
	}
	bands := map[string]int{}
	for _, r := range rows {
		if r.Band != nil {
			bands[*r.Band]++
		}
	}
	if len(bands) < 2 {
		t.Errorf("bands %v: the generated portfolio should mix health bands", bands)
	}

	org, recs, ledgers, err := bench.LargestOrg(ctx, s)
	if err != nil || ledgers != 20 || org == "" || recs < 100 {
		t.Errorf("LargestOrg = %s, %d, %d, %v", org, recs, ledgers, err)
	}
}

// A cached store whose schema is not the one the store package creates
// now (a migration edited in place) is rebuilt, not reused.
func TestStaleCache(t *testing.T) {
	ctx := context.Background()
	c := bench.Config{Dir: t.TempDir(), Orgs: 3}
	path, _, err := bench.EnsureStore(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "CREATE TABLE stale (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, built, err := bench.EnsureStore(ctx, c); err != nil || !built {
		t.Fatalf("EnsureStore over a store of another schema: built %v, %v; want a rebuild", built, err)
	}
	if _, built, err := bench.EnsureStore(ctx, c); err != nil || built {
		t.Fatalf("EnsureStore after the rebuild: built %v, %v; want the cached store", built, err)
	}
}

func TestConfigPath(t *testing.T) {
	if got := (bench.Config{Dir: "/d", Orgs: 10000}).Path(); got != "/d/orgs-10000.db" {
		t.Errorf("Path = %s", got)
	}
	if got := (bench.Config{Dir: "/d", Orgs: 10, Years: 2}).Path(); got != "/d/orgs-10-y2-s1-2026-11-27.db" {
		t.Errorf("Path = %s", got)
	}
	if _, err := bench.ParseSizes("100, 1000,10000"); err != nil {
		t.Error(err)
	}
	if _, err := bench.ParseSizes("100,x"); err == nil {
		t.Error("ParseSizes(100,x): no error")
	}
}

// Benchmarks. They run only with -bench; the store sizes come from
// TAMLEDGER_BENCH_ORGS (default 100) and the stores are cached under
// TAMLEDGER_BENCH_DIR (default /tmp/tamledger-bench):
//
//	TAMLEDGER_BENCH_ORGS=100,1000,10000 go test ./internal/bench -run '^$' -bench . -benchtime 5x -timeout 1h
//
// go run ./internal/bench/report prints the table of docs/performance.md from the
// same measurements.

func sizes(b *testing.B) []int {
	s := os.Getenv("TAMLEDGER_BENCH_ORGS")
	if s == "" {
		s = "100"
	}
	n, err := bench.ParseSizes(s)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

type fixture struct {
	path, org string
	s         *store.Store
}

var (
	fixtures   = map[int]*fixture{}
	fixturesMu sync.Mutex
)

// open returns the store of n organisations (building it when it is not
// cached), open, and its largest organisation.
func open(b *testing.B, n int) *fixture {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f := fixtures[n]; f != nil {
		return f
	}
	ctx := context.Background()
	c := bench.Config{Orgs: n, Progress: os.Stderr}
	path, _, err := bench.EnsureStore(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	org, _, _, err := bench.LargestOrg(ctx, s)
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{path: path, org: org, s: s}
	fixtures[n] = f
	return f
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range fixtures {
		f.s.Close()
	}
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	binOnce sync.Once
	binPath string
	binDir  string
	binErr  error
)

// binary builds the real tamledger binary once.
func binary(b *testing.B) string {
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "tamledger-bench-bin"); binErr == nil {
			binPath, binErr = bench.BuildBinary(context.Background(), binDir)
		}
	})
	if binErr != nil {
		b.Fatal(binErr)
	}
	return binPath
}

// reportCPU adds the CPU time per operation beside the wall time.
func reportCPU(b *testing.B, cpu time.Duration) {
	b.ReportMetric(cpu.Seconds()*1e3/float64(b.N), "cpu-ms/op")
}

func BenchmarkFloor(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("orgs=%d", n), func(b *testing.B) {
			f := open(b, n)
			ctx := context.Background()
			b.ResetTimer()
			cpu0 := bench.CPUTime()
			for range b.N {
				if _, err := bench.Floor(ctx, f.s); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, bench.CPUTime()-cpu0)
		})
	}
}

func BenchmarkPortfolio(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("orgs=%d/in-process", n), func(b *testing.B) {
			f := open(b, n)
			ctx := context.Background()
			b.ResetTimer()
			cpu0 := bench.CPUTime()
			for range b.N {
				rows, err := bench.Portfolio(ctx, f.s, bench.AsOf)
				if err != nil {
					b.Fatal(err)
				}
				if len(rows) != n {
					b.Fatalf("%d rows", len(rows))
				}
			}
			reportCPU(b, bench.CPUTime()-cpu0)
		})
		b.Run(fmt.Sprintf("orgs=%d/process", n), func(b *testing.B) {
			f, bin := open(b, n), binary(b)
			benchProcess(b, bin, "portfolio", "-o", "json", "--as-of", bench.AsOf.String(), "--db", f.path)
		})
	}
}

func BenchmarkScorecard(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("orgs=%d/in-process", n), func(b *testing.B) {
			f := open(b, n)
			ctx := context.Background()
			b.ResetTimer()
			for range b.N {
				card, err := bench.Scorecard(ctx, f.s, f.org, bench.AsOf)
				if err != nil {
					b.Fatal(err)
				}
				if err := json.NewEncoder(io.Discard).Encode(card); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/in-process-open", n), func(b *testing.B) {
			f := open(b, n)
			ctx := context.Background()
			b.ResetTimer()
			for range b.N {
				s, err := store.Open(ctx, f.path)
				if err != nil {
					b.Fatal(err)
				}
				card, err := bench.Scorecard(ctx, s, f.org, bench.AsOf)
				if err != nil {
					b.Fatal(err)
				}
				if err := json.NewEncoder(io.Discard).Encode(card); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
		b.Run(fmt.Sprintf("orgs=%d/process", n), func(b *testing.B) {
			f, bin := open(b, n), binary(b)
			benchProcess(b, bin, "scorecard", "--org", f.org, "-o", "json", "--as-of", bench.AsOf.String(), "--db", f.path)
		})
	}
}

// benchProcess times the binary end to end, and reports its CPU time and
// peak RSS.
func benchProcess(b *testing.B, bin string, args ...string) {
	ctx := context.Background()
	if _, err := bench.Run(ctx, false, bin, args...); err != nil { // warm up
		b.Fatal(err)
	}
	var cpu time.Duration
	var rss int64
	b.ResetTimer()
	for range b.N {
		p, err := bench.Run(ctx, false, bin, args...)
		if err != nil {
			b.Fatal(err)
		}
		cpu += p.CPU
		rss = max(rss, p.MaxRSS)
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
}

// BenchmarkSummarize is the scoring part of the portfolio alone: every
// ledger is read into memory first, then summarised.
func BenchmarkSummarize(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("orgs=%d", n), func(b *testing.B) {
			f := open(b, n)
			var ledgers []*tamledger.Ledger
			if err := f.s.EachLedger(context.Background(), store.ScoringFields, func(l *tamledger.Ledger) error {
				ledgers = append(ledgers, l)
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				for _, l := range ledgers {
					score.Summarize(l, bench.AsOf)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/org")
		})
	}
}
