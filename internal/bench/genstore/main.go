// Command genstore builds the benchmark stores of issue 3: SQLite stores of
// N generated organisations (demo.Stream) with three years of history,
// written through store.Tx.PutBatch, cached as DIR/orgs-N.db so that
// reruns reuse them.
//
//	go run ./internal/bench/genstore -orgs 100,1000,10000
//	go run ./internal/bench/genstore -orgs 10000 -dir /tmp/tamledger-bench -force
//	go run ./internal/bench/genstore -orgs 10000 -pg postgres://...   # into an empty PostgreSQL database
//
// DIR is -dir, else $TAMLEDGER_BENCH_DIR, else /tmp/tamledger-bench. It
// prints the path of each store.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/bench"
)

func main() {
	orgs := flag.String("orgs", "100,1000,10000", "comma-separated store sizes (organisations)")
	dir := flag.String("dir", bench.DefaultDir(), "cache directory (env TAMLEDGER_BENCH_DIR)")
	years := flag.Int("years", bench.DefaultYears, "years of history per organisation")
	seed := flag.Int64("seed", bench.DefaultSeed, "demo.Stream seed")
	asOf := flag.String("as-of", bench.AsOf.String(), "generate history up to this date")
	force := flag.Bool("force", false, "rebuild even when the store is cached")
	pg := flag.String("pg", "", "build into this PostgreSQL database (a postgres:// DSN, empty) instead of a cached SQLite file; one size only")
	flag.Parse()

	day, err := tamledger.ParseDate(*asOf)
	if err != nil {
		fail(fmt.Errorf("-as-of: %v", err))
	}
	sizes, err := bench.ParseSizes(*orgs)
	if err != nil {
		fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *pg != "" {
		if len(sizes) != 1 {
			fail(fmt.Errorf("-pg takes one size (-orgs N)"))
		}
		c := bench.Config{Orgs: sizes[0], Years: *years, Seed: *seed, AsOf: day, Progress: os.Stderr}
		if err := bench.BuildInto(ctx, *pg, c); err != nil {
			fail(err)
		}
		return
	}
	for _, n := range sizes {
		c := bench.Config{Dir: *dir, Orgs: n, Years: *years, Seed: *seed, AsOf: day, Progress: os.Stderr}
		if *force {
			if err := os.MkdirAll(*dir, 0o755); err != nil {
				fail(err)
			}
			fmt.Fprintf(os.Stderr, "building %d organisations into %s\n", n, c.Path())
			if err := bench.Build(ctx, c.Path(), c); err != nil {
				fail(err)
			}
			fmt.Println(c.Path())
			continue
		}
		if _, err := os.Stat(c.Path()); err != nil {
			fmt.Fprintf(os.Stderr, "building %d organisations into %s\n", n, c.Path())
		}
		path, _, err := bench.EnsureStore(ctx, c)
		if err != nil {
			fail(err)
		}
		fmt.Println(path)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genstore:", err)
	os.Exit(1)
}
