package calendar_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/calendar"
	"github.com/tamledger/tamledger/score"
)

func TestWriteRoundTrip(t *testing.T) {
	d := tamledger.MustDate
	org := &tamledger.Organization{ID: "acme", Name: "Acme; Corp, Ltd"}
	texts := []string{
		"plain",
		`commas, semicolons; a backslash \ and "quotes"`,
		"two\nlines\n\nand a blank one",
		`\n is not a newline here, \, nor this`,
		strings.Repeat("Größe 日本語 ", 20), // multi-byte characters across the folds
		strings.Repeat("x", 300),
		"",
	}
	var entries []calendar.Entry
	for i, s := range texts {
		entries = append(entries, calendar.Entry{Kind: calendar.KindObligation, UID: "acme/t/" + string(rune('a'+i)) + "@tamledger",
			Date: d("2026-01-31").AddDays(i), Summary: s, Description: s + "\n" + s})
	}
	var b bytes.Buffer
	if err := calendar.Write(&b, org, entries, d("2026-01-15")); err != nil {
		t.Fatal(err)
	}
	out := b.String()

	t.Run("octets", func(t *testing.T) {
		if !utf8.ValidString(out) {
			t.Fatal("invalid UTF-8")
		}
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		for i, line := range lines {
			if len(line) > 75 || strings.ContainsAny(line, "\r\n") || !utf8.ValidString(line) {
				t.Errorf("line %d (%d octets): %q", i+1, len(line), line)
			}
		}
		if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
			t.Errorf("first line %q, last %q", lines[0], lines[len(lines)-1])
		}
	})

	t.Run("parsed back", func(t *testing.T) {
		cal, err := ics.ParseCalendar(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		evs := cal.Events()
		if len(evs) != len(texts) {
			t.Fatalf("%d events, want %d", len(evs), len(texts))
		}
		for i, ev := range evs {
			if got := ev.GetProperty(ics.ComponentPropertySummary).Value; got != texts[i] {
				t.Errorf("summary %d:\n got %q\nwant %q", i, got, texts[i])
			}
			if got := ev.GetProperty(ics.ComponentPropertyDescription).Value; got != texts[i]+"\n"+texts[i] {
				t.Errorf("description %d: %q", i, got)
			}
			if ev.Id() != entries[i].UID || ev.GetProperty(ics.ComponentPropertyDtstamp).Value != "20260115T000000Z" {
				t.Errorf("event %d: UID %q DTSTAMP %q", i, ev.Id(), ev.GetProperty(ics.ComponentPropertyDtstamp).Value)
			}
			start, err := ev.GetAllDayStartAt()
			if err != nil || tamledger.DateOf(start) != entries[i].Date {
				t.Errorf("event %d: start %v %v, want %s", i, start, err, entries[i].Date)
			}
		}
	})

	t.Run("the same input, the same bytes", func(t *testing.T) {
		var again bytes.Buffer
		if err := calendar.Write(&again, org, entries, d("2026-01-15")); err != nil || again.String() != out {
			t.Errorf("differs (%v)", err)
		}
	})
}

// The edges of the schedule's rules, one ledger each.
func TestScheduleEdges(t *testing.T) {
	d := tamledger.MustDate
	dp := func(s string) *tamledger.Date { v := d(s); return &v }
	asOf := d("2026-05-20")
	year := score.Window{From: asOf, To: d("2027-05-19")}
	org := &tamledger.Organization{ID: "o"}
	uids := func(l *tamledger.Ledger, w score.Window) map[string]string {
		m := map[string]string{}
		for _, e := range calendar.Schedule(l, asOf, w) {
			m[e.UID] = e.Date.String()
		}
		return m
	}
	for _, tt := range []struct {
		name string
		l    *tamledger.Ledger
		w    score.Window
		want map[string]string
	}{
		{"an event today, no IEM: request now", &tamledger.Ledger{Org: org, Events: []tamledger.Event{{ID: "e", Date: asOf}}}, year,
			map[string]string{"o/event/e/iem-request@tamledger": "2026-05-20"}},
		{"an event yesterday: nothing", &tamledger.Ledger{Org: org, Events: []tamledger.Event{{ID: "e", Date: d("2026-05-19")}}}, year,
			map[string]string{}},
		{"IEM requested on asOf: nothing", &tamledger.Ledger{Org: org, Events: []tamledger.Event{{ID: "e", Date: d("2026-09-01"), IEMRequestedOn: &asOf}}}, year,
			map[string]string{}},
		{"IEM recorded as requested tomorrow: still to request, default lead 30", &tamledger.Ledger{Org: org, Events: []tamledger.Event{{ID: "e", Date: d("2026-09-01"), IEMRequestedOn: dp("2026-05-21")}}}, year,
			map[string]string{"o/event/e/iem-request@tamledger": "2026-08-02"}},
		{"a deadline the day after the window: nothing", &tamledger.Ledger{Org: org, Events: []tamledger.Event{{ID: "e", Date: d("2027-06-19")}}}, year,
			map[string]string{}},
		{"a deadline on the window's last day", &tamledger.Ledger{Org: org, Events: []tamledger.Event{{ID: "e", Date: d("2027-06-18")}}}, year,
			map[string]string{"o/event/e/iem-request@tamledger": "2027-05-19"}},
		{"reassignment: escalated or resolved ones are not open", &tamledger.Ledger{Org: org, Reassignments: []tamledger.ReassignmentRequest{
			{ID: "a", RequestedOn: d("2026-05-01"), EscalatedOn: dp("2026-05-10")}, {ID: "b", RequestedOn: d("2026-05-01"), ResolvedOn: dp("2026-05-10")},
			{ID: "c", RequestedOn: d("2026-04-20")}}}, year,
			map[string]string{"o/reassignment/c/escalation@tamledger": "2026-05-20"}},
		{"an EDP that ended yesterday: nothing", &tamledger.Ledger{Org: &tamledger.Organization{ID: "o", EDP: &tamledger.EDP{Start: d("2024-01-01"), End: d("2026-05-19")}}}, year,
			map[string]string{}},
		{"an EDP ending today: the dossier is overdue, today", &tamledger.Ledger{Org: &tamledger.Organization{ID: "o", EDP: &tamledger.EDP{Start: d("2024-01-01"), End: asOf}}}, year,
			map[string]string{"o/edp/2024-01-01/renewal-dossier@tamledger": "2026-05-20"}},
		{"no charter: no obligation", &tamledger.Ledger{Org: org}, year, map[string]string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := uids(tt.l, tt.w)
			if len(got) != len(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}
