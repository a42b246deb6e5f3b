package ics_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/ics"
)

// FuzzRead: any input ends, without a panic, in meetings inside the window
// or errors that each name a line (or the whole file).
func FuzzRead(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.ics"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=\"W. Europe Standard Time\":20260105T090000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEXDATE:20260112T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	from, to := tamledger.MustDate("2025-01-01"), tamledger.MustDate("2026-12-31")
	f.Fuzz(func(t *testing.T, input []byte) {
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("reading %q takes more than 10s", input)) })
		defer watchdog.Stop()
		res, err := ics.Read("f.ics", bytes.NewReader(input), ics.Options{Loc: time.UTC, From: from, To: to, MaxBytes: 1 << 20})
		var el document.ErrorList
		switch {
		case errors.As(err, &el):
			if len(el) == 0 {
				t.Fatal("an empty error list")
			}
			for _, e := range el {
				if e.File != "f.ics" && e.Msg[:7] != "stopped" {
					t.Errorf("error without the file: %q", e.Error())
				}
			}
		case err != nil:
			t.Fatalf("not bad input: %v", err)
		default:
			for _, m := range res.Meetings {
				if m.UID == "" || m.Date.Before(from) || m.Date.After(to) || m.Line <= 0 {
					t.Errorf("meeting out of the window or without UID or line: %+v", m)
				}
			}
		}
	})
}
