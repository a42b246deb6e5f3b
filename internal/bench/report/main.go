// Command report runs the benchmark of issue 3 for several store sizes in
// one run and prints the tables of docs/performance.md:
//
//	go run ./internal/bench/report -orgs 100,1000,10000
//
// For each size N it builds (or reuses, see bench/genstore) the store of N
// organisations × 3 years, builds the real binary with go build, and
// measures, interleaved run by run so that drift on the machine hits all
// of them alike:
//
//   - floor: store.ReadFloor, the rows the portfolio reads, read and thrown
//     away, on an open store (warm) and with store.Open and Close around it
//     (cold: new connections, which map the file afresh);
//   - read: EachLedger building every ledger, with nothing done with them;
//   - portfolio in-process: EachLedger + score.Summarize + sort, warm and
//     cold as for the floor;
//   - portfolio process: `tamledger portfolio -o json --as-of DATE --db
//     FILE`, output to /dev/null, with its CPU time and memory;
//
// and for the organisation with the most records:
//
//   - scorecard process: `tamledger scorecard --org ID -o json --as-of DATE
//     --db FILE`;
//   - scorecard in-process, cold: store.Open + Ledger + Scorecard + JSON +
//     Close;
//   - scorecard in-process, warm: Ledger + Scorecard + JSON on an open
//     store.
//
// and, to show what starting a process costs here, `tamledger --help` and a
// Go hello-world. Times are medians unless marked. Before timing, the
// processes' JSON output is checked against the in-process results.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/bench"
	"github.com/tamledger/tamledger/score"
	"github.com/tamledger/tamledger/store"
)

func main() {
	orgs := flag.String("orgs", "100,1000,10000", "comma-separated store sizes (organisations)")
	dir := flag.String("dir", bench.DefaultDir(), "store cache directory (env TAMLEDGER_BENCH_DIR)")
	runs := flag.Int("runs", 0, "portfolio runs per size (default 15 up to 1,000 organisations, 9 above)")
	scRuns := flag.Int("scorecard-runs", 40, "scorecard runs per size")
	bin := flag.String("bin", "", "tamledger binary to measure (default: go build ./cmd/tamledger)")
	flag.Parse()

	sizes, err := bench.ParseSizes(*orgs)
	if err != nil {
		fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	if *bin == "" {
		tmp, err := os.MkdirTemp("", "tamledger-bench-bin")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(tmp)
		if *bin, err = bench.BuildBinary(ctx, tmp); err != nil {
			fail(err)
		}
	}
	// The cost of starting the process: the binary with nothing to do.
	var start bench.Sample
	for range 30 {
		p, err := bench.Run(ctx, false, *bin, "--help")
		if err != nil {
			fail(err)
		}
		start.AddProc(p)
	}

	// A Go hello-world: what starting any Go process costs here.
	var hello bench.Sample
	if dir, err := os.MkdirTemp("", "tamledger-bench-hello"); err == nil {
		defer os.RemoveAll(dir)
		if h, err := buildHello(ctx, dir); err == nil {
			for range 30 {
				if p, err := bench.Run(ctx, false, h); err == nil {
					hello.AddProc(p)
				}
			}
		}
	}
	if len(hello.Wall) == 0 {
		hello.Add(0, 0)
	}

	var results []result
	for _, n := range sizes {
		r, err := measure(ctx, *dir, n, *runs, *scRuns, *bin)
		if err != nil {
			fail(err)
		}
		results = append(results, r)
	}
	print(os.Stdout, results, &start, &hello)
}

type result struct {
	orgs, rows                   int
	org                          string // the scorecard's organisation
	orgRecords                   int
	floor, floorCold, read       bench.Sample
	inproc, inprocCold, proc     bench.Sample
	scProc, scCold, scWarm       bench.Sample
	dbBytes                      int64
	engagements, recommendations int
	cases                        int
	load                         [2]string // load average before and after
	timeV, scTimeV               int64     // peak RSS by /usr/bin/time -v
}

func measure(ctx context.Context, dir string, n, runs, scRuns int, bin string) (r result, err error) {
	c := bench.Config{Dir: dir, Orgs: n, Progress: os.Stderr}
	if _, err := os.Stat(c.Path()); err != nil {
		fmt.Fprintf(os.Stderr, "building %d organisations into %s\n", n, c.Path())
	}
	path, _, err := bench.EnsureStore(ctx, c)
	if err != nil {
		return r, err
	}
	if fi, err := os.Stat(path); err == nil {
		r.dbBytes = fi.Size()
	}
	if runs <= 0 {
		runs = 15
		if n > 1000 {
			runs = 9
		}
	}
	r.orgs = n
	s, err := store.Open(ctx, path)
	if err != nil {
		return r, err
	}
	defer s.Close()
	counts, err := s.Counts(ctx)
	if err != nil {
		return r, err
	}
	r.engagements, r.recommendations, r.cases = counts["Engagement"], counts["Recommendation"], counts["Case"]

	// Warm up (page cache, connections) and check.
	fmt.Fprintf(os.Stderr, "%d organisations: warming up and checking\n", n)
	org, recs, ledgers, err := bench.LargestOrg(ctx, s)
	if err != nil {
		return r, err
	}
	if ledgers != n {
		return r, fmt.Errorf("%s: %d ledgers, want %d", path, ledgers, n)
	}
	r.org, r.orgRecords = org, recs
	if r.rows, err = bench.Floor(ctx, s); err != nil {
		return r, err
	}
	rows, err := bench.Portfolio(ctx, s, bench.AsOf)
	if err != nil {
		return r, err
	}
	portfolioArgs := []string{"portfolio", "-o", "json", "--as-of", bench.AsOf.String(), "--db", path}
	p, err := bench.Run(ctx, true, bin, portfolioArgs...)
	if err != nil {
		return r, err
	}
	var got []score.PortfolioRow
	if err := json.Unmarshal(p.Stdout, &got); err != nil {
		return r, fmt.Errorf("tamledger portfolio -o json: %v", err)
	}
	if !reflect.DeepEqual(got, rows) {
		return r, fmt.Errorf("tamledger portfolio -o json differs from EachLedger + Summarize (%d and %d rows)", len(got), len(rows))
	}
	scorecardArgs := []string{"scorecard", "--org", org, "-o", "json", "--as-of", bench.AsOf.String(), "--db", path}
	p, err = bench.Run(ctx, true, bin, scorecardArgs...)
	if err != nil {
		return r, err
	}
	card, err := bench.Scorecard(ctx, s, org, bench.AsOf)
	if err != nil {
		return r, err
	}
	if want, _ := json.Marshal(card); !jsonEqual(p.Stdout, want) {
		return r, fmt.Errorf("tamledger scorecard -o json differs from Ledger + Scorecard")
	}

	if r.timeV, err = bench.TimeV(ctx, bin, portfolioArgs...); err != nil {
		return r, err
	}
	if r.scTimeV, err = bench.TimeV(ctx, bin, scorecardArgs...); err != nil {
		return r, err
	}
	r.load[0] = loadavg()
	defer func() { r.load[1] = loadavg() }()
	timed := func(smp *bench.Sample, f func() error) error {
		runtime.GC()
		t0, c0 := time.Now(), bench.CPUTime()
		if err := f(); err != nil {
			return err
		}
		smp.Add(time.Since(t0), bench.CPUTime()-c0)
		return nil
	}
	for i := range runs {
		fmt.Fprintf(os.Stderr, "%d organisations: portfolio run %d/%d\n", n, i+1, runs)
		if err := timed(&r.floor, func() error { _, err := bench.Floor(ctx, s); return err }); err != nil {
			return r, err
		}
		if err := timed(&r.floorCold, func() error {
			return cold(ctx, path, func(s *store.Store) error { _, err := bench.Floor(ctx, s); return err })
		}); err != nil {
			return r, err
		}
		if err := timed(&r.read, func() error {
			return s.EachLedger(ctx, store.ScoringFields, func(*tamledger.Ledger) error { return nil })
		}); err != nil {
			return r, err
		}
		if err := timed(&r.inproc, func() error { _, err := bench.Portfolio(ctx, s, bench.AsOf); return err }); err != nil {
			return r, err
		}
		if err := timed(&r.inprocCold, func() error {
			return cold(ctx, path, func(s *store.Store) error { _, err := bench.Portfolio(ctx, s, bench.AsOf); return err })
		}); err != nil {
			return r, err
		}
		p, err := bench.Run(ctx, false, bin, portfolioArgs...)
		if err != nil {
			return r, err
		}
		r.proc.AddProc(p)
	}
	fmt.Fprintf(os.Stderr, "%d organisations: %d scorecard runs of %s (%d records)\n", n, scRuns, org, recs)
	for range scRuns {
		p, err := bench.Run(ctx, false, bin, scorecardArgs...)
		if err != nil {
			return r, err
		}
		r.scProc.AddProc(p)
		if err := timed(&r.scCold, func() error {
			return cold(ctx, path, func(s *store.Store) error {
				card, err := bench.Scorecard(ctx, s, org, bench.AsOf)
				if err != nil {
					return err
				}
				return json.NewEncoder(io.Discard).Encode(card)
			})
		}); err != nil {
			return r, err
		}
		if err := timed(&r.scWarm, func() error {
			card, err := bench.Scorecard(ctx, s, org, bench.AsOf)
			if err != nil {
				return err
			}
			return json.NewEncoder(io.Discard).Encode(card)
		}); err != nil {
			return r, err
		}
	}
	return r, nil
}

// cold opens the store at path, runs f on it and closes it.
func cold(ctx context.Context, path string, f func(*store.Store) error) error {
	s, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	if err := f(s); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func print(w io.Writer, rs []result, start, hello *bench.Sample) {
	fmt.Fprintf(w, "%s. Process start: `tamledger --help` %s (min %s), a Go hello-world %s (min %s).\n\n",
		machine(), ms(start.Median()), ms(start.Min()), ms(hello.Median()), ms(hello.Min()))
	fmt.Fprintln(w, "| orgs | rows read | floor: ReadFloor warm / cold | portfolio in-process warm / cold | portfolio process (min) | in-process ÷ floor (warm) | process ÷ floor (cold) | scorecard process (min) | scorecard in-process cold / warm | portfolio peak RSS (anonymous / file-backed) |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %s / %s | %s / %s | **%s** (%s) | %.2f | %.2f | **%s** (%s) | %s / %s | %s (%s / %s) |\n",
			thousands(r.orgs), thousands(r.rows), ms(r.floor.Median()), ms(r.floorCold.Median()),
			ms(r.inproc.Median()), ms(r.inprocCold.Median()), ms(r.proc.Median()), ms(r.proc.Min()),
			ratio(r.inproc.Median(), r.floor.Median()), ratio(r.proc.Median(), r.floorCold.Median()),
			ms(r.scProc.Median()), ms(r.scProc.Min()), ms(r.scCold.Median()), ms(r.scWarm.Median()),
			mib(r.timeV), mib(r.proc.MaxAnon), mib(r.proc.MaxFile))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "CPU time (user + system, medians) and the stores:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| orgs | engagements / recommendations / cases | SQLite file | floor warm / cold | read: EachLedger, no scoring (wall) | portfolio in-process warm / cold | portfolio process | scorecard organisation (records) | scorecard process / its peak RSS |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s / %s / %s | %s | %s / %s | %s (%s) | %s / %s | %s | %s (%d) | %s / %s |\n",
			thousands(r.orgs), thousands(r.engagements), thousands(r.recommendations), thousands(r.cases), mib(r.dbBytes),
			ms(r.floor.MedianCPU()), ms(r.floorCold.MedianCPU()), ms(r.read.MedianCPU()), ms(r.read.Median()),
			ms(r.inproc.MedianCPU()), ms(r.inprocCold.MedianCPU()), ms(r.proc.MedianCPU()),
			r.org, r.orgRecords, ms(r.scProc.MedianCPU()), mib(r.scTimeV))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Where the CPU time of the warm in-process portfolio goes (the three parts add up to the whole):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| orgs | SQLite scanning (floor) | building the ledgers (read − floor) | scoring (portfolio − read) | portfolio in-process | load average before → after |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | --- |")
	for _, r := range rs {
		f, rd, p := r.floor.MedianCPU(), r.read.MedianCPU(), r.inproc.MedianCPU()
		fmt.Fprintf(w, "| %s | %s (%.0f %%) | %s (%.0f %%) | %s (%.0f %%) | %s | %s → %s |\n", thousands(r.orgs),
			ms(f), pct(f, p), ms(rd-f), pct(rd-f, p), ms(p-rd), pct(p-rd, p), ms(p), r.load[0], r.load[1])
	}
	fmt.Fprintf(w, "\nRuns: portfolio %d per size (%d at the largest), scorecard %d per size.\n", len(rs[0].proc.Wall), len(rs[len(rs)-1].proc.Wall), len(rs[0].scProc.Wall))
}

// buildHello builds a Go hello-world in dir.
func buildHello(ctx context.Context, dir string) (string, error) {
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o644); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", "hello", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build hello: %v\n%s", err, out)
	}
	return filepath.Join(dir, "hello"), nil
}

func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s), %s %s/%s", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func ms(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.1f ms", float64(d)/1e6)
}

func pct(a, b time.Duration) float64 { return 100 * float64(a) / float64(b) }

// loadavg is the 1-minute load average.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "report:", err)
	os.Exit(1)
}
