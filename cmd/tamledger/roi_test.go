package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
)

// roiStore returns the DSN of a fresh store holding acme (420000 a month as
// one account, 50000 an hour of downtime) with the worked example of
// docs/roi.md, plus any extra records.
func roiStore(t *testing.T, extra ...tamledger.Record) string {
	t.Helper()
	dsn := testdb.DSN(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := func(s string) *tamledger.Money { v := tamledger.MustMoney(s); return &v }
	d := func(s string) *tamledger.Date { v := tamledger.MustDate(s); return &v }
	recs := []tamledger.Record{
		{Kind: tamledger.KindOrganization, ID: "acme", Value: &tamledger.Organization{Name: "Acme Corp", Currency: "USD",
			SupportPlan: "enterprise", MonthlySpend: m("420000"), DowntimeCostPerHour: m("50000"),
			Workloads: []tamledger.Workload{{ID: "payments", Primary: true}}}},
		{Kind: tamledger.KindRecommendation, Org: "acme", ID: "r-17", Value: &tamledger.Recommendation{
			RaisedOn: tamledger.MustDate("2026-02-03"), Origin: "tam", Title: "Move batch fleet to Graviton",
			EstimatedMonthlySavings: m("12000"), Status: "implemented", ImplementedOn: d("2026-03-15"),
			RealizedMonthlySavings: m("10500"), IncidentAvoided: &tamledger.IncidentAvoided{DowntimeHours: 4, Probability: 0.3},
			ArchitectureValue: m("20000")}},
		{Kind: tamledger.KindRecommendation, Org: "acme", ID: "r-18", Value: &tamledger.Recommendation{
			RaisedOn: tamledger.MustDate("2026-05-01"), Origin: "specialist", Title: "Rightsize RDS",
			EstimatedMonthlySavings: m("3000"), Status: "implemented", ImplementedOn: d("2026-07-01")}},
		{Kind: tamledger.KindRecommendation, Org: "acme", ID: "ta-9", Value: &tamledger.Recommendation{
			RaisedOn: tamledger.MustDate("2026-01-10"), Origin: "trusted-advisor", Title: "Idle load balancers",
			EstimatedMonthlySavings: m("800"), Status: "implemented", ImplementedOn: d("2026-02-01")}},
		{Kind: tamledger.KindRecommendation, Org: "acme", ID: "r-20", Value: &tamledger.Recommendation{
			RaisedOn: tamledger.MustDate("2026-02-01"), Origin: "tam", Title: "Savings plan coverage",
			EstimatedMonthlySavings: m("5000"), Status: "open"}},
		{Kind: tamledger.KindEvent, Org: "acme", ID: "dc-exit", Value: &tamledger.Event{Name: "Data-centre exit cut-over",
			Type: "migration", Date: tamledger.MustDate("2026-09-12"), IEMRequestedOn: d("2026-08-01"),
			FailureCost: m("2000000"), ProbabilityReduction: 0.1}},
	}
	recs = append(recs, extra...)
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

// roiCLI runs tamledger with args against the store dsn.
func roiCLI(t *testing.T, dsn string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"--db", dsn}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

func roiContains(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("output lacks %q:\n%s", w, text)
		}
	}
}

func TestROICommandTable(t *testing.T) {
	dsn := roiStore(t)
	out, errOut, code := roiCLI(t, dsn, "roi", "--org", "acme", "--year", "2026")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	roiContains(t, out,
		"Value of the TAM for Acme Corp (acme), 2026-01-01 to 2026-12-31, USD",
		"118,947.95", "of which 18,147.95 rests on an estimate (1 recommendation)",
		"394,947.95",
		"2026-01  aws-support-2026", "14,500.00", "174,000.00",
		"ROI multiple", "2.27×",
		"220,947.95",
		"3.2 %", "below the 15.0 % reference",
		"Left out", "ta-9", "available without a TAM", "r-20", "status open",
		"estimated",
	)
	if strings.Contains(out, "source:") {
		t.Errorf("fees explained without --explain:\n%s", out)
	}
}

func TestROICommandExplainAndQuarters(t *testing.T) {
	dsn := roiStore(t)
	out, errOut, code := roiCLI(t, dsn, "roi", "--org", "acme", "--from", "2026-01-15", "--to", "2026-06-30", "--by", "quarter", "--explain")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	roiContains(t, out,
		"17/31", "(enterprise 33900 − business-plus 19400) × 17 / 31 days (book aws-support-2026)",
		"150000 × 0.1 (0 to 150000) = 15000",
		"realized monthly saving 10500 × 12 × 108 / 365",
		"By quarter", "2026-Q1  2026-01-15  2026-03-31", "2026-Q2",
	)
}

func TestROICommandJSON(t *testing.T) {
	dsn := roiStore(t)
	out, errOut, code := roiCLI(t, dsn, "roi", "--org", "acme", "--year", "2026", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Organization string
		From, To     string
		Value        map[string]float64
		Cost         map[string]float64
		ROIMultiple  *float64 `json:"roiMultiple"`
		NetValue     float64  `json:"netValue"`
		SavingsRate  *float64 `json:"savingsRate"`
		Reference    float64  `json:"referenceSavingsRate"`
		Lines        []struct {
			Kind, Ref string
			Amount    float64
			Estimated bool
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if r.Organization != "acme" || r.From != "2026-01-01" || r.To != "2026-12-31" {
		t.Errorf("head = %+v", r)
	}
	if r.Value["total"] != 394947.95 || r.Value["costSavings"] != 118947.95 || r.Value["iem"] != 200000 {
		t.Errorf("value = %v", r.Value)
	}
	if r.Cost["enterprise"] != 406800 || r.Cost["baseline"] != 232800 || r.Cost["differential"] != 174000 {
		t.Errorf("cost = %v", r.Cost)
	}
	if r.ROIMultiple == nil || *r.ROIMultiple < 2.2698 || *r.ROIMultiple > 2.2699 || r.NetValue != 220947.95 || r.Reference != 0.15 {
		t.Errorf("roi %v net %v ref %v", r.ROIMultiple, r.NetValue, r.Reference)
	}
	if len(r.Lines) != 5 {
		t.Errorf("lines = %+v", r.Lines)
	}

	out, _, code = roiCLI(t, dsn, "roi", "--org", "acme", "--year", "2026", "--by", "quarter", "-o", "json", "--reference-rate", "0.2")
	var q struct {
		Value     map[string]float64
		Reference float64 `json:"referenceSavingsRate"`
		Quarters  []struct{ Quarter string }
	}
	if err := json.Unmarshal([]byte(out), &q); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if len(q.Quarters) != 4 || q.Quarters[3].Quarter != "2026-Q4" || q.Value["total"] != 394947.95 || q.Reference != 0.2 {
		t.Errorf("by quarter = %+v", q)
	}
}

func TestROICommandUsage(t *testing.T) {
	dsn := roiStore(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no org", []string{"roi", "--year", "2026"}, "--org is required"},
		{"no period", []string{"roi", "--org", "acme"}, "--year YYYY, or --from DATE and --to DATE"},
		{"both", []string{"roi", "--org", "acme", "--year", "2026", "--from", "2026-01-01"}, "not both"},
		{"bad date", []string{"roi", "--org", "acme", "--from", "2026-02-30", "--to", "2026-03-01"}, "--from"},
		{"backwards", []string{"roi", "--org", "acme", "--from", "2026-03-01", "--to", "2026-02-01"}, "before --from"},
		{"bad by", []string{"roi", "--org", "acme", "--year", "2026", "--by", "month"}, "want quarter"},
		{"bad output", []string{"roi", "--org", "acme", "--year", "2026", "-o", "yaml"}, "unknown output format"},
		{"unknown org", []string{"roi", "--org", "nope", "--year", "2026"}, "nope"},
		{"before any price book", []string{"roi", "--org", "acme", "--year", "1999"}, "no price book"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := roiCLI(t, dsn, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			roiContains(t, errOut, tt.want)
		})
	}
}

func TestROICommandImportedPriceBook(t *testing.T) {
	// A negotiated book from July 2026 in which enterprise costs what
	// business-plus does: the second half of the year costs nothing.
	same := tamledger.Plan{Minimum: tamledger.MustMoney("0"), Tiers: []tamledger.Tier{{Rate: tamledger.MustMoney("0.05")}}}
	dsn := roiStore(t, tamledger.Record{Kind: tamledger.KindPriceBook, ID: "acme-negotiated", Value: &tamledger.PriceBook{
		Effective: tamledger.MustDate("2026-07-01"), Source: "test",
		Plans: map[string]tamledger.Plan{"enterprise": same, "business-plus": same}}})
	out, errOut, code := roiCLI(t, dsn, "roi", "--org", "acme", "--year", "2026", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Cost   map[string]float64
		Months []struct{ Month, Book string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// six months of 14500
	if r.Cost["differential"] != 87000 || r.Months[6].Book != "acme-negotiated" || r.Months[5].Book != "aws-support-2026" {
		t.Errorf("cost %v months %+v", r.Cost, r.Months)
	}
	out, _, _ = roiCLI(t, dsn, "pricebook", "list")
	roiContains(t, out, "acme-negotiated", "imported", "aws-support-legacy", "shipped")
}
