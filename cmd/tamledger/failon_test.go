package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// failOnStore is scoreStore plus hooli, whose only action as of 2026-05-20
// is a low one (portfolio-unknown). Then: globex has a critical action, acme
// high and medium ones, initech none.
func failOnStore(t *testing.T) string {
	t.Helper()
	dsn := scoreStore(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d := tamledger.MustDate
	recs := []tamledger.Record{
		{Kind: tamledger.KindOrganization, ID: "hooli", Value: &tamledger.Organization{Name: "Hooli",
			AccountTeam: &tamledger.AccountTeam{TAM: &tamledger.TAM{Name: "Gavin Belson", Seniority: "principal"},
				BackupTAM: &tamledger.Person{Name: "Jack Barker"}}}},
		{Kind: tamledger.KindCharter, Org: "hooli", ID: "hooli-1", Value: &tamledger.Charter{Effective: d("2026-05-01"), BackupTAM: true,
			EscalationPaths: []tamledger.EscalationPath{{Severity: "urgent", TAMResponseHours: 2}},
			Obligations: []tamledger.Obligation{
				{ID: "sc", Service: "strategy-call", Cadence: "monthly"},
				{ID: "cr", Service: "cost-review", Cadence: "quarterly", Requires: "quantified-recommendations"},
				{ID: "war", Service: "well-architected-review", Cadence: "annual", Scope: "each-primary-workload"},
				{ID: "sec", Service: "security-review", Cadence: "semiannual"},
			}}},
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

func TestActionsFailOn(t *testing.T) {
	dsn := failOnStore(t)
	asOf := []string{"--as-of", "2026-05-20"}
	plain := run1(t, dsn, append([]string{"actions", "--org", "acme"}, asOf...)...)
	tests := []struct {
		org, failOn string
		code        int
		message     string
	}{
		{"acme", "critical", 0, ""},
		{"acme", "high", 1, "--fail-on high: 2 open actions of severity high or worse"},
		{"acme", "medium", 1, "--fail-on medium: 3 open actions of severity medium or worse"},
		{"acme", "low", 1, "--fail-on low: 3 open actions of severity low or worse"},
		{"globex", "critical", 1, "--fail-on critical: 1 open action of severity critical\n"},
		{"hooli", "medium", 0, ""},
		{"hooli", "low", 1, "--fail-on low: 1 open action of severity low or worse"},
		{"initech", "low", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.org+" "+tt.failOn, func(t *testing.T) {
			args := append([]string{"actions", "--org", tt.org, "--fail-on", tt.failOn}, asOf...)
			out, errOut, code := roiCLI(t, dsn, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			if tt.message != "" && !strings.Contains(errOut, tt.message) || tt.message == "" && errOut != "" {
				t.Errorf("stderr %q, want %q", errOut, tt.message)
			}
			if want := run1(t, dsn, append([]string{"actions", "--org", tt.org}, asOf...)...); out != want {
				t.Errorf("the output differs from the plain command's:\n%s", out)
			}
			// the same with -o json
			out, _, code = roiCLI(t, dsn, append(args, "-o", "json")...)
			var list struct{ Actions []struct{ Severity string } }
			if err := json.Unmarshal([]byte(out), &list); err != nil || code != tt.code {
				t.Errorf("-o json: exit %d, %v:\n%s", code, err, out)
			}
		})
	}
	if !strings.Contains(plain, "HIGH") {
		t.Fatalf("acme has no high action:\n%s", plain)
	}

	for _, bad := range []string{"urgent", "HIGH", "high,medium"} {
		out, errOut, code := roiCLI(t, dsn, "actions", "--org", "acme", "--fail-on", bad)
		if code != 2 || out != "" || !strings.Contains(errOut, "want one of: critical, high, medium, low") {
			t.Errorf("--fail-on %s: exit %d, stdout %q, stderr %q", bad, code, out, errOut)
		}
	}
}

func TestPortfolioFailOn(t *testing.T) {
	dsn := failOnStore(t)
	plain := run1(t, dsn, "portfolio", "--as-of", "2026-05-20")
	tests := []struct {
		failOn  string
		message string
	}{
		{"critical", "--fail-on critical: open actions of severity critical in 1 organisation: globex\n"},
		{"high", "--fail-on high: open actions of severity high or worse in 2 organisations: globex, acme\n"},
		{"medium", "--fail-on medium: open actions of severity medium or worse in 2 organisations: globex, acme\n"},
		{"low", "--fail-on low: open actions of severity low or worse in 3 organisations: hooli, globex, acme\n"}, // worst first
	}
	for _, tt := range tests {
		t.Run(tt.failOn, func(t *testing.T) {
			for _, format := range []string{"table", "json", "csv"} {
				out, errOut, code := roiCLI(t, dsn, "portfolio", "--as-of", "2026-05-20", "--fail-on", tt.failOn, "-o", format)
				if code != 1 || errOut != "tamledger: "+tt.message {
					t.Errorf("-o %s: exit %d, stderr %q, want 1 and %q", format, code, errOut, tt.message)
				}
				if want := run1(t, dsn, "portfolio", "--as-of", "2026-05-20", "-o", format); out != want {
					t.Errorf("-o %s: the output differs from the plain command's:\n%s", format, out)
				}
			}
		})
	}
	if !strings.Contains(plain, "hooli") {
		t.Errorf("hooli missing:\n%s", plain)
	}

	// nothing critical a year earlier: exit 0, nothing on stderr
	if _, errOut, code := roiCLI(t, dsn, "portfolio", "--as-of", "2025-05-20", "--fail-on", "critical"); code != 0 || errOut != "" {
		t.Errorf("nothing critical: exit %d, %q", code, errOut)
	}

	if _, errOut, code := roiCLI(t, dsn, "portfolio", "--fail-on", "severe"); code != 2 ||
		!strings.Contains(errOut, `--fail-on: unknown severity "severe" (want one of: critical, high, medium, low)`) {
		t.Errorf("bad value: exit %d, %q", code, errOut)
	}
}

func TestNameSome(t *testing.T) {
	ids := []string{"kestrel-logistics", "fjordline-energy", "harbour-vale", "maplestone-foods", "cobalt-payments"}
	for _, tt := range []struct {
		width int
		want  string
	}{
		{200, "kestrel-logistics, fjordline-energy, harbour-vale, maplestone-foods, cobalt-payments"},
		{60, "kestrel-logistics, fjordline-energy, harbour-vale and 2 more"},
		{10, "kestrel-logistics and 4 more"}, // one is always named
	} {
		if got := nameSome(ids, tt.width); got != tt.want {
			t.Errorf("width %d: %q, want %q", tt.width, got, tt.want)
		}
	}
}
