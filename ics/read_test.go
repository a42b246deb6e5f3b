package ics_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/ics"
)

var london = mustLoc("Europe/London")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func readFixture(t *testing.T, name string, opt ics.Options) *ics.Result {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ics.Read(name, f, opt)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func readString(t *testing.T, text string, opt ics.Options) (*ics.Result, document.ErrorList) {
	t.Helper()
	res, err := ics.Read("test.ics", strings.NewReader(strings.ReplaceAll(text, "\n", "\r\n")), opt)
	var el document.ErrorList
	if errors.As(err, &el) {
		return nil, el
	}
	if err != nil {
		t.Fatal(err)
	}
	return res, nil
}

// brief is a meeting in one line: date, instance, start (UTC), cancelled,
// summary.
func brief(m ics.Meeting) string {
	s := m.Date.String()
	if m.Instance != "" {
		s += " #" + m.Instance
	}
	if m.AllDay {
		s += " all-day"
	} else {
		s += " " + m.Start.Format("15:04Z")
	}
	if m.Cancelled {
		s += " CANCELLED"
	}
	return s + " " + m.Summary
}

func briefs(res *ics.Result) []string {
	var out []string
	for _, m := range res.Meetings {
		out = append(out, brief(m))
	}
	return out
}

func same(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("meetings:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

var june30 = ics.Options{Loc: london, To: tamledger.MustDate("2026-06-30")}

// TestGoogle: a monthly series with an EXDATE, an occurrence moved by an
// override and one cancelled by an override; an event at 23:30 UTC that is
// the next day in London; a cancelled event; an all-day event; a future
// event and the series' next occurrence after the window.
func TestGoogle(t *testing.T) {
	res := readFixture(t, "google.ics", june30)
	same(t, briefs(res), []string{
		"2026-01-13 #20260113 10:00Z Acme / AWS monthly strategy call",
		"2026-02-10 #20260210 10:00Z Acme / AWS monthly strategy call",
		"2026-03-03 14:00Z CANCELLED Well-Architected review: Data lake",
		"2026-03-10 #20260310 10:00Z CANCELLED Acme / AWS monthly strategy call",
		"2026-04-16 #20260414 14:30Z Acme / AWS monthly strategy call (moved)",
		"2026-04-22 11:30Z Platform team lunch",
		"2026-05-12 #20260512 09:00Z CANCELLED Acme / AWS monthly strategy call",
		"2026-05-21 23:30Z Q2 cost optimisation – Savings Plans, RIs and rightsizing",
		"2026-06-02 all-day WAR workshop – Payments",
		"2026-06-09 #20260609 09:00Z Acme / AWS monthly strategy call",
	})
	if res.Later != 2 {
		t.Errorf("later = %d, want 2 (the EBR in September, the series going on in July)", res.Later)
	}
	for _, m := range res.Meetings {
		switch m.Date.String() {
		case "2026-01-13":
			if m.Organizer == nil || m.Organizer.Email != "jroe@amazon.com" || m.Organizer.Name != "Jane Roe" {
				t.Errorf("organizer = %+v", m.Organizer)
			}
			// The meeting room (CUTYPE=RESOURCE) is no attendee.
			if want := []ics.Person{{"Jane Roe", "jroe@amazon.com"}, {"Alex Lee", "alee@acme.example"}}; !slices.Equal(m.Attendees, want) {
				t.Errorf("attendees = %+v, want %+v", m.Attendees, want)
			}
			// Folded over several lines, with escaped commas and line breaks.
			if !strings.HasPrefix(m.Description, "Monthly strategy call: priorities, open cases and what the TAM brings next.\n\nJoin with Google Meet") {
				t.Errorf("description = %q", m.Description)
			}
		case "2026-04-16":
			// The override's attendees: the one who declined is left out.
			if len(m.Attendees) != 2 || m.Attendees[1].Email != "alee@acme.example" {
				t.Errorf("override attendees = %+v", m.Attendees)
			}
			if m.Description != "Moved to Thursday: the Payments roadmap for H2." {
				t.Errorf("override description = %q", m.Description)
			}
		case "2026-06-02":
			if !strings.Contains(m.Description, "1. Operational excellence, security\n2. Reliability; performance") {
				t.Errorf("escaped text = %q", m.Description)
			}
		}
	}
}

// TestOutlook: Windows zone names (Pacific, W. Europe) and a zone only its
// VTIMEZONE defines, an all-day event, a cancelled meeting.
func TestOutlook(t *testing.T) {
	res := readFixture(t, "outlook.ics", june30)
	same(t, briefs(res), []string{
		// 17:00 in Seattle on Thursdays is 01:00 on Fridays in London.
		"2026-02-06 #20260206 01:00Z Security sync (US hours)",
		"2026-02-13 #20260213 01:00Z Security sync (US hours)",
		"2026-02-20 #20260220 01:00Z Security sync (US hours)",
		// 00:30 in Frankfurt is 23:30 the day before in London.
		"2026-03-03 23:30Z Payments cut-over rehearsal",
		"2026-03-25 09:00Z CANCELLED Canceled: Acme QBR Q1",
		"2026-04-18 all-day Launch readiness day – Data lake",
		// "Customized Time Zone" (+05:30, from its VTIMEZONE).
		"2026-06-10 05:00Z EKS immersion day (Bengaluru)",
	})
	for _, m := range res.Meetings {
		if m.Date.String() == "2026-02-06" {
			if m.Organizer.Name != "Roe, Jane" || m.Attendees[0].Email != "alee@acme.example" {
				t.Errorf("organizer %+v, attendees %+v (quoted CN, e-mail in lower case)", m.Organizer, m.Attendees)
			}
		}
		if m.Date.String() == "2026-04-18" && len(m.Attendees) != 1 {
			t.Errorf("all-day attendees = %+v, want the account manager only (the room left out)", m.Attendees)
		}
	}
}

// TestApple: a weekly series whose UNTIL is in UTC across the American
// change to summer time, EMAIL parameters, a room, an event without
// attendees.
func TestApple(t *testing.T) {
	res := readFixture(t, "apple.ics", june30)
	same(t, briefs(res), []string{
		"2026-03-02 22:00Z EKS deep dive with the containers specialist",
		"2026-03-06 #20260306 01:00Z Weekly ops review with TAM",
		"2026-03-10 all-day Dentist",
		"2026-03-13 #20260313 00:00Z Weekly ops review with TAM",
		"2026-03-20 #20260320 00:00Z Weekly ops review with TAM",
	})
	if got := res.Meetings[0].Attendees; len(got) != 2 || got[1].Email != "riyer@amazon.com" {
		t.Errorf("attendees = %+v (the room has no e-mail and is left out)", got)
	}
}

// TestZones: the dates of one instant in the organisation's zone, and
// TZIDs of every kind.
func TestZones(t *testing.T) {
	cal := func(tzid, start string) string {
		return fmt.Sprintf("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:z\nDTSTART;TZID=%s:%s\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", tzid, start)
	}
	tests := []struct {
		tzid, start string
		loc         string
		want        string // date and UTC start
	}{
		{"Europe/London", "20260701T233000", "Europe/London", "2026-07-01 22:30Z"},
		{"Europe/London", "20260701T233000", "Europe/Berlin", "2026-07-02 22:30Z"},
		{"\"Tokyo Standard Time\"", "20260105T080000", "America/New_York", "2026-01-04 23:00Z"},
		{"\"AUS Eastern Standard Time\"", "20260105T080000", "UTC", "2026-01-04 21:00Z"},
		{"\"India Standard Time\"", "20260105T080000", "UTC", "2026-01-05 02:30Z"},
		{"/mozilla.org/20050126_1/America/Chicago", "20260105T200000", "UTC", "2026-01-06 02:00Z"},
		{"\"(UTC-05:00) Eastern Time (US & Canada)\"", "20260705T200000", "UTC", "2026-07-06 00:00Z"},
		{"UTC+01", "20260105T233000", "UTC", "2026-01-05 22:30Z"},
	}
	for _, tt := range tests {
		t.Run(tt.tzid+" in "+tt.loc, func(t *testing.T) {
			res, el := readString(t, cal(tt.tzid, tt.start), ics.Options{Loc: mustLoc(tt.loc), To: tamledger.MustDate("2027-01-01")})
			if el != nil {
				t.Fatal(el)
			}
			m := res.Meetings[0]
			if got := m.Date.String() + " " + m.Start.Format("15:04Z"); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	t.Run("floating time is the organisation's", func(t *testing.T) {
		res, el := readString(t, "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:f\nDTSTART:20260105T233000\nEND:VEVENT\nEND:VCALENDAR\n",
			ics.Options{Loc: mustLoc("Asia/Tokyo"), To: tamledger.MustDate("2027-01-01")})
		if el != nil {
			t.Fatal(el)
		}
		if got := brief(res.Meetings[0]); got != "2026-01-05 14:30Z " {
			t.Errorf("got %q", got)
		}
	})
	t.Run("every Windows name is a zone", func(t *testing.T) {
		for _, name := range []string{"W. Europe Standard Time", "Pacific Standard Time", "GMT Standard Time", "China Standard Time", "E. South America Standard Time"} {
			if _, el := readString(t, cal(`"`+name+`"`, "20260105T080000"), june30); el != nil {
				t.Errorf("%s: %v", name, el)
			}
		}
	})
	t.Run("a VTIMEZONE with daylight saving", func(t *testing.T) {
		text := `BEGIN:VCALENDAR
BEGIN:VTIMEZONE
TZID:My office
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:w
DTSTART;TZID=My office:20260105T093000
END:VEVENT
BEGIN:VEVENT
UID:s
DTSTART;TZID=My office:20260705T093000
END:VEVENT
END:VCALENDAR
`
		res, el := readString(t, text, ics.Options{Loc: time.UTC, To: tamledger.MustDate("2027-01-01")})
		if el != nil {
			t.Fatal(el)
		}
		same(t, briefs(res), []string{"2026-01-05 08:30Z ", "2026-07-05 07:30Z "})
	})
}

// TestRecurrence: the window, RDATE, occurrences on one day, a series
// more frequent than daily, a cancelled series, an override of an
// occurrence outside the window moved into it.
func TestRecurrence(t *testing.T) {
	head := "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:s\nSUMMARY:x\n"
	tail := "END:VEVENT\nEND:VCALENDAR\n"
	t.Run("from and to", func(t *testing.T) {
		res, el := readString(t, head+"DTSTART:20260105T090000Z\nRRULE:FREQ=DAILY\n"+tail,
			ics.Options{Loc: time.UTC, From: tamledger.MustDate("2026-01-08"), To: tamledger.MustDate("2026-01-10")})
		if el != nil {
			t.Fatal(el)
		}
		same(t, briefs(res), []string{"2026-01-08 #20260108 09:00Z x", "2026-01-09 #20260109 09:00Z x", "2026-01-10 #20260110 09:00Z x"})
		if res.Earlier != 3 || res.Later != 1 {
			t.Errorf("earlier %d, later %d; want 3 and 1", res.Earlier, res.Later)
		}
	})
	t.Run("rdate and two on one day", func(t *testing.T) {
		res, el := readString(t, head+"DTSTART:20260105T090000Z\nRRULE:FREQ=WEEKLY;COUNT=2\nRDATE:20260105T150000Z,20260107T090000Z\n"+tail, june30)
		if el != nil {
			t.Fatal(el)
		}
		same(t, briefs(res), []string{"2026-01-05 #20260105T090000Z 09:00Z x", "2026-01-05 #20260105T150000Z 15:00Z x",
			"2026-01-07 #20260107 09:00Z x", "2026-01-12 #20260112 09:00Z x"})
	})
	t.Run("hourly is no meeting", func(t *testing.T) {
		res, el := readString(t, head+"DTSTART:20260105T090000Z\nRRULE:FREQ=HOURLY\n"+tail, june30)
		if el != nil {
			t.Fatal(el)
		}
		if res.Frequent != 1 || len(res.Meetings) != 1 {
			t.Errorf("frequent %d, meetings %v", res.Frequent, briefs(res))
		}
	})
	t.Run("cancelled series", func(t *testing.T) {
		res, el := readString(t, head+"STATUS:CANCELLED\nDTSTART:20260105T090000Z\nRRULE:FREQ=WEEKLY;COUNT=2\n"+tail, june30)
		if el != nil {
			t.Fatal(el)
		}
		same(t, briefs(res), []string{"2026-01-05 #20260105 09:00Z CANCELLED x", "2026-01-12 #20260112 09:00Z CANCELLED x"})
	})
	t.Run("override moved into the window", func(t *testing.T) {
		text := head + "DTSTART:20260624T090000Z\nRRULE:FREQ=WEEKLY;COUNT=3\n" + tail[:len("END:VEVENT\n")] +
			"BEGIN:VEVENT\nUID:s\nRECURRENCE-ID:20260708T090000Z\nDTSTART:20260629T090000Z\nSUMMARY:moved\nEND:VEVENT\nEND:VCALENDAR\n"
		res, el := readString(t, text, june30)
		if el != nil {
			t.Fatal(el)
		}
		same(t, briefs(res), []string{"2026-06-24 #20260624 09:00Z x", "2026-06-29 #20260708 09:00Z moved"})
	})
	t.Run("overrides without their series", func(t *testing.T) {
		// Invited to two occurrences of someone else's series: the file
		// has the overrides only.
		text := "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:s\nRECURRENCE-ID:20260105T090000Z\nDTSTART:20260105T100000Z\nSUMMARY:a\nEND:VEVENT\n" +
			"BEGIN:VEVENT\nUID:s\nRECURRENCE-ID:20260112T090000Z\nDTSTART:20260112T090000Z\nSUMMARY:b\nEND:VEVENT\nEND:VCALENDAR\n"
		res, el := readString(t, text, june30)
		if el != nil {
			t.Fatal(el)
		}
		same(t, briefs(res), []string{"2026-01-05 #20260105 10:00Z a", "2026-01-12 #20260112 09:00Z b"})
	})
	t.Run("method cancel", func(t *testing.T) {
		res, el := readString(t, "BEGIN:VCALENDAR\nMETHOD:CANCEL\nBEGIN:VEVENT\nUID:c\nDTSTART:20260105T090000Z\nEND:VEVENT\nEND:VCALENDAR\n", june30)
		if el != nil {
			t.Fatal(el)
		}
		same(t, briefs(res), []string{"2026-01-05 09:00Z CANCELLED "})
	})
	t.Run("too many occurrences", func(t *testing.T) {
		_, el := readString(t, head+"DTSTART:19500101T090000Z\nRRULE:FREQ=DAILY\n"+tail, june30)
		if len(el) != 1 || !strings.Contains(el[0].Error(), "test.ics:6:1: RRULE: the series has more than 20000 occurrences") {
			t.Errorf("got %v", el)
		}
	})
}

// TestBadFiles: every problem at its line, with what would be right.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"not a calendar", "hello\n", []string{`test.ics:1:1: not an iCalendar content line "hello"`}},
		{"empty", "", []string{"test.ics: no calendar"}},
		{"unclosed", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101\n", []string{
			"test.ics:1:1: BEGIN:VCALENDAR is never closed", "test.ics:2:1: BEGIN:VEVENT is never closed"}},
		{"wrong end", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101\nEND:VTODO\nEND:VCALENDAR\n", []string{
			"test.ics:5:1: END:VTODO where BEGIN:VEVENT at line 2 is still open",
			"test.ics:6:1: END:VCALENDAR where BEGIN:VEVENT at line 2 is still open"}},
		{"bad date", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260230\nEND:VEVENT\nEND:VCALENDAR\n", []string{
			`test.ics:4:1: DTSTART: bad date "20260230" (want YYYYMMDD, a real calendar day)`}},
		{"no start", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nEND:VEVENT\nEND:VCALENDAR\n", []string{
			"test.ics:2:1: VEVENT without DTSTART"}},
		{"unknown zone", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART;TZID=Mars/Olympus:20260101T090000\nEND:VEVENT\nEND:VCALENDAR\n", []string{
			`test.ics:4:1: unknown time zone TZID="Mars/Olympus"`}},
		{"bad rule", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101T090000Z\nRRULE:FREQ=FORTNIGHTLY\nEND:VEVENT\nEND:VCALENDAR\n", []string{
			`test.ics:5:1: RRULE: "FREQ=FORTNIGHTLY"`}},
		{"folded line numbers", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDESCRIPTION:one\n  two\n  three\nDTSTART:2026\n 0101X\nEND:VEVENT\nEND:VCALENDAR\n", []string{
			`test.ics:7:1: DTSTART: bad value "20260101X"`}},
		{"two problems", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:x\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART:y\nEND:VEVENT\nEND:VCALENDAR\n", []string{
			`test.ics:4:1: DTSTART: bad value "x"`, `test.ics:8:1: DTSTART: bad value "y"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, el := readString(t, tt.text, june30)
			if el == nil {
				t.Fatalf("no error; read %v", briefs(res))
			}
			if len(el) != len(tt.want) {
				t.Errorf("%d errors, want %d: %v", len(el), len(tt.want), el)
			}
			for i, w := range tt.want {
				if i < len(el) && !strings.HasPrefix(el[i].Error(), w) {
					t.Errorf("error %d = %q, want it to start %q", i, el[i].Error(), w)
				}
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		_, err := ics.Read("big.ics", strings.NewReader(strings.Repeat("X", 2000)), ics.Options{To: june30.To, MaxBytes: 1000})
		if err == nil || !strings.Contains(err.Error(), "larger than 1000 bytes") {
			t.Errorf("got %v", err)
		}
	})
}

// TestNoUID: an event without UID is known by its start and summary.
func TestNoUID(t *testing.T) {
	text := "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260105T090000Z\nSUMMARY:a\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20260105T090000Z\nSUMMARY:b\nEND:VEVENT\nEND:VCALENDAR\n"
	res, el := readString(t, text, june30)
	if el != nil {
		t.Fatal(el)
	}
	if len(res.Meetings) != 2 || res.Meetings[0].UID == res.Meetings[1].UID {
		t.Errorf("meetings %+v", res.Meetings)
	}
	again, _ := readString(t, text, june30)
	if again.Meetings[0].UID != res.Meetings[0].UID {
		t.Error("the key of an event without UID changes between reads")
	}
}

// sydneyZone is a VTIMEZONE as Outlook writes it, with the rules Australia
// has kept since 2008 (daylight time from the first Sunday of October to
// the first Sunday of April).
const sydneyZone = "BEGIN:VTIMEZONE\r\nTZID:Canberra, Melbourne, Sydney\r\n" +
	"BEGIN:STANDARD\r\nDTSTART:20080406T030000\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=4\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\nEND:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\nDTSTART:20081005T020000\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=10\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\nEND:DAYLIGHT\r\n" +
	"END:VTIMEZONE\r\n"

// A daily series in a zone of the file's VTIMEZONE has, over 18 years,
// every instance at the instant IANA's Australia/Sydney gives the same wall
// clock: the zone's offsets follow its yearly rules at every change.
func TestVTimezoneOffsetsOverYears(t *testing.T) {
	in := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + sydneyZone +
		"BEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20090319T042432Z\r\nSUMMARY:Standup\r\n" +
		"DTSTART;TZID=\"Canberra, Melbourne, Sydney\":20090310T093000\r\nDTEND;TZID=\"Canberra, Melbourne, Sydney\":20090310T094500\r\n" +
		"RRULE:FREQ=DAILY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	res, err := ics.Read("standup.ics", strings.NewReader(in), ics.Options{To: tamledger.MustDate("2026-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	sydney, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Meetings) < 4000 {
		t.Fatalf("%d meetings, want one each weekday from 2009 to 2026", len(res.Meetings))
	}
	changes := 0
	var last time.Duration
	for _, m := range res.Meetings {
		local := m.Start.In(sydney)
		if local.Hour() != 9 || local.Minute() != 30 {
			t.Fatalf("%s: starts at %s in Sydney, want 09:30", m.Instance, local)
		}
		_, off := local.Zone()
		if d := time.Duration(off) * time.Second; d != last {
			changes, last = changes+1, d
		}
	}
	if changes < 2*17 {
		t.Errorf("the offset changed %d times over the series, want twice a year", changes)
	}
}

// A VTIMEZONE whose offset would change more often than monthly is
// refused at its RRULE's line.
func TestVTimezoneFrequentRuleRefused(t *testing.T) {
	in := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
		strings.Replace(sydneyZone, "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=10", "RRULE:FREQ=SECONDLY", 1) +
		"BEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20090319T042432Z\r\nDTSTART;TZID=\"Canberra, Melbourne, Sydney\":20260310T093000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	_, err := ics.Read("zone.ics", strings.NewReader(in), ics.Options{To: tamledger.MustDate("2026-12-31")})
	if err == nil || !strings.Contains(err.Error(), "zone.ics:14:1:") || !strings.Contains(err.Error(), "FREQ=YEARLY") {
		t.Errorf("a VTIMEZONE rule of every second: %v", err)
	}
}
