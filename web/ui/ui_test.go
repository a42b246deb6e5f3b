package ui_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web/ui"
)

// asOf is the day the demo portfolio is generated for and the pages are
// shown as of.
var asOf = tamledger.MustDate("2026-11-27")

// clock is noon UTC on asOf: the same date in every demo time zone.
func clock() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }

// demoStore is a fresh store (SQLite, or PostgreSQL with TAMLEDGER_TEST_DB)
// holding the demo portfolio.
func demoStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	recs := demo.Generate(1, asOf)
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := 0; i < len(recs); i += 500 {
		if _, err := tx.PutBatch(ctx, recs[i:min(i+500, len(recs))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return st
}

// as wraps h so that every request is made by p: in production the
// server (package web) signs people in and does this.
func as(p *access.Principal, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p != nil {
			r = r.WithContext(access.With(r.Context(), p))
		}
		h.ServeHTTP(w, r)
	})
}

var (
	admin  = &access.Principal{Email: "admin@firm.example", Role: access.Admin}
	editor = &access.Principal{Email: "lead@kestrel.example", Role: access.Editor, Orgs: []string{"kestrel-logistics"}}
	viewer = &access.Principal{Email: "cfo@kestrel.example", Role: access.Viewer, Orgs: []string{"kestrel-logistics"}}
)

type site struct {
	t  *testing.T
	h  *ui.Handler
	st *store.Store
}

func newSite(t *testing.T) *site {
	st := demoStore(t)
	return &site{t: t, st: st, h: loaded(newHandler(t, st, ui.Options{Now: clock, Poll: time.Hour}))}
}

// loaded waits until h's portfolio is computed, sparklines included.
func loaded(h *ui.Handler) *ui.Handler {
	<-h.Loaded()
	return h
}

// get requests path as p and returns the status and the parsed page.
func (s *site) get(p *access.Principal, path string) (int, *goquery.Document) {
	s.t.Helper()
	rec := httptest.NewRecorder()
	as(p, s.h).ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return rec.Code, doc
}

// post submits a form as p and returns the response.
func (s *site) post(p *access.Principal, path string, form url.Values) *httptest.ResponseRecorder {
	s.t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	as(p, s.h).ServeHTTP(rec, req)
	return rec
}

func text(sel *goquery.Selection) string { return strings.Join(strings.Fields(sel.Text()), " ") }

func TestPortfolioWorstFirst(t *testing.T) {
	s := newSite(t)
	code, doc := s.get(admin, "/")
	if code != 200 {
		t.Fatalf("GET / = %d", code)
	}
	rows := doc.Find("table.portfolio tbody tr")
	if rows.Length() != 12 {
		t.Fatalf("%d rows, want the 12 demo organisations", rows.Length())
	}
	// Worst first: kestrel-logistics (the demo's failing relationship)
	// leads, and the scores never fall down the list.
	if first := text(rows.First().Find("th .id")); first != "kestrel-logistics" {
		t.Errorf("first row %q, want kestrel-logistics", first)
	}
	prev := -1
	rows.Each(func(i int, r *goquery.Selection) {
		var n int
		if _, err := fmtSscan(text(r.Find(".score")), &n); err != nil {
			return // no score: listed first
		}
		if n < prev {
			t.Errorf("row %d: score %d after %d", i, n, prev)
		}
		prev = n
		if r.Find("svg.spark").Length() != 1 {
			t.Errorf("row %d: no sparkline", i)
		}
		if lbl, _ := r.Find("svg.spark").Attr("aria-label"); strings.Count(lbl, ",") != 11 {
			t.Errorf("row %d: sparkline label %q does not list 12 month-ends", i, lbl)
		}
	})
	// The band filter and the search narrow the list.
	_, doc = s.get(admin, "/?band=proactive")
	doc.Find("table.portfolio tbody tr .bandname").Each(func(_ int, b *goquery.Selection) {
		if b.Text() != "proactive" {
			t.Errorf("band=proactive lists a %s organisation", b.Text())
		}
	})
	_, doc = s.get(admin, "/?q=aurora")
	if n := doc.Find("table.portfolio tbody tr").Length(); n != 1 {
		t.Errorf("q=aurora: %d rows, want 1", n)
	}
}

func TestPortfolioPaging(t *testing.T) {
	st := demoStore(t)
	h := loaded(newHandler(t, st, ui.Options{Now: clock, PageSize: 5, Poll: time.Hour}))
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		rec := httptest.NewRecorder()
		as(admin, h).ServeHTTP(rec, httptest.NewRequest("GET", "/?page="+string(rune('0'+page)), nil))
		doc, _ := goquery.NewDocumentFromReader(rec.Body)
		doc.Find("table.portfolio tbody tr th .id").Each(func(_ int, s *goquery.Selection) {
			if seen[s.Text()] {
				t.Errorf("page %d repeats %s", page, s.Text())
			}
			seen[s.Text()] = true
		})
		if next := doc.Find("a[rel=next]").Length(); (page < 3) != (next == 1) {
			t.Errorf("page %d: %d next links", page, next)
		}
	}
	if len(seen) != 12 {
		t.Errorf("3 pages of 5 listed %d organisations, want 12", len(seen))
	}
}

// A client's people see their own organisation only: the others are not
// listed, and their pages are 404 with none of their data.
func TestForeignOrganisationIsNotFound(t *testing.T) {
	s := newSite(t)
	_, doc := s.get(viewer, "/")
	if ids := text(doc.Find("table.portfolio tbody th .id")); ids != "kestrel-logistics" {
		t.Errorf("a viewer of kestrel-logistics sees %q", ids)
	}
	for _, path := range []string{"/orgs/aurora-health", "/orgs/aurora-health/engagements", "/orgs/aurora-health/recommendations",
		"/orgs/aurora-health/charter", "/orgs/aurora-health/cases", "/orgs/aurora-health/events", "/orgs/aurora-health/roi",
		"/orgs/aurora-health/reassignments", "/orgs/aurora-health/charters/x", "/orgs/no-such-org"} {
		code, doc := s.get(viewer, path)
		body, _ := doc.Html()
		if code != 404 {
			t.Errorf("GET %s = %d, want 404", path, code)
		}
		if strings.Contains(body, "Aurora Health") {
			t.Errorf("GET %s shows the organisation's name", path)
		}
	}
	// No principal at all: nothing either.
	if code, _ := s.get(nil, "/orgs/kestrel-logistics"); code != 404 {
		t.Errorf("anonymous overview = %d", code)
	}
	// Writing to a foreign organisation is 404 too; a viewer's write to its own is 403.
	form := url.Values{"service": {"strategy-call"}, "date": {"2026-11-27"}, "initiatedBy": {"tam"}}
	if rec := s.post(editor, "/orgs/aurora-health/engagements", form); rec.Code != 404 {
		t.Errorf("editor of kestrel posting to aurora = %d, want 404", rec.Code)
	}
	if rec := s.post(viewer, "/orgs/kestrel-logistics/engagements", form); rec.Code != 403 {
		t.Errorf("viewer posting = %d, want 403", rec.Code)
	}
	if rec := s.post(viewer, "/orgs/kestrel-logistics/recommendations/x/status", url.Values{"status": {"accepted"}}); rec.Code != 403 {
		t.Errorf("viewer setting a status = %d, want 403", rec.Code)
	}
}

func TestOverview(t *testing.T) {
	s := newSite(t)
	code, doc := s.get(viewer, "/orgs/kestrel-logistics")
	if code != 200 {
		t.Fatalf("overview = %d", code)
	}
	if got := text(doc.Find(".bandname.big")); got != "reactive" {
		t.Errorf("band %q, want reactive", got)
	}
	// The components explained in the scorecard's words.
	explain := text(doc.Find("table.components"))
	for _, want := range []string{"charter adherence", "obligations with an ended period", "engagements initiated by the TAM", "cases with the TAM engaged within target"} {
		if !strings.Contains(explain, want) {
			t.Errorf("components lack %q: %s", want, explain)
		}
	}
	if doc.Find("ol.actions li").Length() == 0 {
		t.Error("no next actions for a failing relationship")
	}
	if doc.Find("table.heat .cell-missed").Length() == 0 {
		t.Error("the heatmap shows no missed period for a failing relationship")
	}
	if doc.Find("dl.figures dd.value").Length() != 1 {
		t.Error("no value to date")
	}
	// The layout: headings, labelled navigation, the current tab.
	if doc.Find("nav[aria-label=Organisation] a[aria-current=page]").Text() != "Overview" {
		t.Error("the Overview tab is not marked current")
	}
	if doc.Find("h1").Length() != 1 {
		t.Errorf("%d h1 headings, want 1", doc.Find("h1").Length())
	}
}

// The strict CSP forbids inline script and style: no page has either.
func TestNoInlineScriptOrStyle(t *testing.T) {
	s := newSite(t)
	for _, path := range []string{"/", "/orgs/kestrel-logistics", "/orgs/kestrel-logistics/engagements", "/orgs/kestrel-logistics/recommendations",
		"/orgs/kestrel-logistics/charter", "/orgs/kestrel-logistics/cases", "/orgs/kestrel-logistics/events", "/orgs/kestrel-logistics/roi",
		"/orgs/kestrel-logistics/reassignments"} {
		code, doc := s.get(admin, path)
		if code != 200 {
			t.Errorf("GET %s = %d", path, code)
			continue
		}
		doc.Find("script").Each(func(_ int, sc *goquery.Selection) {
			if _, ok := sc.Attr("src"); !ok || strings.TrimSpace(sc.Text()) != "" {
				t.Errorf("%s: inline script", path)
			}
		})
		if n := doc.Find("style, [style]").Length(); n > 0 {
			t.Errorf("%s: %d inline styles", path, n)
		}
		doc.Find("*").Each(func(_ int, e *goquery.Selection) {
			for _, a := range e.Nodes[0].Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: inline handler %s", path, a.Key)
				}
			}
		})
		// Every form control has a label.
		doc.Find("input:not([type=hidden]), select").Each(func(_ int, in *goquery.Selection) {
			id, _ := in.Attr("id")
			if in.ParentsFiltered("label").Length() == 0 && (id == "" || doc.Find(`label[for="`+id+`"]`).Length() == 0) {
				t.Errorf("%s: a control without a label: %s", path, goquery.NodeName(in)+"#"+id)
			}
		})
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, httptest.NewRequest("GET", "/static/app.css", nil))
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "text/css") {
		t.Errorf("/static/app.css = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}

// The ROI page's chart draws the quarters of its table: a value and a cost
// bar's amounts per row, in order, with an accessible name and the table as
// its description.
func TestROIChart(t *testing.T) {
	s := newSite(t)
	code, doc := s.get(viewer, "/orgs/kestrel-logistics/roi?from=2026-01-01&to=2026-12-31")
	if code != 200 {
		t.Fatalf("roi = %d", code)
	}
	svg := doc.Find("svg.value-cost")
	if svg.AttrOr("role", "") != "img" || svg.AttrOr("aria-label", "") == "" || svg.AttrOr("aria-describedby", "") != "roi-quarters" {
		t.Errorf("the chart: role %q, name %q, described by %q", svg.AttrOr("role", ""), svg.AttrOr("aria-label", ""), svg.AttrOr("aria-describedby", ""))
	}
	var want []string
	doc.Find("#roi-quarters tbody tr").Each(func(_ int, r *goquery.Selection) {
		want = append(want, "value "+text(r.Find("td").Eq(0)), "cost of the TAM "+text(r.Find("td").Eq(1)))
	})
	got := svg.Find("text.amount").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if len(want) != 8 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the chart writes %q, the table %q (four quarters)", got, want)
	}
}
