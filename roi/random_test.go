package roi_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
)

// TestRandomAgainstFloatModel checks Compute against a second, deliberately
// naive reading of SPEC §6 in float64 on random ledgers: the two must agree
// to the cent (allowing for float error on large sums).
func TestRandomAgainstFloatModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	origins := tamledger.Origins.Values()
	statuses := tamledger.Statuses.Values()
	for n := 0; n < 300; n++ {
		org := &tamledger.Organization{ID: fmt.Sprintf("o%d", n)}
		if rng.IntN(3) > 0 {
			org.DowntimeCostPerHour = mp(fmt.Sprint(rng.IntN(100000)))
		}
		switch rng.IntN(3) {
		case 0:
			org.MonthlySpend = mp(fmt.Sprintf("%d.%02d", rng.IntN(3000000), rng.IntN(100)))
		case 1, 2:
			k := 1 + rng.IntN(6)
			for i := 0; i < k; i++ {
				org.Accounts = append(org.Accounts, tamledger.Account{ID: fmt.Sprint(i), MonthlySpend: mp(fmt.Sprint(rng.IntN(400000)))})
			}
		}
		randDate := func() tamledger.Date { return day("2024-06-01").AddDays(rng.IntN(365 * 4)) }
		l := &tamledger.Ledger{Org: org}
		for i := 0; i < rng.IntN(12); i++ {
			r := tamledger.Recommendation{ID: fmt.Sprintf("r%d", i), Origin: origins[rng.IntN(len(origins))],
				Status: statuses[rng.IntN(len(statuses))], ContextualizedByTAM: rng.IntN(4) == 0}
			if rng.IntN(5) > 0 {
				d := randDate()
				r.ImplementedOn = &d
			}
			if rng.IntN(3) > 0 {
				r.EstimatedMonthlySavings = mp(fmt.Sprintf("%d.%02d", rng.IntN(50000), rng.IntN(100)))
			}
			if rng.IntN(3) == 0 {
				r.RealizedMonthlySavings = mp(fmt.Sprint(rng.IntN(50000)))
			}
			if rng.IntN(3) == 0 {
				r.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: float64(rng.IntN(40)) / 4, Probability: float64(rng.IntN(101)) / 100}
			}
			if rng.IntN(3) == 0 {
				r.ArchitectureValue = mp(fmt.Sprint(rng.IntN(200000)))
			}
			l.Recommendations = append(l.Recommendations, r)
		}
		for i := 0; i < rng.IntN(4); i++ {
			e := tamledger.Event{ID: fmt.Sprintf("e%d", i), Date: randDate(), FailureCost: mp(fmt.Sprint(rng.IntN(5000000))),
				ProbabilityReduction: float64(rng.IntN(101)) / 100}
			if rng.IntN(4) > 0 {
				d := e.Date.AddDays(rng.IntN(60) - 45)
				e.IEMRequestedOn = &d
			}
			l.Events = append(l.Events, e)
		}
		from := randDate()
		to := from.AddDays(rng.IntN(800))
		got, err := roi.Compute(l, roi.Books(nil), from, to, roi.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := floatModel(l, from, to)
		check := func(what string, g tamledger.Money, w float64) {
			t.Helper()
			if math.Abs(g.InexactFloat64()-w) > 0.01+math.Abs(w)*1e-12 {
				t.Errorf("case %d (%s..%s) %s = %s, float model %.4f", n, from, to, what, g, w)
			}
		}
		check("costSavings", got.Value.CostSavings, want.savings)
		check("incidentsAvoided", got.Value.IncidentsAvoided, want.incidents)
		check("architecture", got.Value.Architecture, want.arch)
		check("iem", got.Value.IEM, want.iem)
		check("total", got.Value.Total, want.total)
		check("enterprise", got.Cost.Enterprise, want.ent)
		check("baseline", got.Cost.Baseline, want.base)
		check("differential", got.Cost.Differential, want.ent-want.base)
		check("netValue", got.NetValue, want.total-(want.ent-want.base))
		if d := want.ent - want.base; d > 0 {
			if got.ROIMultiple == nil || math.Abs(*got.ROIMultiple-want.total/d) > 1e-9*math.Max(1, want.total/d) {
				t.Errorf("case %d roiMultiple = %v, want %v", n, got.ROIMultiple, want.total/d)
			}
		} else if got.ROIMultiple != nil {
			t.Errorf("case %d roiMultiple = %v, want null", n, *got.ROIMultiple)
		}
		if want.spend == 0 {
			if got.SavingsRate != nil {
				t.Errorf("case %d savingsRate = %v, want null", n, *got.SavingsRate)
			}
		} else if got.SavingsRate == nil || math.Abs(*got.SavingsRate-want.monthly/want.spend) > 1e-12 {
			t.Errorf("case %d savingsRate = %v, want %v", n, got.SavingsRate, want.monthly/want.spend)
		}
	}
}

type floatReport struct {
	savings, incidents, arch, iem, total, ent, base, monthly, spend float64
}

func f(m *tamledger.Money) float64 {
	if m == nil {
		return 0
	}
	return m.InexactFloat64()
}

func floatModel(l *tamledger.Ledger, from, to tamledger.Date) floatReport {
	var r floatReport
	org := l.Org
	for _, rec := range l.Recommendations {
		counted := rec.Status == "implemented" && rec.ImplementedOn != nil &&
			(rec.Origin == "tam" || rec.Origin == "specialist" || rec.Origin == "well-architected" || rec.ContextualizedByTAM)
		if !counted {
			continue
		}
		on := *rec.ImplementedOn
		start := from
		if on.After(from) {
			start = on
		}
		days := 0.0
		if !start.After(to) {
			days = float64(start.DaysUntil(to) + 1)
		}
		m := f(rec.EstimatedMonthlySavings)
		if rec.RealizedMonthlySavings != nil {
			m = f(rec.RealizedMonthlySavings)
		}
		if !on.After(to) && (rec.RealizedMonthlySavings != nil || rec.EstimatedMonthlySavings != nil) {
			r.monthly += m
		}
		r.savings += m * 12 / 365 * days
		r.arch += f(rec.ArchitectureValue) / 12 * 12 / 365 * days
		if rec.IncidentAvoided != nil && !on.Before(from) && !on.After(to) {
			r.incidents += rec.IncidentAvoided.DowntimeHours * rec.IncidentAvoided.Probability * f(org.DowntimeCostPerHour)
		}
	}
	for _, e := range l.Events {
		if !e.Date.Before(from) && !e.Date.After(to) && e.IEMRequestedOn != nil && !e.IEMRequestedOn.After(e.Date) {
			r.iem += f(e.FailureCost) * e.ProbabilityReduction
		}
	}
	r.total = r.savings + r.incidents + r.arch + r.iem

	var accounts []float64
	for _, a := range org.Accounts {
		r.spend += f(a.MonthlySpend)
		accounts = append(accounts, f(a.MonthlySpend))
	}
	if org.MonthlySpend != nil {
		r.spend = f(org.MonthlySpend)
		accounts = []float64{r.spend}
	}
	if len(accounts) == 0 {
		accounts = []float64{0}
	}
	fee := func(spend, min float64, breaks, rates []float64) float64 {
		sum, lower := 0.0, 0.0
		for i, rate := range rates {
			upper := math.Inf(1)
			if i < len(breaks) {
				upper = breaks[i]
			}
			if spend > lower {
				sum += (math.Min(spend, upper) - lower) * rate
			}
			lower = upper
		}
		return math.Max(min, sum)
	}
	tiers := []float64{150000, 500000, 1000000}
	for m := tamledger.NewDate(from.Year, from.Month, 1); !m.After(to); m = tamledger.NewDate(m.Year, m.Month+1, 1) {
		var ent, base float64
		if m.Year >= 2026 {
			ent = fee(r.spend, 5000, tiers, []float64{0.10, 0.07, 0.05, 0.03})
			for _, a := range accounts {
				base += fee(a, 29, []float64{10000, 80000, 250000}, []float64{0.09, 0.07, 0.05, 0.03})
			}
		} else {
			ent = fee(r.spend, 15000, tiers, []float64{0.10, 0.07, 0.05, 0.03})
			for _, a := range accounts {
				base += fee(a, 100, []float64{10000, 80000, 250000}, []float64{0.10, 0.07, 0.05, 0.03})
			}
		}
		first, last := m, tamledger.NewDate(m.Year, m.Month+1, 0)
		if from.After(first) {
			first = from
		}
		if to.Before(last) {
			last = to
		}
		frac := float64(first.DaysUntil(last)+1) / float64(m.DaysInMonth())
		r.ent += ent * frac
		r.base += base * frac
	}
	return r
}
