package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// pgEnv names the variable that holds a PostgreSQL DSN for the tests. Each
// test gets a schema of its own in that database (search_path), dropped at
// the end, so tests run in parallel and again.
const pgEnv = "TAMLEDGER_TEST_POSTGRES"

// drivers runs f once on a fresh SQLite store and once on a fresh
// PostgreSQL store (skipped, saying why, when TAMLEDGER_TEST_POSTGRES is
// unset).
func drivers(t *testing.T, f func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		f(t, openSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		f(t, openPostgres(t))
	})
}

func openSQLite(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "tamledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// postgresDSN creates a schema for one test and returns a DSN that uses it.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(pgEnv)
	if dsn == "" {
		t.Skip(pgEnv + " is not set: set it to a PostgreSQL DSN (postgres://user:pass@host:5432/db?sslmode=disable) to run the PostgreSQL tests; CI always does")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "tamledger_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema in %s: %v", pgEnv, err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func openPostgres(t testing.TB) *store.Store {
	t.Helper()
	dsn := postgresDSN(t)
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ptr[T any](v T) *T { return &v }

func money(s string) *tamledger.Money { return ptr(tamledger.MustMoney(s)) }

func date(s string) tamledger.Date { return tamledger.MustDate(s) }

func instant(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func orgRecord(id string) tamledger.Record {
	o := &tamledger.Organization{
		Name: "Org " + id, Timezone: "Europe/London", Currency: "USD", SupportPlan: "enterprise",
		MonthlySpend: money("420000"), DowntimeCostPerHour: money("50000.5"),
		EDP: &tamledger.EDP{Start: date("2025-01-01"), End: date("2027-12-31"), AnnualCommit: money("4000000")},
		AccountTeam: &tamledger.AccountTeam{
			TAM:       &tamledger.TAM{Name: "Jane Roe", Email: "jroe@example.com", Seniority: "senior", PortfolioSize: ptr(35), Since: ptr(date("2025-03-01"))},
			BackupTAM: &tamledger.Person{Name: "Sam Poe"},
		},
		Workloads: []tamledger.Workload{
			{ID: "payments", Name: "Payments", Primary: true, Regulated: true, Services: []string{"EKS", "RDS"}},
			{ID: "web", Name: "Web", Primary: true},
		},
	}
	return tamledger.Record{Kind: tamledger.KindOrganization, ID: id, Value: o}
}

// ledgerRecords is a small ledger for org: every kind, in no particular
// order, with the optional fields both given and not.
func ledgerRecords(org string) []tamledger.Record {
	rec := func(kind, id string, v any) tamledger.Record {
		return tamledger.Record{Kind: kind, Org: org, ID: id, Value: v}
	}
	return []tamledger.Record{
		rec(tamledger.KindCharter, "c-2026", &tamledger.Charter{Effective: date("2026-01-01"), BackupTAM: true,
			EscalationPaths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}},
			Obligations: []tamledger.Obligation{{ID: "strategy-call", Service: "strategy-call", Cadence: "monthly", GraceDays: 7},
				{ID: "war", Service: "well-architected-review", Cadence: "annual", Scope: "each-primary-workload"}}}),
		rec(tamledger.KindCharter, "c-2025", &tamledger.Charter{Effective: date("2025-01-01"), AgreedOn: ptr(date("2025-01-15"))}),
		rec(tamledger.KindEngagement, "e-3", &tamledger.Engagement{Date: date("2026-01-20"), Service: "strategy-call", InitiatedBy: "tam",
			Workloads: []string{"payments", "web"}, Attendees: []string{"Jane Roe; TAM", `C:\share`}, Summary: "Roadmap <review> & plans", Source: "manual"}),
		rec(tamledger.KindEngagement, "e-1", &tamledger.Engagement{Date: date("2026-02-03"), Service: "cost-review", InitiatedBy: "customer"}),
		rec(tamledger.KindEngagement, "e-2", &tamledger.Engagement{Date: date("2026-01-20"), Service: "well-architected-review", InitiatedBy: "tam",
			Workloads: []string{"payments"}, Attendees: []string{""}}),
		rec(tamledger.KindRecommendation, "r-2", &tamledger.Recommendation{RaisedOn: date("2026-02-03"), Engagement: "e-1", Origin: "tam",
			Pillar: "cost-optimization", Workload: "payments", Title: "Move batch fleet to Graviton", Risk: "medium",
			EstimatedMonthlySavings: money("12000.50"), Status: "implemented", StatusReason: "done", ImplementedOn: ptr(date("2026-03-15")),
			RealizedMonthlySavings: money("10500"), IncidentAvoided: &tamledger.IncidentAvoided{DowntimeHours: 4, Probability: 0.3},
			ArchitectureValue: money("20000"), ContextualizedByTAM: true}),
		rec(tamledger.KindRecommendation, "r-1", &tamledger.Recommendation{RaisedOn: date("2026-02-03"), Origin: "trusted-advisor", Status: "open",
			IncidentAvoided: &tamledger.IncidentAvoided{}}),
		rec(tamledger.KindCase, "case-2", &tamledger.Case{Severity: "urgent", Subject: "DB failover", OpenedAt: instant("2026-04-02T09:00:00Z"),
			TAMEngagedAt: ptr(instant("2026-04-02T11:30:00Z")), ResolvedAt: ptr(instant("2026-04-03T10:00:00.25Z"))}),
		rec(tamledger.KindCase, "case-1", &tamledger.Case{Severity: "low", OpenedAt: instant("2026-03-01T08:00:00Z")}),
		rec(tamledger.KindEvent, "dc-exit", &tamledger.Event{Name: "Data-centre exit", Type: "migration", Date: date("2026-09-12"),
			IEMRequestedOn: ptr(date("2026-08-01")), FailureCost: money("2000000"), ProbabilityReduction: 0.1,
			Phases: &tamledger.Phases{PreEventReviewOn: ptr(date("2026-08-20")), CoverageArranged: true}}),
		rec(tamledger.KindReassignmentRequest, "rr-1", &tamledger.ReassignmentRequest{RequestedOn: date("2026-05-02"),
			Reasons: []string{"infrequent-contact", "no-proactive-initiative"}}),
	}
}

func priceBook(id, effective string) tamledger.Record {
	return tamledger.Record{Kind: tamledger.KindPriceBook, ID: id, Value: &tamledger.PriceBook{
		Effective: date(effective), Source: "test",
		Plans: map[string]tamledger.Plan{
			"enterprise": {Minimum: tamledger.MustMoney("5000"), Tiers: []tamledger.Tier{{UpTo: money("150000"), Rate: tamledger.MustMoney("0.10")}, {Rate: tamledger.MustMoney("0.03")}}},
		},
	}}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// put writes recs in one transaction.
func put(t testing.TB, s *store.Store, recs ...tamledger.Record) []tamledger.Change {
	t.Helper()
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ch, err := tx.PutBatch(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return ch
}

func errCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := tamledger.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

// ledgerJSON is a ledger with every value encoded, for comparisons.
func ledgerJSON(t testing.TB, l *tamledger.Ledger) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "org %s %s\n", l.Org.ID, mustJSON(t, l.Org))
	for _, c := range l.Charters {
		fmt.Fprintf(&b, "charter %s/%s %s\n", c.Org, c.ID, mustJSON(t, c))
	}
	for _, e := range l.Engagements {
		fmt.Fprintf(&b, "engagement %s/%s %s\n", e.Org, e.ID, mustJSON(t, e))
	}
	for _, r := range l.Recommendations {
		fmt.Fprintf(&b, "recommendation %s/%s %s\n", r.Org, r.ID, mustJSON(t, r))
	}
	for _, c := range l.Cases {
		fmt.Fprintf(&b, "case %s/%s %s\n", c.Org, c.ID, mustJSON(t, c))
	}
	for _, e := range l.Events {
		fmt.Fprintf(&b, "event %s/%s %s\n", e.Org, e.ID, mustJSON(t, e))
	}
	for _, r := range l.Reassignments {
		fmt.Fprintf(&b, "reassignment %s/%s %s\n", r.Org, r.ID, mustJSON(t, r))
	}
	return b.String()
}
