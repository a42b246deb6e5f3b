package demo_test

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
)

// This file checks that the generated portfolio tells the stories it
// claims: each organisation raises exactly its story's actions and lands in
// its story's band, for several seeds and days. The rules engine (package
// score) is written in parallel, so the check carries its own small reading
// of SPEC §4 and §9: it evaluates the conditions directly on the records.
// It is a self-check of the data, not a second implementation to keep.

type date = tamledger.Date

func ledgers(recs []tamledger.Record) []*tamledger.Ledger {
	var out []*tamledger.Ledger
	var l *tamledger.Ledger
	for _, r := range recs {
		switch v := r.Value.(type) {
		case *tamledger.Organization:
			l = &tamledger.Ledger{Org: v}
			out = append(out, l)
		case *tamledger.Charter:
			l.Charters = append(l.Charters, *v)
		case *tamledger.Engagement:
			l.Engagements = append(l.Engagements, *v)
		case *tamledger.Recommendation:
			l.Recommendations = append(l.Recommendations, *v)
		case *tamledger.Case:
			l.Cases = append(l.Cases, *v)
		case *tamledger.Event:
			l.Events = append(l.Events, *v)
		case *tamledger.ReassignmentRequest:
			l.Reassignments = append(l.Reassignments, *v)
		}
	}
	for _, l := range out {
		slices.SortFunc(l.Charters, func(a, b tamledger.Charter) int { return a.Effective.Compare(b.Effective) })
	}
	return out
}

const (
	stMet = iota
	stLate
	stMissed
	stDue
)

// scored is one period of one obligation with its status.
type scored struct {
	obligation string
	end        date
	status     int
}

func inRange(d, from, to date) bool { return !d.Before(from) && !d.After(to) }

// charterOn is the version in force on d, or nil.
func charterOn(l *tamledger.Ledger, d date) *tamledger.Charter {
	var c *tamledger.Charter
	for i := range l.Charters {
		if !l.Charters[i].Effective.After(d) {
			c = &l.Charters[i]
		}
	}
	return c
}

// periods scores every obligation period of the versions in force by asOf
// (SPEC §4: full periods inside each version's range, pooled series by
// obligation id and workload, earliest unused candidate).
func periods(l *tamledger.Ledger, asOf date) []scored {
	quantified := map[string]bool{}
	for _, r := range l.Recommendations {
		if r.Engagement != "" && r.Quantified() {
			quantified[r.Engagement] = true
		}
	}
	type pending struct {
		ob       tamledger.Obligation
		workload string
		start    date
		end      date
	}
	series := map[string][]pending{}
	var keys []string
	for i, c := range l.Charters {
		if c.Effective.After(asOf) {
			break
		}
		limit := tamledger.NewDate(9999, 1, 1)
		if i+1 < len(l.Charters) {
			limit = l.Charters[i+1].Effective
		}
		for _, ob := range c.Obligations {
			workloads := []string{""}
			if ob.ScopeOrDefault() == "each-primary-workload" {
				workloads = nil
				for _, w := range l.Org.PrimaryWorkloads() {
					workloads = append(workloads, w.ID)
				}
			}
			n := tamledger.CadenceMonths(ob.Cadence)
			for _, w := range workloads {
				key := ob.ID + "/" + w
				if _, ok := series[key]; !ok {
					keys = append(keys, key)
				}
				m := (int(c.Effective.Month)-1)/n*n + 1
				s := tamledger.NewDate(c.Effective.Year, time.Month(m), 1)
				if s.Before(c.Effective) {
					s = tamledger.NewDate(s.Year, s.Month+time.Month(n), 1)
				}
				for ; !s.After(asOf); s = tamledger.NewDate(s.Year, s.Month+time.Month(n), 1) {
					e := tamledger.NewDate(s.Year, s.Month+time.Month(n), 0)
					if !e.Before(limit) {
						break
					}
					series[key] = append(series[key], pending{ob, w, s, e})
				}
			}
		}
	}
	var out []scored
	for _, key := range keys {
		ps := series[key]
		slices.SortFunc(ps, func(a, b pending) int { return a.start.Compare(b.start) })
		used := map[string]bool{}
		for _, p := range ps {
			var best *tamledger.Engagement
			last := p.end.AddDays(p.ob.GraceDays)
			for i := range l.Engagements {
				e := &l.Engagements[i]
				if e.Service != p.ob.Service || used[e.ID] || !inRange(e.Date, p.start, last) || e.Date.After(asOf) {
					continue
				}
				if p.workload != "" && !slices.Contains(e.Workloads, p.workload) {
					continue
				}
				if p.ob.Requires == "quantified-recommendations" && !quantified[e.ID] {
					continue
				}
				if best == nil || e.Date.Before(best.Date) {
					best = e
				}
			}
			st := stDue
			switch {
			case best != nil:
				used[best.ID] = true
				st = stLate
				if !best.Date.After(p.end) {
					st = stMet
				}
			case asOf.After(last):
				st = stMissed
			}
			out = append(out, scored{p.ob.ID, p.end, st})
		}
	}
	return out
}

// adherence is the charter adherence over periods ending in [from, to]:
// the mean of the obligations' adherences; ok is false when none counts.
func adherence(ps []scored, from, to date) (float64, bool) {
	type tally struct{ met, late, missed int }
	by := map[string]*tally{}
	var order []string
	for _, p := range ps {
		if !inRange(p.end, from, to) || p.status == stDue {
			continue
		}
		t := by[p.obligation]
		if t == nil {
			t = &tally{}
			by[p.obligation] = t
			order = append(order, p.obligation)
		}
		switch p.status {
		case stMet:
			t.met++
		case stLate:
			t.late++
		case stMissed:
			t.missed++
		}
	}
	if len(order) == 0 {
		return 0, false
	}
	sum := 0.0
	for _, id := range order {
		t := by[id]
		sum += (float64(t.met) + 0.5*float64(t.late)) / float64(t.met+t.late+t.missed)
	}
	return sum / float64(len(order)), true
}

// health is the score and band of SPEC §4.
func health(l *tamledger.Ledger, asOf date) (score int, band string, parts string) {
	from := asOf.AddYears(-1).AddDays(1)
	type part struct {
		v, w float64
		ok   bool
	}
	var adh, pro, resp part
	adh.w, pro.w, resp.w = 0.6, 0.25, 0.15
	adh.v, adh.ok = adherence(periods(l, asOf), from, asOf)
	tam, all := 0, 0
	for _, e := range l.Engagements {
		if inRange(e.Date, from, asOf) {
			all++
			if e.InitiatedBy == "tam" {
				tam++
			}
		}
	}
	if all > 0 {
		pro.v, pro.ok = float64(tam)/float64(all), true
	}
	within, cases := 0, 0
	loc := l.Org.Location()
	for _, c := range l.Cases {
		d := tamledger.DateIn(c.OpenedAt, loc)
		if !inRange(d, from, asOf) {
			continue
		}
		ch := charterOn(l, d)
		if ch == nil {
			continue
		}
		for _, p := range ch.EscalationPaths {
			if p.Severity != c.Severity {
				continue
			}
			cases++
			if c.TAMEngagedAt != nil && c.TAMEngagedAt.Sub(c.OpenedAt) <= time.Duration(p.TAMResponseHours*float64(time.Hour)) {
				within++
			}
		}
	}
	if cases > 0 {
		resp.v, resp.ok = float64(within)/float64(cases), true
	}
	num, den := 0.0, 0.0
	for _, p := range []part{adh, pro, resp} {
		if p.ok {
			num += p.v * p.w
			den += p.w
		}
	}
	parts = fmt.Sprintf("adherence %.2f (%v), proactive %.2f (%v), responsiveness %.2f (%v)", adh.v, adh.ok, pro.v, pro.ok, resp.v, resp.ok)
	if den == 0 {
		return 0, "", parts
	}
	score = int(math.Floor(100*num/den + 0.5))
	switch {
	case score >= 80:
		band = "proactive"
	case score >= 50:
		band = "mixed"
	default:
		band = "reactive"
	}
	return score, band, parts
}

var complexServices = []string{"sagemaker", "bedrock", "comprehend", "rekognition", "eks", "ecs", "fargate",
	"emr", "glue", "redshift", "kinesis", "msk", "opensearch", "athena"}

func complexWorkload(w tamledger.Workload) bool {
	for _, s := range w.Services {
		if slices.Contains(complexServices, strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// quarterEnd is the last day of d's calendar quarter.
func quarterEnd(d date) date {
	return tamledger.NewDate(d.Year, time.Month((int(d.Month)-1)/3*3+4), 0)
}

// actions evaluates the conditions of SPEC §9 and returns the codes that
// fire, sorted and without repeats.
func actions(l *tamledger.Ledger, asOf date) []string {
	var codes []string
	add := func(c string) {
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	o := l.Org
	within := func(e tamledger.Engagement, days int) bool { return inRange(e.Date, asOf.AddDays(-days), asOf) }

	for _, w := range o.PrimaryWorkloads() {
		found := false
		for _, e := range l.Engagements {
			if e.Service == "well-architected-review" && slices.Contains(e.Workloads, w.ID) && within(e, 365) {
				found = true
			}
		}
		if !found {
			add("war-overdue")
		}
	}

	ch := charterOn(l, asOf)
	if ch == nil {
		add("no-charter")
	} else {
		has := func(f func(tamledger.Obligation) bool) bool { return slices.ContainsFunc(ch.Obligations, f) }
		months := tamledger.CadenceMonths
		if !has(func(ob tamledger.Obligation) bool { return ob.Service == "strategy-call" && ob.Cadence == "monthly" }) ||
			!has(func(ob tamledger.Obligation) bool {
				return ob.Service == "cost-review" && months(ob.Cadence) <= 3 && ob.Requires == "quantified-recommendations"
			}) ||
			!has(func(ob tamledger.Obligation) bool {
				return ob.Service == "well-architected-review" && ob.Scope == "each-primary-workload" && months(ob.Cadence) <= 12
			}) ||
			!has(func(ob tamledger.Obligation) bool { return ob.Service == "security-review" && months(ob.Cadence) <= 6 }) ||
			!ch.BackupTAM || len(ch.EscalationPaths) == 0 {
			add("charter-missing-term")
		}
	}

	minLead, recLead := ch.Leads()
	for _, ev := range l.Events {
		d := asOf.DaysUntil(ev.Date)
		if d < 0 || d > recLead || (ev.IEMRequestedOn != nil && !ev.IEMRequestedOn.After(asOf)) {
			continue
		}
		if d < minLead {
			add("iem-too-late")
		} else {
			add("iem-request-now")
		}
	}

	unresolved := false
	for _, rr := range l.Reassignments {
		if rr.ResolvedOn == nil {
			unresolved = true
		}
		if rr.AcknowledgedOn == nil && rr.ResolvedOn == nil && rr.EscalatedOn == nil && !asOf.Before(rr.RequestedOn.AddDays(30)) {
			add("reassignment-escalate")
		}
	}
	ps := periods(l, asOf)
	q1 := quarterEnd(asOf)
	if q1 != asOf {
		q1 = tamledger.NewDate(q1.Year, q1.Month-3+1, 0)
	}
	q2 := tamledger.NewDate(q1.Year, q1.Month-3+1, 0)
	a1, ok1 := adherence(ps, tamledger.NewDate(q1.Year, q1.Month-2, 1), q1)
	a2, ok2 := adherence(ps, tamledger.NewDate(q2.Year, q2.Month-2, 1), q2)
	if ok1 && ok2 && a1 < 0.6 && a2 < 0.6 && !unresolved {
		add("reassignment-suggested")
	}

	t := o.AccountTeam.TAM
	if t.PortfolioSize == nil {
		add("portfolio-unknown")
	} else if a, ok := adherence(ps, asOf.AddYears(-1).AddDays(1), asOf); *t.PortfolioSize > 45 && ok && a < 0.8 {
		add("portfolio-rebalance")
	}

	drivers, primaries := 0, 0
	anyRegulated, anyComplex := false, false
	for _, w := range o.Workloads {
		anyRegulated = anyRegulated || w.Regulated
		anyComplex = anyComplex || complexWorkload(w)
		if w.Primary {
			primaries++
		}
	}
	for _, b := range []bool{anyRegulated, anyComplex, primaries >= 5,
		o.Complexity != nil && o.Complexity.ActiveMigration, o.Complexity != nil && o.Complexity.MultiRegion} {
		if b {
			drivers++
		}
	}
	if drivers >= 2 && (t.Seniority == "associate" || t.Seniority == "tam") {
		add("senior-tam-request")
	}

	if o.AccountTeam.BackupTAM == nil {
		add("no-backup-tam")
	}

	for _, w := range o.Workloads {
		if !complexWorkload(w) {
			continue
		}
		found := false
		for _, e := range l.Engagements {
			if e.Service == "specialist-deep-dive" && slices.Contains(e.Workloads, w.ID) && within(e, 90) {
				found = true
			}
		}
		if !found {
			add("specialist-intro")
		}
	}

	quantified := map[string]bool{}
	for _, r := range l.Recommendations {
		if r.Engagement != "" && r.Quantified() {
			quantified[r.Engagement] = true
		}
	}
	for _, e := range l.Engagements {
		if e.Service == "cost-review" && within(e, 90) && !quantified[e.ID] {
			add("cost-review-unquantified")
		}
	}

	if o.EDP != nil {
		if d := asOf.DaysUntil(o.EDP.End); d >= 0 && d <= 180 {
			add("edp-renewal-prep")
		}
	}
	slices.Sort(codes)
	return codes
}

var allActions = []string{"war-overdue", "charter-missing-term", "no-charter", "iem-request-now", "iem-too-late",
	"reassignment-suggested", "reassignment-escalate", "portfolio-unknown", "portfolio-rebalance",
	"senior-tam-request", "no-backup-tam", "specialist-intro", "cost-review-unquantified", "edp-renewal-prep"}

// TestStoriesCoverEverything: the stories between them promise every
// action code and every band.
func TestStoriesCoverEverything(t *testing.T) {
	codes, bands := map[string]bool{}, map[string]bool{}
	for _, s := range demo.Stories() {
		bands[s.Band] = true
		for _, a := range s.Actions {
			codes[a] = true
		}
	}
	for _, c := range allActions {
		if !codes[c] {
			t.Errorf("no story raises %s", c)
		}
	}
	for _, b := range []string{"proactive", "mixed", "reactive"} {
		if !bands[b] {
			t.Errorf("no story lands in the %s band", b)
		}
	}
}

// TestStoriesHold generates the portfolio for several seeds and days and
// checks each organisation raises exactly its story's actions and lands in
// its story's band. TAMLEDGER_DEMO_WIDE=1 runs a wide grid (60 seeds, a day
// every 23 days over four years; about a minute) and logs each
// organisation's range of scores, to see the margins when tuning a story.
func TestStoriesHold(t *testing.T) {
	days := []string{"2026-05-15", "2026-01-01", "2025-12-31", "2026-03-31", "2026-04-01", "2026-07-01",
		"2026-09-30", "2027-02-28", "2024-02-29", "2025-08-17"}
	seeds := []int64{1, 2, 3, 42}
	wide := os.Getenv("TAMLEDGER_DEMO_WIDE") != ""
	if wide {
		days, seeds = nil, nil
		for d := tamledger.MustDate("2024-01-01"); d.Year < 2028; d = d.AddDays(23) {
			days = append(days, d.String())
		}
		for s := range int64(60) {
			seeds = append(seeds, s+1)
		}
	}
	stories := demo.Stories()
	lo, hi := map[string]int{}, map[string]int{}
	for _, seed := range seeds {
		for _, day := range days {
			asOf := tamledger.MustDate(day)
			for i, l := range ledgers(demo.Generate(seed, asOf)) {
				s := stories[i]
				if got := actions(l, asOf); !slices.Equal(got, s.Actions) {
					t.Errorf("seed %d, %s, %s: actions %v, want %v", seed, day, s.Org, got, s.Actions)
				}
				score, band, parts := health(l, asOf)
				if band != s.Band {
					t.Errorf("seed %d, %s, %s: health %d (%s), want the %s band; %s", seed, day, s.Org, score, band, s.Band, parts)
				}
				if v, ok := lo[s.Org]; !ok || score < v {
					lo[s.Org] = score
				}
				hi[s.Org] = max(hi[s.Org], score)
			}
		}
	}
	if wide {
		for _, s := range stories {
			t.Logf("%-20s %-9s scores %3d..%3d", s.Org, s.Band, lo[s.Org], hi[s.Org])
		}
	}
}

// TestSimpleConditions names the simplest conditions outright, so that a
// failure says which ingredient of the portfolio went missing.
func TestSimpleConditions(t *testing.T) {
	recs := demo.Generate(1, asOf)
	ls := ledgers(recs)
	has := func(what string, f func(l *tamledger.Ledger) bool) {
		t.Helper()
		if !slices.ContainsFunc(ls, f) {
			t.Errorf("no organisation with %s", what)
		}
	}
	has("no charter", func(l *tamledger.Ledger) bool { return len(l.Charters) == 0 })
	has("a TAM without a portfolio size", func(l *tamledger.Ledger) bool { return l.Org.AccountTeam.TAM.PortfolioSize == nil })
	has("no backup TAM", func(l *tamledger.Ledger) bool { return l.Org.AccountTeam.BackupTAM == nil })
	event := func(lo, hi int) func(l *tamledger.Ledger) bool {
		return func(l *tamledger.Ledger) bool {
			return slices.ContainsFunc(l.Events, func(e tamledger.Event) bool {
				d := asOf.DaysUntil(e.Date)
				return d >= lo && d <= hi && e.IEMRequestedOn == nil
			})
		}
	}
	has("an event 0-13 days ahead without IEM", event(0, 13))
	has("an event 14-30 days ahead without IEM", event(14, 30))
	has("a past event with IEM", func(l *tamledger.Ledger) bool {
		return slices.ContainsFunc(l.Events, func(e tamledger.Event) bool { return e.Date.Before(asOf) && e.IEMRequestedOn != nil })
	})
	has("an unacknowledged reassignment request at least 30 days old", func(l *tamledger.Ledger) bool {
		return slices.ContainsFunc(l.Reassignments, func(r tamledger.ReassignmentRequest) bool {
			return r.AcknowledgedOn == nil && r.ResolvedOn == nil && r.RequestedOn.DaysUntil(asOf) >= 30
		})
	})
	has("an EDP ending within 180 days", func(l *tamledger.Ledger) bool {
		return l.Org.EDP != nil && asOf.DaysUntil(l.Org.EDP.End) >= 0 && asOf.DaysUntil(l.Org.EDP.End) <= 180
	})
	has("a primary workload without a WAR in the last 365 days", func(l *tamledger.Ledger) bool {
		return slices.Contains(actions(l, asOf), "war-overdue")
	})
	has("at least two senior-TAM drivers and an associate or tam TAM", func(l *tamledger.Ledger) bool {
		return slices.Contains(actions(l, asOf), "senior-tam-request")
	})
	has("a charter lacking minimum terms", func(l *tamledger.Ledger) bool {
		c := charterOn(l, asOf)
		return c != nil && (!c.BackupTAM || len(c.EscalationPaths) == 0)
	})
	has("a portfolio above 45", func(l *tamledger.Ledger) bool {
		p := l.Org.AccountTeam.TAM.PortfolioSize
		return p != nil && *p > 45
	})
}
