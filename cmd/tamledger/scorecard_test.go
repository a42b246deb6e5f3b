package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/score"
	"github.com/tamledger/tamledger/store"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n got:\n%s\nwant:\n%s", path, got, want)
	}
	checkLines(t, name, got)
}

// scoreStore returns the DSN of a fresh store holding the worked example of
// docs/scorecard.md (acme, Europe/London) and globex (Asia/Tokyo).
func scoreStore(t *testing.T) string {
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
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	atp := func(s string) *time.Time { v := at(s); return &v }
	n38 := 38
	acme := "acme"
	recs := []tamledger.Record{
		{Kind: tamledger.KindOrganization, ID: "acme", Value: &tamledger.Organization{Name: "Acme Corp", Timezone: "Europe/London", Currency: "USD",
			EDP: &tamledger.EDP{Start: d("2024-11-01"), End: d("2026-10-31")},
			AccountTeam: &tamledger.AccountTeam{TAM: &tamledger.TAM{Name: "Jane Roe", Seniority: "senior", PortfolioSize: &n38},
				BackupTAM: &tamledger.Person{Name: "Sam Poe"}},
			Workloads: []tamledger.Workload{{ID: "payments", Name: "Payments", Primary: true, Services: []string{"EC2", "RDS"}}}}},
		{Kind: tamledger.KindCharter, Org: acme, ID: "acme-2026", Value: &tamledger.Charter{Effective: d("2026-01-01"), BackupTAM: true,
			EscalationPaths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}, {Severity: "urgent", TAMResponseHours: 4}},
			Obligations: []tamledger.Obligation{
				{ID: "strategy-call", Service: "strategy-call", Cadence: "monthly", GraceDays: 7},
				{ID: "cost-review", Service: "cost-review", Cadence: "quarterly", Requires: "quantified-recommendations"},
				{ID: "war", Service: "well-architected-review", Cadence: "annual", Scope: "each-primary-workload"},
				{ID: "security-review", Service: "security-review", Cadence: "semiannual"},
			}}},
		{Kind: tamledger.KindEngagement, Org: acme, ID: "sc-jan", Value: &tamledger.Engagement{Date: d("2026-01-14"), Service: "strategy-call", InitiatedBy: "tam"}},
		{Kind: tamledger.KindEngagement, Org: acme, ID: "esc-feb", Value: &tamledger.Engagement{Date: d("2026-02-10"), Service: "escalation", InitiatedBy: "customer", Workloads: []string{"payments"}}},
		{Kind: tamledger.KindEngagement, Org: acme, ID: "sc-feb", Value: &tamledger.Engagement{Date: d("2026-03-04"), Service: "strategy-call", InitiatedBy: "tam"}},
		{Kind: tamledger.KindEngagement, Org: acme, ID: "cr-q1", Value: &tamledger.Engagement{Date: d("2026-03-18"), Service: "cost-review", InitiatedBy: "tam"}},
		{Kind: tamledger.KindEngagement, Org: acme, ID: "sc-apr", Value: &tamledger.Engagement{Date: d("2026-04-22"), Service: "strategy-call", InitiatedBy: "customer"}},
		{Kind: tamledger.KindRecommendation, Org: acme, ID: "r-17", Value: &tamledger.Recommendation{RaisedOn: d("2026-03-18"), Engagement: "cr-q1",
			Origin: "tam", Title: "Move batch fleet to Graviton", EstimatedMonthlySavings: m("12000"), Status: "accepted"}},
		{Kind: tamledger.KindCase, Org: acme, ID: "case-1", Value: &tamledger.Case{Severity: "critical", OpenedAt: at("2026-02-10T09:00:00Z"), TAMEngagedAt: atp("2026-02-10T09:40:00Z")}},
		{Kind: tamledger.KindCase, Org: acme, ID: "case-2", Value: &tamledger.Case{Severity: "urgent", OpenedAt: at("2026-04-02T09:00:00Z"), TAMEngagedAt: atp("2026-04-02T14:30:00Z")}},
		{Kind: tamledger.KindEvent, Org: acme, ID: "dc-exit", Value: &tamledger.Event{Name: "Data-centre exit", Type: "migration", Date: d("2026-06-10")}},

		// globex: Tokyo. Its first charter takes effect on 2026-04-01 with a
		// 1-hour target for critical cases; a case opened on 2026-03-31 at
		// 20:00 UTC is 2026-04-01 in Tokyo, so it counts (and missed).
		{Kind: tamledger.KindOrganization, ID: "globex", Value: &tamledger.Organization{Name: "Globex", Timezone: "Asia/Tokyo",
			AccountTeam: &tamledger.AccountTeam{TAM: &tamledger.TAM{Name: "Hank Scorpio", Seniority: "tam"}},
			Complexity:  &tamledger.Complexity{ActiveMigration: true},
			Workloads:   []tamledger.Workload{{ID: "ml", Name: "ML platform", Primary: true, Regulated: true, Services: []string{"SageMaker"}}}}},
		{Kind: tamledger.KindCharter, Org: "globex", ID: "globex-1", Value: &tamledger.Charter{Effective: d("2026-04-01"),
			EscalationPaths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}},
			Obligations:     []tamledger.Obligation{{ID: "strategy-call", Service: "strategy-call", Cadence: "monthly"}}}},
		{Kind: tamledger.KindCase, Org: "globex", ID: "case-9", Value: &tamledger.Case{Severity: "critical", OpenedAt: at("2026-03-31T20:00:00Z"), TAMEngagedAt: atp("2026-03-31T23:00:00Z")}},
		{Kind: tamledger.KindEngagement, Org: "globex", ID: "cr-1", Value: &tamledger.Engagement{Date: d("2026-05-11"), Service: "cost-review", InitiatedBy: "customer"}},
		{Kind: tamledger.KindEvent, Org: "globex", ID: "launch", Value: &tamledger.Event{Name: "Model launch", Date: d("2026-05-30"), IEMRequestedOn: dp("2026-05-21")}},
		// initech: a charter so new that nothing has ended yet, a complete
		// team: no score and nothing to push for.
		{Kind: tamledger.KindOrganization, ID: "initech", Value: &tamledger.Organization{Name: "Initech",
			AccountTeam: &tamledger.AccountTeam{TAM: &tamledger.TAM{Name: "Bill Lumbergh", Seniority: "principal", PortfolioSize: &n38},
				BackupTAM: &tamledger.Person{Name: "Milton Waddams"}}}},
		{Kind: tamledger.KindCharter, Org: "initech", ID: "initech-1", Value: &tamledger.Charter{Effective: d("2026-05-01"), BackupTAM: true,
			EscalationPaths: []tamledger.EscalationPath{{Severity: "urgent", TAMResponseHours: 2}},
			Obligations: []tamledger.Obligation{
				{ID: "sc", Service: "strategy-call", Cadence: "monthly"},
				{ID: "cr", Service: "cost-review", Cadence: "quarterly", Requires: "quantified-recommendations"},
				{ID: "war", Service: "well-architected-review", Cadence: "annual", Scope: "each-primary-workload"},
				{ID: "sec", Service: "security-review", Cadence: "semiannual"},
			}}},
		{Kind: tamledger.KindReassignmentRequest, Org: "globex", ID: "rr-1", Value: &tamledger.ReassignmentRequest{RequestedOn: d("2026-04-20"), Reasons: []string{"infrequent-contact"}}},
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

// run1 runs tamledger and fails the test unless it exits 0.
func run1(t *testing.T, dsn string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), append([]string{"--db", dsn}, args...), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("tamledger %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

func TestScorecardCommand(t *testing.T) {
	dsn := scoreStore(t)
	t.Run("table", func(t *testing.T) {
		golden(t, "scorecard-acme.golden", run1(t, dsn, "scorecard", "--org", "acme", "--as-of", "2026-05-20"))
		golden(t, "scorecard-globex.golden", run1(t, dsn, "scorecard", "--org", "globex", "--as-of", "2026-05-20"))
	})
	t.Run("json is score.Scorecard of the stored ledger", func(t *testing.T) {
		out := run1(t, dsn, "scorecard", "--org", "acme", "--as-of", "2026-05-20", "-o", "json")
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		l, err := st.Ledger(context.Background(), "acme")
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(score.Scorecard(l, tamledger.MustDate("2026-05-20")))
		var got bytes.Buffer
		if err := json.Compact(&got, []byte(out)); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if got.String() != string(want) {
			t.Errorf("json:\n got %s\nwant %s", got.String(), want)
		}
		for _, frag := range []string{`"adherence":0.8125`, `"proactiveRatio":0.6`, `"escalationResponsiveness":0.5`, `"score":71`, `"band":"mixed"`,
			`"workload":null`, `"workload":"payments"`, `"window":{"from":"2025-05-21","to":"2026-05-20"}`} {
			if !strings.Contains(got.String(), frag) {
				t.Errorf("json lacks %s", frag)
			}
		}
	})
	t.Run("a case late in the evening UTC is the next day in Tokyo", func(t *testing.T) {
		var c struct {
			EscalationResponsiveness *float64
			Counts                   struct{ Cases int }
		}
		if err := json.Unmarshal([]byte(run1(t, dsn, "scorecard", "--org", "globex", "--as-of", "2026-05-20", "-o", "json")), &c); err != nil {
			t.Fatal(err)
		}
		if c.Counts.Cases != 1 || c.EscalationResponsiveness == nil || *c.EscalationResponsiveness != 0 {
			t.Errorf("cases %d, responsiveness %v; want 1 case, missed", c.Counts.Cases, c.EscalationResponsiveness)
		}
	})
	t.Run("as of today by default", func(t *testing.T) {
		var c struct{ AsOf string }
		if err := json.Unmarshal([]byte(run1(t, dsn, "scorecard", "--org", "globex", "-o", "json")), &c); err != nil {
			t.Fatal(err)
		}
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		if today := tamledger.Today(tokyo).String(); c.AsOf != today {
			t.Errorf("asOf = %s, want today in Tokyo %s", c.AsOf, today)
		}
	})
}

func TestActionsCommand(t *testing.T) {
	dsn := scoreStore(t)
	golden(t, "actions-acme.golden", run1(t, dsn, "actions", "--org", "acme", "--as-of", "2026-05-20"))
	golden(t, "actions-globex.golden", run1(t, dsn, "actions", "--org", "globex", "--as-of", "2026-05-20"))
	golden(t, "actions-initech.golden", run1(t, dsn, "actions", "--org", "initech", "--as-of", "2026-05-20"))

	var list struct {
		Organization, AsOf string
		Actions            []struct{ Code, Severity, Subject, Message string }
	}
	out := run1(t, dsn, "actions", "--org", "globex", "--as-of", "2026-05-20", "-o", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	var got []string
	for _, a := range list.Actions {
		got = append(got, a.Severity+" "+a.Code+" "+a.Subject)
	}
	want := []string{
		"critical iem-too-late launch", // IEM recorded as requested the day after asOf
		"high reassignment-escalate rr-1",
		"high war-overdue ml",
		"medium charter-missing-term annual-war",
		"medium charter-missing-term backup-tam",
		"medium charter-missing-term quarterly-cost-review",
		"medium charter-missing-term semiannual-security-review",
		"medium cost-review-unquantified cr-1",
		"medium no-backup-tam globex",
		"medium senior-tam-request globex",
		"medium specialist-intro ml",
		"low portfolio-unknown globex",
	}
	if list.Organization != "globex" || list.AsOf != "2026-05-20" || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("actions json %s %s:\n%s\nwant:\n%s", list.Organization, list.AsOf, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(out, `"actions": [`) {
		t.Errorf("json not indented as documented:\n%s", out)
	}
}

func TestPortfolioCommand(t *testing.T) {
	dsn := scoreStore(t)
	golden(t, "portfolio.golden", run1(t, dsn, "portfolio", "--as-of", "2026-05-20"))
	golden(t, "portfolio.csv", run1(t, dsn, "portfolio", "--as-of", "2026-05-20", "-o", "csv"))

	var rows []score.PortfolioRow
	if err := json.Unmarshal([]byte(run1(t, dsn, "portfolio", "--as-of", "2026-05-20", "-o", "json")), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Organization != "initech" || rows[0].Score != nil || rows[1].Organization != "globex" ||
		rows[2].Organization != "acme" || rows[2].Score == nil || *rows[2].Score != 71 || rows[2].High != 2 {
		t.Errorf("rows = %+v", rows)
	}

	t.Run("as of today in each organisation's time zone", func(t *testing.T) {
		var rows []score.PortfolioRow
		if err := json.Unmarshal([]byte(run1(t, dsn, "portfolio", "-o", "json")), &rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			tz := map[string]string{"acme": "Europe/London", "globex": "Asia/Tokyo", "initech": "UTC"}[r.Organization]
			loc, _ := time.LoadLocation(tz)
			if today := tamledger.Today(loc); r.AsOf != today {
				t.Errorf("%s asOf %s, want %s", r.Organization, r.AsOf, today)
			}
		}
	})
	t.Run("empty store", func(t *testing.T) {
		empty := testdb.DSN(t)
		st, err := store.Open(context.Background(), empty) // a store with no organisation
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		if out := run1(t, empty, "portfolio"); !strings.Contains(out, "No organisation") {
			t.Errorf("empty portfolio: %q", out)
		}
		if out := run1(t, empty, "portfolio", "-o", "json"); strings.TrimSpace(out) != "[]" {
			t.Errorf("empty portfolio json: %q", out)
		}
	})
}

func TestScoreCommandsUsage(t *testing.T) {
	dsn := scoreStore(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scorecard"}, "--org is required"},
		{[]string{"actions"}, "--org is required"},
		{[]string{"scorecard", "--org", "acme", "--as-of", "2026-02-30"}, "--as-of"},
		{[]string{"actions", "--org", "acme", "--as-of", "20260101"}, "--as-of"},
		{[]string{"portfolio", "--as-of", "yesterday"}, "--as-of"},
		{[]string{"scorecard", "--org", "acme", "-o", "csv"}, "unknown output format"},
		{[]string{"actions", "--org", "acme", "-o", "yaml"}, "unknown output format"},
		{[]string{"portfolio", "-o", "yaml"}, "unknown output format"},
		{[]string{"scorecard", "--org", "nope"}, `unknown organization "nope" (see tamledger portfolio`},
		{[]string{"actions", "--org", "nope"}, `unknown organization "nope"`},
		{[]string{"scorecard", "--org", "acme", "extra"}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"--db", dsn}, tt.args...), strings.NewReader(""), &out, &errOut)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("stderr %q lacks %q", errOut.String(), tt.want)
			}
		})
	}
}

func TestScoreCommandsHelp(t *testing.T) {
	for _, cmd := range []string{"scorecard", "actions", "portfolio"} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{cmd, "--help"}, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Fatalf("%s --help: exit %d", cmd, code)
		}
		if !strings.Contains(out.String(), "Examples:") || !strings.Contains(out.String(), "tamledger "+cmd) || !strings.Contains(out.String(), "--as-of") {
			t.Errorf("%s --help lacks examples or --as-of:\n%s", cmd, out.String())
		}
	}
}
