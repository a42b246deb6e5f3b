package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// Benchmarks. Sizes come from the environment so that the full-size runs
// are one command away and `go test -bench .` stays quick:
//
//	TAMLEDGER_BENCH_DOCS=1000000 go test ./store -run '^$' -bench PutBatch -benchtime 1x
//	TAMLEDGER_BENCH_ORGS=10000 TAMLEDGER_BENCH_DIR=/tmp/tlbench go test ./store -run '^$' -bench 'EachLedger|ReadFloor|Ledger' -benchtime 3x
//
// The portfolio benchmarks build a store of ORGS organisations with 200
// engagements, 50 recommendations and 10 cases each (10,000 orgs: 2 M
// engagements, 500 k recommendations, 100 k cases); with
// TAMLEDGER_BENCH_DIR set the SQLite file is kept there and reused.

// cpuTime is the CPU time used by this process so far. The benchmarks
// report it beside wall time: on a shared machine it shows the work done
// whatever else is running.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

var benchServices = []string{"strategy-call", "cost-review", "well-architected-review", "security-review", "specialist-deep-dive", "business-review", "other"}

func benchEngagement(org string, i int) tamledger.Record {
	e := &tamledger.Engagement{
		Date:        tamledger.NewDate(2024, 1, 1+i*3%900),
		Service:     benchServices[i%len(benchServices)],
		InitiatedBy: []string{"tam", "customer"}[i%2],
		Workloads:   [][]string{{"payments"}, {"web"}, {"payments", "web"}}[i%3],
		Summary:     fmt.Sprintf("Monthly strategy call %d: roadmap, open cases and the migration plan", i),
		Source:      "import",
	}
	if i%4 == 0 {
		e.Attendees = []string{"Jane Roe", "Alex Lee"}
	}
	return tamledger.Record{Kind: tamledger.KindEngagement, Org: org, ID: fmt.Sprintf("e-%06d", i), Value: e}
}

func benchRecommendation(org string, i int) tamledger.Record {
	r := &tamledger.Recommendation{
		RaisedOn: tamledger.NewDate(2024, 1, 1+i*11%900), Engagement: fmt.Sprintf("e-%06d", i*4),
		Origin: []string{"tam", "specialist", "well-architected", "trusted-advisor"}[i%4], Pillar: "cost-optimization",
		Workload: "payments", Title: "Move batch fleet to Graviton", Risk: "medium",
		EstimatedMonthlySavings: money(strconv.Itoa(1000 + i*37%9000)), Status: []string{"open", "implemented", "accepted"}[i%3],
	}
	if r.Status == "implemented" {
		r.ImplementedOn = ptr(r.RaisedOn.AddDays(30))
		r.RealizedMonthlySavings = money(strconv.Itoa(900 + i*31%8000))
	}
	if i%5 == 0 {
		r.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: 4, Probability: 0.25}
	}
	return tamledger.Record{Kind: tamledger.KindRecommendation, Org: org, ID: fmt.Sprintf("r-%05d", i), Value: r}
}

func benchCase(org string, i int) tamledger.Record {
	opened := time.Date(2025, 1, 1+i*17%360, 9, 0, 0, 0, time.UTC)
	return tamledger.Record{Kind: tamledger.KindCase, Org: org, ID: fmt.Sprintf("case-%04d", i), Value: &tamledger.Case{
		Severity: tamledger.Severities.Values()[i%5], OpenedAt: opened, TAMEngagedAt: ptr(opened.Add(90 * time.Minute)), ResolvedAt: ptr(opened.Add(26 * time.Hour)),
	}}
}

// engagementDocs is n engagements, TAMLEDGER_BENCH_PER_ORG (200) per
// organisation, and those organisations.
func engagementDocs(n int) (orgs, engs []tamledger.Record) {
	per := envInt("TAMLEDGER_BENCH_PER_ORG", 200)
	for o := 0; o*per < n; o++ {
		orgs = append(orgs, orgRecord(fmt.Sprintf("org-%05d", o)))
	}
	engs = make([]tamledger.Record, n)
	for i := range engs {
		engs[i] = benchEngagement(fmt.Sprintf("org-%05d", i/per), i)
	}
	return orgs, engs
}

func BenchmarkPutBatchSQLite(b *testing.B) {
	benchPutBatch(b, func(b *testing.B) *store.Store { return openSQLite(b) })
}

func BenchmarkPutBatchPostgres(b *testing.B) {
	benchPutBatch(b, func(b *testing.B) *store.Store { return openPostgres(b) })
}

// benchPutBatch imports TAMLEDGER_BENCH_DOCS engagements (default 100,000)
// into a fresh store in one transaction, as the import does: PutBatch with
// 500 records at a time (batch500), or all at once (batchAll); the time
// includes the commit.
func benchPutBatch(b *testing.B, open func(*testing.B) *store.Store) {
	n := envInt("TAMLEDGER_BENCH_DOCS", 100000)
	orgs, engs := engagementDocs(n)
	for _, batch := range []int{500, n} {
		name := "batch500"
		if batch == n {
			name = "batchAll"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			var elapsed, cpu time.Duration
			for range b.N {
				b.StopTimer()
				s := open(b)
				b.StartTimer()
				start, cpu0 := time.Now(), cpuTime()
				tx, err := s.Begin(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := tx.PutBatch(ctx, orgs); err != nil {
					b.Fatal(err)
				}
				for i := 0; i < len(engs); i += batch {
					if _, err := tx.PutBatch(ctx, engs[i:min(i+batch, len(engs))]); err != nil {
						b.Fatal(err)
					}
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				cpu += cpuTime() - cpu0
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "docs/s")
			b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "docs/cpu-s")
		})
	}
}

// portfolio opens (building it when needed) the portfolio store.
func portfolio(b *testing.B, driver string) (*store.Store, int) {
	b.Helper()
	orgs := envInt("TAMLEDGER_BENCH_ORGS", 500)
	ctx := context.Background()
	var s *store.Store
	var err error
	switch dir := os.Getenv("TAMLEDGER_BENCH_DIR"); {
	case driver == store.SQLite && dir != "":
		path := filepath.Join(dir, fmt.Sprintf("portfolio-%d.db", orgs))
		if s, err = store.Open(ctx, path); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		if c, err := s.Counts(ctx); err == nil && c["Organization"] == orgs {
			return s, orgs
		}
	case driver == store.SQLite:
		s = openSQLite(b)
	default:
		s = openPostgres(b)
	}
	b.Logf("building a portfolio of %d organisations", orgs)
	tx, err := s.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for o := range orgs {
		org := fmt.Sprintf("org-%05d", o)
		recs := []tamledger.Record{orgRecord(org)}
		recs = append(recs, ledgerRecords(org)[:2]...) // charters
		recs = append(recs, ledgerRecords(org)[9:]...) // event, reassignment
		for i := range 200 {
			recs = append(recs, benchEngagement(org, i))
		}
		for i := range 50 {
			recs = append(recs, benchRecommendation(org, i))
		}
		for i := range 10 {
			recs = append(recs, benchCase(org, i))
		}
		if _, err := tx.PutBatch(ctx, recs); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return s, orgs
}

func BenchmarkEachLedgerSQLite(b *testing.B)   { benchEachLedger(b, store.SQLite) }
func BenchmarkEachLedgerPostgres(b *testing.B) { benchEachLedger(b, store.Postgres) }

func benchEachLedger(b *testing.B, driver string) {
	s, orgs := portfolio(b, driver)
	ctx := context.Background()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		n, engs := 0, 0
		if err := s.EachLedger(ctx, store.ScoringFields, func(l *tamledger.Ledger) error {
			n++
			engs += len(l.Engagements)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if n != orgs || engs != orgs*200 {
			b.Fatalf("EachLedger: %d ledgers, %d engagements", n, engs)
		}
	}
	b.ReportMetric(float64(orgs*b.N)/b.Elapsed().Seconds(), "orgs/s")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

func BenchmarkReadFloorSQLite(b *testing.B)   { benchReadFloor(b, store.SQLite) }
func BenchmarkReadFloorPostgres(b *testing.B) { benchReadFloor(b, store.Postgres) }

func benchReadFloor(b *testing.B, driver string) {
	s, _ := portfolio(b, driver)
	ctx := context.Background()
	b.ResetTimer()
	cpu0 := cpuTime()
	rows := 0
	for range b.N {
		n, err := s.ReadFloor(ctx, store.ScoringFields)
		if err != nil {
			b.Fatal(err)
		}
		rows += n
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

func BenchmarkLedgerSQLite(b *testing.B)   { benchLedger(b, store.SQLite) }
func BenchmarkLedgerPostgres(b *testing.B) { benchLedger(b, store.Postgres) }

func benchLedger(b *testing.B, driver string) {
	s, orgs := portfolio(b, driver)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		l, err := s.Ledger(ctx, fmt.Sprintf("org-%05d", i*7919%orgs))
		if err != nil {
			b.Fatal(err)
		}
		if len(l.Engagements) != 200 {
			b.Fatalf("%d engagements", len(l.Engagements))
		}
	}
}
