package tamledger

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
)

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// awsWorkloadPattern is a Well-Architected Tool workload id.
var awsWorkloadPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// maxAWSID bounds an awsId (AWS ARNs are at most 2048 characters).
const maxAWSID = 2048

// awsID checks an AWS identifier kept on a record: text without spaces or
// control characters.
func (p *Problems) awsID(path, v string) {
	if v == "" {
		return
	}
	if len(v) > maxAWSID {
		p.Add(path, "%d characters is too long (want an AWS identifier of at most %d)", len(v), maxAWSID)
		return
	}
	for _, r := range v {
		if r <= ' ' || r == 0x7f {
			p.Add(path, "bad AWS identifier %q (want an ARN or id without spaces or control characters)", v)
			return
		}
	}
}

// ValidID reports whether s is a valid metadata id (also used for workload
// and obligation ids): [a-z0-9][a-z0-9._-]{0,127}.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// IDHint is the explanation added to an invalid id.
const IDHint = "want lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters"

func oneOf(vocab Vocabulary) string { return "want one of: " + vocab.String() }

func (p *Problems) enum(path, v string, vocab Vocabulary, required bool) {
	if v == "" {
		if required {
			p.Add(path, "missing (%s)", oneOf(vocab))
		}
		return
	}
	if !vocab.Has(v) {
		p.Add(path, "unknown value %q (%s)", v, oneOf(vocab))
	}
}

func (p *Problems) money(path string, m *Money) {
	if m != nil && m.IsNegative() {
		p.Add(path, "negative amount %s (want 0 or more)", m.String())
	}
}

func (p *Problems) date(path string, d Date) {
	if d.IsZero() {
		p.Add(path, "missing (want a date YYYY-MM-DD)")
	}
}

func (p *Problems) nonNegative(path string, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		p.Add(path, "%v is out of range (want a finite number, 0 or more)", x)
	}
}

func (p *Problems) probability(path string, x float64) {
	if math.IsNaN(x) || x < 0 || x > 1 {
		p.Add(path, "probability %v is out of range (want a number from 0 to 1)", x)
	}
}

func (p *Problems) id(path, v string) {
	switch {
	case v == "":
		p.Add(path, "missing (%s)", IDHint)
	case !ValidID(v):
		p.Add(path, "bad id %q (%s)", v, IDHint)
	}
}

// Validate checks the organisation on its own (field paths relative to spec).
func (o *Organization) Validate() error {
	var p Problems
	if o.Timezone != "" {
		if _, err := time.LoadLocation(o.Timezone); err != nil || o.Timezone == "Local" {
			p.Add("timezone", "unknown time zone %q (want an IANA name such as Europe/London or UTC)", o.Timezone)
		}
	}
	if o.Currency != "" && !currencyPattern.MatchString(o.Currency) {
		p.Add("currency", "bad currency %q (want an ISO 4217 code such as USD or EUR)", o.Currency)
	}
	p.enum("supportPlan", o.SupportPlan, SupportPlans, false)
	p.money("monthlySpend", o.MonthlySpend)
	p.money("downtimeCostPerHour", o.DowntimeCostPerHour)
	seen := map[string]bool{}
	var sum Money
	given := false
	for i, a := range o.Accounts {
		path := fmt.Sprintf("accounts[%d]", i)
		if a.ID == "" {
			p.Add(path+".id", "missing (want the AWS account id)")
		} else if seen[a.ID] {
			p.Add(path+".id", "duplicate account %q", a.ID)
		}
		seen[a.ID] = true
		p.money(path+".monthlySpend", a.MonthlySpend)
		if a.MonthlySpend != nil {
			given = true
			sum = Money{sum.Add(a.MonthlySpend.Decimal)}
		}
	}
	if given && o.MonthlySpend != nil && !sum.Equal(o.MonthlySpend.Decimal) {
		p.Add("monthlySpend", "monthlySpend %s disagrees with the sum of accounts[].monthlySpend %s (give one, or make them agree)", o.MonthlySpend.String(), sum.String())
	}
	if e := o.EDP; e != nil {
		p.date("edp.start", e.Start)
		p.date("edp.end", e.End)
		if !e.Start.IsZero() && !e.End.IsZero() && e.End.Before(e.Start) {
			p.Add("edp.end", "EDP ends %s before it starts %s", e.End, e.Start)
		}
		p.money("edp.annualCommit", e.AnnualCommit)
	}
	if t := o.AccountTeam; t != nil && t.TAM != nil {
		p.enum("accountTeam.tam.seniority", t.TAM.Seniority, Seniorities, false)
		if t.TAM.PortfolioSize != nil && *t.TAM.PortfolioSize < 0 {
			p.Add("accountTeam.tam.portfolioSize", "%d is out of range (want 0 or more)", *t.TAM.PortfolioSize)
		}
	}
	wl := map[string]bool{}
	awsWl := map[string]string{}
	for i, w := range o.Workloads {
		path := fmt.Sprintf("workloads[%d].id", i)
		p.id(path, w.ID)
		if wl[w.ID] {
			p.Add(path, "duplicate workload %q", w.ID)
		}
		wl[w.ID] = true
		if w.AWSWorkloadID != "" {
			path := fmt.Sprintf("workloads[%d].awsWorkloadId", i)
			switch prev, dup := awsWl[w.AWSWorkloadID]; {
			case !awsWorkloadPattern.MatchString(w.AWSWorkloadID):
				p.Add(path, "bad AWS workload id %q (want the 32 lowercase hex digits the Well-Architected Tool gives, such as 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d)", w.AWSWorkloadID)
			case dup:
				p.Add(path, "AWS workload %q is also the AWS workload of %q (give each AWS workload to one workload)", w.AWSWorkloadID, prev)
			}
			awsWl[w.AWSWorkloadID] = w.ID
		}
	}
	for i, r := range o.CalendarRules {
		path := fmt.Sprintf("calendarRules[%d]", i)
		p.enum(path+".service", r.Service, Services, true)
		if len(r.Match) == 0 {
			p.Add(path+".match", "missing (want a list of words or phrases, such as [FinOps, budget review])")
		}
		for j, m := range r.Match {
			if len(phraseWords(m)) == 0 {
				p.Add(fmt.Sprintf("%s.match[%d]", path, j), "%q has no letter or digit (want a word or phrase to find in a meeting's summary or description)", m)
			}
		}
	}
	return p.Err()
}

// Validate checks the charter version on its own.
func (c *Charter) Validate() error {
	var p Problems
	p.date("effective", c.Effective)
	if c.IEM != nil {
		if c.IEM.MinimumLeadDays != nil && *c.IEM.MinimumLeadDays < 0 {
			p.Add("iem.minimumLeadDays", "%d is out of range (want 0 or more)", *c.IEM.MinimumLeadDays)
		}
		if c.IEM.RecommendedLeadDays != nil && *c.IEM.RecommendedLeadDays < 0 {
			p.Add("iem.recommendedLeadDays", "%d is out of range (want 0 or more)", *c.IEM.RecommendedLeadDays)
		}
		if min, rec := c.Leads(); min > rec {
			p.Add("iem.minimumLeadDays", "minimumLeadDays %d is above recommendedLeadDays %d", min, rec)
		}
	}
	sev := map[string]bool{}
	for i, e := range c.EscalationPaths {
		path := fmt.Sprintf("escalationPaths[%d]", i)
		p.enum(path+".severity", e.Severity, Severities, true)
		if sev[e.Severity] {
			p.Add(path+".severity", "duplicate escalation path for severity %q", e.Severity)
		}
		sev[e.Severity] = true
		p.nonNegative(path+".tamResponseHours", e.TAMResponseHours)
	}
	ids := map[string]bool{}
	for i, ob := range c.Obligations {
		path := fmt.Sprintf("obligations[%d]", i)
		p.id(path+".id", ob.ID)
		if ob.ID != "" && ids[ob.ID] {
			p.Add(path+".id", "duplicate obligation id %q in this charter", ob.ID)
		}
		ids[ob.ID] = true
		p.enum(path+".service", ob.Service, Services, true)
		p.enum(path+".cadence", ob.Cadence, Cadences, true)
		p.enum(path+".scope", ob.Scope, Scopes, false)
		p.enum(path+".requires", ob.Requires, Requirements, false)
		if ob.GraceDays < 0 {
			p.Add(path+".graceDays", "%d is out of range (want 0 or more)", ob.GraceDays)
		}
	}
	return p.Err()
}

// Validate checks the engagement on its own.
func (e *Engagement) Validate() error {
	var p Problems
	p.date("date", e.Date)
	p.enum("service", e.Service, Services, true)
	p.enum("initiatedBy", e.InitiatedBy, Initiators, true)
	p.enum("source", e.Source, Sources, false)
	p.awsID("awsId", e.AWSID)
	for i, w := range e.Workloads {
		if !ValidID(w) {
			p.id(fmt.Sprintf("workloads[%d]", i), w)
		}
	}
	return p.Err()
}

// Validate checks the recommendation on its own.
func (r *Recommendation) Validate() error {
	var p Problems
	p.date("raisedOn", r.RaisedOn)
	if r.Engagement != "" {
		p.id("engagement", r.Engagement)
	}
	if r.Workload != "" {
		p.id("workload", r.Workload)
	}
	p.enum("origin", r.Origin, Origins, true)
	p.enum("pillar", r.Pillar, Pillars, false)
	p.enum("risk", r.Risk, Risks, false)
	p.enum("status", r.Status, Statuses, true)
	p.money("estimatedMonthlySavings", r.EstimatedMonthlySavings)
	p.money("realizedMonthlySavings", r.RealizedMonthlySavings)
	p.money("architectureValue", r.ArchitectureValue)
	if ia := r.IncidentAvoided; ia != nil {
		p.nonNegative("incidentAvoided.downtimeHours", ia.DowntimeHours)
		p.probability("incidentAvoided.probability", ia.Probability)
	}
	p.awsID("awsId", r.AWSID)
	return p.Err()
}

// Validate checks the case on its own.
func (c *Case) Validate() error {
	var p Problems
	p.enum("severity", c.Severity, Severities, true)
	if c.OpenedAt.IsZero() {
		p.Add("openedAt", "missing (want an RFC 3339 instant such as 2026-04-02T09:00:00Z)")
	}
	p.awsID("awsId", c.AWSID)
	return p.Err()
}

// Validate checks the event on its own.
func (e *Event) Validate() error {
	var p Problems
	p.date("date", e.Date)
	p.enum("type", e.Type, EventTypes, false)
	p.money("failureCost", e.FailureCost)
	p.probability("probabilityReduction", e.ProbabilityReduction)
	return p.Err()
}

// Validate checks the reassignment request on its own.
func (r *ReassignmentRequest) Validate() error {
	var p Problems
	p.date("requestedOn", r.RequestedOn)
	for i, s := range r.Reasons {
		if strings.TrimSpace(s) == "" {
			p.Add(fmt.Sprintf("reasons[%d]", i), "empty reason (want one of %s, or a sentence)", ReassignmentReasons)
		}
	}
	return p.Err()
}

// Validate checks the price book on its own.
func (b *PriceBook) Validate() error {
	var p Problems
	p.date("effective", b.Effective)
	if len(b.Plans) == 0 {
		p.Add("plans", "missing (want at least one plan, such as enterprise)")
	}
	for name, plan := range b.Plans {
		path := "plans." + name
		if !ValidID(name) {
			p.Add(path, "bad plan name %q (%s)", name, IDHint)
		}
		p.money(path+".minimum", &plan.Minimum)
		if len(plan.Tiers) == 0 {
			p.Add(path+".tiers", "missing (want at least one tier, the last without upTo)")
		}
		var prev *Money
		for i, t := range plan.Tiers {
			tp := fmt.Sprintf("%s.tiers[%d]", path, i)
			if t.Rate.IsNegative() || t.Rate.GreaterThan(MoneyFromInt(1).Decimal) {
				p.Add(tp+".rate", "rate %s is out of range (want a fraction from 0 to 1, such as 0.07)", t.Rate.String())
			}
			last := i == len(plan.Tiers)-1
			switch {
			case t.UpTo == nil && !last:
				p.Add(tp+".upTo", "missing (only the last tier may be unbounded)")
			case t.UpTo != nil && last:
				p.Add(tp+".upTo", "the last tier must have no upTo (it covers all spend above the previous tier)")
			case t.UpTo != nil && !t.UpTo.IsPositive():
				p.Add(tp+".upTo", "%s is out of range (want an amount above 0)", t.UpTo.String())
			case t.UpTo != nil && prev != nil && !t.UpTo.GreaterThan(prev.Decimal):
				p.Add(tp+".upTo", "%s is not above the previous tier's %s (tiers go up)", t.UpTo.String(), prev.String())
			}
			if t.UpTo != nil {
				prev = t.UpTo
			}
		}
	}
	return p.Err()
}

// ValidateValue validates a record value of any kind (a pointer to one of
// the domain types).
func ValidateValue(v any) error {
	if x, ok := v.(interface{ Validate() error }); ok {
		return x.Validate()
	}
	return Errorf(EINVALID, "%T is not a record value", v)
}
