package score_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

// A second, deliberately naive reading of SPEC §4 (escalation
// responsiveness), §5 and §9 (the fourteen next actions), written from the
// text of the spec and, where the spec leaves a choice open,
// docs/scorecard.md — not from actions.go. Dates are walked one day at a
// time, ratios are floats, sets are maps. TestActionsAgainstModel checks
// score.Scorecard's responsiveness and score.Actions against it on random
// ledgers.

// ---- calendar, one day at a time ----------------------------------------

// mDay is a date as a comparable number: 2026-05-20 is 20260520.
func mDay(d tamledger.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

func mNext(d tamledger.Date) tamledger.Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day+1, 12, 0, 0, 0, time.UTC).Date()
	return tamledger.Date{Year: y, Month: m, Day: dd}
}

func mPrev(d tamledger.Date) tamledger.Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day-1, 12, 0, 0, 0, time.UTC).Date()
	return tamledger.Date{Year: y, Month: m, Day: dd}
}

// mWalk steps n days forward (n < 0: back), one day at a time.
func mWalk(d tamledger.Date, n int) tamledger.Date {
	for ; n > 0; n-- {
		d = mNext(d)
	}
	for ; n < 0; n++ {
		d = mPrev(d)
	}
	return d
}

// mIn reports whether d lies in [from, to], both ends included.
func mIn(d, from, to tamledger.Date) bool { return mDay(d) >= mDay(from) && mDay(d) <= mDay(to) }

// mWindowFrom is the first day of the trailing window [asOf − 1 year + 1
// day, asOf]; a year back from 29 February is 28 February
// (docs/scorecard.md, "Decision — 29 February").
func mWindowFrom(asOf tamledger.Date) tamledger.Date {
	back := tamledger.Date{Year: asOf.Year - 1, Month: asOf.Month, Day: asOf.Day}
	if asOf.Month == time.February && asOf.Day == 29 {
		back.Day = 28
	}
	return mNext(back)
}

// mDaysAhead is the d with asOf + d days = target for 0 ≤ d ≤ limit, found
// by walking; ok is false when target is before asOf or further than limit.
func mDaysAhead(asOf, target tamledger.Date, limit int) (d int, ok bool) {
	day := asOf
	for d = 0; d <= limit; d++ {
		if day == target {
			return d, true
		}
		day = mNext(day)
	}
	return 0, false
}

// mCharterOn is the charter version in force on d: the latest with
// effective ≤ d; of two with the same effective date, the one whose id
// sorts last (docs/scorecard.md). nil before the first version.
func mCharterOn(cs []tamledger.Charter, d tamledger.Date) *tamledger.Charter {
	var in *tamledger.Charter
	for i := range cs {
		c := &cs[i]
		if mDay(c.Effective) > mDay(d) {
			continue
		}
		if in == nil || mDay(c.Effective) > mDay(in.Effective) ||
			(c.Effective == in.Effective && c.ID > in.ID) {
			in = c
		}
	}
	return in
}

// ---- SPEC §4: escalation responsiveness --------------------------------

type mResponsiveness struct {
	value                    *float64
	counted, within, pending int
}

// modelResponsiveness: "cases opened in the window whose severity has a
// response target in the charter and whose TAM engagement came within it /
// all such cases; null with none". A case counts against the charter in
// force on the date it was opened (organisation's zone) and is within
// target when tamEngagedAt − openedAt ≤ tamResponseHours. Pending
// (docs/scorecard.md): no tamEngagedAt and the target had not yet passed at
// the end of asOf.
func modelResponsiveness(l *tamledger.Ledger, asOf tamledger.Date) mResponsiveness {
	loc := time.UTC
	if l.Org.Timezone != "" {
		var err error
		if loc, err = time.LoadLocation(l.Org.Timezone); err != nil {
			panic(err)
		}
	}
	from := mWindowFrom(asOf)
	after := mNext(asOf)
	endOfAsOf := time.Date(after.Year, after.Month, after.Day, 0, 0, 0, 0, loc)
	var m mResponsiveness
	for _, k := range l.Cases {
		y, mo, d := k.OpenedAt.In(loc).Date()
		opened := tamledger.Date{Year: y, Month: mo, Day: d}
		if !mIn(opened, from, asOf) {
			continue
		}
		ch := mCharterOn(l.Charters, opened)
		if ch == nil {
			continue
		}
		hours, has := 0.0, false
		for _, p := range ch.EscalationPaths {
			if p.Severity == k.Severity {
				hours, has = p.TAMResponseHours, true
			}
		}
		if !has {
			continue
		}
		m.counted++
		if k.TAMEngagedAt != nil {
			if k.TAMEngagedAt.Sub(k.OpenedAt).Hours() <= hours {
				m.within++
			}
		} else if endOfAsOf.Sub(k.OpenedAt).Hours() <= hours {
			m.pending++
		}
	}
	if m.counted > 0 {
		v := float64(m.within) / float64(m.counted)
		m.value = &v
	}
	return m
}

// ---- SPEC §5, §9: next actions -----------------------------------------

type mAction struct{ code, subject string }

// mSeverity is the table of docs/scorecard.md, "Next actions".
var mSeverity = map[string]string{
	"iem-too-late":             "critical",
	"no-charter":               "high",
	"war-overdue":              "high",
	"iem-request-now":          "high",
	"reassignment-suggested":   "high",
	"reassignment-escalate":    "high",
	"charter-missing-term":     "medium",
	"cost-review-unquantified": "medium",
	"edp-renewal-prep":         "medium",
	"no-backup-tam":            "medium",
	"portfolio-rebalance":      "medium",
	"senior-tam-request":       "medium",
	"specialist-intro":         "medium",
	"portfolio-unknown":        "low",
}

// mCodes are the fourteen codes in the order of the SPEC §5 table.
var mCodes = []string{"war-overdue", "charter-missing-term", "no-charter", "iem-request-now", "iem-too-late",
	"reassignment-suggested", "reassignment-escalate", "portfolio-unknown", "portfolio-rebalance",
	"senior-tam-request", "no-backup-tam", "specialist-intro", "cost-review-unquantified", "edp-renewal-prep"}

// mComplex are the complex-category services of SPEC §9, compared
// case-insensitively with the whole name.
var mComplex = []string{"SageMaker", "Bedrock", "Comprehend", "Rekognition", "EKS", "ECS", "Fargate",
	"EMR", "Glue", "Redshift", "Kinesis", "MSK", "OpenSearch", "Athena"}

func mIsComplex(service string) bool {
	for _, c := range mComplex {
		if strings.EqualFold(c, service) {
			return true
		}
	}
	return false
}

// mBelow is "x < limit" for ratios of small whole numbers computed in
// floats: a value within 1e-9 of the limit is the limit (exactly 0.6 is not
// below 0.6).
func mBelow(x, limit float64) bool { return x < limit-1e-9 }

// mQuarterAdherence is the charter adherence over [from, to]: per
// obligation on the scorecard, (met + 0.5·late) / (met + late + missed) over
// its periods (all series) whose end lies in the range, with their statuses
// as of asOf; the mean of the non-null ones; nil when all are null.
func mQuarterAdherence(card *score.Card, from, to tamledger.Date) *float64 {
	sum, n := 0.0, 0
	for _, ob := range card.Obligations {
		num, den := 0.0, 0.0
		for _, s := range ob.Series {
			for _, p := range s.Periods {
				if !mIn(p.End, from, to) {
					continue
				}
				switch p.Status {
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
			sum += num / den
			n++
		}
	}
	if n == 0 {
		return nil
	}
	v := sum / float64(n)
	return &v
}

// mLastTwoQuarters are the last two calendar quarters that ended on or
// before asOf (a quarter ending on asOf counts), most recent first, as
// [from, to] pairs.
func mLastTwoQuarters(asOf tamledger.Date) [2][2]tamledger.Date {
	isQuarterEnd := func(d tamledger.Date) bool {
		n := mNext(d)
		return n.Day == 1 && (n.Month == 1 || n.Month == 4 || n.Month == 7 || n.Month == 10)
	}
	var qs [2][2]tamledger.Date
	end := asOf
	for i := range qs {
		for !isQuarterEnd(end) {
			end = mPrev(end)
		}
		start := end
		for !(start.Day == 1 && (start.Month == 1 || start.Month == 4 || start.Month == 7 || start.Month == 10)) {
			start = mPrev(start)
		}
		qs[i] = [2]tamledger.Date{start, end}
		end = mPrev(start)
	}
	return qs
}

// modelActions is the set of (code, subject) the spec asks for, with the
// severity docs/scorecard.md gives each. card is score.Scorecard(l, asOf):
// the model takes the trailing charter adherence and the periods from it.
func modelActions(l *tamledger.Ledger, asOf tamledger.Date, card *score.Card) map[mAction]string {
	out := map[mAction]string{}
	fire := func(code, subject string) { out[mAction{code, subject}] = mSeverity[code] }
	o := l.Org
	cur := mCharterOn(l.Charters, asOf)
	back90, back365 := mWalk(asOf, -90), mWalk(asOf, -365)
	quantified := func(engagementID string) bool {
		for _, r := range l.Recommendations {
			if r.Engagement == engagementID && r.EstimatedMonthlySavings != nil && r.EstimatedMonthlySavings.IsPositive() {
				return true
			}
		}
		return false
	}

	// war-overdue: a primary workload with no well-architected-review
	// engagement naming it dated in [asOf − 365 days, asOf].
	for _, w := range o.Workloads {
		if !w.Primary {
			continue
		}
		had := false
		for _, e := range l.Engagements {
			if e.Service == "well-architected-review" && slices.Contains(e.Workloads, w.ID) && mIn(e.Date, back365, asOf) {
				had = true
			}
		}
		if !had {
			fire("war-overdue", w.ID)
		}
	}

	// no-charter / charter-missing-term (on the charter in force at asOf).
	if cur == nil {
		fire("no-charter", o.ID)
	} else {
		has := func(ok func(tamledger.Obligation) bool) bool { return slices.ContainsFunc(cur.Obligations, ok) }
		if !has(func(ob tamledger.Obligation) bool { return ob.Service == "strategy-call" && ob.Cadence == "monthly" }) {
			fire("charter-missing-term", "monthly-strategy-call")
		}
		if !has(func(ob tamledger.Obligation) bool {
			return ob.Service == "cost-review" && (ob.Cadence == "quarterly" || ob.Cadence == "monthly") &&
				ob.Requires == "quantified-recommendations"
		}) {
			fire("charter-missing-term", "quarterly-cost-review")
		}
		if !has(func(ob tamledger.Obligation) bool {
			return ob.Service == "well-architected-review" && ob.Scope == "each-primary-workload" &&
				slices.Contains([]string{"annual", "semiannual", "quarterly", "monthly"}, ob.Cadence)
		}) {
			fire("charter-missing-term", "annual-war")
		}
		if !has(func(ob tamledger.Obligation) bool {
			return ob.Service == "security-review" && slices.Contains([]string{"semiannual", "quarterly", "monthly"}, ob.Cadence)
		}) {
			fire("charter-missing-term", "semiannual-security-review")
		}
		if !cur.BackupTAM {
			fire("charter-missing-term", "backup-tam")
		}
		if len(cur.EscalationPaths) == 0 {
			fire("charter-missing-term", "escalation-paths")
		}
	}

	// iem-request-now / iem-too-late: an event d days after asOf, 0 ≤ d ≤
	// recommendedLeadDays, no iemRequestedOn on or before asOf.
	minLead, recLead := 14, 30
	if cur != nil && cur.IEM != nil {
		if cur.IEM.MinimumLeadDays != nil {
			minLead = *cur.IEM.MinimumLeadDays
		}
		if cur.IEM.RecommendedLeadDays != nil {
			recLead = *cur.IEM.RecommendedLeadDays
		}
	}
	for _, ev := range l.Events {
		d, ok := mDaysAhead(asOf, ev.Date, recLead)
		if !ok || (ev.IEMRequestedOn != nil && mDay(*ev.IEMRequestedOn) <= mDay(asOf)) {
			continue
		}
		if d < minLead {
			fire("iem-too-late", ev.ID)
		} else {
			fire("iem-request-now", ev.ID)
		}
	}

	// reassignment-suggested: charter adherence below 0.6 (not null) in each
	// of the last two quarters, and no request without a resolvedOn.
	open := false
	for _, r := range l.Reassignments {
		if r.ResolvedOn == nil {
			open = true
		}
	}
	qs := mLastTwoQuarters(asOf)
	a0, a1 := mQuarterAdherence(card, qs[0][0], qs[0][1]), mQuarterAdherence(card, qs[1][0], qs[1][1])
	if !open && a0 != nil && a1 != nil && mBelow(*a0, 0.6) && mBelow(*a1, 0.6) {
		fire("reassignment-suggested", o.ID)
	}

	// reassignment-escalate: not acknowledged, resolved nor escalated, and
	// asOf ≥ requestedOn + 30 days.
	for _, r := range l.Reassignments {
		if r.AcknowledgedOn == nil && r.ResolvedOn == nil && r.EscalatedOn == nil &&
			mDay(asOf) >= mDay(mWalk(r.RequestedOn, 30)) {
			fire("reassignment-escalate", r.ID)
		}
	}

	// portfolio-unknown / portfolio-rebalance / senior-tam-request / no-backup-tam
	var tam *tamledger.TAM
	var backup *tamledger.Person
	if o.AccountTeam != nil {
		tam, backup = o.AccountTeam.TAM, o.AccountTeam.BackupTAM
	}
	if tam == nil || tam.PortfolioSize == nil {
		fire("portfolio-unknown", o.ID)
	}
	if tam != nil && tam.PortfolioSize != nil && *tam.PortfolioSize > 45 &&
		card.Adherence != nil && mBelow(*card.Adherence, 0.8) {
		fire("portfolio-rebalance", o.ID)
	}
	drivers := 0
	anyRegulated, anyComplex, primaries := false, false, 0
	for _, w := range o.Workloads {
		anyRegulated = anyRegulated || w.Regulated
		anyComplex = anyComplex || slices.ContainsFunc(w.Services, mIsComplex)
		if w.Primary {
			primaries++
		}
	}
	for _, driver := range []bool{anyRegulated, o.Complexity != nil && o.Complexity.ActiveMigration,
		o.Complexity != nil && o.Complexity.MultiRegion, anyComplex, primaries >= 5} {
		if driver {
			drivers++
		}
	}
	if drivers >= 2 && tam != nil && (tam.Seniority == "associate" || tam.Seniority == "tam") {
		fire("senior-tam-request", o.ID)
	}
	if backup == nil || (backup.Name == "" && backup.Email == "") {
		fire("no-backup-tam", o.ID)
	}

	// specialist-intro: a workload using a complex-category service with no
	// specialist-deep-dive engagement naming it in [asOf − 90 days, asOf].
	for _, w := range o.Workloads {
		if !slices.ContainsFunc(w.Services, mIsComplex) {
			continue
		}
		had := false
		for _, e := range l.Engagements {
			if e.Service == "specialist-deep-dive" && slices.Contains(e.Workloads, w.ID) && mIn(e.Date, back90, asOf) {
				had = true
			}
		}
		if !had {
			fire("specialist-intro", w.ID)
		}
	}

	// cost-review-unquantified: a cost-review engagement in [asOf − 90 days,
	// asOf] that no recommendation with an estimated saving above zero names.
	for _, e := range l.Engagements {
		if e.Service == "cost-review" && mIn(e.Date, back90, asOf) && !quantified(e.ID) {
			fire("cost-review-unquantified", e.ID)
		}
	}

	// edp-renewal-prep: 0 ≤ edp.end − asOf ≤ 180.
	if o.EDP != nil {
		if _, ok := mDaysAhead(asOf, o.EDP.End, 180); ok {
			fire("edp-renewal-prep", o.ID)
		}
	}
	return out
}

// ---- random ledgers ----------------------------------------------------

var mZones = []string{"", "UTC", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"}

var mServices = []string{"EC2", "RDS", "S3", "Lambda", "DynamoDB", "eks", "EKS", "Amazon EKS", "SageMaker",
	"sagemaker", "Bedrock", "ECS", "fargate", "Glue", "REDSHIFT", "opensearch", "athena", "MSK", "Kinesis",
	"Kinesis Data Streams", "EMR", "Comprehend", "rekognition", "AWS Glue"}

func mPick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func mRandomLedger(r *rand.Rand, n int) (*tamledger.Ledger, tamledger.Date) {
	asOf := mWalk(tamledger.Date{Year: 2024, Month: 1, Day: 1}, r.IntN(4*365+1))
	if r.IntN(8) == 0 {
		asOf = tamledger.MustDate(mPick(r, "2024-02-29", "2028-02-29", "2025-02-28", "2027-02-28", "2026-03-31",
			"2026-03-30", "2025-12-31", "2027-06-30", "2025-10-01", "2024-03-01"))
	}
	at := func(days int) tamledger.Date { return mWalk(asOf, days) }
	atp := func(days int) *tamledger.Date { d := at(days); return &d }

	o := &tamledger.Organization{ID: fmt.Sprintf("org-%d", n), Timezone: mPick(r, mZones...)}
	for i := range r.IntN(8) {
		w := tamledger.Workload{ID: fmt.Sprintf("w%d", i), Primary: r.IntN(3) > 0, Regulated: r.IntN(8) == 0}
		for range r.IntN(3) {
			w.Services = append(w.Services, mPick(r, mServices...))
		}
		o.Workloads = append(o.Workloads, w)
	}
	if r.IntN(2) == 0 {
		o.Complexity = &tamledger.Complexity{ActiveMigration: r.IntN(3) == 0, MultiRegion: r.IntN(3) == 0}
	}
	if r.IntN(10) > 0 {
		o.AccountTeam = &tamledger.AccountTeam{}
		if r.IntN(6) > 0 {
			o.AccountTeam.TAM = &tamledger.TAM{Name: "T", Seniority: mPick(r, "", "associate", "tam", "tam", "senior", "principal"),
				PortfolioSize: mPick(r, nil, intp(30), intp(45), intp(46), intp(60), intp(60))}
		}
		o.AccountTeam.BackupTAM = mPick(r, nil, &tamledger.Person{Name: "B"}, &tamledger.Person{Email: "b@example.com"},
			&tamledger.Person{}, &tamledger.Person{Role: "backup"}, &tamledger.Person{Name: "B", Email: "b@example.com"})
	}
	if r.IntN(2) == 0 {
		end := at(mPick(r, -1, 0, 1, 90, 179, 180, 181, 400, -200))
		o.EDP = &tamledger.EDP{Start: tamledger.Date{Year: end.Year - 3, Month: 1, Day: 1}, End: end}
	}
	workloadIDs := func() []string {
		var ids []string
		for _, w := range o.Workloads {
			if r.IntN(2) == 0 {
				ids = append(ids, w.ID)
			}
		}
		return ids
	}
	l := &tamledger.Ledger{Org: o}

	// Charter versions: 0–3, some effective after asOf, some on the same
	// day, obligations whose ids recur across versions.
	usedIDs := map[string]bool{}
	for range r.IntN(4) {
		c := tamledger.Charter{Effective: at(mPick(r, -r.IntN(900), -r.IntN(400), -r.IntN(200), 1+r.IntN(60)))}
		if r.IntN(2) == 0 {
			c.Effective.Day = 1
		}
		if len(l.Charters) > 0 && r.IntN(8) == 0 {
			c.Effective = l.Charters[r.IntN(len(l.Charters))].Effective
		}
		for c.ID == "" || usedIDs[c.ID] {
			c.ID = fmt.Sprintf("ch-%c", 'a'+rune(r.IntN(26)))
		}
		usedIDs[c.ID] = true
		c.BackupTAM = r.IntN(2) == 0
		for _, sev := range tamledger.Severities.Values() {
			if r.IntN(2) == 0 {
				c.EscalationPaths = append(c.EscalationPaths, tamledger.EscalationPath{Severity: sev,
					TAMResponseHours: mPick(r, 0, 0.1, 0.25, 0.5, 1, 1, 1.25, 1.5, 2, 4, 4, 8, 24, 1.0/3)})
			}
		}
		if r.IntN(4) == 0 {
			lead := mPick(r, [2]*int{nil, nil}, [2]*int{intp(7), intp(21)}, [2]*int{intp(10), nil},
				[2]*int{nil, intp(45)}, [2]*int{intp(0), intp(14)}, [2]*int{intp(30), intp(30)})
			c.IEM = &tamledger.IEMLead{MinimumLeadDays: lead[0], RecommendedLeadDays: lead[1]}
		}
		obIDs := map[string]bool{}
		add := func(ob tamledger.Obligation) {
			if !obIDs[ob.ID] {
				obIDs[ob.ID] = true
				c.Obligations = append(c.Obligations, ob)
			}
		}
		if r.IntN(3) == 0 { // the four terms of the seed, each possibly bent
			add(tamledger.Obligation{ID: "sc", Service: "strategy-call", Cadence: mPick(r, "monthly", "monthly", "quarterly"), GraceDays: mPick(r, 0, 7)})
			add(tamledger.Obligation{ID: "cr", Service: "cost-review", Cadence: mPick(r, "quarterly", "monthly", "semiannual"),
				Requires: mPick(r, "quantified-recommendations", "quantified-recommendations", "")})
			add(tamledger.Obligation{ID: "war", Service: "well-architected-review", Cadence: mPick(r, "annual", "semiannual"),
				Scope: mPick(r, "each-primary-workload", "each-primary-workload", "organization", "")})
			add(tamledger.Obligation{ID: "sec", Service: "security-review", Cadence: mPick(r, "semiannual", "quarterly", "annual")})
		}
		for range r.IntN(5) {
			svc := mPick(r, "strategy-call", "cost-review", "well-architected-review", "security-review", "specialist-deep-dive", "business-review")
			add(tamledger.Obligation{ID: mPick(r, "sc", "cr", "war", "sec", "o1", "o2", svc), Service: svc,
				Cadence: mPick(r, tamledger.Cadences.Values()...), Scope: mPick(r, "", "organization", "each-primary-workload"),
				GraceDays: mPick(r, 0, 0, 7, 15, 45), Requires: mPick(r, "", "", "quantified-recommendations")})
		}
		l.Charters = append(l.Charters, c)
	}
	// One ledger in eight: five quarterly obligations, each met or missed
	// per quarter, so that quarter adherences of exactly 0.6 and trailing
	// adherences of exactly 0.8 come up.
	fivefold := r.IntN(8) == 0
	if fivefold {
		c := tamledger.Charter{ID: "five", Effective: tamledger.Date{Year: asOf.Year - 2, Month: 1, Day: 1}, BackupTAM: true}
		for _, svc := range []string{"strategy-call", "cost-review", "security-review", "business-review", "other"} {
			c.Obligations = append(c.Obligations, tamledger.Obligation{ID: svc, Service: svc, Cadence: "quarterly"})
		}
		l.Charters = []tamledger.Charter{c}
	}
	// By effective date, as the store gives them; ties in any order.
	r.Shuffle(len(l.Charters), func(i, j int) { l.Charters[i], l.Charters[j] = l.Charters[j], l.Charters[i] })
	sort.SliceStable(l.Charters, func(i, j int) bool { return l.Charters[i].Effective.Before(l.Charters[j].Effective) })

	// Engagements of every service, many near the 365- and 90-day edges.
	for i := range r.IntN(60) {
		day := mPick(r, -r.IntN(700), -r.IntN(300), -r.IntN(120), -366, -365, -364, -91, -90, -89, -1, 0, 1, r.IntN(30))
		e := tamledger.Engagement{ID: fmt.Sprintf("e%03d", i), Date: at(day), InitiatedBy: mPick(r, "tam", "customer"),
			Service: mPick(r, append([]string{"strategy-call", "strategy-call", "cost-review", "cost-review",
				"well-architected-review", "security-review", "specialist-deep-dive"}, tamledger.Services.Values()...)...),
			Workloads: workloadIDs()}
		l.Engagements = append(l.Engagements, e)
		for range mPick(r, 0, 0, 1, 2) {
			rec := tamledger.Recommendation{ID: fmt.Sprintf("r%d", len(l.Recommendations)), RaisedOn: at(day + r.IntN(40)),
				Engagement: e.ID, Origin: "tam", Status: "open", EstimatedMonthlySavings: mPick(r, nil, money("0"), money("0"), money("250"))}
			l.Recommendations = append(l.Recommendations, rec)
		}
	}
	if fivefold {
		for q := tamledger.NewDate(asOf.Year-2, 2, 15); mDay(q) <= mDay(asOf); q = tamledger.NewDate(q.Year, q.Month+3, 15) {
			for _, ob := range l.Charters[0].Obligations {
				if r.IntN(10) < 7 {
					l.Engagements = append(l.Engagements, tamledger.Engagement{ID: fmt.Sprintf("e%03d", len(l.Engagements)),
						Date: q, Service: ob.Service, InitiatedBy: "tam"})
				}
			}
		}
	}
	if r.IntN(2) == 0 { // some engagement dates out of order
		r.Shuffle(len(l.Engagements), func(i, j int) { l.Engagements[i], l.Engagements[j] = l.Engagements[j], l.Engagements[i] })
	}

	// Events 0 to 45 days away and in the past; IEM absent, before, on or
	// after asOf.
	for i := range r.IntN(4) {
		ev := tamledger.Event{ID: fmt.Sprintf("ev%d", i), Date: at(mPick(r, -5, -1, 0, 1, 6, 7, 9, 10, 13, 14, 15, 20, 21, 22, 29, 30, 31, 44, 45, 46))}
		ev.IEMRequestedOn = mPick(r, nil, nil, atp(-10), atp(0), atp(1), atp(3))
		l.Events = append(l.Events, ev)
	}

	// Reassignment requests.
	if r.IntN(2) == 0 {
		for i := range 1 + r.IntN(3) {
			rr := tamledger.ReassignmentRequest{ID: fmt.Sprintf("rr%d", i), RequestedOn: at(mPick(r, -400, -100, -31, -30, -29, -10, 0, 5))}
			date := func() *tamledger.Date {
				if r.IntN(3) > 0 {
					return nil
				}
				return atp(mPick(r, -200, -20, -1, 0, 1, 20))
			}
			rr.AcknowledgedOn, rr.ResolvedOn, rr.EscalatedOn = date(), date(), date()
			if r.IntN(3) == 0 {
				rr.ResolvedOn = atp(mPick(r, -50, 0, 3))
			}
			l.Reassignments = append(l.Reassignments, rr)
		}
	}

	// Cases: instants near midnight in several zones, near the window's
	// first day and asOf; with and without a TAM engagement.
	from := mWindowFrom(asOf)
	for i := range r.IntN(12) {
		day := mPick(r, mWalk(from, -1), from, mNext(from), mPrev(asOf), mPrev(asOf), asOf, asOf, asOf, mNext(asOf),
			at(-r.IntN(400)), at(-r.IntN(400)), at(-r.IntN(60)))
		zone := time.UTC
		if z := mPick(r, mZones...); z != "" {
			zone, _ = time.LoadLocation(z)
		}
		hms := mPick(r, [3]int{0, 0, 0}, [3]int{0, 5, 0}, [3]int{23, 59, 59}, [3]int{23, 30, 0}, [3]int{12, 0, 0}, [3]int{r.IntN(24), r.IntN(60), 0})
		opened := time.Date(day.Year, day.Month, day.Day, hms[0], hms[1], hms[2], 0, zone).UTC()
		k := tamledger.Case{ID: fmt.Sprintf("k%d", i), Severity: mPick(r, tamledger.Severities.Values()...), OpenedAt: opened}
		switch r.IntN(10) {
		case 0, 1, 2, 3: // no TAM engagement recorded
		case 4: // a nanosecond around some charter's target for the severity
			for _, c := range l.Charters {
				for _, p := range c.EscalationPaths {
					if p.Severity == k.Severity {
						engaged := opened.Add(time.Duration(p.TAMResponseHours*float64(time.Hour)) + mPick(r, -time.Nanosecond, 0, time.Nanosecond))
						k.TAMEngagedAt = &engaged
					}
				}
			}
		default:
			engaged := opened.Add(mPick(r, -10*time.Minute, 0, 6*time.Minute, 15*time.Minute, 20*time.Minute, 30*time.Minute,
				time.Hour-time.Second, time.Hour, time.Hour+time.Second, 75*time.Minute, 90*time.Minute, 2*time.Hour,
				4*time.Hour, 4*time.Hour+time.Minute, 8*time.Hour, 24*time.Hour, 25*time.Hour, 72*time.Hour))
			k.TAMEngagedAt = &engaged
		}
		l.Cases = append(l.Cases, k)
	}
	return l, asOf
}

// mValidate checks each generated record with its own Validate, so the
// random ledgers are ledgers a user could import.
func mValidate(t *testing.T, l *tamledger.Ledger) {
	t.Helper()
	var vs []tamledger.Validator
	vs = append(vs, l.Org)
	for i := range l.Charters {
		vs = append(vs, &l.Charters[i])
	}
	for i := range l.Engagements {
		vs = append(vs, &l.Engagements[i])
	}
	for i := range l.Cases {
		vs = append(vs, &l.Cases[i])
	}
	for i := range l.Events {
		vs = append(vs, &l.Events[i])
	}
	for i := range l.Reassignments {
		vs = append(vs, &l.Reassignments[i])
	}
	for i := range l.Recommendations {
		vs = append(vs, &l.Recommendations[i])
	}
	for _, v := range vs {
		if err := v.Validate(); err != nil {
			t.Fatalf("generated an invalid record %+v: %v", v, err)
		}
	}
}

// ---- printing a disagreement -------------------------------------------

func mDescribe(l *tamledger.Ledger, asOf tamledger.Date) string {
	var b strings.Builder
	o := l.Org
	fmt.Fprintf(&b, "  asOf %s, org %s, tz %q, window from %s\n", asOf, o.ID, o.Timezone, mWindowFrom(asOf))
	for _, w := range o.Workloads {
		fmt.Fprintf(&b, "  workload %s primary=%v regulated=%v services=%q\n", w.ID, w.Primary, w.Regulated, w.Services)
	}
	if o.Complexity != nil {
		fmt.Fprintf(&b, "  complexity %+v\n", *o.Complexity)
	}
	if t := o.AccountTeam; t != nil {
		if t.TAM != nil {
			ps := "nil"
			if t.TAM.PortfolioSize != nil {
				ps = fmt.Sprint(*t.TAM.PortfolioSize)
			}
			fmt.Fprintf(&b, "  tam seniority=%q portfolio=%s\n", t.TAM.Seniority, ps)
		}
		if t.BackupTAM != nil {
			fmt.Fprintf(&b, "  backupTam %+v\n", *t.BackupTAM)
		}
	}
	if o.EDP != nil {
		fmt.Fprintf(&b, "  edp end %s\n", o.EDP.End)
	}
	for _, c := range l.Charters {
		fmt.Fprintf(&b, "  charter %s effective %s backupTam=%v paths=%v", c.ID, c.Effective, c.BackupTAM, c.EscalationPaths)
		if c.IEM != nil {
			fmt.Fprintf(&b, " iem=%v/%v", ip(c.IEM.MinimumLeadDays), ip(c.IEM.RecommendedLeadDays))
		}
		b.WriteString("\n")
		for _, ob := range c.Obligations {
			fmt.Fprintf(&b, "    %s %s %s scope=%q grace=%d requires=%q\n", ob.ID, ob.Service, ob.Cadence, ob.Scope, ob.GraceDays, ob.Requires)
		}
	}
	es := slices.Clone(l.Engagements)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Date.Before(es[j].Date) })
	for _, e := range es {
		q := ""
		for _, r := range l.Recommendations {
			if r.Engagement == e.ID && r.EstimatedMonthlySavings != nil {
				q += " rec:" + r.EstimatedMonthlySavings.String()
			}
		}
		fmt.Fprintf(&b, "  engagement %s %s %s %v%s\n", e.ID, e.Date, e.Service, e.Workloads, q)
	}
	for _, ev := range l.Events {
		fmt.Fprintf(&b, "  event %s on %s iemRequestedOn %v\n", ev.ID, ev.Date, ev.IEMRequestedOn)
	}
	for _, rr := range l.Reassignments {
		fmt.Fprintf(&b, "  request %s on %s ack %v resolved %v escalated %v\n", rr.ID, rr.RequestedOn, rr.AcknowledgedOn, rr.ResolvedOn, rr.EscalatedOn)
	}
	for _, k := range l.Cases {
		eng := "none"
		if k.TAMEngagedAt != nil {
			eng = k.TAMEngagedAt.Sub(k.OpenedAt).String() + " later"
		}
		fmt.Fprintf(&b, "  case %s %s opened %s, TAM %s\n", k.ID, k.Severity, k.OpenedAt.Format(time.RFC3339), eng)
	}
	return b.String()
}

// ---- the comparison ----------------------------------------------------

func TestActionsAgainstModel(t *testing.T) {
	const ledgers = 4000
	r := rand.New(rand.NewPCG(2026, 5))
	fired, silent := map[string]int{}, map[string]int{}
	responsive, pending := 0, 0
	type disagreement struct{ what, detail string }
	var diffs []disagreement
	report := func(i int, l *tamledger.Ledger, asOf tamledger.Date, what, format string, args ...any) {
		diffs = append(diffs, disagreement{what, fmt.Sprintf("ledger %d: %s\n%s", i, fmt.Sprintf(format, args...), mDescribe(l, asOf))})
	}

	for i := range ledgers {
		l, asOf := mRandomLedger(r, i)
		mValidate(t, l)
		card := score.Scorecard(l, asOf)

		// SPEC §4, escalation responsiveness.
		m := modelResponsiveness(l, asOf)
		if m.value != nil {
			responsive++
		}
		pending += m.pending
		c := card.Counts
		if !feq(card.EscalationResponsiveness, m.value) || c.Cases != m.counted || c.CasesWithinTarget != m.within || c.CasesPending != m.pending {
			report(i, l, asOf, "responsiveness", "score %s (%d/%d, pending %d), model %s (%d/%d, pending %d)",
				fptr(card.EscalationResponsiveness), c.CasesWithinTarget, c.Cases, c.CasesPending,
				fptr(m.value), m.within, m.counted, m.pending)
		}

		// SPEC §5, §9, next actions.
		want := modelActions(l, asOf, card)
		got := map[mAction]string{}
		as := score.Actions(l, asOf)
		for _, a := range as {
			k := mAction{a.Code, a.Subject}
			if _, dup := got[k]; dup {
				report(i, l, asOf, a.Code, "score lists %s %s twice", a.Code, a.Subject)
			}
			got[k] = a.Severity
		}
		rank := map[string]int{"critical": 0, "high": 1, "medium": 2, "low": 3}
		if !slices.IsSortedFunc(as, func(a, b score.Action) int {
			return strings.Compare(fmt.Sprintf("%d %s %s", rank[a.Severity], a.Code, a.Subject),
				fmt.Sprintf("%d %s %s", rank[b.Severity], b.Code, b.Subject))
		}) {
			report(i, l, asOf, "order", "actions not sorted by severity, code, subject: %v", as)
		}
		for _, code := range mCodes {
			n := 0
			for k := range want {
				if k.code == code {
					n++
				}
			}
			fired[code] += n
			if n == 0 {
				silent[code]++
			}
		}
		for k, sev := range want {
			if g, ok := got[k]; !ok {
				report(i, l, asOf, k.code, "model fires %s %s, score does not%s", k.code, k.subject, mExplain(k.code, l, asOf, card))
			} else if g != sev {
				report(i, l, asOf, k.code, "%s %s: score severity %s, model %s", k.code, k.subject, g, sev)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				report(i, l, asOf, k.code, "score fires %s %s, model does not%s", k.code, k.subject, mExplain(k.code, l, asOf, card))
			}
		}
	}

	// The random ledgers exercise every code, both ways, and the ratio.
	for _, code := range mCodes {
		t.Logf("%-25s fired %5d times; silent in %4d of %d ledgers", code, fired[code], silent[code], ledgers)
		if fired[code] < 50 || silent[code] < 200 {
			t.Errorf("%s fired %d times and was silent in %d ledgers: the random ledgers do not exercise it", code, fired[code], silent[code])
		}
	}
	t.Logf("escalation responsiveness non-null in %d of %d ledgers; %d pending cases", responsive, ledgers, pending)
	if responsive < ledgers/4 || pending < 50 {
		t.Errorf("responsiveness non-null in only %d ledgers, %d pending cases", responsive, pending)
	}

	byWhat := map[string][]string{}
	var whats []string
	for _, d := range diffs {
		if byWhat[d.what] == nil {
			whats = append(whats, d.what)
		}
		byWhat[d.what] = append(byWhat[d.what], d.detail)
	}
	sort.Strings(whats)
	for _, w := range whats {
		ds := byWhat[w]
		t.Errorf("%s: %d disagreements between score and the model; the first:", w, len(ds))
		for _, d := range ds[:min(3, len(ds))] {
			t.Log(d)
		}
	}
}

// mExplain adds what the model saw for the rules whose inputs are not all
// in the ledger dump: the quarter and trailing adherences.
func mExplain(code string, l *tamledger.Ledger, asOf tamledger.Date, card *score.Card) string {
	switch code {
	case "reassignment-suggested", "portfolio-rebalance":
		qs := mLastTwoQuarters(asOf)
		return fmt.Sprintf(" (quarters %s..%s: %s, %s..%s: %s; trailing %s)", qs[1][0], qs[1][1],
			fptr(mQuarterAdherence(card, qs[1][0], qs[1][1])), qs[0][0], qs[0][1],
			fptr(mQuarterAdherence(card, qs[0][0], qs[0][1])), fptr(card.Adherence))
	}
	return ""
}
