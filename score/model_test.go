package score_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

// A second, deliberately naive reading of SPEC §4 — walking the calendar a
// day at a time, floats instead of exact fractions — checked against
// Scorecard on random ledgers.

type modelPeriod struct {
	start, end tamledger.Date
	status     string
	engagement string
}

func modelScorecard(l *tamledger.Ledger, asOf tamledger.Date) (series map[string][]modelPeriod, adherence map[string]*float64, charter *float64, health *int) {
	cs := slices.Clone(l.Charters)
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Effective != cs[j].Effective {
			return cs[i].Effective.Before(cs[j].Effective)
		}
		return cs[i].ID < cs[j].ID
	})
	quant := map[string]bool{}
	for _, r := range l.Recommendations {
		if r.EstimatedMonthlySavings != nil && r.EstimatedMonthlySavings.IsPositive() {
			quant[r.Engagement] = true
		}
	}
	series = map[string][]modelPeriod{}
	used := map[string]map[string]bool{}
	obIDs := []string{}
	for i, c := range cs {
		if c.Effective.After(asOf) {
			continue
		}
		for _, ob := range c.Obligations {
			if !slices.Contains(obIDs, ob.ID) {
				obIDs = append(obIDs, ob.ID)
			}
			n := tamledger.CadenceMonths(ob.Cadence)
			var keys []string
			if ob.Scope == "each-primary-workload" {
				for _, w := range l.Org.Workloads {
					if w.Primary {
						keys = append(keys, ob.ID+"/"+w.ID)
					}
				}
			} else {
				keys = []string{ob.ID + "/"}
			}
			for d := c.Effective; !d.After(asOf); d = d.AddDays(1) {
				if d.Day != 1 || (int(d.Month)-1)%n != 0 {
					continue
				}
				end := d.AddDays(1)
				for !(end.Day == 1 && (int(end.Month)-1)%n == 0) {
					end = end.AddDays(1)
				}
				end = end.AddDays(-1)
				if i+1 < len(cs) && !end.Before(cs[i+1].Effective) {
					break
				}
				for _, k := range keys {
					if used[k] == nil {
						used[k] = map[string]bool{}
					}
					w := k[strings.Index(k, "/")+1:]
					var best *tamledger.Engagement
					for j := range l.Engagements {
						e := &l.Engagements[j]
						if e.Service != ob.Service || e.Date.Before(d) || e.Date.After(end.AddDays(ob.GraceDays)) || e.Date.After(asOf) || used[k][e.ID] {
							continue
						}
						if w != "" && !slices.Contains(e.Workloads, w) {
							continue
						}
						if ob.Requires != "" && !quant[e.ID] {
							continue
						}
						if best == nil || e.Date.Before(best.Date) || (e.Date == best.Date && e.ID < best.ID) {
							best = e
						}
					}
					p := modelPeriod{start: d, end: end}
					switch {
					case best != nil:
						used[k][best.ID] = true
						p.engagement = best.ID
						p.status = "met"
						if best.Date.After(end) {
							p.status = "late"
						}
					case asOf.After(end.AddDays(ob.GraceDays)):
						p.status = "missed"
					default:
						p.status = "due"
					}
					series[k] = append(series[k], p)
				}
			}
		}
	}
	from := asOf.AddYears(-1).AddDays(1)
	adherence = map[string]*float64{}
	var sum float64
	var n int
	for _, id := range obIDs {
		var num, den float64
		for k, ps := range series {
			if !strings.HasPrefix(k, id+"/") {
				continue
			}
			for _, p := range ps {
				if p.end.Before(from) || p.end.After(asOf) {
					continue
				}
				switch p.status {
				case "met":
					num, den = num+1, den+1
				case "late":
					num, den = num+0.5, den+1
				case "missed":
					den++
				}
			}
		}
		if den > 0 {
			a := num / den
			adherence[id] = &a
			sum += a
			n++
		} else {
			adherence[id] = nil
		}
	}
	var comps []struct{ v, w float64 }
	if n > 0 {
		a := sum / float64(n)
		charter = &a
		comps = append(comps, struct{ v, w float64 }{a, 0.6})
	}
	var tam, all float64
	for _, e := range l.Engagements {
		if !e.Date.Before(from) && !e.Date.After(asOf) {
			all++
			if e.InitiatedBy == "tam" {
				tam++
			}
		}
	}
	if all > 0 {
		comps = append(comps, struct{ v, w float64 }{tam / all, 0.25})
	}
	if len(comps) > 0 {
		var num, den float64
		for _, c := range comps {
			num += c.v * c.w
			den += c.w
		}
		h := int(math.Floor(100*num/den + 0.5 + 1e-9))
		health = &h
	}
	return series, adherence, charter, health
}

func randomLedger(r *rand.Rand) (*tamledger.Ledger, tamledger.Date) {
	day := func() tamledger.Date { return tamledger.NewDate(2025, 1, 1).AddDays(r.IntN(3 * 365)) }
	o := &tamledger.Organization{ID: "acme"}
	for i := range 1 + r.IntN(3) {
		o.Workloads = append(o.Workloads, tamledger.Workload{ID: fmt.Sprintf("w%d", i), Primary: r.IntN(3) > 0})
	}
	services := []string{"strategy-call", "cost-review", "security-review"}
	cadences := tamledger.Cadences.Values()
	l := &tamledger.Ledger{Org: o}
	for i := range 1 + r.IntN(3) {
		c := tamledger.Charter{ID: fmt.Sprintf("c%d", i), Effective: day()}
		if r.IntN(2) == 0 {
			c.Effective.Day = 1
		}
		for j := range 1 + r.IntN(4) {
			ob := tamledger.Obligation{ID: fmt.Sprintf("o%d", j), Service: services[r.IntN(len(services))],
				Cadence: cadences[r.IntN(len(cadences))], GraceDays: []int{0, 0, 7, 15, 45}[r.IntN(5)]}
			if r.IntN(3) == 0 {
				ob.Scope = "each-primary-workload"
			}
			if r.IntN(4) == 0 {
				ob.Requires = "quantified-recommendations"
			}
			c.Obligations = append(c.Obligations, ob)
		}
		l.Charters = append(l.Charters, c)
	}
	for i := range r.IntN(80) {
		e := tamledger.Engagement{ID: fmt.Sprintf("e%02d", i), Date: day(), Service: services[r.IntN(len(services))], InitiatedBy: "tam"}
		if r.IntN(2) == 0 {
			e.InitiatedBy = "customer"
		}
		for _, w := range o.Workloads {
			if r.IntN(2) == 0 {
				e.Workloads = append(e.Workloads, w.ID)
			}
		}
		l.Engagements = append(l.Engagements, e)
		if r.IntN(3) == 0 {
			l.Recommendations = append(l.Recommendations, tamledger.Recommendation{ID: "r" + e.ID, Engagement: e.ID,
				EstimatedMonthlySavings: money([]string{"0", "10"}[r.IntN(2)])})
		}
	}
	return l, day()
}

func TestScorecardAgainstModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	statuses := map[string]int{}
	defer func() {
		// The random ledgers exercise every status.
		for _, s := range []string{"met", "late", "missed", "due"} {
			if statuses[s] < 100 {
				t.Errorf("only %d %s periods in the random ledgers", statuses[s], s)
			}
		}
	}()
	for i := range 3000 {
		l, asOf := randomLedger(r)
		c := score.Scorecard(l, asOf)
		series, adherence, charterAdh, health := modelScorecard(l, asOf)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("case %d (asOf %s): %s\nledger: %+v", i, asOf, fmt.Sprintf(format, args...), *l)
		}
		if len(c.Obligations) != len(adherence) {
			fail("obligations %d, model %d", len(c.Obligations), len(adherence))
		}
		got := map[string][]modelPeriod{}
		for _, ob := range c.Obligations {
			if !feq(ob.Adherence, adherence[ob.ID]) {
				fail("obligation %s adherence %s, model %s", ob.ID, fptr(ob.Adherence), fptr(adherence[ob.ID]))
			}
			for _, s := range ob.Series {
				k := ob.ID + "/"
				if s.Workload != nil {
					k += *s.Workload
				}
				for _, p := range s.Periods {
					statuses[p.Status]++
					mp := modelPeriod{start: p.Start, end: p.End, status: p.Status}
					if p.Engagement != nil {
						mp.engagement = *p.Engagement
					}
					got[k] = append(got[k], mp)
				}
			}
		}
		for k, ps := range series {
			if !slices.Equal(got[k], ps) {
				fail("series %s:\n got %v\nmodel %v", k, got[k], ps)
			}
		}
		for k, ps := range got {
			if len(series[k]) == 0 && len(ps) > 0 {
				fail("series %s not in model: %v", k, ps)
			}
		}
		if !feq(c.Adherence, charterAdh) && !(c.Adherence != nil && charterAdh != nil && math.Abs(*c.Adherence-*charterAdh) < 1e-9) {
			fail("charter adherence %s, model %s", fptr(c.Adherence), fptr(charterAdh))
		}
		if fmt.Sprint(ip(c.Health.Score)) != fmt.Sprint(ip(health)) {
			fail("health %v, model %v", ip(c.Health.Score), ip(health))
		}
	}
}
