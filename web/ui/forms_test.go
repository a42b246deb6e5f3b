package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/web/ui"
)

// portfolioCell is the text of column col of org's portfolio row.
func (s *site) portfolioCell(org string, col int) string {
	s.t.Helper()
	_, doc := s.get(admin, "/?q="+org)
	return text(doc.Find("table.portfolio tbody tr").First().Find("td").Eq(col))
}

// The quick-add form logs through ledger.Log as the signed-in user; the
// portfolio shows the change at once, with no poll; bad input comes back
// in the form, with what was typed.
func TestQuickAdd(t *testing.T) {
	s := newSite(t)
	const proactive = 3 // td: health, sparkline, adherence, proactive
	before := s.portfolioCell("kestrel-logistics", proactive)
	rec := s.post(editor, "/orgs/kestrel-logistics/engagements", url.Values{
		"service": {"strategy-call"}, "date": {"2026-11-26"}, "initiatedBy": {"tam"}, "summary": {"Roadmap"}})
	if rec.Code != 303 {
		t.Fatalf("quick-add = %d: %s", rec.Code, rec.Body)
	}
	loc := rec.Header().Get("Location")
	if !strings.HasPrefix(loc, "/orgs/kestrel-logistics/engagements?done=") {
		t.Errorf("redirect to %s", loc)
	}
	if after := s.portfolioCell("kestrel-logistics", proactive); after == before {
		t.Errorf("the portfolio's proactive ratio stayed %s after a TAM-initiated engagement", before)
	}
	// Who set each field: the user, on the web.
	_, doc := s.get(editor, "/orgs/kestrel-logistics/engagements/e-2026-11-26-strategy-call")
	if owner := text(doc.Find("table.fields tbody tr").First().Find("td").Last()); owner != "lead@kestrel.example (web)" {
		t.Errorf("the engagement's first field was set by %q", owner)
	}
	// The same again is refused, with the way to record it anyway.
	rec = s.post(editor, "/orgs/kestrel-logistics/engagements", url.Values{
		"service": {"strategy-call"}, "date": {"2026-11-26"}, "initiatedBy": {"tam"}, "summary": {"Roadmap"}})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "record it anyway") {
		t.Errorf("a duplicate = %d, without the way to record it anyway", rec.Code)
	}
	rec = s.post(editor, "/orgs/kestrel-logistics/engagements", url.Values{
		"service": {"strategy-call"}, "date": {"2026-11-26"}, "initiatedBy": {"tam"}, "summary": {"Roadmap"}, "again": {"1"}})
	if rec.Code != 303 {
		t.Errorf("a duplicate recorded anyway = %d", rec.Code)
	}
	// Bad input: each problem named, what was typed kept.
	rec = s.post(editor, "/orgs/kestrel-logistics/engagements", url.Values{"service": {"coffee"}, "date": {"2026-11-26"}, "initiatedBy": {"tam"}, "summary": {"kept"}})
	body := rec.Body.String()
	if rec.Code != 400 || !strings.Contains(body, "service") || !strings.Contains(body, `value="kept"`) {
		t.Errorf("an unknown service = %d:\n%s", rec.Code, body)
	}
	rec = s.post(editor, "/orgs/kestrel-logistics/engagements", url.Values{"service": {"strategy-call"}, "date": {"26/11/2026"}, "initiatedBy": {"tam"}})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Date:") {
		t.Errorf("a bad date = %d", rec.Code)
	}
}

// A status change carries the version the form was read at: when someone
// changed the recommendation meanwhile, the form comes back with the
// conflict and the current version, and nothing is written.
func TestStatusConflict(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	org := "kestrel-logistics"
	l, err := s.st.Ledger(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, r := range l.Recommendations {
		if r.Status == "open" && r.Origin == "tam" {
			id = r.ID
			break
		}
	}
	it, _, err := s.st.Item(ctx, tamledger.KindRecommendation, org, id)
	if err != nil {
		t.Fatal(err)
	}
	read := it.Rev
	// Someone else accepts it meanwhile.
	if _, err := ledger.SetStatus(ctx, s.st, ledger.StatusRequest{Org: org, ID: id, Status: "accepted", Manager: tamledger.WebManager("other@kestrel.example")}); err != nil {
		t.Fatal(err)
	}
	rec := s.post(editor, "/orgs/"+org+"/recommendations/"+id+"/status", url.Values{
		"status": {"implemented"}, "implementedOn": {"2026-06-01"}, "realized": {"100"}, "rev": {itoa(read)}})
	if rec.Code != 409 {
		t.Fatalf("a stale status change = %d", rec.Code)
	}
	doc := parse(t, rec.Body.String())
	if msg := text(doc.Find(".error.conflict")); !strings.Contains(msg, "changed") {
		t.Errorf("conflict message %q", msg)
	}
	if rev, _ := doc.Find(`input[name=rev]`).Attr("value"); rev != itoa(read+1) {
		t.Errorf("the form carries rev %s, want the current %d", rev, read+1)
	}
	if owner := fieldOwner(doc, "status"); owner != "other@kestrel.example (web)" {
		t.Errorf("status set by %q, want the other user", owner)
	}
	// The history names the other user's change, latest first.
	if last := text(doc.Find("table.history tbody tr").First()); !strings.Contains(last, "other@kestrel.example (web)") || !strings.Contains(last, "status") {
		t.Errorf("the latest revision reads %q", last)
	}
	// Set again from the current version: it lands, and the ROI counts it.
	_, before := s.get(editor, "/orgs/"+org+"/roi")
	rec = s.post(editor, "/orgs/"+org+"/recommendations/"+id+"/status", url.Values{
		"status": {"implemented"}, "implementedOn": {"2026-06-01"}, "realized": {"100"}, "rev": {itoa(read + 1)}})
	if rec.Code != 303 {
		t.Fatalf("status change from the current version = %d: %s", rec.Code, rec.Body)
	}
	_, after := s.get(editor, "/orgs/"+org+"/roi")
	if text(before.Find("#roi-value")) == text(after.Find("#roi-value")) {
		t.Error("the ROI did not change when a TAM recommendation was implemented")
	}
	if after.Find(`a[href="/orgs/`+org+`/recommendations/`+id+`"]`).Length() == 0 {
		t.Error("the ROI page does not link the new value line to its recommendation")
	}
	// A reason is required to reject: the message comes back in the form.
	rec = s.post(editor, "/orgs/"+org+"/recommendations/"+id+"/status", url.Values{"status": {"rejected"}, "rev": {itoa(read + 2)}})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "reason is required") {
		t.Errorf("rejecting without a reason = %d", rec.Code)
	}
}

// A write by another process (a CLI import, the API) reaches the portfolio
// at the next poll: the store's generation moves, and the stamps say which
// organisation to recompute.
func TestPortfolioFollowsOtherWriters(t *testing.T) {
	st := demoStore(t)
	h := loaded(newHandler(t, st, ui.Options{Now: clock, Poll: time.Millisecond}))
	s := &site{t: t, st: st, h: h}
	const proactive = 3
	before := s.portfolioCell("aurora-health", proactive)
	other := s.portfolioCell("kestrel-logistics", proactive)
	if _, err := ledger.Log(context.Background(), st, ledger.LogRequest{Org: "aurora-health", Engagement: tamledger.Engagement{
		Date: asOf, Service: "other", InitiatedBy: "customer", Summary: "from the CLI"}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.portfolioCell("aurora-health", proactive) == before {
		if time.Now().After(deadline) {
			t.Fatalf("the portfolio still shows aurora-health's proactive ratio %s 10 s after a write", before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := s.portfolioCell("kestrel-logistics", proactive); got != other {
		t.Errorf("kestrel-logistics changed from %s to %s", other, got)
	}
}
