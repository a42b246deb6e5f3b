package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/web/ui"
)

// body is the page at path as p sees it from h.
func body(t *testing.T, h *ui.Handler, p *access.Principal, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	as(p, h).ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 200 {
		t.Fatalf("GET %s = %d", path, rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// The overview is kept rendered, and shown again from what is kept only
// while nothing it shows can have changed: a write to another organisation
// keeps it; a write to its own records, to the price books, or a new day
// drops it, and the page shown next is the one computed from scratch.
func TestOverviewKeptUntilItsInputsChange(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	var day atomic.Int64
	now := func() time.Time { return clock().AddDate(0, 0, int(day.Load())) }
	h := loaded(newHandler(t, st, ui.Options{Now: now, Poll: time.Millisecond}))
	const org, other = "kestrel-logistics", "harbour-vale"
	path := "/orgs/" + org
	// fromScratch is the page of a handler that keeps nothing.
	fromScratch := func() string {
		t.Helper()
		return body(t, loaded(newHandler(t, st, ui.Options{Now: now, OverviewCacheBytes: -1})), admin, path)
	}
	waitPoll := func() { time.Sleep(5 * time.Millisecond) }

	first := body(t, h, admin, path)
	if !h.OverviewKept(org) {
		t.Fatal("the overview is not kept after it was shown")
	}
	if again := body(t, h, admin, path); again != first {
		t.Error("the overview shown again differs from the first")
	}
	if want := fromScratch(); first != want {
		t.Error("the kept overview differs from one computed from scratch")
	}

	put := func(o, id string, v *tamledger.Event) {
		t.Helper()
		rec := tamledger.Record{Kind: tamledger.KindEvent, Org: o, ID: id, Value: v}
		if _, err := ledger.Put(ctx, st, ledger.PutRequest{Record: rec, Rev: ledger.Create}); err != nil {
			t.Fatal(err)
		}
		waitPoll()
	}
	launch := &tamledger.Event{Name: "Zeta region launch", Date: tamledger.MustDate("2026-12-10")}
	put(other, "zeta-launch", launch)
	if !h.OverviewKept(org) {
		t.Error("a write to another organisation dropped the overview")
	}
	put(org, "zeta-launch", launch)
	if h.OverviewKept(org) {
		t.Fatal("a write to the organisation's records kept its overview")
	}
	page := body(t, h, admin, path)
	if !strings.Contains(page, "Zeta region launch") {
		t.Error("the overview does not show the event written since")
	}
	if want := fromScratch(); page != want {
		t.Error("after the write, the overview differs from one computed from scratch")
	}

	book := tamledger.PriceBook{Effective: tamledger.MustDate("2020-01-01"), Plans: map[string]tamledger.Plan{
		"enterprise": {Minimum: tamledger.Money{Decimal: decimal.NewFromInt(1)}, Tiers: []tamledger.Tier{{Rate: tamledger.Money{Decimal: decimal.RequireFromString("0.01")}}}},
	}}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.PutBatch(ctx, []tamledger.Record{{Kind: tamledger.KindPriceBook, ID: "cheap-2020", Value: &book}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	waitPoll()
	if h.OverviewKept(org) {
		t.Fatal("a new price book kept the overview (its value against cost)")
	}
	if page, want := body(t, h, admin, path), fromScratch(); page != want {
		t.Error("after the price book, the overview differs from one computed from scratch")
	}

	day.Add(1)
	if h.OverviewKept(org) {
		t.Fatal("the overview of yesterday is kept today")
	}
	if page, want := body(t, h, admin, path), fromScratch(); page != want {
		t.Error("the next day, the overview differs from one computed from scratch")
	}
}

// The overviews kept stay within their bound, and none are kept with a
// negative one.
func TestOverviewsKeptWithinTheirBound(t *testing.T) {
	st := demoStore(t)
	orgs, err := st.Organizations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, bound := range []int{-1, 15000, 1 << 20} {
		h := loaded(newHandler(t, st, ui.Options{Now: clock, Poll: time.Hour, OverviewCacheBytes: bound}))
		for _, o := range orgs {
			body(t, h, admin, "/orgs/"+o.ID)
		}
		n, size := h.OverviewsKept()
		switch {
		case bound < 0 && n != 0:
			t.Errorf("bound %d: %d overviews kept, want none", bound, n)
		case bound > 0 && size > bound:
			t.Errorf("bound %d: %d bytes kept", bound, size)
		case bound == 1<<20 && n != len(orgs):
			t.Errorf("bound %d: %d overviews kept, want all %d", bound, n, len(orgs))
		case bound == 15000 && n != 1:
			t.Errorf("bound %d: %d overviews kept, want the last one", bound, n)
		}
	}
}

// Once the portfolio is loaded, every organisation's overview is computed
// ahead (from one read of the store), and each is the page computed from
// scratch.
func TestOverviewsWarmedAhead(t *testing.T) {
	st := demoStore(t)
	orgs, err := st.Organizations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := loaded(newHandler(t, st, ui.Options{Now: clock, Poll: time.Hour}))
	<-h.Warmed()
	if n, _ := h.OverviewsKept(); n != len(orgs) {
		t.Fatalf("%d overviews computed ahead, want %d", n, len(orgs))
	}
	scratch := loaded(newHandler(t, st, ui.Options{Now: clock, OverviewCacheBytes: -1}))
	for _, o := range orgs {
		path := "/orgs/" + o.ID
		if !h.OverviewKept(o.ID) {
			t.Errorf("%s: overview computed ahead is not good", o.ID)
		}
		if got, want := body(t, h, viewerOf(o.ID), path), body(t, scratch, viewerOf(o.ID), path); got != want {
			t.Errorf("%s: the overview computed ahead differs from the one computed from scratch", o.ID)
		}
	}
}

func viewerOf(org string) *access.Principal {
	return &access.Principal{Email: "viewer@" + org + ".example", Role: access.Viewer, Orgs: []string{org}}
}

// Readers of the overviews while editors log engagements through the
// pages (and the overviews are being computed ahead): once the writes are
// done, every overview shown is the one computed from scratch.
func TestOverviewsUnderConcurrentWrites(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	orgs, err := st.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, st, ui.Options{Now: clock, Poll: time.Hour}) // not waited for: the first load and the warming run meanwhile
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 30 {
				o := orgs[(i*7+j)%len(orgs)].ID
				rec := httptest.NewRecorder()
				as(admin, h).ServeHTTP(rec, httptest.NewRequest("GET", "/orgs/"+o, nil))
				if rec.Code != 200 {
					t.Errorf("GET /orgs/%s = %d", o, rec.Code)
				}
			}
		}()
	}
	for i, o := range orgs {
		// Dated in earlier months too: the sparkline's past points move.
		form := url.Values{"service": {"strategy-call"}, "date": {"2026-" + []string{"11", "09", "06"}[i%3] + "-2" + strconv.Itoa(i%7)}, "initiatedBy": {"tam"}, "summary": {"Concurrent call " + strconv.Itoa(i)}}
		req := httptest.NewRequest("POST", "/orgs/"+o.ID+"/engagements", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		as(admin, h).ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("quick-add to %s = %d: %s", o.ID, rec.Code, rec.Body)
		}
	}
	wg.Wait()
	<-h.Warmed()
	scratch := loaded(newHandler(t, st, ui.Options{Now: clock, OverviewCacheBytes: -1}))
	for _, o := range orgs {
		if got, want := body(t, h, admin, "/orgs/"+o.ID), body(t, scratch, admin, "/orgs/"+o.ID); got != want {
			t.Errorf("%s: after the writes, the overview shown differs from the one computed from scratch", o.ID)
		}
	}
}
