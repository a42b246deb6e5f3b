package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/store"
)

// The fixtures of the ics package: calendars as Google, Outlook and Apple
// export them, and the organisation they are imported into.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "ics", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var june30 = tamledger.MustDate("2026-06-30")

func calendarStore(t *testing.T) *store.Store {
	t.Helper()
	st := open(t)
	mustImport(t, st, "acme.yaml", fixture(t, "acme.yaml"))
	return st
}

func importCal(t *testing.T, st *store.Store, name, text string, mod func(*ledger.CalendarRequest)) *ledger.CalendarResult {
	t.Helper()
	res, err := tryCal(st, name, text, mod)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return res
}

func tryCal(st *store.Store, name, text string, mod func(*ledger.CalendarRequest)) (*ledger.CalendarResult, error) {
	asOf := june30
	req := ledger.CalendarRequest{Org: "acme", Source: ledger.Source{Name: name, Reader: strings.NewReader(text)}, AsOf: &asOf}
	if mod != nil {
		mod(&req)
	}
	return ledger.ImportCalendar(context.Background(), st, req)
}

// engagements lists the stored engagements of acme in one line each.
func engagements(t *testing.T, st *store.Store) []string {
	t.Helper()
	recs, err := st.Items(context.Background(), tamledger.KindEngagement, "acme")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, line(r.Value.(*tamledger.Engagement)))
	}
	slices.Sort(out)
	return out
}

func line(e *tamledger.Engagement) string {
	return fmt.Sprintf("%s %s %s [%s] %q {%s} %s", e.Date, e.Service, e.InitiatedBy, strings.Join(e.Workloads, ","), e.Summary, strings.Join(e.Attendees, "; "), e.Source)
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// The expected engagements of each fixture imported as of 2026-06-30 into
// acme (Europe/London; team at amazon.com; workloads payments, data-lake).
var expected = map[string][]string{
	"google.ics": {
		`2026-01-13 strategy-call tam [] "Acme / AWS monthly strategy call" {Jane Roe; Alex Lee} ics`,
		`2026-02-10 strategy-call tam [] "Acme / AWS monthly strategy call" {Jane Roe; Alex Lee} ics`,
		`2026-04-16 strategy-call tam [payments] "Acme / AWS monthly strategy call (moved)" {Jane Roe; Alex Lee} ics`,
		`2026-05-21 cost-review customer [] "Q2 cost optimisation – Savings Plans, RIs and rightsizing" {Alex Lee; Jane Roe} ics`,
		`2026-06-02 well-architected-review customer [payments] "WAR workshop – Payments" {Alex Lee; Sam Poe; Dana Wu} ics`,
		`2026-06-09 strategy-call tam [] "Acme / AWS monthly strategy call" {Jane Roe; Alex Lee} ics`,
	},
	"outlook.ics": {
		`2026-02-06 security-review tam [] "Security sync (US hours)" {Roe, Jane; Lee, Alex; Okafor, Chidi} ics`,
		`2026-02-13 security-review tam [] "Security sync (US hours)" {Roe, Jane; Lee, Alex; Okafor, Chidi} ics`,
		`2026-02-20 security-review tam [] "Security sync (US hours)" {Roe, Jane; Lee, Alex; Okafor, Chidi} ics`,
		`2026-03-03 iem customer [payments] "Payments cut-over rehearsal" {Lee, Alex; Roe, Jane} ics`,
		`2026-04-18 iem customer [data-lake] "Launch readiness day – Data lake" {Lee, Alex; Doe, Kim} ics`,
		`2026-06-10 specialist-deep-dive tam [] "EKS immersion day (Bengaluru)" {Iyer, Ravi; Lee, Alex} ics`,
	},
	"apple.ics": {
		`2026-03-02 specialist-deep-dive customer [payments] "EKS deep dive with the containers specialist" {Alex Lee; Ravi Iyer} ics`,
		`2026-03-06 strategy-call tam [] "Weekly ops review with TAM" {Jane Roe; Alex Lee} ics`,
		`2026-03-13 strategy-call tam [] "Weekly ops review with TAM" {Jane Roe; Alex Lee} ics`,
		`2026-03-20 strategy-call tam [] "Weekly ops review with TAM" {Jane Roe; Alex Lee} ics`,
	},
}

func TestCalendarFixtures(t *testing.T) {
	for _, name := range []string{"google.ics", "outlook.ics", "apple.ics"} {
		t.Run(name, func(t *testing.T) {
			st := calendarStore(t)
			res := importCal(t, st, name, fixture(t, name), nil)
			sameLines(t, "engagements", engagements(t, st), expected[name])
			if res.Counts.Created != len(expected[name]) {
				t.Errorf("created %d, want %d", res.Counts.Created, len(expected[name]))
			}
			// Again: nothing changes, nothing is duplicated.
			again := importCal(t, st, name, fixture(t, name), nil)
			if again.Counts.Created+again.Counts.Updated+again.Removed != 0 || again.Counts.Unchanged != len(expected[name]) {
				t.Errorf("re-import: %+v, removed %d; want all unchanged", again.Counts, again.Removed)
			}
			sameLines(t, "engagements after a re-import", engagements(t, st), expected[name])
		})
	}
	t.Run("counts", func(t *testing.T) {
		st := calendarStore(t)
		res := importCal(t, st, "google.ics", fixture(t, "google.ics"), nil)
		// The lunch without the team is skipped; the EBR in September and
		// the series' July occurrence are later; three meetings are cancelled.
		cancelled := 0
		for _, m := range res.Meetings {
			if m.Action == "cancelled" {
				cancelled++
			}
		}
		if res.Skipped != 1 || res.Later != 2 || cancelled != 3 || len(res.Meetings) != 9 {
			t.Errorf("skipped %d, later %d, cancelled %d, meetings %d; want 1, 2, 3, 9", res.Skipped, res.Later, cancelled, len(res.Meetings))
		}
	})
}

// TestCalendarOrganizationRules: the organisation's calendarRules come
// before the defaults.
func TestCalendarOrganizationRules(t *testing.T) {
	st := calendarStore(t)
	text := strings.Replace(fixture(t, "apple.ics"), "SUMMARY:Weekly ops review with TAM", "SUMMARY:Weekly FinOps review with TAM", 1)
	res := importCal(t, st, "apple.ics", text, nil)
	n := 0
	for _, m := range res.Meetings {
		if m.Engagement.Summary == "Weekly FinOps review with TAM" {
			n++
			if m.Engagement.Service != "cost-review" || !m.Rule.Own || m.Rule.Match != "FinOps" {
				t.Errorf("%s: %s by %+v, want cost-review by the organisation's rule", m.ID, m.Engagement.Service, m.Rule)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d FinOps meetings, want 3", n)
	}
}

func TestCalendarReimportUpdates(t *testing.T) {
	st := calendarStore(t)
	ctx := context.Background()
	google := fixture(t, "google.ics")
	first := importCal(t, st, "google.ics", google, nil)
	idOf := func(res *ledger.CalendarResult, date string) string {
		for _, m := range res.Meetings {
			if m.Engagement.Date.String() == date {
				return m.ID
			}
		}
		t.Fatalf("no meeting on %s", date)
		return ""
	}
	jan := idOf(first, "2026-01-13")
	jun := idOf(first, "2026-06-09")
	cost := idOf(first, "2026-05-21")

	// A user changes the service, initiator and workloads of January's call
	// and deletes the cost review.
	e := *getEngagement(t, st, jan)
	e.Service, e.InitiatedBy, e.Workloads = "business-review", "customer", []string{"data-lake"}
	if _, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", ID: jan, Engagement: e, Replace: true}); err != nil {
		t.Fatal(err)
	}
	if err := ledger.Delete(ctx, st, tamledger.KindEngagement, "acme", cost, 0); err != nil {
		t.Fatal(err)
	}
	// And logs one of their own.
	mine := tamledger.Engagement{Date: tamledger.MustDate("2026-06-09"), Service: "escalation", InitiatedBy: "customer", Summary: "Sev-1 call"}
	if _, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", ID: "e-mine", Engagement: mine}); err != nil {
		t.Fatal(err)
	}

	t.Run("unchanged calendar keeps the edits", func(t *testing.T) {
		res := importCal(t, st, "google.ics", google, nil)
		if res.Counts.Created+res.Counts.Updated+res.Removed != 0 {
			t.Errorf("re-import changed something: %+v, removed %d", res.Counts, res.Removed)
		}
		got := getEngagement(t, st, jan)
		if got.Service != "business-review" || got.InitiatedBy != "customer" || !slices.Equal(got.Workloads, []string{"data-lake"}) {
			t.Errorf("the user's edit was undone: %s", line(got))
		}
		if getEngagement(t, st, cost) != nil {
			t.Error("the engagement the user deleted came back")
		}
	})

	t.Run("updated calendar: what the calendar owns changes, the user's fields stay", func(t *testing.T) {
		// The series is renamed to a security sync: its summary and
		// classification change; June's occurrence is cancelled.
		changed := strings.ReplaceAll(google, "SUMMARY:Acme / AWS monthly strategy call\r\n", "SUMMARY:Acme / AWS monthly security sync\r\n")
		changed = strings.Replace(changed, "EXDATE;TZID=Europe/London:20260310T100000", "EXDATE;TZID=Europe/London:20260310T100000,20260609T100000", 1)
		res := importCal(t, st, "google.ics", changed, nil)
		got := getEngagement(t, st, jan)
		if got.Summary != "Acme / AWS monthly security sync" {
			t.Errorf("the calendar's summary was not updated: %s", line(got))
		}
		if got.Service != "business-review" || got.InitiatedBy != "customer" || !slices.Equal(got.Workloads, []string{"data-lake"}) {
			t.Errorf("the user's fields were overwritten: %s", line(got))
		}
		feb := getEngagement(t, st, idOf(first, "2026-02-10"))
		if feb.Service != "security-review" {
			t.Errorf("February (no user edit) was not reclassified: %s", line(feb))
		}
		for _, m := range res.Meetings {
			if m.ID == jan && !slices.Contains(m.Kept, "service") {
				t.Errorf("January's kept fields = %v, want service among them", m.Kept)
			}
		}
		// June's occurrence is cancelled: removed, with a tombstone.
		if getEngagement(t, st, jun) != nil {
			t.Error("the cancelled occurrence is still an engagement")
		}
		if deleted, err := deletedAs(st, jun); err != nil || !deleted {
			t.Errorf("no tombstone for the cancelled occurrence (%v)", err)
		}
		if getEngagement(t, st, "e-mine") == nil {
			t.Error("the user's own engagement was removed")
		}
		// The cancellation is undone: the calendar brings its engagement back.
		res = importCal(t, st, "google.ics", strings.Replace(changed, ",20260609T100000", "", 1), nil)
		if getEngagement(t, st, jun) == nil || res.Counts.Created != 1 {
			t.Errorf("the restored occurrence is not back (created %d)", res.Counts.Created)
		}
	})

	t.Run("force takes the calendar's changed values", func(t *testing.T) {
		// The series becomes IEM planning: with Force, the calendar's new service
		// replaces the user's; the initiator and workloads, which the
		// calendar did not change, stay the user's.
		iem := strings.ReplaceAll(google, "SUMMARY:Acme / AWS monthly strategy call\r\n", "SUMMARY:Acme / AWS Countdown planning\r\n")
		importCal(t, st, "google.ics", iem, func(r *ledger.CalendarRequest) { r.Force = true })
		got := getEngagement(t, st, jan)
		if got.Service != "iem" || got.Summary != "Acme / AWS Countdown planning" || got.InitiatedBy != "customer" || !slices.Equal(got.Workloads, []string{"data-lake"}) {
			t.Errorf("forced import: %s", line(got))
		}
		importCal(t, st, "google.ics", google, func(r *ledger.CalendarRequest) { r.Force = true })
		if got := getEngagement(t, st, jan); got.Service != "strategy-call" {
			t.Errorf("forced import back: %s", line(got))
		}
	})

	t.Run("a series moved to other days replaces its occurrences", func(t *testing.T) {
		before := len(engagements(t, st))
		moved := strings.Replace(google, "RRULE:FREQ=MONTHLY;BYDAY=2TU", "RRULE:FREQ=MONTHLY;BYDAY=2WE", 1)
		moved = strings.Replace(moved, "DTSTART;TZID=Europe/London:20260113T100000", "DTSTART;TZID=Europe/London:20260114T100000", 1)
		res := importCal(t, st, "google.ics", moved, nil)
		if len(res.Pruned) == 0 {
			t.Fatal("nothing pruned")
		}
		var dates []string
		for _, l := range engagements(t, st) {
			if strings.Contains(l, "monthly strategy call\"") {
				dates = append(dates, l[:10])
			}
		}
		// Second Wednesdays now. The EXDATE and the overrides name Tuesdays
		// that are no occurrences any more: March, April and May happen.
		want := []string{"2026-01-14", "2026-02-11", "2026-03-11", "2026-04-08", "2026-05-13", "2026-06-10"}
		if !slices.Equal(dates, want) {
			t.Errorf("strategy calls on %v, want %v", dates, want)
		}
		if len(res.Pruned) != 3 {
			t.Errorf("pruned %v, want the three Tuesdays (Jan 13, Feb 10, Jun 9)", res.Pruned)
		}
		if after := len(engagements(t, st)); after != before+3 {
			t.Errorf("%d engagements before, %d after; want 3 more (3 Tuesdays gone, 6 Wednesdays)", before, after)
		}
	})
}

func getEngagement(t *testing.T, st *store.Store, id string) *tamledger.Engagement {
	t.Helper()
	r, ok, err := st.Get(context.Background(), tamledger.KindEngagement, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return nil
	}
	return r.Value.(*tamledger.Engagement)
}

func deletedAs(st *store.Store, id string) (bool, error) {
	tx, err := st.BeginAs(context.Background(), store.Write{Manager: tamledger.ManagerCalendar})
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	return tx.Deleted(context.Background(), tamledger.KindEngagement, "acme", id)
}

func TestCalendarDryRunAndBadInput(t *testing.T) {
	st := calendarStore(t)
	res := importCal(t, st, "outlook.ics", fixture(t, "outlook.ics"), func(r *ledger.CalendarRequest) { r.DryRun = true })
	if res.Counts.Created != 6 {
		t.Errorf("dry run: created %d, want 6", res.Counts.Created)
	}
	if got := engagements(t, st); len(got) != 0 {
		t.Errorf("a dry run wrote %v", got)
	}

	bad := strings.Replace(fixture(t, "outlook.ics"), "DTSTART;VALUE=DATE:20260418", "DTSTART;VALUE=DATE:20260431", 1)
	_, err := tryCal(st, "outlook.ics", bad, nil)
	var el document.ErrorList
	if !errors.As(err, &el) || len(el) != 1 || !strings.HasPrefix(el[0].Error(), "outlook.ics:") || !strings.Contains(el[0].Error(), `bad date "20260431"`) {
		t.Fatalf("got %v, want one FILE:LINE error naming the date", err)
	}
	if got := engagements(t, st); len(got) != 0 {
		t.Errorf("a bad file wrote %v", got)
	}

	_, err = tryCal(st, "outlook.ics", fixture(t, "outlook.ics"), func(r *ledger.CalendarRequest) { r.Org = "globex" })
	if tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
		t.Errorf("unknown organisation: %v, want ENOTFOUND", err)
	}
}
