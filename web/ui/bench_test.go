package ui_test

import (
	"context"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/tamledger/tamledger/internal/bench"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web/ui"
)

// benchSite serves the cached benchmark store of TAMLEDGER_BENCH_ORGS
// organisations (internal/bench; built on first use). The load test with
// 50 clients is internal/bench/webload; these measure one request's work.
func benchSite(b *testing.B) (*ui.Handler, []string) {
	return benchSiteWith(b, ui.Options{})
}

func benchSiteWith(b *testing.B, opt ui.Options) (*ui.Handler, []string) {
	n, _ := strconv.Atoi(os.Getenv("TAMLEDGER_BENCH_ORGS"))
	if n == 0 {
		b.Skip("set TAMLEDGER_BENCH_ORGS (e.g. 10000) to measure the pages on a benchmark store")
	}
	ctx := context.Background()
	path, _, err := bench.EnsureStore(ctx, bench.Config{Orgs: n})
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.OpenExisting(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	orgs, err := st.Organizations(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	opt.Now = func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }
	h := loaded(newHandler(b, st, opt))
	<-h.Warmed()
	return h, ids
}

func BenchmarkPortfolioPage(b *testing.B) {
	h, ids := benchSite(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		rec := httptest.NewRecorder()
		as(admin, h).ServeHTTP(rec, httptest.NewRequest("GET", "/?page="+strconv.Itoa(1+i%(len(ids)/50)), nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkOverview shows the overviews computed ahead;
// BenchmarkOverviewComputed computes each one (a first request, or one
// after a write).
func BenchmarkOverview(b *testing.B) { benchOverview(b, ui.Options{}) }

func BenchmarkOverviewComputed(b *testing.B) { benchOverview(b, ui.Options{OverviewCacheBytes: -1}) }

func benchOverview(b *testing.B, opt ui.Options) {
	h, ids := benchSiteWith(b, opt)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		rec := httptest.NewRecorder()
		as(admin, h).ServeHTTP(rec, httptest.NewRequest("GET", "/orgs/"+ids[(i*7919)%len(ids)], nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
