package roi_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
)

func day(s string) tamledger.Date { return tamledger.MustDate(s) }

func dp(s string) *tamledger.Date { d := day(s); return &d }

func mp(s string) *tamledger.Money { m := mon(s); return &m }

// acme spends 420000 a month as one account (no accounts[]), and values an
// hour of downtime at 50000.
func acme() *tamledger.Organization {
	return &tamledger.Organization{ID: "acme", Currency: "USD", SupportPlan: "enterprise",
		MonthlySpend: mp("420000"), DowntimeCostPerHour: mp("50000")}
}

// rec is an implemented TAM recommendation.
func rec(id, implementedOn string) tamledger.Recommendation {
	return tamledger.Recommendation{ID: id, Org: "acme", RaisedOn: day("2025-01-01"), Origin: "tam",
		Status: "implemented", ImplementedOn: dp(implementedOn)}
}

func compute(t *testing.T, l *tamledger.Ledger, from, to string) *roi.Report {
	t.Helper()
	r, err := roi.Compute(l, roi.Books(nil), day(from), day(to), roi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func line(r *roi.Report, kind, ref string) *roi.Line {
	for i := range r.Lines {
		if r.Lines[i].Kind == kind && r.Lines[i].Ref == ref {
			return &r.Lines[i]
		}
	}
	return nil
}

func excluded(r *roi.Report, ref string) string {
	var reasons []string
	for _, e := range r.Excluded {
		if e.Ref == ref {
			reasons = append(reasons, e.Reason)
		}
	}
	return strings.Join(reasons, "; ")
}

func TestCounted(t *testing.T) {
	tests := []struct {
		origin string
		ctx    bool
		status string
		on     bool
		want   bool
	}{
		{"tam", false, "implemented", true, true},
		{"specialist", false, "implemented", true, true},
		{"well-architected", false, "implemented", true, true},
		{"trusted-advisor", false, "implemented", true, false},
		{"cost-optimization-hub", false, "implemented", true, false},
		{"internal", false, "implemented", true, false},
		{"trusted-advisor", true, "implemented", true, true},
		{"cost-optimization-hub", true, "implemented", true, true},
		{"internal", true, "implemented", true, true},
		{"tam", false, "accepted", true, false},
		{"tam", false, "implemented", false, false},
		{"tam", true, "open", false, false},
	}
	for _, tt := range tests {
		r := rec("r", "2026-01-01")
		r.Origin, r.ContextualizedByTAM, r.Status = tt.origin, tt.ctx, tt.status
		if !tt.on {
			r.ImplementedOn = nil
		}
		if got := roi.Counted(&r); got != tt.want {
			t.Errorf("origin %s contextualized %v status %s implementedOn %v: counted %v, want %v",
				tt.origin, tt.ctx, tt.status, tt.on, got, tt.want)
		}
	}
}

func TestAccrual(t *testing.T) {
	tests := []struct {
		name       string
		from, to   string
		on         string
		monthly    string
		want       string
		days       int
		wantNoLine bool
	}{
		// a whole leap year: 366 days; 365 × 12 × 366 / 365 = 4392 (more than 12 × 365 = 4380)
		{"whole leap year 2028", "2028-01-01", "2028-12-31", "2027-06-01", "365", "4392", 366, false},
		// 2028-02-28 to 2028-12-31: Feb 28 and 29 (2) + Mar..Dec (306) = 308 days; 365 × 12 × 308 / 365 = 3696
		{"from 28 February of 2028", "2028-01-01", "2028-12-31", "2028-02-28", "365", "3696", 308, false},
		// 2027 has 365 days: exactly 12 × M
		{"whole common year", "2027-01-01", "2027-12-31", "2026-01-01", "1000", "12000", 365, false},
		// 2026-03-15 to 2026-12-31 = 17 + 275 = 292 days = 0.8 × 365; 10500 × 12 × 0.8 = 100800
		{"implemented mid-period", "2026-01-01", "2026-12-31", "2026-03-15", "10500", "100800", 292, false},
		// one day: 1000 × 12 × 1 / 365 = 32.876712… → 32.88
		{"implemented on the last day", "2026-01-01", "2026-12-31", "2026-12-31", "1000", "32.88", 1, false},
		// implemented on the first day of the period counts the whole period
		{"implemented on the first day", "2026-01-01", "2026-01-31", "2026-01-01", "365", "372", 31, false},
		// implemented after `to`: no accrual, no line
		{"implemented after the period", "2026-01-01", "2026-12-31", "2027-01-05", "1000", "0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r0 := rec("r", tt.on)
			r0.RealizedMonthlySavings = mp(tt.monthly)
			r := compute(t, &tamledger.Ledger{Org: acme(), Recommendations: []tamledger.Recommendation{r0}}, tt.from, tt.to)
			ln := line(r, roi.KindCostSavings, "r")
			if tt.wantNoLine {
				if ln != nil {
					t.Fatalf("got a line %+v, want none", ln)
				}
				if !strings.Contains(excluded(r, "r"), "after the period") {
					t.Errorf("exclusion = %q, want 'after the period'", excluded(r, "r"))
				}
				wantMoney(t, "cost savings", r.Value.CostSavings, "0")
				return
			}
			if ln == nil {
				t.Fatalf("no cost savings line in %+v", r.Lines)
			}
			wantMoney(t, "amount", ln.Amount, tt.want)
			if ln.Days != tt.days {
				t.Errorf("days = %d, want %d", ln.Days, tt.days)
			}
		})
	}
}

func TestCostSavingsRealizedOrEstimated(t *testing.T) {
	a := rec("a", "2026-01-01") // estimated 1000, realized 800: 800 × 12 = 9600, not estimated
	a.EstimatedMonthlySavings, a.RealizedMonthlySavings = mp("1000"), mp("800")
	b := rec("b", "2026-01-01") // estimated 500 only: 500 × 12 = 6000, estimated
	b.EstimatedMonthlySavings = mp("500")
	c := rec("c", "2026-01-01") // estimated 700, realized 0: 0, not estimated
	c.EstimatedMonthlySavings, c.RealizedMonthlySavings = mp("700"), mp("0")
	r := compute(t, &tamledger.Ledger{Org: acme(), Recommendations: []tamledger.Recommendation{a, b, c}}, "2026-01-01", "2026-12-31")
	for _, tt := range []struct {
		ref       string
		amount    string
		estimated bool
	}{{"a", "9600", false}, {"b", "6000", true}, {"c", "0", false}} {
		ln := line(r, roi.KindCostSavings, tt.ref)
		if ln == nil {
			t.Fatalf("%s: no line", tt.ref)
		}
		wantMoney(t, tt.ref+" amount", ln.Amount, tt.amount)
		if ln.Estimated != tt.estimated {
			t.Errorf("%s: estimated = %v, want %v", tt.ref, ln.Estimated, tt.estimated)
		}
	}
	wantMoney(t, "cost savings", r.Value.CostSavings, "15600")
	// savings rate: (800 + 500 + 0) / 420000
	wantMoney(t, "monthly savings", r.MonthlySavings, "1300")
	if r.SavingsRate == nil || math.Abs(*r.SavingsRate-1300.0/420000) > 1e-15 {
		t.Errorf("savings rate = %v, want %v", r.SavingsRate, 1300.0/420000)
	}
}

func TestContextualizedByTAM(t *testing.T) {
	ta := rec("ta-ctx", "2026-01-01") // trusted-advisor contextualised by the TAM: counts, 100 × 12
	ta.Origin, ta.ContextualizedByTAM, ta.EstimatedMonthlySavings = "trusted-advisor", true, mp("100")
	raw := rec("ta-raw", "2026-01-01") // trusted-advisor alone: does not count
	raw.Origin, raw.EstimatedMonthlySavings = "trusted-advisor", mp("100")
	coh := rec("coh-raw", "2026-01-01")
	coh.Origin, coh.EstimatedMonthlySavings = "cost-optimization-hub", mp("100")
	r := compute(t, &tamledger.Ledger{Org: acme(), Recommendations: []tamledger.Recommendation{ta, raw, coh}}, "2026-01-01", "2026-12-31")
	wantMoney(t, "cost savings", r.Value.CostSavings, "1200")
	if len(r.Lines) != 1 || r.Lines[0].Ref != "ta-ctx" {
		t.Errorf("lines = %+v, want only ta-ctx", r.Lines)
	}
	for _, ref := range []string{"ta-raw", "coh-raw"} {
		if !strings.Contains(excluded(r, ref), "available without a TAM") {
			t.Errorf("%s exclusion = %q", ref, excluded(r, ref))
		}
	}
	wantMoney(t, "monthly savings", r.MonthlySavings, "100")
}

func TestIncidentsAvoided(t *testing.T) {
	in := rec("in", "2026-03-15") // 4 h × 0.3 × 50000 = 60000
	in.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: 4, Probability: 0.3}
	before := rec("before", "2025-12-31") // implemented before the period: not counted
	before.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: 4, Probability: 0.3}
	after := rec("after", "2027-01-01") // after the period: not counted
	after.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: 4, Probability: 0.3}
	frac := rec("frac", "2026-12-31") // 1.5 h × 0.1 × 50000 = 7500 (no float residue)
	frac.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: 1.5, Probability: 0.1}
	r := compute(t, &tamledger.Ledger{Org: acme(), Recommendations: []tamledger.Recommendation{in, before, after, frac}}, "2026-01-01", "2026-12-31")
	wantMoney(t, "incidents avoided", r.Value.IncidentsAvoided, "67500")
	if line(r, roi.KindIncidentsAvoided, "before") != nil || line(r, roi.KindIncidentsAvoided, "after") != nil {
		t.Errorf("lines = %+v", r.Lines)
	}
	if !strings.Contains(excluded(r, "before"), "before the period") {
		t.Errorf("before: exclusion %q", excluded(r, "before"))
	}
	ln := line(r, roi.KindIncidentsAvoided, "frac")
	if ln == nil || ln.Amount.String() != "7500" {
		t.Errorf("frac line = %+v", ln)
	}
}

func TestArchitecture(t *testing.T) {
	// 20000 a year from 2026-03-15: 20000 / 12 × 12 × 292 / 365 = 16000
	a := rec("a", "2026-03-15")
	a.ArchitectureValue = mp("20000")
	// 1000 a year for all of 2028 (366 days): 1000 × 366 / 365 = 1002.739726… → 1002.74
	b := rec("b", "2027-01-01")
	b.ArchitectureValue = mp("1000")
	r := compute(t, &tamledger.Ledger{Org: acme(), Recommendations: []tamledger.Recommendation{a}}, "2026-01-01", "2026-12-31")
	wantMoney(t, "architecture", r.Value.Architecture, "16000")
	r = compute(t, &tamledger.Ledger{Org: acme(), Recommendations: []tamledger.Recommendation{b}}, "2028-01-01", "2028-12-31")
	wantMoney(t, "architecture", r.Value.Architecture, "1002.74")
}

func TestIEM(t *testing.T) {
	ev := func(id, date string, requested *tamledger.Date) tamledger.Event {
		return tamledger.Event{ID: id, Org: "acme", Date: day(date), IEMRequestedOn: requested,
			FailureCost: mp("2000000"), ProbabilityReduction: 0.1}
	}
	events := []tamledger.Event{
		ev("early", "2026-09-12", dp("2026-08-01")),    // 2000000 × 0.1 = 200000
		ev("same-day", "2026-10-01", dp("2026-10-01")), // requested on the day: counts, 200000
		ev("late", "2026-11-01", dp("2026-11-02")),     // requested after the event: no
		ev("none", "2026-11-15", nil),                  // never requested: no
		ev("outside", "2027-01-01", dp("2026-12-01")),  // after the period: no
	}
	r := compute(t, &tamledger.Ledger{Org: acme(), Events: events}, "2026-01-01", "2026-12-31")
	wantMoney(t, "iem", r.Value.IEM, "400000")
	if excluded(r, "late") == "" || excluded(r, "none") == "" {
		t.Errorf("exclusions = %+v", r.Excluded)
	}
	if excluded(r, "outside") != "" {
		t.Errorf("an event outside the period is listed as excluded: %+v", r.Excluded)
	}
}

func TestCostProRated(t *testing.T) {
	// 2026 book, one account of 420000: enterprise 33900, business-plus
	// 19400, a full month's differential 14500.
	// 2026-01-15 .. 2026-03-10: Jan 17/31, Feb 28/28, Mar 10/31 = 58/31 months
	//   enterprise   33900 × 58 / 31 = 63425.806… → 63425.81
	//   baseline     19400 × 58 / 31 = 36296.774… → 36296.77
	//   differential 14500 × 58 / 31 = 27129.032… → 27129.03 (the rounded
	//   exact difference, a cent below 63425.81 − 36296.77)
	r := compute(t, &tamledger.Ledger{Org: acme()}, "2026-01-15", "2026-03-10")
	wantMoney(t, "enterprise", r.Cost.Enterprise, "63425.81")
	wantMoney(t, "baseline", r.Cost.Baseline, "36296.77")
	wantMoney(t, "differential", r.Cost.Differential, "27129.03")
	if len(r.Months) != 3 {
		t.Fatalf("months = %+v", r.Months)
	}
	for i, want := range []struct {
		month       string
		days, dim   int
		enterprise  string
		diff        string
		enterpriseF string
	}{
		{"2026-01", 17, 31, "18590.32", "7951.61", "33900"}, // 33900 × 17/31 = 18590.322…; 14500 × 17/31 = 7951.612…
		{"2026-02", 28, 28, "33900", "14500", "33900"},
		{"2026-03", 10, 31, "10935.48", "4677.42", "33900"}, // 33900 × 10/31 = 10935.483…; 14500 × 10/31 = 4677.419…
	} {
		m := r.Months[i]
		if m.Month != want.month || m.Days != want.days || m.DaysInMonth != want.dim || m.Book != roi.Book2026 || m.BaselinePlan != "business-plus" {
			t.Errorf("month %d = %+v", i, m)
		}
		wantMoney(t, m.Month+" enterprise", m.Enterprise, want.enterprise)
		wantMoney(t, m.Month+" differential", m.Differential, want.diff)
		wantMoney(t, m.Month+" enterprise fee", m.EnterpriseFee, want.enterpriseF)
	}
	// a single day: 14500 / 31 = 467.741… → 467.74
	r = compute(t, &tamledger.Ledger{Org: acme()}, "2026-03-31", "2026-03-31")
	wantMoney(t, "one day", r.Cost.Differential, "467.74")
	// February of a leap year counts 29 days: a full month is 14500
	r = compute(t, &tamledger.Ledger{Org: acme()}, "2028-02-01", "2028-02-29")
	wantMoney(t, "Feb 2028", r.Cost.Differential, "14500")
	if r.Months[0].DaysInMonth != 29 {
		t.Errorf("Feb 2028 has %d days", r.Months[0].DaysInMonth)
	}
}

func TestCostPerAccountBaseline(t *testing.T) {
	accounts := func(spends ...string) []tamledger.Account {
		var as []tamledger.Account
		for i, s := range spends {
			as = append(as, tamledger.Account{ID: string(rune('a' + i)), MonthlySpend: mp(s)})
		}
		return as
	}
	fifty := make([]string, 50)
	for i := range fifty {
		fifty[i] = "100"
	}
	tests := []struct {
		name     string
		org      *tamledger.Organization
		baseline string
		diff     string
	}{
		// one account of 420000: 33900 − 19400
		{"one account (monthlySpend only)", &tamledger.Organization{ID: "o", MonthlySpend: mp("420000")}, "19400", "14500"},
		// 300000 → 15800, 120000 → 7800; 33900 − 23600
		{"two accounts and monthlySpend", &tamledger.Organization{ID: "o", MonthlySpend: mp("420000"), Accounts: accounts("300000", "120000")}, "23600", "10300"},
		// only accounts[]: the spend is their sum, 420000, so enterprise is 33900 as before
		{"accounts only", &tamledger.Organization{ID: "o", Accounts: accounts("300000", "120000")}, "23600", "10300"},
		// 50 accounts of 100: each max(29, 9) = 29, 1450; enterprise max(5000, 500) = 5000
		{"fifty small accounts", &tamledger.Organization{ID: "o", Accounts: accounts(fifty...)}, "1450", "3550"},
		// one account of 5000: max(29, 450) = 450; 5000 − 450
		{"one account of 5000", &tamledger.Organization{ID: "o", MonthlySpend: mp("5000")}, "450", "4550"},
		// accounts without a spend: one account with monthlySpend
		{"accounts without spends", &tamledger.Organization{ID: "o", MonthlySpend: mp("420000"), Accounts: []tamledger.Account{{ID: "x"}, {ID: "y"}}}, "19400", "14500"},
		// no spend at all: 5000 − 29
		{"no spend", &tamledger.Organization{ID: "o"}, "29", "4971"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := compute(t, &tamledger.Ledger{Org: tt.org}, "2026-04-01", "2026-04-30")
			wantMoney(t, "baseline", r.Cost.Baseline, tt.baseline)
			wantMoney(t, "differential", r.Cost.Differential, tt.diff)
		})
	}
}

func TestCostBookSwitch(t *testing.T) {
	// spend 100000, one account, 2025-12-01 .. 2026-01-31
	// Dec 2025, legacy book: enterprise max(15000, 10000) = 15000;
	//   business 10000 × 0.10 + 70000 × 0.07 + 20000 × 0.05 = 1000 + 4900 + 1000 = 6900
	// Jan 2026, 2026 book: enterprise max(5000, 10000) = 10000;
	//   business-plus 900 + 4900 + 1000 = 6800
	// enterprise 25000, baseline 13700, differential 8100 + 3200 = 11300
	org := &tamledger.Organization{ID: "o", MonthlySpend: mp("100000")}
	r := compute(t, &tamledger.Ledger{Org: org}, "2025-12-01", "2026-01-31")
	wantMoney(t, "enterprise", r.Cost.Enterprise, "25000")
	wantMoney(t, "baseline", r.Cost.Baseline, "13700")
	wantMoney(t, "differential", r.Cost.Differential, "11300")
	if len(r.Months) != 2 || r.Months[0].Book != roi.BookLegacy || r.Months[0].BaselinePlan != "business" ||
		r.Months[1].Book != roi.Book2026 || r.Months[1].BaselinePlan != "business-plus" {
		t.Errorf("months = %+v", r.Months)
	}
	wantMoney(t, "Dec differential", r.Months[0].Differential, "8100")
	wantMoney(t, "Jan differential", r.Months[1].Differential, "3200")
}

func TestROINullWhenDifferentialNotPositive(t *testing.T) {
	// An imported book in which enterprise costs what business-plus costs:
	// the differential is 0, so there is no multiple; net value = value.
	same := tamledger.Plan{Minimum: mon("0"), Tiers: []tamledger.Tier{{Rate: mon("0.05")}}}
	book := tamledger.PriceBook{ID: "flat", Effective: day("2026-01-01"),
		Plans: map[string]tamledger.Plan{"enterprise": same, "business-plus": same}}
	a := rec("a", "2026-01-01")
	a.RealizedMonthlySavings = mp("1000")
	l := &tamledger.Ledger{Org: acme(), Recommendations: []tamledger.Recommendation{a}}
	r, err := roi.Compute(l, roi.Books([]tamledger.PriceBook{book}), day("2026-01-01"), day("2026-12-31"), roi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantMoney(t, "differential", r.Cost.Differential, "0")
	if r.ROIMultiple != nil {
		t.Errorf("roiMultiple = %v, want null", *r.ROIMultiple)
	}
	wantMoney(t, "net value", r.NetValue, "12000")

	// a negative differential: enterprise cheaper than the baseline
	cheap := tamledger.Plan{Minimum: mon("0"), Tiers: []tamledger.Tier{{Rate: mon("0.01")}}}
	book.Plans = map[string]tamledger.Plan{"enterprise": cheap, "business-plus": same}
	r, err = roi.Compute(l, roi.Books([]tamledger.PriceBook{book}), day("2026-01-01"), day("2026-01-31"), roi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 420000 × (0.01 − 0.05) = −16800
	wantMoney(t, "differential", r.Cost.Differential, "-16800")
	if r.ROIMultiple != nil {
		t.Errorf("roiMultiple = %v, want null", *r.ROIMultiple)
	}
	b, _ := json.Marshal(r)
	if !strings.Contains(string(b), `"roiMultiple":null`) {
		t.Errorf("JSON lacks a null roiMultiple: %s", b)
	}
}

func TestSavingsRate(t *testing.T) {
	early := rec("early", "2025-06-01") // implemented before the period: in the rate
	early.EstimatedMonthlySavings = mp("21000")
	late := rec("late", "2027-01-01") // after `to`: not in the rate
	late.EstimatedMonthlySavings = mp("99999")
	ta := rec("ta", "2026-01-01") // not counted: not in the rate
	ta.Origin, ta.EstimatedMonthlySavings = "trusted-advisor", mp("99999")
	l := &tamledger.Ledger{Org: acme(), Recommendations: []tamledger.Recommendation{early, late, ta}}
	r := compute(t, l, "2026-01-01", "2026-12-31")
	// 21000 / 420000 = 0.05
	if r.SavingsRate == nil || *r.SavingsRate != 0.05 {
		t.Errorf("savings rate = %v, want 0.05", r.SavingsRate)
	}
	if r.ReferenceSavingsRate != 0.15 {
		t.Errorf("reference = %v", r.ReferenceSavingsRate)
	}
	r, _ = roi.Compute(l, roi.Books(nil), day("2026-01-01"), day("2026-12-31"), roi.Options{ReferenceSavingsRate: 0.2})
	if r.ReferenceSavingsRate != 0.2 {
		t.Errorf("reference = %v, want the configured 0.2", r.ReferenceSavingsRate)
	}
	l.Org = &tamledger.Organization{ID: "zero"}
	r = compute(t, l, "2026-01-01", "2026-12-31")
	if r.SavingsRate != nil {
		t.Errorf("savings rate with no spend = %v, want null", *r.SavingsRate)
	}
}

// worked is the example of docs/roi.md.
func worked() *tamledger.Ledger {
	r17 := rec("r-17", "2026-03-15")
	r17.Title = "Move batch fleet to Graviton"
	r17.EstimatedMonthlySavings, r17.RealizedMonthlySavings = mp("12000"), mp("10500")
	r17.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: 4, Probability: 0.3}
	r17.ArchitectureValue = mp("20000")
	r18 := rec("r-18", "2026-07-01")
	r18.Title = "Rightsize RDS"
	r18.Origin, r18.EstimatedMonthlySavings = "specialist", mp("3000")
	ta := rec("ta-9", "2026-02-01")
	ta.Origin, ta.EstimatedMonthlySavings = "trusted-advisor", mp("800")
	open := rec("r-20", "2026-02-01")
	open.Status, open.ImplementedOn, open.EstimatedMonthlySavings = "open", nil, mp("5000")
	return &tamledger.Ledger{Org: acme(),
		Recommendations: []tamledger.Recommendation{r17, r18, ta, open},
		Events: []tamledger.Event{{ID: "dc-exit", Org: "acme", Name: "Data-centre exit cut-over", Date: day("2026-09-12"),
			IEMRequestedOn: dp("2026-08-01"), FailureCost: mp("2000000"), ProbabilityReduction: 0.1}},
	}
}

func TestWorkedExample(t *testing.T) {
	// 2026, acme (420000 a month, one account, 50000 an hour of downtime):
	//   r-17 savings   10500 × 12 × 292 / 365        = 100800   (realized)
	//   r-18 savings    3000 × 12 × 184 / 365        =  18147.945… → 18147.95 (estimated; Jul 1 .. Dec 31 = 184 days)
	//   r-17 incident   4 × 0.3 × 50000              =  60000
	//   r-17 architecture 20000 × 292 / 365          =  16000
	//   dc-exit IEM     2000000 × 0.1                = 200000
	//   value total                                  = 394947.945… → 394947.95
	//   cost: 12 × 33900 = 406800; 12 × 19400 = 232800; differential 174000
	//   roiMultiple 394947.945… / 174000 = 2.26981…
	//   net value 394947.95 − 174000 = 220947.95
	//   savings rate (10500 + 3000) / 420000 = 0.0321428…
	r := compute(t, worked(), "2026-01-01", "2026-12-31")
	wantMoney(t, "cost savings", r.Value.CostSavings, "118947.95")
	wantMoney(t, "incidents", r.Value.IncidentsAvoided, "60000")
	wantMoney(t, "architecture", r.Value.Architecture, "16000")
	wantMoney(t, "iem", r.Value.IEM, "200000")
	wantMoney(t, "total", r.Value.Total, "394947.95")
	wantMoney(t, "enterprise", r.Cost.Enterprise, "406800")
	wantMoney(t, "baseline", r.Cost.Baseline, "232800")
	wantMoney(t, "differential", r.Cost.Differential, "174000")
	wantMoney(t, "net", r.NetValue, "220947.95")
	exactTotal := 100800 + 3000.0*12*184/365 + 60000 + 16000 + 200000
	if r.ROIMultiple == nil || math.Abs(*r.ROIMultiple-exactTotal/174000) > 1e-12 {
		t.Errorf("roiMultiple = %v, want %v", r.ROIMultiple, exactTotal/174000)
	}
	if r.SavingsRate == nil || math.Abs(*r.SavingsRate-13500.0/420000) > 1e-15 {
		t.Errorf("savingsRate = %v", r.SavingsRate)
	}
	if ln := line(r, roi.KindCostSavings, "r-18"); ln == nil || !ln.Estimated || ln.Days != 184 {
		t.Errorf("r-18 line = %+v", ln)
	}
	if !strings.Contains(excluded(r, "ta-9"), "trusted-advisor") || !strings.Contains(excluded(r, "r-20"), "status open") {
		t.Errorf("exclusions = %+v", r.Excluded)
	}
	if len(r.Months) != 12 {
		t.Errorf("%d months", len(r.Months))
	}
}

func TestReportJSON(t *testing.T) {
	r := compute(t, worked(), "2026-01-01", "2026-12-31")
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"organization", "from", "to", "value", "cost", "roiMultiple", "netValue", "savingsRate", "referenceSavingsRate", "lines"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if got["from"] != "2026-01-01" || got["organization"] != "acme" {
		t.Errorf("from/organization = %v/%v", got["from"], got["organization"])
	}
	v := got["value"].(map[string]any)
	for _, k := range []string{"costSavings", "incidentsAvoided", "architecture", "iem", "total"} {
		if _, ok := v[k].(float64); !ok {
			t.Errorf("value.%s = %v, want a number", k, v[k])
		}
	}
	if v["total"] != 394947.95 {
		t.Errorf("value.total = %v", v["total"])
	}
	c := got["cost"].(map[string]any)
	for _, k := range []string{"enterprise", "baseline", "differential"} {
		if _, ok := c[k].(float64); !ok {
			t.Errorf("cost.%s = %v, want a number", k, c[k])
		}
	}
	ln := got["lines"].([]any)[0].(map[string]any)
	for _, k := range []string{"kind", "ref", "amount", "estimated"} {
		if _, ok := ln[k]; !ok {
			t.Errorf("line lacks %q: %v", k, ln)
		}
	}
	if !strings.Contains(string(b), `"amount":18147.95`) {
		t.Errorf("amount not rounded to the cent: %s", b)
	}
}

func TestComputeErrors(t *testing.T) {
	l := &tamledger.Ledger{Org: acme()}
	if _, err := roi.Compute(l, roi.Books(nil), day("2026-02-01"), day("2026-01-01"), roi.Options{}); tamledger.ErrorCode(err) != tamledger.EINVALID {
		t.Errorf("to before from: %v", err)
	}
	if _, err := roi.Compute(l, roi.Books(nil), day("1999-12-01"), day("2000-01-31"), roi.Options{}); tamledger.ErrorCode(err) != tamledger.EINVALID {
		t.Errorf("no book for 1999: %v", err)
	}
	if _, err := roi.Compute(&tamledger.Ledger{}, roi.Books(nil), day("2026-01-01"), day("2026-01-31"), roi.Options{}); err == nil {
		t.Error("no organisation: no error")
	}
}

func TestByQuarter(t *testing.T) {
	// 2026-02-10 .. 2026-12-31 with the worked example: four quarters, the
	// first clipped to start on 2026-02-10.
	l := worked()
	rows, err := roi.ByQuarter(l, roi.Books(nil), day("2026-02-10"), day("2026-12-31"), roi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0].Quarter != "2026-Q1" || rows[0].From != day("2026-02-10") || rows[0].To != day("2026-03-31") ||
		rows[3].Quarter != "2026-Q4" || rows[3].To != day("2026-12-31") {
		t.Fatalf("rows = %+v", rows)
	}
	// IEM in Q3 only; the incident in Q1 (implemented 2026-03-15)
	wantMoney(t, "Q3 iem", rows[2].Value.IEM, "200000")
	wantMoney(t, "Q1 incidents", rows[0].Value.IncidentsAvoided, "60000")
	// Q2 cost: three full months, 3 × 14500
	wantMoney(t, "Q2 differential", rows[1].Cost.Differential, "43500")
	// r-17 in Q2: 10500 × 12 × 91 / 365 = 31413.698… → 31413.70; r-18 not yet implemented
	wantMoney(t, "Q2 savings", rows[1].Value.CostSavings, "31413.70")
	whole := compute(t, l, "2026-02-10", "2026-12-31")
	var sum tamledger.Money
	for _, q := range rows {
		sum = tamledger.Money{Decimal: sum.Add(q.Value.Total.Decimal)}
	}
	if d := sum.Sub(whole.Value.Total.Decimal).Abs(); d.GreaterThan(mon("0.04").Decimal) {
		t.Errorf("quarters add up to %s, the period is %s", sum, whole.Value.Total)
	}
}
