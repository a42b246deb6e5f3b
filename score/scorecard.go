package score

import (
	"cmp"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tamledger/tamledger"
)

// Card is the charter scorecard of one organisation as of one date (docs/scorecard.md).
// It marshals to the documented `scorecard -o json`: nulls are JSON null,
// ratios are unrounded, dates are YYYY-MM-DD.
type Card struct {
	Organization string         `json:"organization"`
	AsOf         tamledger.Date `json:"asOf"`
	Window       Window         `json:"window"`
	// Charter is the id of the charter version in force at asOf, or nil.
	Charter     *string      `json:"charter"`
	Obligations []Obligation `json:"obligations"`
	// Adherence is the charter adherence: the mean of the obligations'
	// adherences, nulls left out.
	Adherence                *float64 `json:"adherence"`
	ProactiveRatio           *float64 `json:"proactiveRatio"`
	EscalationResponsiveness *float64 `json:"escalationResponsiveness"`
	Health                   Health   `json:"health"`
	// Counts are the numbers behind the proactive ratio and the escalation
	// responsiveness.
	Counts Counts `json:"counts"`

	adherence *big.Rat // exact charter adherence, for the actions' thresholds
}

// Obligation is one obligation of the charter, pooled over every charter
// version (effective on or before asOf) that carries its id.
type Obligation struct {
	ID string `json:"id"`
	// Service, Cadence, Scope, GraceDays and Requires are those of the latest
	// version in force that carries the obligation; each period is evaluated
	// with the terms of the version it belongs to.
	Service   string `json:"service"`
	Cadence   string `json:"cadence"`
	Scope     string `json:"scope"`
	GraceDays int    `json:"graceDays"`
	Requires  string `json:"requires,omitempty"`
	// Adherence and the four counts cover the periods whose end lies in the
	// trailing window.
	Adherence *float64 `json:"adherence"`
	Met       int      `json:"met"`
	Late      int      `json:"late"`
	Missed    int      `json:"missed"`
	Due       int      `json:"due"`
	Series    []Series `json:"series"`

	adherence *big.Rat
}

// Series is one run of periods: the organisation's (Workload nil) or one
// primary workload's.
type Series struct {
	Workload *string  `json:"workload"`
	Periods  []Period `json:"periods"`
}

// Health is the health score and how it was made.
type Health struct {
	Score      *int        `json:"score"`
	Band       *string     `json:"band"`
	Components []Component `json:"components"`
}

// Component is one input of the health score with its effective weight:
// the nominal weight scaled so that the weights of the non-null components
// sum to 1; a null component has weight 0.
type Component struct {
	Name   string   `json:"name"`
	Value  *float64 `json:"value"`
	Weight float64  `json:"weight"`
}

// Counts explain the proactive ratio and the escalation responsiveness.
type Counts struct {
	Engagements       int `json:"engagements"`       // dated in the window
	TAMInitiated      int `json:"tamInitiated"`      // of those, initiatedBy tam
	Cases             int `json:"cases"`             // counted for responsiveness
	CasesWithinTarget int `json:"casesWithinTarget"` // of those, TAM engaged within target
	CasesPending      int `json:"casesPending"`      // opened in the window, target not yet passed, TAM not yet engaged
}

// Health bands and component names.
const (
	BandProactive = "proactive"
	BandMixed     = "mixed"
	BandReactive  = "reactive"

	ComponentAdherence      = "adherence"
	ComponentProactive      = "proactiveRatio"
	ComponentResponsiveness = "escalationResponsiveness"
)

// Nominal weights of the health components, in twentieths: 0.6, 0.25, 0.15.
var weights = []struct {
	name string
	w    int64
}{{ComponentAdherence, 12}, {ComponentProactive, 5}, {ComponentResponsiveness, 3}}

// Scorecard evaluates the ledger's charter as of asOf.
func Scorecard(l *tamledger.Ledger, asOf tamledger.Date) *Card {
	org := orgOf(l)
	charters := sortedCharters(l)
	c := &Card{
		Organization: org.ID,
		AsOf:         asOf,
		Window:       TrailingYear(asOf),
		Obligations:  evaluateObligations(l, org, charters, asOf),
	}
	if cur := inForce(charters, asOf); cur != nil {
		id := cur.ID
		c.Charter = &id
	}
	var sum big.Rat
	n := 0
	for i := range c.Obligations {
		ob := &c.Obligations[i]
		ob.adherence, ob.Met, ob.Late, ob.Missed, ob.Due = adherenceOver(ob, c.Window)
		ob.Adherence = ratFloat(ob.adherence)
		if ob.adherence != nil {
			sum.Add(&sum, ob.adherence)
			n++
		}
	}
	if n > 0 {
		c.adherence = new(big.Rat).Quo(&sum, big.NewRat(int64(n), 1))
		c.Adherence = ratFloat(c.adherence)
	}

	for _, e := range l.Engagements {
		if c.Window.Contains(e.Date) {
			c.Counts.Engagements++
			if e.InitiatedBy == "tam" {
				c.Counts.TAMInitiated++
			}
		}
	}
	proactive := ratio(c.Counts.TAMInitiated, c.Counts.Engagements)
	c.ProactiveRatio = ratFloat(proactive)

	c.Counts.Cases, c.Counts.CasesWithinTarget, c.Counts.CasesPending = responsiveness(l, org, charters, c.Window)
	responsive := ratio(c.Counts.CasesWithinTarget, c.Counts.Cases)
	c.EscalationResponsiveness = ratFloat(responsive)

	c.Health = health(c.adherence, proactive, responsive)
	return c
}

// evaluateObligations builds every obligation of the charter versions in
// force on or before asOf, with its series and their matched periods.
func evaluateObligations(l *tamledger.Ledger, org *tamledger.Organization, charters []tamledger.Charter, asOf tamledger.Date) []Obligation {
	quantified := quantifiedEngagements(l)
	engagements := sortedEngagements(l)
	primary := org.PrimaryWorkloads()

	type series struct {
		workload string // "" for the organisation
		periods  []Period
		used     map[string]bool
	}
	type pooled struct {
		ob     Obligation
		series map[string]*series
	}
	byID := map[string]*pooled{}
	for i, ch := range charters {
		if ch.Effective.After(asOf) {
			break // versions that take effect later are not scored
		}
		var next *tamledger.Date // the end (exclusive) of this version's range
		if i+1 < len(charters) {
			next = &charters[i+1].Effective
		}
		for _, tob := range ch.Obligations {
			p := byID[tob.ID]
			if p == nil {
				p = &pooled{series: map[string]*series{}}
				byID[tob.ID] = p
			}
			p.ob.ID, p.ob.Service, p.ob.Cadence = tob.ID, tob.Service, tob.Cadence
			p.ob.Scope, p.ob.GraceDays, p.ob.Requires = tob.ScopeOrDefault(), tob.GraceDays, tob.Requires

			var workloads []string
			if tob.ScopeOrDefault() == "each-primary-workload" {
				for _, w := range primary {
					workloads = append(workloads, w.ID)
				}
			} else {
				workloads = []string{""}
			}
			for _, w := range workloads {
				if p.series[w] == nil {
					p.series[w] = &series{workload: w, used: map[string]bool{}}
				}
			}
			months := tamledger.CadenceMonths(tob.Cadence)
			if months == 0 {
				continue
			}
			for start := firstStartOnOrAfter(ch.Effective, months); !start.After(asOf); start = nextStart(start, months) {
				end := periodEnd(start, months)
				if next != nil && !end.Before(*next) {
					break // not a full period inside this version's range
				}
				for _, w := range workloads {
					s := p.series[w]
					per := Period{Start: start, End: end}
					last := GraceEnd(end, tob.GraceDays)
					var match *tamledger.Engagement
					from, _ := slices.BinarySearchFunc(engagements, start, func(e tamledger.Engagement, d tamledger.Date) int { return e.Date.Compare(d) })
					for i := from; i < len(engagements); i++ {
						e := &engagements[i]
						if e.Date.After(last) || e.Date.After(asOf) {
							break
						}
						if e.Date.Before(start) || e.Service != tob.Service || s.used[e.ID] {
							continue
						}
						if w != "" && !slices.Contains(e.Workloads, w) {
							continue
						}
						if tob.Requires == "quantified-recommendations" && !quantified[e.ID] {
							continue
						}
						match = e
						break
					}
					if match != nil {
						s.used[match.ID] = true
						id := match.ID
						per.Engagement = &id
					}
					switch {
					case match != nil && match.Date.After(end):
						per.Status = Late
					case match != nil:
						per.Status = Met
					case asOf.After(last):
						per.Status = Missed
					default:
						per.Status = Due
					}
					s.periods = append(s.periods, per)
				}
			}
		}
	}

	// Order: the obligations of the charter in force at asOf in its order,
	// then those of earlier versions, newest version first.
	var out []Obligation
	seen := map[string]bool{}
	primaryIndex := map[string]int{}
	for i, w := range primary {
		primaryIndex[w.ID] = i + 1
	}
	for i := len(charters) - 1; i >= 0; i-- {
		if charters[i].Effective.After(asOf) {
			continue
		}
		for _, tob := range charters[i].Obligations {
			if seen[tob.ID] {
				continue
			}
			seen[tob.ID] = true
			p := byID[tob.ID]
			ob := p.ob
			ob.Series = []Series{}
			for _, s := range p.series {
				ser := Series{Periods: s.periods}
				if s.workload != "" {
					w := s.workload
					ser.Workload = &w
				}
				if ser.Periods == nil {
					ser.Periods = []Period{}
				}
				ob.Series = append(ob.Series, ser)
			}
			slices.SortFunc(ob.Series, func(a, b Series) int {
				return cmp.Compare(seriesRank(a, primaryIndex), seriesRank(b, primaryIndex))
			})
			out = append(out, ob)
		}
	}
	if out == nil {
		out = []Obligation{}
	}
	return out
}

func seriesRank(s Series, primaryIndex map[string]int) int {
	if s.Workload == nil {
		return 0
	}
	return primaryIndex[*s.Workload]
}

// adherenceOver is the adherence of the obligation over its periods (all
// series pooled) whose end lies in w, exact, nil when nothing counts; with
// the counts of those periods.
func adherenceOver(ob *Obligation, w Window) (a *big.Rat, met, late, missed, due int) {
	for _, s := range ob.Series {
		for _, p := range s.Periods {
			if !w.Contains(p.End) {
				continue
			}
			switch p.Status {
			case Met:
				met++
			case Late:
				late++
			case Missed:
				missed++
			case Due:
				due++
			}
		}
	}
	if n := met + late + missed; n > 0 {
		a = big.NewRat(int64(2*met+late), int64(2*n))
	}
	return a, met, late, missed, due
}

// QuarterAdherence is charter adherence over one calendar quarter: the
// mean of the obligations' adherences over their periods that ended in it,
// as reassignment-suggested reads it, with the counts of those periods.
type QuarterAdherence struct {
	Quarter   string         `json:"quarter"`
	From      tamledger.Date `json:"from"`
	To        tamledger.Date `json:"to"`
	Adherence *float64       `json:"adherence"`
	Met       int            `json:"met"`
	Late      int            `json:"late"`
	Missed    int            `json:"missed"`
}

// AdherenceByQuarter is the charter adherence of the card's obligations in
// each of the last n complete quarters on the card's date, oldest first.
func AdherenceByQuarter(c *Card, n int) []QuarterAdherence {
	qs := LastQuarters(c.AsOf, n)
	out := make([]QuarterAdherence, 0, n)
	for i := len(qs) - 1; i >= 0; i-- {
		q := qs[i]
		qa := QuarterAdherence{Quarter: QuarterName(q), From: q.From, To: q.To, Adherence: ratFloat(charterAdherenceOver(c.Obligations, q))}
		for k := range c.Obligations {
			_, met, late, missed, _ := adherenceOver(&c.Obligations[k], q)
			qa.Met, qa.Late, qa.Missed = qa.Met+met, qa.Late+late, qa.Missed+missed
		}
		out = append(out, qa)
	}
	return out
}

// charterAdherenceOver is the mean of the obligations' adherences over the
// periods whose end lies in w, nulls left out; nil when none counts.
func charterAdherenceOver(obs []Obligation, w Window) *big.Rat {
	var sum big.Rat
	n := 0
	for i := range obs {
		if a, _, _, _, _ := adherenceOver(&obs[i], w); a != nil {
			sum.Add(&sum, a)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return sum.Quo(&sum, big.NewRat(int64(n), 1))
}

// CaseResponse is one case that escalation responsiveness counts: opened in
// the window (its date in the organisation's time zone), with a severity
// that has a TAM response target in the charter in force on that date.
type CaseResponse struct {
	Case         string     `json:"case"`
	Severity     string     `json:"severity"`
	OpenedAt     time.Time  `json:"openedAt"`
	TAMEngagedAt *time.Time `json:"tamEngagedAt"`
	Charter      string     `json:"charter"`
	TargetHours  float64    `json:"targetHours"`
	// Within: the TAM engaged within the target (tamEngagedAt − openedAt ≤
	// tamResponseHours). A case with no TAM engagement is a miss; Pending
	// marks those whose target had not yet passed at the end of the
	// window's last day, so a reader can see why a fresh case drags the
	// ratio down.
	Within  bool `json:"within"`
	Pending bool `json:"pending"`
}

// CaseResponses are the cases escalation responsiveness counts over w, as
// docs/scorecard.md ("Escalation responsiveness") reads, in the order of
// the ledger.
func CaseResponses(l *tamledger.Ledger, w Window) []CaseResponse {
	return caseResponses(l, orgOf(l), sortedCharters(l), w)
}

func caseResponses(l *tamledger.Ledger, org *tamledger.Organization, charters []tamledger.Charter, w Window) []CaseResponse {
	loc := location(org)
	endOfAsOf := time.Date(w.To.Year, w.To.Month, w.To.Day+1, 0, 0, 0, 0, loc)
	var out []CaseResponse
	for _, k := range l.Cases {
		opened := tamledger.DateIn(k.OpenedAt, loc)
		if !w.Contains(opened) {
			continue
		}
		ch := inForce(charters, opened)
		if ch == nil {
			continue
		}
		hours, ok := target(ch, k.Severity)
		if !ok {
			continue
		}
		limit := time.Duration(math.Round(hours * float64(time.Hour)))
		r := CaseResponse{Case: k.ID, Severity: k.Severity, OpenedAt: k.OpenedAt, TAMEngagedAt: k.TAMEngagedAt, Charter: ch.ID, TargetHours: hours}
		switch {
		case k.TAMEngagedAt != nil:
			r.Within = k.TAMEngagedAt.Sub(k.OpenedAt) <= limit
		case !k.OpenedAt.Add(limit).Before(endOfAsOf):
			r.Pending = true // no TAM yet, target not passed: a miss all the same
		}
		out = append(out, r)
	}
	return out
}

// responsiveness counts the case responses over w.
func responsiveness(l *tamledger.Ledger, org *tamledger.Organization, charters []tamledger.Charter, w Window) (counted, within, pending int) {
	for _, r := range caseResponses(l, org, charters, w) {
		counted++
		if r.Within {
			within++
		}
		if r.Pending {
			pending++
		}
	}
	return counted, within, pending
}

// target is the charter's TAM response target for a case severity.
func target(ch *tamledger.Charter, severity string) (float64, bool) {
	for _, p := range ch.EscalationPaths {
		if p.Severity == severity {
			return p.TAMResponseHours, true
		}
	}
	return 0, false
}

// health combines the components; nil components drop out and the others'
// weights scale up.
func health(adherence, proactive, responsive *big.Rat) Health {
	values := map[string]*big.Rat{
		ComponentAdherence:      adherence,
		ComponentProactive:      proactive,
		ComponentResponsiveness: responsive,
	}
	var total int64
	var sum big.Rat
	for _, w := range weights {
		if v := values[w.name]; v != nil {
			total += w.w
			sum.Add(&sum, new(big.Rat).Mul(v, big.NewRat(w.w, 1)))
		}
	}
	h := Health{Components: make([]Component, 0, len(weights))}
	for _, w := range weights {
		c := Component{Name: w.name, Value: ratFloat(values[w.name])}
		if values[w.name] != nil {
			c.Weight, _ = big.NewRat(w.w, total).Float64()
		}
		h.Components = append(h.Components, c)
	}
	if total == 0 {
		return h
	}
	mean := sum.Quo(&sum, big.NewRat(total, 1))
	score := roundHalfUp(new(big.Rat).Mul(mean, big.NewRat(100, 1)))
	band := Band(score)
	h.Score, h.Band = &score, &band
	return h
}

// Band is the health band of a score: proactive from 80, mixed from 50,
// reactive below.
func Band(score int) string {
	switch {
	case score >= 80:
		return BandProactive
	case score >= 50:
		return BandMixed
	}
	return BandReactive
}

// roundHalfUp rounds a non-negative rational to the nearest integer, halves
// up (64.5 → 65).
func roundHalfUp(x *big.Rat) int {
	num := new(big.Int).Mul(x.Num(), big.NewInt(2))
	num.Add(num, x.Denom())
	den := new(big.Int).Mul(x.Denom(), big.NewInt(2))
	return int(new(big.Int).Div(num, den).Int64()) // Euclidean: floor for den > 0
}

// percent formats a ratio as a whole percentage rounded half up ("55%").
func percent(x *big.Rat) string {
	if x == nil {
		return "n/a"
	}
	return strconv.Itoa(roundHalfUp(new(big.Rat).Mul(x, big.NewRat(100, 1)))) + "%"
}

func ratio(num, den int) *big.Rat {
	if den == 0 {
		return nil
	}
	return big.NewRat(int64(num), int64(den))
}

func ratFloat(r *big.Rat) *float64 {
	if r == nil {
		return nil
	}
	f, _ := r.Float64()
	return &f
}

// orgOf is the ledger's organisation (an empty one when missing).
func orgOf(l *tamledger.Ledger) *tamledger.Organization {
	if l.Org == nil {
		return &tamledger.Organization{}
	}
	return l.Org
}

// sortedCharters are the charter versions by effective date, then id.
// The ledger's own slice is returned when it is already in that order (as
// the store reads it): the callers only read it.
func sortedCharters(l *tamledger.Ledger) []tamledger.Charter {
	byEffective := func(a, b tamledger.Charter) int {
		if c := a.Effective.Compare(b.Effective); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	if slices.IsSortedFunc(l.Charters, byEffective) {
		return l.Charters
	}
	cs := slices.Clone(l.Charters)
	slices.SortStableFunc(cs, byEffective)
	return cs
}

// inForce is the charter version in force on d: the latest with effective
// on or before d; nil when there is none.
func inForce(sorted []tamledger.Charter, d tamledger.Date) *tamledger.Charter {
	var in *tamledger.Charter
	for i := range sorted {
		if sorted[i].Effective.After(d) {
			break
		}
		in = &sorted[i]
	}
	return in
}

// sortedEngagements are the engagements by date, then id.
// As with sortedCharters, the ledger's own slice is returned when it is
// already in that order: copying two hundred engagements per organisation
// showed in the portfolio's profile.
func sortedEngagements(l *tamledger.Ledger) []tamledger.Engagement {
	byDate := func(a, b *tamledger.Engagement) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	sorted := true
	for i := 1; i < len(l.Engagements); i++ {
		if byDate(&l.Engagements[i-1], &l.Engagements[i]) > 0 {
			sorted = false
			break
		}
	}
	if sorted {
		return l.Engagements
	}
	es := slices.Clone(l.Engagements)
	slices.SortStableFunc(es, func(a, b tamledger.Engagement) int { return byDate(&a, &b) })
	return es
}

// locations caches time zones by name: time.LoadLocation reads and parses
// the zone file on every call, which showed in the portfolio's profile.
var locations sync.Map // IANA name -> *time.Location

// location is org.Location(), cached.
func location(org *tamledger.Organization) *time.Location {
	if org.Timezone == "" {
		return time.UTC
	}
	if loc, ok := locations.Load(org.Timezone); ok {
		return loc.(*time.Location)
	}
	loc := org.Location()
	locations.Store(org.Timezone, loc)
	return loc
}

// quantifiedEngagements are the ids of the engagements that at least one
// recommendation with an estimated monthly saving above zero names.
func quantifiedEngagements(l *tamledger.Ledger) map[string]bool {
	q := map[string]bool{}
	for i := range l.Recommendations {
		r := &l.Recommendations[i]
		if r.Engagement != "" && r.Quantified() {
			q[r.Engagement] = true
		}
	}
	return q
}
