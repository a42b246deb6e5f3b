package ledger_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/ics"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/store"
)

// benchCalendar is a Google-style export with n meetings up to 2026-06-30:
// weekly series of 50 occurrences each (with an EXDATE and an override
// every series), for four fifths of them, and single meetings for the rest;
// every meeting has the TAM and two people of the customer, with folded
// descriptions.
func benchCalendar(n int) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Europe/London\r\n")
	summaries := []string{"Monthly strategy call", "Cost review: Savings Plans", "WAR follow-up for Payments", "Security sync",
		"Countdown planning", "EKS deep dive", "QBR prep", "Data lake roadmap"}
	event := func(uid, start, extra, summary string) {
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:%s\r\nDTEND;TZID=Europe/London:%s\r\n%sUID:%s\r\n", start, start, extra, uid)
		b.WriteString("ORGANIZER;CN=Jane Roe:mailto:jroe@amazon.com\r\n")
		b.WriteString("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Jane Roe;X-NUM-GUESTS=0:mailto:jroe@amazon.com\r\n")
		b.WriteString("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE;CN=Alex Lee;X-NUM-GUESTS=0:mailto:alee@acme.example\r\n")
		b.WriteString("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE;CN=Priya Shah;X-NUM-GUESTS=0:mailto:pshah@acme.ex\r\n ample\r\n")
		b.WriteString("DESCRIPTION:Agenda: priorities\\, open cases and what comes next.\\n\\nJoin with Google Meet: https://meet.google.com/abc-def\r\n g-hij\\nLearn more about Meet at: https://support.google.com/a/users/answer/9282720\r\n")
		fmt.Fprintf(&b, "STATUS:CONFIRMED\r\nSUMMARY:%s\r\nEND:VEVENT\r\n", summary)
	}
	const per = 50
	series := n * 4 / 5 / per
	singles := n - series*per
	start := time.Date(2025, 7, 7, 9, 0, 0, 0, time.UTC)
	for s := range series {
		t := start.Add(time.Duration(s%40)*15*time.Minute).AddDate(0, 0, s%5)
		uid := "series-" + strconv.Itoa(s) + "@google.com"
		ex := t.AddDate(0, 0, 14)
		ov := t.AddDate(0, 0, 21)
		// 51 occurrences, one excluded: 50 meetings.
		event(uid, t.Format("20060102T150405"), "RRULE:FREQ=WEEKLY;COUNT=51\r\nEXDATE;TZID=Europe/London:"+ex.Format("20060102T150405")+"\r\n", summaries[s%len(summaries)])
		event(uid, ov.Add(2*time.Hour).Format("20060102T150405"), "RECURRENCE-ID;TZID=Europe/London:"+ov.Format("20060102T150405")+"\r\n", summaries[s%len(summaries)]+" (moved)")
	}
	for i := range singles {
		t := start.Add(time.Duration(i) * 37 * time.Minute)
		event("single-"+strconv.Itoa(i)+"@google.com", t.Format("20060102T150405"), "", summaries[i%len(summaries)])
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

func benchMeetings() int {
	if s := os.Getenv("TAMLEDGER_BENCH_MEETINGS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 10000
}

// BenchmarkImportCalendar: reading a calendar of 10,000 meetings
// (TAMLEDGER_BENCH_MEETINGS), importing it into an empty organisation, and
// importing it again unchanged; on the suite's database (SQLite, or
// TAMLEDGER_TEST_DB). docs/performance.md has the numbers.
func BenchmarkImportCalendar(b *testing.B) {
	n := benchMeetings()
	text := benchCalendar(n)
	asOf := tamledger.MustDate("2026-06-30")
	london, _ := time.LoadLocation("Europe/London")
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			res, err := ics.Read("bench.ics", strings.NewReader(text), ics.Options{Loc: london, To: asOf})
			if err != nil {
				b.Fatal(err)
			}
			active := 0
			for _, m := range res.Meetings {
				if !m.Cancelled {
					active++
				}
			}
			if active != n {
				b.Fatalf("%d meetings, want %d", active, n)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "meetings/s")
	})
	newStore := func(b *testing.B) *store.Store {
		st, err := store.Open(context.Background(), testdb.DSN(b))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		org, err := os.ReadFile("../ics/testdata/acme.yaml")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ledger.Import(context.Background(), st, []ledger.Source{{Name: "acme.yaml", Reader: strings.NewReader(string(org))}}, ledger.Options{}); err != nil {
			b.Fatal(err)
		}
		return st
	}
	run := func(b *testing.B, st *store.Store, want func(*ledger.CalendarResult) bool) {
		res, err := ledger.ImportCalendar(context.Background(), st, ledger.CalendarRequest{Org: "acme", AsOf: &asOf,
			Source: ledger.Source{Name: "bench.ics", Reader: strings.NewReader(text)}})
		if err != nil {
			b.Fatal(err)
		}
		if !want(res) {
			b.Fatalf("unexpected result: %+v, removed %d", res.Counts, res.Removed)
		}
	}
	b.Run("import", func(b *testing.B) {
		var elapsed time.Duration
		for b.Loop() {
			b.StopTimer()
			st := newStore(b)
			b.StartTimer()
			t := time.Now()
			run(b, st, func(r *ledger.CalendarResult) bool { return r.Counts.Created == n })
			elapsed += time.Since(t)
		}
		b.ReportMetric(float64(n)*float64(b.N)/elapsed.Seconds(), "meetings/s")
	})
	b.Run("reimport", func(b *testing.B) {
		st := newStore(b)
		run(b, st, func(r *ledger.CalendarResult) bool { return r.Counts.Created == n })
		b.ResetTimer()
		for b.Loop() {
			run(b, st, func(r *ledger.CalendarResult) bool { return r.Counts.Unchanged == n && r.Removed == 0 })
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "meetings/s")
	})
}
