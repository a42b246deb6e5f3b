package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/ledger"
)

const icsDir = "../../ics/testdata"

// TestImportCalendarCLI runs tamledger import FILE.ics end to end: the dry
// run's table and JSON, the import, a re-import, and the exit statuses.
func TestImportCalendarCLI(t *testing.T) {
	dsn := testdb.DSN(t)
	google := filepath.Join(icsDir, "google.ics")

	t.Run("no store: exit 3", func(t *testing.T) {
		_, errOut, code := cli(t, dsn, "", "import", google, "--org", "acme")
		if code != 3 || !strings.Contains(errOut, "no store at") {
			t.Errorf("exit %d, stderr %q; want 3 and no store", code, errOut)
		}
	})
	if _, errOut, code := cli(t, dsn, "", "import", filepath.Join(icsDir, "acme.yaml")); code != 0 {
		t.Fatalf("importing the organisation: exit %d: %s", code, errOut)
	}

	t.Run("dry run table", func(t *testing.T) {
		out, errOut, code := cli(t, dsn, "", "import", google, "--org", "acme", "--as-of", "2026-06-30", "--dry-run")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{
			"DATE        ACTION     SERVICE                  BY        MATCHED",
			"2026-05-21  created    cost-review              customer  cost",
			"2026-06-02  created    well-architected-review  customer  WAR",
			"2026-05-12  cancelled  strategy-call            tam       –",
			"9 meetings with the account team: 6 created, 0 updated, 0 unchanged, 0 removed",
			"1 without the account team skipped; 2 after 2026-06-30 not read (not held yet)",
			"dry run: nothing was written",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			if w := displayWidth(l); w > tableWidth {
				t.Errorf("line of %d columns: %q", w, l)
			}
		}
		if c := counts(t, dsn); c["Engagement"] != 0 {
			t.Errorf("the dry run wrote %d engagements", c["Engagement"])
		}
	})

	t.Run("dry run json", func(t *testing.T) {
		out, errOut, code := cli(t, dsn, "", "import", google, "--org", "acme", "--as-of", "2026-06-30", "--dry-run", "-o", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got calendarImportJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !got.DryRun || got.Created != 6 || got.Skipped != 1 || got.Later != 2 || len(got.Meetings) != 9 || got.AsOf.String() != "2026-06-30" {
			t.Errorf("summary %+v", got)
		}
		m := got.Meetings[len(got.Meetings)-1]
		if m.Date.String() != "2026-06-09" || m.Instance != "20260609" || m.UID != "4f0t1k2n8c9q3v6m5b7x@google.com" ||
			m.Service != "strategy-call" || m.InitiatedBy != "tam" || m.Start != "2026-06-09T09:00:00Z" || !strings.HasPrefix(m.ID, "ics-") {
			t.Errorf("last meeting %+v", m)
		}
	})

	t.Run("import and re-import", func(t *testing.T) {
		out, errOut, code := cli(t, dsn, "", "import", google, "--org", "acme", "--as-of", "2026-06-30")
		if code != 0 || !strings.Contains(out, "6 created") {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		out, _, code = cli(t, dsn, "", "import", google, "--org", "acme", "--as-of", "2026-06-30", "-q")
		if code != 0 || out != "" {
			t.Errorf("quiet re-import: exit %d, %q", code, out)
		}
		if c := counts(t, dsn); c["Engagement"] != 6 {
			t.Errorf("%d engagements after a re-import, want 6", c["Engagement"])
		}
		out, _, _ = cli(t, dsn, "", "get", "engagements", "--org", "acme")
		// The ids are whole in get's table.
		if id := ledger.CalendarID("4f0t1k2n8c9q3v6m5b7x@google.com", "20260609"); !strings.Contains(out, "\n"+id+" ") || !strings.Contains(out, "WAR workshop") {
			t.Errorf("get engagements:\n%s", out)
		}
	})

	bad := strings.Replace(readText(t, google), "DTSTART;VALUE=DATE:20260602", "DTSTART;VALUE=DATE:2026-06-02", 1)
	badFile := write(t, "bad.ics", bad)
	for _, tt := range []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"bad file", []string{"import", badFile, "--org", "acme"}, 2, badFile + ":154:1: DTSTART: bad value \"2026-06-02\""},
		{"no --org", []string{"import", google}, 2, "--org is required with an iCalendar file"},
		{"unknown organisation", []string{"import", google, "--org", "globex"}, 2, `unknown organization "globex"`},
		{"mixed with documents", []string{"import", google, filepath.Join(icsDir, "acme.yaml"), "--org", "acme"}, 2, "import iCalendar files apart from documents"},
		{"two calendars", []string{"import", google, filepath.Join(icsDir, "apple.ics"), "--org", "acme"}, 2, "give one iCalendar file per import"},
		{"--org with documents", []string{"import", filepath.Join(icsDir, "acme.yaml"), "--org", "acme"}, 2, "apply to iCalendar files (.ics) only"},
		{"bad --as-of", []string{"import", google, "--org", "acme", "--as-of", "June"}, 2, "--as-of:"},
		{"--from after --as-of", []string{"import", google, "--org", "acme", "--as-of", "2026-01-01", "--from", "2026-02-01"}, 2, "is after the as-of date"},
		{"missing file", []string{"import", "nope.ics", "--org", "acme"}, 2, "nope.ics:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := counts(t, dsn)
			_, errOut, code := cli(t, dsn, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.message) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.message)
			}
			if after := counts(t, dsn); !equalCounts(before, after) {
				t.Errorf("the store changed: %v → %v", before, after)
			}
		})
	}

	t.Run("standard input with --format ics", func(t *testing.T) {
		out, errOut, code := cli(t, dsn, readText(t, filepath.Join(icsDir, "apple.ics")), "import", "-", "--format", "ics", "--org", "acme", "--as-of", "2026-06-30")
		if code != 0 || !strings.Contains(out, "4 meetings with the account team: 4 created") {
			t.Errorf("exit %d: %s%s", code, out, errOut)
		}
	})
}

func readText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
