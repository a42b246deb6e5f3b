package demo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
)

// builder turns one orgSpec into the records of its organisation.
type builder struct {
	g          *gen
	s          *orgSpec
	asOf       date
	start      date // first day of history
	recentFrom date // first day of the recent window (far future without one)
	loc        *time.Location

	org      *tamledger.Organization
	charters []*tamledger.Charter
	engs     []*tamledger.Engagement
	recs     []*tamledger.Recommendation
	cases    []*tamledger.Case
	events   []*tamledger.Event
	reqs     []*tamledger.ReassignmentRequest

	engIDs, eventIDs ids
	acc              map[string]float64 // delivery accumulators per obligation series
	warDay           map[string]int     // day of the year each workload's WAR falls on
	initAcc, respAcc float64            // proactive and responsiveness accumulators
	contactNames     []string
}

func newBuilder(g *gen, s *orgSpec, asOf date) *builder {
	b := &builder{
		g: g, s: s, asOf: asOf,
		start:    tamledger.NewDate(asOf.Year-s.years, asOf.Month+1, 1),
		loc:      location(s.timezone),
		engIDs:   ids{},
		eventIDs: ids{},
		acc:      map[string]float64{},
		warDay:   map[string]int{},
		initAcc:  0.5,
		respAcc:  0.5,
	}
	b.recentFrom = tamledger.NewDate(9999, 1, 1)
	if s.prof.recentMonths > 0 {
		b.recentFrom = tamledger.NewDate(asOf.Year, asOf.Month-time.Month(s.prof.recentMonths), asOf.Day)
	}
	for _, c := range s.contacts {
		b.contactNames = append(b.contactNames, c.Name)
	}
	return b
}

// build generates the whole history and hands the records, in the order
// Stream documents, to fn.
func (b *builder) build(fn func(tamledger.Record) error) error {
	b.organization()
	b.charterVersions()
	b.obligations()
	b.unquantifiedReview()
	b.businessReviews()
	b.deepDives()
	b.sessions()
	b.supportCases()
	b.plannedEvents()
	b.requests()
	b.findings()
	b.topUp()
	return b.emit(fn)
}

func (b *builder) recent(d date) bool { return !d.Before(b.recentFrom) }

func (b *builder) rate(d date) float64 {
	if b.recent(d) {
		return b.s.prof.recentRate
	}
	return b.s.prof.rate
}

// auto marks an engagement whose initiator is decided at the end, in date
// order (see initiator).
const auto = ""

// initiator decides who initiated an engagement on d. It is called in date
// order over the whole history and draws by error diffusion, so that the
// share of TAM-initiated engagements in any window tracks the profile to
// within an engagement or two.
func (b *builder) initiator(d date) string {
	p := b.s.prof.proactive
	if b.recent(d) {
		p = b.s.prof.recentProactive
	}
	b.initAcc += p
	if b.initAcc >= 1 {
		b.initAcc--
		return "tam"
	}
	return "customer"
}

// withinTarget decides whether the TAM engaged a targeted case in time.
func (b *builder) withinTarget(d date) bool {
	p := b.s.prof.responsive
	if b.recent(d) {
		p = b.s.prof.recentResp
	}
	b.respAcc += p
	if b.respAcc >= 1 {
		b.respAcc--
		return true
	}
	return false
}

// Organisation and charters.

func (b *builder) organization() {
	s := b.s
	o := &tamledger.Organization{
		ID:                  s.id,
		Name:                s.name,
		Timezone:            s.timezone,
		Currency:            s.currency,
		SupportPlan:         "enterprise",
		DowntimeCostPerHour: money(s.downtime),
		Contacts:            s.contacts,
		Complexity:          s.complexity,
		Workloads:           s.workloads,
	}
	if len(s.accounts) == 0 || s.bothSpends {
		o.MonthlySpend = money(s.spend)
	}
	if len(s.accounts) > 0 {
		left := s.spend
		for i, a := range s.accounts {
			n := round(float64(s.spend)*a.share, 1000)
			if i == len(s.accounts)-1 {
				n = left
			}
			left -= n
			o.Accounts = append(o.Accounts, tamledger.Account{
				ID:           fmt.Sprintf("%012d", 100000000000+b.g.intn(900000000000)),
				Name:         a.name,
				MonthlySpend: money(n),
			})
		}
	}
	if s.edpEndDays > 0 {
		end := lastOfMonth(b.asOf.AddDays(s.edpEndDays))
		o.EDP = &tamledger.EDP{
			Start:        end.AddDays(1).AddYears(-3),
			End:          end,
			AnnualCommit: money(round(float64(s.spend)*12*0.85, 100000)),
		}
	}
	since := monthsBefore(b.asOf, s.tam.sinceMonths)
	team := &tamledger.AccountTeam{
		TAM: &tamledger.TAM{
			Name:      s.tam.name,
			Email:     s.tam.email,
			Seniority: s.tam.seniority,
			Since:     &since,
		},
		BackupTAM:      s.backup,
		AccountManager: &s.manager,
		SolutionsArch:  s.architect,
		Specialists:    s.specialists,
		Domains:        []string{"amazon.com"},
	}
	if s.tam.portfolio > 0 {
		n := s.tam.portfolio
		team.TAM.PortfolioSize = &n
	}
	o.AccountTeam = team
	b.org = o
}

func (b *builder) charterVersions() {
	for _, cs := range b.s.charters {
		eff := monthsBefore(b.asOf, cs.monthsAgo)
		agreed := eff.AddDays(-b.g.between(3, 20))
		c := &tamledger.Charter{
			ID:              fmt.Sprintf("%s-%04d-%02d", b.s.id, eff.Year, eff.Month),
			Org:             b.s.id,
			Effective:       eff,
			AgreedOn:        &agreed,
			BackupTAM:       cs.backupTAM,
			IEM:             cs.iem,
			EscalationPaths: slices.Clone(cs.paths), // the specs share their term lists
			Obligations:     slices.Clone(cs.obligations),
			Notes:           cs.notes,
		}
		if since := b.org.AccountTeam.TAM.Since; since == nil || !agreed.Before(*since) {
			c.Contacts = append(c.Contacts, tamledger.Contact{Name: b.s.tam.name, Email: b.s.tam.email, Role: "Technical Account Manager"})
		}
		if len(b.s.contacts) > 0 {
			c.Contacts = append(c.Contacts, b.s.contacts[0])
		}
		b.charters = append(b.charters, c)
	}
	slices.SortFunc(b.charters, func(x, y *tamledger.Charter) int { return x.Effective.Compare(y.Effective) })
}

// charterOn is the charter in force on d, or nil.
func (b *builder) charterOn(d date) *tamledger.Charter {
	var in *tamledger.Charter
	for _, c := range b.charters {
		if !c.Effective.After(d) {
			in = c
		}
	}
	return in
}

// Engagements.

func (b *builder) engage(d date, service, by string, workloads []string, summary string) *tamledger.Engagement {
	base := "e-" + d.String() + "-" + serviceTag[service]
	if len(workloads) == 1 && (service == "well-architected-review" || service == "specialist-deep-dive") {
		base += "-" + workloads[0]
	}
	e := &tamledger.Engagement{
		ID:          b.engIDs.next(base),
		Org:         b.s.id,
		Date:        d,
		Service:     service,
		InitiatedBy: by,
		Workloads:   workloads,
		Summary:     summary,
		Source:      sourceFor(service),
	}
	e.Attendees = append(e.Attendees, b.s.tam.name)
	if n := len(b.contactNames); n > 0 {
		e.Attendees = append(e.Attendees, b.contactNames[b.g.intn(n)])
		if service == "business-review" || service == "escalation" {
			e.Attendees = append(e.Attendees, b.contactNames[0])
			if e.Attendees[1] == e.Attendees[2] {
				e.Attendees = e.Attendees[:2]
			}
		}
	}
	b.engs = append(b.engs, e)
	return e
}

// practiceVersion is the set of obligations the TAM works to from one date
// to another: a charter version (the first one reaching back to the start
// of history, since a charter writes down what was already happening), or
// the organisation's habits when it has no charter.
type practiceVersion struct {
	from, to date
	obs      []tamledger.Obligation
}

func (b *builder) practice() []practiceVersion {
	if len(b.charters) == 0 {
		return []practiceVersion{{b.start, b.asOf, b.s.practice}}
	}
	var vs []practiceVersion
	for i, c := range b.charters {
		v := practiceVersion{from: c.Effective, to: b.asOf, obs: c.Obligations}
		if i == 0 {
			v.from = b.start
		}
		if i+1 < len(b.charters) {
			v.to = b.charters[i+1].Effective.AddDays(-1)
		}
		if !v.from.After(b.asOf) {
			vs = append(vs, v)
		}
	}
	return vs
}

// practises reports whether any version of the practice has an obligation
// for service.
func (b *builder) practises(service string) bool {
	for _, v := range b.practice() {
		for _, ob := range v.obs {
			if ob.Service == service {
				return true
			}
		}
	}
	return false
}

func (b *builder) obligations() {
	for _, v := range b.practice() {
		for _, ob := range v.obs {
			if ob.ScopeOrDefault() == "each-primary-workload" {
				for _, w := range b.org.PrimaryWorkloads() {
					b.series(ob, w.ID, v.from, v.to)
				}
				continue
			}
			b.series(ob, "", v.from, v.to)
		}
	}
}

// Outcomes of one obligation period.
const (
	missed = iota
	late
	met
)

// outcome draws a period's outcome by error diffusion: the delivered share
// (met = 1, late = ½) of a series follows the rate with an error below one
// period, so a profile's adherence holds in every window, not only on
// average.
func (b *builder) outcome(key string, ob tamledger.Obligation, p period) int {
	if b.skipped(ob.Service, p) {
		return missed
	}
	acc, ok := b.acc[key]
	if !ok {
		acc = b.g.uniform(0.5, 1)
	}
	acc += b.rate(p.end)
	o := missed
	switch {
	case acc >= 1:
		o, acc = met, acc-1
	case acc >= 0.5 && ob.GraceDays > 0:
		o, acc = late, acc-0.5
	}
	b.acc[key] = acc
	return o
}

// skipped reports whether the profile drops the service's period p.
func (b *builder) skipped(service string, p period) bool {
	return slices.Contains(b.s.prof.skip, service) || b.recent(p.end) && slices.Contains(b.s.prof.recentSkip, service)
}

func (b *builder) series(ob tamledger.Obligation, workload string, from, to date) {
	key := ob.ID + "/" + workload
	for p := firstPeriod(ob.Cadence, from); !p.start.After(to) && !p.start.After(b.asOf); p = p.next() {
		if ob.Service == "well-architected-review" {
			b.war(ob, workload, p)
			continue
		}
		var d date
		switch b.outcome(key, ob, p) {
		case met:
			// On or after start+grace, so that an engagement never falls
			// into the previous period's grace days and rescues it.
			lo := p.start.AddDays(ob.GraceDays)
			if lo.After(p.end) {
				lo = p.start
			}
			hi := minDate(p.end, b.asOf)
			if lo.After(hi) {
				continue
			}
			d = b.g.dateIn(lo, hi)
		case late:
			d = p.end.AddDays(b.g.between(1, ob.GraceDays))
			if d.After(b.asOf) {
				continue
			}
		default:
			continue
		}
		var wl []string
		if workload != "" {
			wl = []string{workload}
		} else {
			wl = b.workloadsFor(ob.Service)
		}
		e := b.engage(d, ob.Service, auto, wl, b.summary(ob.Service, wl, d))
		b.raise(e)
	}
}

// unquantifiedReview makes sure a story about unquantified cost reviews has
// one in the last 90 days, whatever day asOf falls on.
func (b *builder) unquantifiedReview() {
	if !b.s.unquantified {
		return
	}
	for _, e := range b.engs {
		if e.Service == "cost-review" && !e.Date.Before(b.asOf.AddDays(-90)) {
			return
		}
	}
	d := b.asOf.AddDays(-b.g.between(5, 40))
	e := b.engage(d, "cost-review", "tam", nil, "Cost review: walkthrough of the Cost Explorer dashboard, no figures agreed")
	b.raise(e)
}

// war places each primary workload's Well-Architected Review on the same
// day of every year, so that one always lies in the last 365 days. WARs are
// what even a weak TAM delivers (a failing one delivers them late, in the
// grace days after the year); only the workloads and windows a story names
// go without.
func (b *builder) war(ob tamledger.Obligation, workload string, p period) {
	if b.skipped(ob.Service, p) {
		return
	}
	late := b.s.prof.warLate && ob.GraceDays > 0
	off, ok := b.warDay[workload]
	if !ok {
		off = b.g.between(ob.GraceDays, 300)
		if late {
			off = b.g.between(1, max(ob.GraceDays, 1))
		}
		b.warDay[workload] = off
	}
	d := minDate(p.start.AddDays(off), p.end)
	if late {
		d = p.end.AddDays(off)
	}
	if d.After(b.asOf) {
		return
	}
	if slices.Contains(b.s.warOverdue, workload) && d.After(b.asOf.AddDays(-400)) {
		return
	}
	wl := []string{workload}
	e := b.engage(d, ob.Service, auto, wl, b.summary(ob.Service, wl, d))
	b.raise(e)
}

// workloadsFor picks the workloads an organisation-wide engagement names.
func (b *builder) workloadsFor(service string) []string {
	ws := b.org.Workloads
	switch service {
	case "security-review":
		var out []string
		for _, w := range ws {
			if w.Regulated {
				out = append(out, w.ID)
			}
		}
		if len(out) > 0 {
			return out
		}
	case "cost-review":
		if len(ws) > 1 && b.g.chance(0.6) {
			a, c := b.g.intn(len(ws)), b.g.intn(len(ws))
			if a == c {
				return []string{ws[a].ID}
			}
			return []string{ws[min(a, c)].ID, ws[max(a, c)].ID}
		}
	}
	return nil
}

// businessReviews adds quarterly executive business reviews where no
// charter makes them an obligation.
func (b *builder) businessReviews() {
	if b.practises("business-review") {
		return
	}
	for p := firstPeriod("quarterly", b.start); !p.start.After(b.asOf); p = p.next() {
		d := b.g.dateIn(p.start.AddDays(35), p.start.AddDays(60))
		if d.After(b.asOf) || !b.g.chance(b.rate(d)) {
			continue
		}
		b.engage(d, "business-review", auto, nil, b.summary("business-review", nil, d))
	}
}

// deepDives schedules specialist deep dives for every workload in a complex
// service category, backwards from asOf. Workloads a story names have had
// none for at least 120 days; the others had one within the last 80.
func (b *builder) deepDives() {
	if b.practises("specialist-deep-dive") {
		return
	}
	for _, w := range b.org.Workloads {
		cat := category(w.Services)
		if cat == "" {
			continue
		}
		lo, hi := 50, 120
		switch {
		case b.s.prof.rate >= 0.85:
			lo, hi = 45, 80
		case b.s.prof.rate < 0.5:
			lo, hi = 90, 200
		}
		gap := b.g.between(5, 80)
		if slices.Contains(b.s.noRecentDive, w.ID) {
			gap = b.g.between(120, 260)
		}
		for d := b.asOf.AddDays(-gap); !d.Before(b.start); d = d.AddDays(-b.g.between(lo, hi)) {
			wl := []string{w.ID}
			e := b.engage(d, "specialist-deep-dive", auto, wl, b.summary("specialist-deep-dive", wl, d))
			b.raise(e)
		}
	}
}

// sessions adds ad hoc engagements: office hours, workshops, game days.
func (b *builder) sessions() {
	n := b.s.vol.otherPerYear * b.s.years
	for range n {
		d := b.g.dateIn(b.start, b.asOf)
		topic := b.g.pick(sessionTopics)
		var wl []string
		if len(b.org.Workloads) > 0 && b.g.chance(0.5) {
			wl = []string{b.org.Workloads[b.g.intn(len(b.org.Workloads))].ID}
		}
		b.engage(d, "other", auto, wl, topic)
	}
}

// Recommendations.

// raise adds the recommendations an engagement brings.
func (b *builder) raise(e *tamledger.Engagement) {
	lean := b.s.vol.lean
	switch e.Service {
	case "cost-review":
		n := b.g.between(1, 3)
		if lean {
			n = b.g.between(1, 2)
		}
		unquantified := b.s.unquantified && !e.Date.Before(b.asOf.AddDays(-90))
		for i := range n {
			b.costRec(e, i == 0 && !unquantified, unquantified)
		}
	case "well-architected-review":
		n := b.g.between(2, 4)
		if lean {
			n = b.g.between(1, 2)
		}
		for range n {
			b.warRec(e)
		}
	case "security-review":
		n := b.g.between(1, 2)
		if lean {
			n = b.g.between(0, 1)
		}
		for range n {
			b.securityRec(e)
		}
	case "specialist-deep-dive":
		if !lean || b.g.chance(0.3) {
			b.specialistRec(e)
		}
	case "strategy-call":
		if !lean && b.g.chance(0.15) {
			b.tamRec(e)
		}
	}
}

func (b *builder) newRec(raised date, e *tamledger.Engagement, origin, pillar, workload, title string) *tamledger.Recommendation {
	r := &tamledger.Recommendation{
		Org:      b.s.id,
		RaisedOn: minDate(raised, b.asOf),
		Origin:   origin,
		Pillar:   pillar,
		Workload: workload,
		Title:    title,
	}
	if e != nil {
		r.Engagement = e.ID
	}
	b.recs = append(b.recs, r)
	return r
}

// recWorkload is the workload a recommendation of e is about.
func (b *builder) recWorkload(e *tamledger.Engagement) string {
	if e != nil && len(e.Workloads) > 0 {
		return e.Workloads[b.g.intn(len(e.Workloads))]
	}
	if len(b.org.Workloads) == 0 || b.g.chance(0.2) {
		return ""
	}
	return b.org.Workloads[b.g.intn(len(b.org.Workloads))].ID
}

func (b *builder) saving(lo, hi float64) *tamledger.Money {
	step := int64(10)
	if b.s.spend > 500000 {
		step = 100
	}
	return money(round(float64(b.s.spend)*b.g.uniform(lo, hi), step))
}

func (b *builder) costRec(e *tamledger.Engagement, quantified, never bool) {
	origin, ctx := "tam", false
	switch x := b.g.r.Float64(); {
	case x < 0.25:
		origin, ctx = "cost-optimization-hub", true
	case x < 0.4:
		origin, ctx = "trusted-advisor", true
	}
	title := b.g.pick(costTitles)
	if never {
		title = b.g.pick(vagueCostTitles)
	}
	r := b.newRec(e.Date.AddDays(b.g.between(0, 3)), e, origin, "cost-optimization", b.recWorkload(e), title)
	r.ContextualizedByTAM = ctx
	r.Risk = "low"
	if quantified || (!never && b.g.chance(0.6)) {
		r.EstimatedMonthlySavings = b.saving(0.003, 0.025)
		r.Risk = b.g.pick([]string{"low", "medium"})
	}
	b.settle(r)
}

func (b *builder) warRec(e *tamledger.Engagement) {
	pillar := b.g.pick(warPillars)
	r := b.newRec(e.Date.AddDays(b.g.between(1, 10)), e, "well-architected", pillar, b.recWorkload(e), b.g.pick(pillarTitles[pillar]))
	r.Risk = b.g.pick([]string{"high", "high", "medium", "medium", "low"})
	b.riskValue(r)
	b.settle(r)
}

func (b *builder) securityRec(e *tamledger.Engagement) {
	r := b.newRec(e.Date.AddDays(b.g.between(0, 7)), e, "tam", "security", b.recWorkload(e), b.g.pick(pillarTitles["security"]))
	r.Risk = b.g.pick([]string{"high", "medium", "medium", "low"})
	b.riskValue(r)
	b.settle(r)
}

func (b *builder) specialistRec(e *tamledger.Engagement) {
	wl := b.recWorkload(e)
	cat := ""
	if w := b.org.Workload(wl); w != nil {
		cat = category(w.Services)
	}
	titles := specialistTitles[cat]
	if len(titles) == 0 {
		titles = specialistTitles["containers"]
	}
	pillar := b.g.pick([]string{"performance-efficiency", "cost-optimization", "operational-excellence", "reliability"})
	r := b.newRec(e.Date.AddDays(b.g.between(2, 14)), e, "specialist", pillar, wl, b.g.pick(titles))
	r.Risk = b.g.pick([]string{"medium", "low"})
	r.ArchitectureValue = money(round(float64(b.s.spend)*b.g.uniform(0.02, 0.12), 1000))
	if pillar == "cost-optimization" || b.g.chance(0.3) {
		r.EstimatedMonthlySavings = b.saving(0.002, 0.015)
	}
	b.settle(r)
}

func (b *builder) tamRec(e *tamledger.Engagement) {
	pillar := b.g.pick(tamledger.Pillars.Values())
	r := b.newRec(e.Date.AddDays(b.g.between(0, 5)), e, "tam", pillar, b.recWorkload(e), b.g.pick(pillarTitles[pillar]))
	r.Risk = b.g.pick(tamledger.Risks.Values())
	if pillar == "cost-optimization" {
		r.EstimatedMonthlySavings = b.saving(0.002, 0.01)
	}
	b.riskValue(r)
	b.settle(r)
}

// riskValue gives risk findings their avoided incident, and some an
// architecture value.
func (b *builder) riskValue(r *tamledger.Recommendation) {
	switch r.Pillar {
	case "reliability", "security":
		if r.Risk != "low" {
			r.IncidentAvoided = &tamledger.IncidentAvoided{
				DowntimeHours: float64(b.g.between(1, 12)),
				Probability:   round2(b.g.uniform(0.05, 0.35)),
			}
		}
	case "cost-optimization", "sustainability":
		r.EstimatedMonthlySavings = b.saving(0.001, 0.01)
	}
	if r.Pillar == "performance-efficiency" || r.Pillar == "operational-excellence" || b.g.chance(0.15) {
		r.ArchitectureValue = money(round(float64(b.s.spend)*b.g.uniform(0.01, 0.06), 1000))
	}
}

// settle decides what became of a recommendation by asOf.
func (b *builder) settle(r *tamledger.Recommendation) {
	age := r.RaisedOn.DaysUntil(b.asOf)
	if b.g.chance(b.s.prof.implement) {
		on := r.RaisedOn.AddDays(b.g.between(10, 150))
		if !on.After(b.asOf) {
			r.Status = "implemented"
			r.ImplementedOn = &on
			if r.EstimatedMonthlySavings != nil && b.g.chance(0.7) {
				f := b.g.uniform(0.6, 1.15)
				r.RealizedMonthlySavings = money(round(float64(r.EstimatedMonthlySavings.IntPart())*f, 10))
			}
			return
		}
		r.Status = "accepted"
		return
	}
	switch x := b.g.r.Float64(); {
	case age < 45 || x < 0.35:
		r.Status = "open"
	case x < 0.55:
		r.Status = "accepted"
	case x < 0.8:
		r.Status = "deferred"
		r.StatusReason = b.g.pick(deferReasons)
	default:
		r.Status = "rejected"
		r.StatusReason = b.g.pick(rejectReasons)
	}
}

// findings adds automated and internal findings not raised in an
// engagement.
func (b *builder) findings() {
	n := b.s.vol.findingsPerYear * b.s.years
	for range n {
		b.finding(b.g.dateIn(b.start, b.asOf))
	}
}

func (b *builder) finding(d date) {
	origin := b.g.pick([]string{"trusted-advisor", "trusted-advisor", "cost-optimization-hub", "internal"})
	pillar := "cost-optimization"
	switch origin {
	case "trusted-advisor":
		pillar = b.g.pick([]string{"cost-optimization", "security", "reliability", "performance-efficiency"})
	case "internal":
		pillar = b.g.pick(tamledger.Pillars.Values())
	}
	r := b.newRec(d, nil, origin, pillar, b.recWorkload(nil), b.g.pick(pillarTitles[pillar]))
	r.Risk = b.g.pick(tamledger.Risks.Values())
	if pillar == "cost-optimization" {
		r.EstimatedMonthlySavings = b.saving(0.0005, 0.006)
	}
	r.ContextualizedByTAM = origin != "internal" && b.g.chance(b.s.prof.proactive*0.4)
	b.settle(r)
}

// Cases.

func (b *builder) supportCases() {
	n := int(b.s.vol.casesPerYear*float64(b.s.years)*b.g.uniform(0.85, 1.15) + 0.5)
	// Stratified: one case in each of n equal slices of the history, so
	// that every year has its share and the responsiveness of the trailing
	// year rests on enough cases.
	days := make([]date, n)
	span := b.start.DaysUntil(b.asOf) + 1
	for i := range days {
		lo := b.start.AddDays(i * span / n)
		hi := b.start.AddDays((i+1)*span/n - 1)
		days[i] = b.g.dateIn(lo, minDate(hi, b.asOf))
	}
	deck := severityDeck(b.g, n)
	num := int64(170000000000) + int64(b.g.intn(9000000))*1000
	asOfEnd := time.Date(b.asOf.Year, b.asOf.Month, b.asOf.Day+1, 0, 0, 0, 0, b.loc) // the instant asOf ends
	for i, d := range days {
		num += int64(b.g.between(7, 977))
		sev := deck[i]
		hour := b.g.between(8, 18)
		if sev == "critical" || sev == "urgent" {
			hour = b.g.between(0, 23)
		}
		opened := time.Date(d.Year, d.Month, d.Day, hour, b.g.intn(60), 0, 0, b.loc)
		if !opened.Before(asOfEnd) {
			opened = asOfEnd.Add(-time.Hour)
		}
		c := &tamledger.Case{
			ID:       fmt.Sprintf("case-%d", num),
			Org:      b.s.id,
			Severity: sev,
			OpenedAt: opened.UTC(),
		}
		wl := ""
		if len(b.org.Workloads) > 0 {
			w := b.org.Workloads[b.g.intn(len(b.org.Workloads))]
			wl = w.ID
			c.Subject = b.caseSubject(w)
		}
		var engaged *time.Time
		target := b.target(d, sev)
		switch {
		case target > 0:
			var h float64
			if b.withinTarget(d) {
				h = target * b.g.uniform(0.1, 0.95)
			} else {
				h = target * b.g.uniform(1.3, 6)
			}
			t := opened.Add(time.Duration(h * float64(time.Hour))).Truncate(time.Minute)
			engaged = &t
		case sev == "critical" || sev == "urgent" || sev == "high":
			if b.g.chance(0.8) {
				t := opened.Add(time.Duration(b.g.uniform(0.5, 20) * float64(time.Hour))).Truncate(time.Minute)
				engaged = &t
			}
		default:
			if b.g.chance(0.2) {
				t := opened.Add(time.Duration(b.g.uniform(4, 72) * float64(time.Hour))).Truncate(time.Minute)
				engaged = &t
			}
		}
		if engaged != nil && engaged.Before(asOfEnd) {
			t := engaged.UTC()
			c.TAMEngagedAt = &t
		}
		resolved := opened.Add(time.Duration(b.g.uniform(1, resolveHours[sev]) * float64(time.Hour))).Truncate(time.Minute)
		if c.TAMEngagedAt != nil && resolved.Before(*c.TAMEngagedAt) {
			resolved = c.TAMEngagedAt.Add(time.Hour)
		}
		if resolved.Before(asOfEnd) {
			t := resolved.UTC()
			c.ResolvedAt = &t
		}
		b.cases = append(b.cases, c)
		if (sev == "critical" || sev == "urgent") && wl != "" {
			b.engage(d, "escalation", "customer", []string{wl}, fmt.Sprintf("Escalation of %s (%s): %s", c.ID, sev, c.Subject))
		}
	}
}

// target is the TAM response target in hours for a case of sev opened on
// d, 0 when the charter in force sets none.
func (b *builder) target(d date, sev string) float64 {
	c := b.charterOn(d)
	if c == nil {
		return 0
	}
	for _, p := range c.EscalationPaths {
		if p.Severity == sev {
			return p.TAMResponseHours
		}
	}
	return 0
}

var resolveHours = map[string]float64{"low": 240, "normal": 120, "high": 48, "urgent": 24, "critical": 12}

// severityDeck deals n severities from shuffled decks of five cases: one
// low, two normal, one high, and one urgent or critical in turn. Every
// five cases in a row hold two with a response target in most charters.
func severityDeck(g *gen, n int) []string {
	out := make([]string, 0, n+5)
	for k := 0; len(out) < n; k++ {
		top := "urgent"
		if k%2 == 1 {
			top = "critical"
		}
		five := []string{"low", "normal", "normal", "high", top}
		g.r.Shuffle(len(five), func(i, j int) { five[i], five[j] = five[j], five[i] })
		out = append(out, five...)
	}
	return out[:n]
}

// Events.

func (b *builder) plannedEvents() {
	// Past events, with IEM as the relationship allows.
	n := int(b.s.vol.eventsPerYear*float64(b.s.years) + b.g.uniform(0, 1))
	for range n {
		d := b.g.dateIn(b.start.AddDays(60), b.asOf.AddDays(-1))
		typ := b.g.pick(eventTypes[b.s.sector])
		name := b.g.pick(eventNames[typ])
		if m := eventMonth[name]; m != 0 {
			d = tamledger.NewDate(d.Year, m, b.g.between(20, 28))
			if !d.Before(b.asOf) {
				d = d.AddYears(-1)
			}
			if d.Before(b.start.AddDays(60)) {
				continue
			}
		}
		ev := b.event(name, typ, d, 0)
		switch {
		case b.g.chance(b.s.prof.iem):
			b.iem(ev, d.AddDays(-b.g.between(30, 60)), true)
		case b.g.chance(0.5):
			b.iem(ev, d.AddDays(-b.g.between(3, 13)), false)
		}
	}
	// One event further out than any lead time: nothing to do yet.
	if b.s.vol.eventsPerYear > 0 {
		typ := b.g.pick(eventTypes[b.s.sector])
		name := b.g.pick(eventNames[typ])
		d := b.asOf.AddDays(b.g.between(60, 180))
		if m := eventMonth[name]; m != 0 {
			d = tamledger.NewDate(b.asOf.Year, m, b.g.between(20, 28))
			if d.Before(b.asOf.AddDays(60)) {
				d = d.AddYears(1)
			}
		}
		b.event(name, typ, d, 0)
	}
	// The story's events.
	for _, es := range b.s.events {
		d := b.asOf.AddDays(es.inDays)
		name := strings.ReplaceAll(es.name, "{season}", season(d, strings.HasPrefix(b.s.timezone, "Australia/") || b.s.timezone == "America/Santiago"))
		ev := b.event(name, es.typ, d, es.failureCost)
		if es.iemDaysAgo >= 0 {
			b.iem(ev, b.asOf.AddDays(-es.iemDaysAgo), true)
		}
	}
}

func (b *builder) event(name, typ string, d date, failure int64) *tamledger.Event {
	if failure == 0 {
		failure = round(float64(b.s.downtime)*b.g.uniform(4, 30), 1000)
	}
	ev := &tamledger.Event{
		ID:                   b.eventIDs.next(fmt.Sprintf("%s-%04d", slug(name), d.Year)),
		Org:                  b.s.id,
		Name:                 name,
		Type:                 typ,
		Date:                 d,
		FailureCost:          money(failure),
		ProbabilityReduction: round2(b.g.uniform(0.05, 0.3)),
	}
	b.events = append(b.events, ev)
	return ev
}

// iem records an IEM request for ev made on req, and what followed by
// asOf: the kick-off engagement, the pre-event review, coverage and the
// post-event review. A late request gets coverage only half the time.
func (b *builder) iem(ev *tamledger.Event, req date, inTime bool) {
	req = maxDate(req, b.start)
	if req.After(b.asOf) {
		return
	}
	ev.IEMRequestedOn = &req
	ph := &tamledger.Phases{CoverageArranged: inTime || b.g.chance(0.5)}
	kick := req.AddDays(b.g.between(1, 5))
	if !kick.After(b.asOf) && kick.Before(ev.Date) {
		b.engage(kick, "iem", auto, nil, "IEM kick-off for "+ev.Name+": architecture review, runbooks and coverage plan")
	}
	if pre := ev.Date.AddDays(-b.g.between(5, 14)); inTime && !pre.After(b.asOf) && pre.After(req) {
		ph.PreEventReviewOn = &pre
	}
	if post := ev.Date.AddDays(b.g.between(3, 10)); ph.CoverageArranged && !post.After(b.asOf) {
		ph.PostEventReviewOn = &post
	}
	ev.Phases = ph
}

// Reassignment requests.

func (b *builder) requests() {
	for i, rs := range b.s.requests {
		on := b.asOf.AddDays(-rs.daysAgo)
		rr := &tamledger.ReassignmentRequest{
			ID:          fmt.Sprintf("rr-%d", i+1),
			Org:         b.s.id,
			RequestedOn: on,
			Reasons:     rs.reasons,
			Notes:       rs.notes,
		}
		after := func(n int) *date {
			if n < 0 || on.AddDays(n).After(b.asOf) {
				return nil
			}
			return datep(on.AddDays(n))
		}
		rr.AcknowledgedOn = after(rs.ackAfter)
		rr.ResolvedOn = after(rs.resolveAfter)
		rr.EscalatedOn = after(rs.escalateAfter)
		b.reqs = append(b.reqs, rr)
	}
}

// topUp brings a Stream organisation to its engagement and recommendation
// targets with weekly operations syncs and automated findings.
func (b *builder) topUp() {
	if t := b.s.vol.engagementTarget; t > 0 {
		want := int(t*float64(b.s.years)*b.g.uniform(0.9, 1.1)+0.5) - len(b.engs)
		var weeks []date
		for d := b.start.AddDays(b.g.intn(5)); !d.After(b.asOf); d = d.AddDays(7) {
			weeks = append(weeks, d)
		}
		// Selection sampling: exactly min(want, len(weeks)) weeks, in order.
		left := len(weeks)
		for _, d := range weeks {
			if want <= 0 {
				break
			}
			if b.g.intn(left) < want {
				b.engage(d, "other", auto, nil, "Weekly operations sync: open cases, changes, upcoming events")
				want--
			}
			left--
		}
	}
	if t := b.s.vol.recTarget; t > 0 {
		want := int(t*float64(b.s.years)*b.g.uniform(0.9, 1.1)+0.5) - len(b.recs)
		for range want {
			b.finding(b.g.dateIn(b.start, b.asOf))
		}
	}
}

// emit sorts each kind by date and hands the records to fn: the
// organisation, its charters, engagements, recommendations, cases, events
// and reassignment requests.
func (b *builder) emit(fn func(tamledger.Record) error) error {
	slices.SortStableFunc(b.engs, func(x, y *tamledger.Engagement) int {
		return cmp.Or(x.Date.Compare(y.Date), strings.Compare(x.ID, y.ID))
	})
	for _, e := range b.engs {
		if e.InitiatedBy == auto {
			e.InitiatedBy = b.initiator(e.Date)
		}
	}
	slices.SortStableFunc(b.recs, func(x, y *tamledger.Recommendation) int { return x.RaisedOn.Compare(y.RaisedOn) })
	width := len(itoa(len(b.recs)))
	if width < 3 {
		width = 3
	}
	for i, r := range b.recs {
		r.ID = fmt.Sprintf("r-%0*d", width, i+1)
	}
	slices.SortStableFunc(b.events, func(x, y *tamledger.Event) int {
		return cmp.Or(x.Date.Compare(y.Date), strings.Compare(x.ID, y.ID))
	})

	if err := fn(tamledger.Record{Kind: tamledger.KindOrganization, ID: b.org.ID, Value: b.org}); err != nil {
		return err
	}
	for _, v := range b.charters {
		if err := fn(tamledger.Record{Kind: tamledger.KindCharter, Org: v.Org, ID: v.ID, Value: v}); err != nil {
			return err
		}
	}
	for _, v := range b.engs {
		if err := fn(tamledger.Record{Kind: tamledger.KindEngagement, Org: v.Org, ID: v.ID, Value: v}); err != nil {
			return err
		}
	}
	for _, v := range b.recs {
		if err := fn(tamledger.Record{Kind: tamledger.KindRecommendation, Org: v.Org, ID: v.ID, Value: v}); err != nil {
			return err
		}
	}
	for _, v := range b.cases {
		if err := fn(tamledger.Record{Kind: tamledger.KindCase, Org: v.Org, ID: v.ID, Value: v}); err != nil {
			return err
		}
	}
	for _, v := range b.events {
		if err := fn(tamledger.Record{Kind: tamledger.KindEvent, Org: v.Org, ID: v.ID, Value: v}); err != nil {
			return err
		}
	}
	for _, v := range b.reqs {
		if err := fn(tamledger.Record{Kind: tamledger.KindReassignmentRequest, Org: v.Org, ID: v.ID, Value: v}); err != nil {
			return err
		}
	}
	return nil
}
