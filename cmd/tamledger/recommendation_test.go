package main

import (
	"context"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

func getRec(t *testing.T, dsn, id string) *tamledger.Recommendation {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l, err := st.Ledger(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Recommendations {
		if l.Recommendations[i].ID == id {
			return &l.Recommendations[i]
		}
	}
	t.Fatalf("no recommendation %s", id)
	return nil
}

func TestRecommendationSet(t *testing.T) {
	dsn := roiStore(t)

	// open → implemented, with a date and a realized saving
	out, errOut, code := roiCLI(t, dsn, "recommendation", "set", "r-20", "--org", "acme", "--status", "implemented", "--on", "2026-04-01", "--realized", "4200")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	roiContains(t, out, "updated recommendation r-20: implemented on 2026-04-01, realized 4200 a month")
	r := getRec(t, dsn, "r-20")
	if r.Status != "implemented" || r.ImplementedOn == nil || *r.ImplementedOn != tamledger.MustDate("2026-04-01") ||
		r.RealizedMonthlySavings == nil || r.RealizedMonthlySavings.String() != "4200" {
		t.Errorf("stored %+v", r)
	}
	// the ROI now counts it: 4200 × 12 × 275 / 365 = 37972.60 (Apr 1 .. Dec 31 = 275 days)
	out, _, _ = roiCLI(t, dsn, "roi", "--org", "acme", "--year", "2026", "--explain")
	roiContains(t, out, "r-20", "37,972.60", "4200 × 12 × 275 / 365")

	// the same again changes nothing
	out, _, code = roiCLI(t, dsn, "recommendation", "set", "r-20", "--org", "acme", "--status", "implemented", "--on", "2026-04-01", "--realized", "4200")
	if code != 0 {
		t.Fatal(code)
	}
	roiContains(t, out, "unchanged recommendation r-20")

	// a realized saving of 0 is recorded, and the date is kept
	if _, errOut, code = roiCLI(t, dsn, "rec", "set", "r-20", "--org", "acme", "--status", "implemented", "--realized", "0"); code != 0 {
		t.Fatal(errOut)
	}
	r = getRec(t, dsn, "r-20")
	if r.RealizedMonthlySavings == nil || !r.RealizedMonthlySavings.IsZero() || r.ImplementedOn.String() != "2026-04-01" {
		t.Errorf("stored %+v", r)
	}

	// rejected with a reason clears the implementation
	out, errOut, code = roiCLI(t, dsn, "recommendation", "set", "r-20", "--org", "acme", "--status", "rejected", "--reason", "Workload retires in Q3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	roiContains(t, out, "rejected (Workload retires in Q3)", "cleared implementedOn 2026-04-01", "cleared realizedMonthlySavings 0")
	r = getRec(t, dsn, "r-20")
	if r.Status != "rejected" || r.StatusReason != "Workload retires in Q3" || r.ImplementedOn != nil || r.RealizedMonthlySavings != nil {
		t.Errorf("stored %+v", r)
	}

	// accepted without a reason clears the old one
	if _, errOut, code = roiCLI(t, dsn, "recommendation", "set", "r-20", "--org", "acme", "--status", "accepted"); code != 0 {
		t.Fatal(errOut)
	}
	if r = getRec(t, dsn, "r-20"); r.Status != "accepted" || r.StatusReason != "" {
		t.Errorf("stored %+v", r)
	}
}

func TestRecommendationSetUsage(t *testing.T) {
	dsn := roiStore(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no org", []string{"r-20", "--status", "accepted"}, "--org is required"},
		{"no status", []string{"r-20", "--org", "acme"}, "--status is required"},
		{"bad status", []string{"r-20", "--org", "acme", "--status", "done"}, `unknown value "done"`},
		{"rejected without reason", []string{"r-20", "--org", "acme", "--status", "rejected"}, "--reason is required with --status rejected"},
		{"deferred without reason", []string{"r-20", "--org", "acme", "--status", "deferred", "--reason", "  "}, "--reason is required"},
		{"on with another status", []string{"r-20", "--org", "acme", "--status", "accepted", "--on", "2026-04-01"}, "--on applies to --status implemented"},
		{"realized with another status", []string{"r-20", "--org", "acme", "--status", "open", "--realized", "5"}, "--realized applies"},
		{"bad date", []string{"r-20", "--org", "acme", "--status", "implemented", "--on", "2026-13-01"}, "--on"},
		{"negative realized", []string{"r-20", "--org", "acme", "--status", "implemented", "--realized", "-1"}, "negative"},
		{"before raised", []string{"r-20", "--org", "acme", "--status", "implemented", "--on", "2026-01-31"}, "before the recommendation was raised"},
		{"unknown org", []string{"r-20", "--org", "nope", "--status", "accepted"}, `unknown organization "nope"`},
		{"unknown recommendation", []string{"r-99", "--org", "acme", "--status", "accepted"}, `unknown recommendation "r-99"`},
		{"no id", []string{"--org", "acme", "--status", "accepted"}, "accepts 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := roiCLI(t, dsn, append([]string{"recommendation", "set"}, tt.args...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			roiContains(t, errOut, tt.want)
		})
	}
	// nothing was written
	if r := getRec(t, dsn, "r-20"); r.Status != "open" {
		t.Errorf("a failed set changed the store: %+v", r)
	}
}
