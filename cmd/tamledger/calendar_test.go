package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/calendar"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
)

// calendarStore returns the DSN of a fresh store holding northwind
// (America/New_York): a charter whose second version takes effect on
// 2027-01-01 with shorter grace days, per-workload WARs, planned events on
// every side of the IEM lead, reassignment requests open, acknowledged and
// overdue, and an EDP; names with commas, semicolons and a backslash.
func calendarStore(t *testing.T) string {
	t.Helper()
	dsn := testdb.DSN(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d := tamledger.MustDate
	dp := func(s string) *tamledger.Date { v := d(s); return &v }
	m := func(s string) *tamledger.Money { v := tamledger.MustMoney(s); return &v }
	n := func(i int) *int { return &i }
	nw := "northwind"
	recs := []tamledger.Record{
		{Kind: tamledger.KindOrganization, ID: nw, Value: &tamledger.Organization{Name: "Northwind Traders, East; NE", Timezone: "America/New_York",
			EDP: &tamledger.EDP{Start: d("2025-01-01"), End: d("2026-12-31")},
			Workloads: []tamledger.Workload{
				{ID: "payments", Name: "Payments, EU; core", Primary: true, Services: []string{"EC2"}},
				{ID: "ledger", Name: "Ledger", Primary: true, Services: []string{"RDS"}},
				{ID: "web", Name: "Web", Services: []string{"CloudFront"}},
			}}},
		{Kind: tamledger.KindCharter, Org: nw, ID: "nw-2026", Value: &tamledger.Charter{Effective: d("2026-01-01"),
			IEM: &tamledger.IEMLead{MinimumLeadDays: n(21), RecommendedLeadDays: n(45)},
			Obligations: []tamledger.Obligation{
				{ID: "sc", Service: "strategy-call", Cadence: "monthly", GraceDays: 7},
				{ID: "cr", Service: "cost-review", Cadence: "quarterly", Requires: "quantified-recommendations"},
				{ID: "war", Service: "well-architected-review", Cadence: "annual", Scope: "each-primary-workload", GraceDays: 30},
				{ID: "sec", Service: "security-review", Cadence: "semiannual"},
			}}},
		{Kind: tamledger.KindCharter, Org: nw, ID: "nw-2027", Value: &tamledger.Charter{Effective: d("2027-01-01"),
			Obligations: []tamledger.Obligation{
				{ID: "sc", Service: "strategy-call", Cadence: "monthly", GraceDays: 5},
				{ID: "cr", Service: "cost-review", Cadence: "quarterly"},
			}}},
		{Kind: tamledger.KindEngagement, Org: nw, ID: "cr-q1", Value: &tamledger.Engagement{Date: d("2026-03-10"), Service: "cost-review", InitiatedBy: "tam"}},
		{Kind: tamledger.KindRecommendation, Org: nw, ID: "r-1", Value: &tamledger.Recommendation{RaisedOn: d("2026-03-10"), Engagement: "cr-q1",
			Origin: "tam", Title: "Savings Plans", EstimatedMonthlySavings: m("5000"), Status: "accepted"}},
		{Kind: tamledger.KindEngagement, Org: nw, ID: "sc-may", Value: &tamledger.Engagement{Date: d("2026-05-05"), Service: "strategy-call", InitiatedBy: "tam"}},
		// Dated after --as-of: it does not count, June stays due.
		{Kind: tamledger.KindEngagement, Org: nw, ID: "sc-jun", Value: &tamledger.Engagement{Date: d("2026-06-10"), Service: "strategy-call", InitiatedBy: "tam"}},
		{Kind: tamledger.KindEvent, Org: nw, ID: "launch", Value: &tamledger.Event{Name: `Launch, phase 1; east\west`, Date: d("2026-06-20")}},
		{Kind: tamledger.KindEvent, Org: nw, ID: "dr-test", Value: &tamledger.Event{Name: "DR test", Date: d("2026-09-15")}},
		{Kind: tamledger.KindEvent, Org: nw, ID: "old", Value: &tamledger.Event{Name: "Old migration", Date: d("2026-03-01")}},
		{Kind: tamledger.KindEvent, Org: nw, ID: "covered", Value: &tamledger.Event{Name: "Covered", Date: d("2026-07-01"), IEMRequestedOn: dp("2026-05-01")}},
		{Kind: tamledger.KindEvent, Org: nw, ID: "booked-later", Value: &tamledger.Event{Name: "Booked later", Date: d("2026-08-20"), IEMRequestedOn: dp("2026-06-01")}},
		{Kind: tamledger.KindEvent, Org: nw, ID: "far", Value: &tamledger.Event{Name: "Far launch", Date: d("2027-07-01")}},
		{Kind: tamledger.KindReassignmentRequest, Org: nw, ID: "rr-open", Value: &tamledger.ReassignmentRequest{RequestedOn: d("2026-05-01"), Reasons: []string{"infrequent-contact"}}},
		{Kind: tamledger.KindReassignmentRequest, Org: nw, ID: "rr-ack", Value: &tamledger.ReassignmentRequest{RequestedOn: d("2026-04-01"), AcknowledgedOn: dp("2026-04-10")}},
		{Kind: tamledger.KindReassignmentRequest, Org: nw, ID: "rr-old", Value: &tamledger.ReassignmentRequest{RequestedOn: d("2026-03-01")}},
	}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, r := range recs {
		r.SetKey()
		if _, err := tx.Put(ctx, r); err != nil {
			t.Fatalf("put %s %s: %v", r.Kind, r.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// The events of northwind as of 2026-05-20, window 2026-05-20 to
// 2027-05-19, worked out by hand from docs/calendar.md.
var northwindEvents = []struct{ uid, date, summary string }{
	{"northwind/event/launch/iem-request", "20260520", `Request IEM for Launch, phase 1; east\west now (event on 20 Jun 2026)`}, // 2026-05-06 has passed
	{"northwind/reassignment/rr-old/escalation", "20260520", "Escalate TAM reassignment request rr-old now (unanswered since 1 Mar 2026)"},
	{"northwind/reassignment/rr-open/escalation", "20260531", "Escalate TAM reassignment request rr-open if unanswered"},
	// sc-may (5 May) is April's call, late within the grace days: May needs its own.
	{"northwind/obligation/sc/2026-05-01", "20260607", "Monthly strategy call due by 7 Jun 2026"},
	{"northwind/obligation/cr/2026-04-01", "20260630", "Quarterly cost review due by 30 Jun 2026"},
	{"northwind/obligation/sec/2026-01-01", "20260630", "Semi-annual security review due by 30 Jun 2026"},
	{"northwind/edp/2025-01-01/renewal-dossier", "20260704", "Build the EDP renewal dossier (EDP ends 31 Dec 2026)"},
	{"northwind/event/booked-later/iem-request", "20260706", "Request IEM for Booked later (event on 20 Aug 2026)"},
	{"northwind/obligation/sc/2026-06-01", "20260707", "Monthly strategy call due by 7 Jul 2026"},
	{"northwind/event/dr-test/iem-request", "20260801", "Request IEM for DR test (event on 15 Sep 2026)"},
	{"northwind/obligation/sc/2026-07-01", "20260807", "Monthly strategy call due by 7 Aug 2026"},
	{"northwind/obligation/sc/2026-08-01", "20260907", "Monthly strategy call due by 7 Sep 2026"},
	{"northwind/obligation/cr/2026-07-01", "20260930", "Quarterly cost review due by 30 Sep 2026"},
	{"northwind/obligation/sc/2026-09-01", "20261007", "Monthly strategy call due by 7 Oct 2026"},
	{"northwind/obligation/sc/2026-10-01", "20261107", "Monthly strategy call due by 7 Nov 2026"},
	{"northwind/obligation/sc/2026-11-01", "20261207", "Monthly strategy call due by 7 Dec 2026"},
	{"northwind/obligation/cr/2026-10-01", "20261231", "Quarterly cost review due by 31 Dec 2026"},
	{"northwind/obligation/sec/2026-07-01", "20261231", "Semi-annual security review due by 31 Dec 2026"},
	{"northwind/obligation/sc/2026-12-01", "20270107", "Monthly strategy call due by 7 Jan 2027"},
	{"northwind/obligation/war/workload/ledger/2026-01-01", "20270130", "Annual Well-Architected Review of Ledger due by 30 Jan 2027"},
	{"northwind/obligation/war/workload/payments/2026-01-01", "20270130", "Annual Well-Architected Review of Payments, EU; core due by 30 Jan 2027"},
	{"northwind/obligation/sc/2027-01-01", "20270205", "Monthly strategy call due by 5 Feb 2027"}, // nw-2027: 5 grace days
	{"northwind/obligation/sc/2027-02-01", "20270305", "Monthly strategy call due by 5 Mar 2027"},
	{"northwind/obligation/cr/2027-01-01", "20270331", "Quarterly cost review due by 31 Mar 2027"},
	{"northwind/obligation/sc/2027-03-01", "20270405", "Monthly strategy call due by 5 Apr 2027"},
	{"northwind/obligation/sc/2027-04-01", "20270505", "Monthly strategy call due by 5 May 2027"},
	{"northwind/event/far/iem-request", "20270517", "Request IEM for Far launch (event on 1 Jul 2027)"}, // 45 days before, nw-2026's lead
}

// parseICS parses out with the library and checks the RFC's required
// properties: VERSION 2.0 and PRODID on the calendar; UID, DTSTAMP and
// DTSTART on each event, UIDs unique. The parser unescapes TEXT values
// (SUMMARY, DESCRIPTION, X-WR-CALNAME): what it returns is the text itself.
func parseICS(t *testing.T, out string) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatalf("the output does not parse: %v\n%s", err, out)
	}
	props := map[ics.Property]string{}
	for _, p := range cal.CalendarProperties {
		props[ics.Property(p.IANAToken)] = p.Value
	}
	if props[ics.PropertyVersion] != "2.0" || props[ics.PropertyProductId] != calendar.ProductID {
		t.Errorf("VERSION %q, PRODID %q", props[ics.PropertyVersion], props[ics.PropertyProductId])
	}
	seen := map[string]bool{}
	for i, ev := range cal.Events() {
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyUniqueId, ics.ComponentPropertyDtstamp, ics.ComponentPropertyDtStart} {
			if v := ev.GetProperty(p); v == nil || v.Value == "" {
				t.Errorf("event %d has no %s", i, p)
			}
		}
		if seen[ev.Id()] {
			t.Errorf("UID %s twice", ev.Id())
		}
		seen[ev.Id()] = true
	}
	return cal
}

// checkICSLines checks the octets: every line ends in CRLF and is at most
// 75 octets long without it, and the text is valid UTF-8.
func checkICSLines(t *testing.T, out string) {
	t.Helper()
	if !strings.HasSuffix(out, "\r\n") {
		t.Errorf("the output does not end in CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d is %d octets long (max 75): %q", i+1, len(line), line)
		}
	}
	checkPrintable(t, "calendar", strings.ReplaceAll(out, "\r\n", "\n"))
}

func TestCalendarCommand(t *testing.T) {
	dsn := calendarStore(t)
	out := run1(t, dsn, "calendar", "--org", "northwind", "--as-of", "2026-05-20")

	t.Run("golden", func(t *testing.T) {
		path := filepath.Join("testdata", "calendar-northwind.ics")
		if *updateGolden {
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if out != string(want) {
			t.Errorf("output differs from %s (go test -update rewrites it):\n got:\n%s\nwant:\n%s", path, out, want)
		}
	})

	t.Run("octets", func(t *testing.T) { checkICSLines(t, out) })

	t.Run("the events, parsed back, are the hand-worked ones", func(t *testing.T) {
		cal := parseICS(t, out)
		evs := cal.Events()
		if len(evs) != len(northwindEvents) {
			t.Errorf("%d events, want %d", len(evs), len(northwindEvents))
		}
		for i := range min(len(evs), len(northwindEvents)) {
			ev, want := evs[i], northwindEvents[i]
			got := struct{ uid, date, summary string }{
				strings.TrimSuffix(ev.Id(), "@tamledger"),
				ev.GetProperty(ics.ComponentPropertyDtStart).Value,
				ev.GetProperty(ics.ComponentPropertySummary).Value,
			}
			if got != want {
				t.Errorf("event %d:\n got %q\nwant %q", i, got, want)
			}
			if s := ev.GetProperty(ics.ComponentPropertyDtstamp).Value; s != "20260520T000000Z" {
				t.Errorf("event %d: DTSTAMP %s, want --as-of at midnight UTC", i, s)
			}
			start, err1 := ev.GetAllDayStartAt()
			end, err2 := ev.GetAllDayEndAt()
			if err1 != nil || err2 != nil || end.Sub(start).Hours() != 24 {
				t.Errorf("event %d: not one all-day event: %v %v %v %v", i, start, end, err1, err2)
			}
		}
	})

	t.Run("text with commas, semicolons and a backslash round-trips", func(t *testing.T) {
		cal := parseICS(t, out)
		for _, p := range cal.CalendarProperties {
			if p.IANAToken == "X-WR-CALNAME" && p.Value != "TAM charter: Northwind Traders, East; NE (northwind)" {
				t.Errorf("X-WR-CALNAME %q", p.Value)
			}
		}
		desc := cal.Events()[0].GetProperty(ics.ComponentPropertyDescription).Value
		if !strings.Contains(desc, `planned event Launch, phase 1; east\west (launch) of Northwind Traders, East; NE (northwind) on 2026-06-20 by 2026-05-06`) ||
			!strings.Contains(desc, "\nNo IEM request was recorded as of 2026-05-20.") {
			t.Errorf("description %q", desc)
		}
	})

	t.Run("the same store and window give the same bytes", func(t *testing.T) {
		if again := run1(t, dsn, "calendar", "--org", "northwind", "--as-of", "2026-05-20"); again != out {
			t.Errorf("two runs differ")
		}
		file := filepath.Join(t.TempDir(), "nw.ics")
		if got := run1(t, dsn, "calendar", "--org", "northwind", "--as-of", "2026-05-20", "--file", file); got != "" {
			t.Errorf("--file printed %q", got)
		}
		if b, err := os.ReadFile(file); err != nil || string(b) != out {
			t.Errorf("--file wrote other bytes (%v)", err)
		}
		// Without --as-of, the DTSTAMP is --from's: a past window's file
		// does not change from day to day as long as nothing is due in it.
		a := run1(t, dsn, "calendar", "--org", "northwind", "--from", "2025-01-01", "--to", "2025-12-31")
		b := run1(t, dsn, "calendar", "--org", "northwind", "--from", "2025-01-01", "--to", "2025-12-31")
		if a != b || len(parseICS(t, a).Events()) != 0 {
			t.Errorf("a past window:\n%s\n%s", a, b)
		}
	})

	t.Run("a window", func(t *testing.T) {
		cal := parseICS(t, run1(t, dsn, "calendar", "--org", "northwind", "--as-of", "2026-05-20", "--from", "2026-06-30", "--to", "2026-07-06"))
		var got []string
		for _, ev := range cal.Events() {
			got = append(got, strings.TrimSuffix(ev.Id(), "@tamledger"))
			if s := ev.GetProperty(ics.ComponentPropertyDtstamp).Value; s != "20260520T000000Z" {
				t.Errorf("DTSTAMP %s, want --as-of", s)
			}
		}
		want := []string{"northwind/obligation/cr/2026-04-01", "northwind/obligation/sec/2026-01-01",
			"northwind/edp/2025-01-01/renewal-dossier", "northwind/event/booked-later/iem-request"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("window 2026-06-30 to 2026-07-06:\n got %v\nwant %v", got, want)
		}
	})

	t.Run("bad input exits 2, no store 3", func(t *testing.T) {
		for _, tt := range []struct {
			args   []string
			status int
			stderr string
		}{
			{[]string{"calendar", "--org", "nobody"}, 2, `unknown organization "nobody"`},
			{[]string{"calendar"}, 2, "--org is required"},
			{[]string{"calendar", "--org", "northwind", "--from", "2026-02-30"}, 2, "--from: bad date"},
			{[]string{"calendar", "--org", "northwind", "--to", "tomorrow"}, 2, "--to: bad date"},
			{[]string{"calendar", "--org", "northwind", "--as-of", "2026-5-1"}, 2, "--as-of: bad date"},
			{[]string{"calendar", "--org", "northwind", "--from", "2026-07-01", "--to", "2026-06-30"}, 2, "--from 2026-07-01 is after --to 2026-06-30"},
			{[]string{"calendar", "--org", "northwind", "--as-of", "2026-07-01", "--to", "2026-06-30"}, 2, "--to 2026-06-30 is before the window's start 2026-07-01"},
			{[]string{"calendar", "--org", "northwind", "extra"}, 2, "unknown command"},
		} {
			stdout, stderr, status := cli(t, dsn, "", tt.args...)
			if status != tt.status || !strings.Contains(stderr, tt.stderr) || stdout != "" {
				t.Errorf("%v: exit %d, stderr %q, stdout %d bytes; want %d and %q", tt.args, status, stderr, len(stdout), tt.status, tt.stderr)
			}
		}
		missing := filepath.Join(t.TempDir(), "none.db")
		_, stderr, status := cli(t, missing, "", "calendar", "--org", "northwind")
		if status != 3 || !strings.Contains(stderr, "none.db") {
			t.Errorf("no store: exit %d, stderr %q; want 3", status, stderr)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Errorf("calendar created the store")
		}
		_, stderr, status = cli(t, dsn, "", "calendar", "--org", "northwind", "--file", filepath.Join(t.TempDir(), "no", "such", "x.ics"))
		if status != 3 || !strings.Contains(stderr, "x.ics") {
			t.Errorf("unwritable --file: exit %d, stderr %q; want 3", status, stderr)
		}
	})
}

// The default window is today, in the organisation's time zone, to a year on.
func TestCalendarDefaultWindow(t *testing.T) {
	dsn := calendarStore(t)
	cal := parseICS(t, run1(t, dsn, "calendar", "--org", "northwind"))
	ny := &tamledger.Organization{Timezone: "America/New_York"}
	today := tamledger.Today(ny.Location())
	first := strings.ReplaceAll(today.String(), "-", "")
	last := strings.ReplaceAll(today.AddYears(1).AddDays(-1).String(), "-", "")
	for _, ev := range cal.Events() {
		d := ev.GetProperty(ics.ComponentPropertyDtStart).Value
		if d < first || d > last {
			t.Errorf("%s on %s, outside %s to %s", ev.Id(), d, first, last)
		}
		if s := ev.GetProperty(ics.ComponentPropertyDtstamp).Value; s != first+"T000000Z" {
			t.Errorf("DTSTAMP %s, want today %s", s, first)
		}
	}
}
