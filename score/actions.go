package score

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/tamledger/tamledger"
)

// Action is one thing the customer should push for now (docs/scorecard.md, "Next actions").
type Action struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Subject  string `json:"subject"`
	Message  string `json:"message"`
}

// ActionList is the documented `actions -o json`.
type ActionList struct {
	Organization string         `json:"organization"`
	AsOf         tamledger.Date `json:"asOf"`
	Actions      []Action       `json:"actions"`
}

// Severities, most urgent first.
const (
	Critical = "critical"
	High     = "high"
	Medium   = "medium"
	Low      = "low"
)

// Action codes.
const (
	WAROverdue             = "war-overdue"
	CharterMissingTerm     = "charter-missing-term"
	NoCharter              = "no-charter"
	IEMRequestNow          = "iem-request-now"
	IEMTooLate             = "iem-too-late"
	ReassignmentSuggested  = "reassignment-suggested"
	ReassignmentEscalate   = "reassignment-escalate"
	PortfolioUnknown       = "portfolio-unknown"
	PortfolioRebalance     = "portfolio-rebalance"
	SeniorTAMRequest       = "senior-tam-request"
	NoBackupTAM            = "no-backup-tam"
	SpecialistIntro        = "specialist-intro"
	CostReviewUnquantified = "cost-review-unquantified"
	EDPRenewalPrep         = "edp-renewal-prep"
)

// severity is the fixed severity of each action code (docs/scorecard.md).
var severity = map[string]string{
	IEMTooLate:             Critical,
	NoCharter:              High,
	WAROverdue:             High,
	IEMRequestNow:          High,
	ReassignmentSuggested:  High,
	ReassignmentEscalate:   High,
	CharterMissingTerm:     Medium,
	PortfolioRebalance:     Medium,
	SeniorTAMRequest:       Medium,
	NoBackupTAM:            Medium,
	SpecialistIntro:        Medium,
	CostReviewUnquantified: Medium,
	EDPRenewalPrep:         Medium,
	PortfolioUnknown:       Low,
}

// SeverityRank orders severities: critical 0, high 1, medium 2, low 3.
func SeverityRank(s string) int {
	switch s {
	case Critical:
		return 0
	case High:
		return 1
	case Medium:
		return 2
	}
	return 3
}

// Charter terms that charter-missing-term checks, in this order.
const (
	TermMonthlyStrategyCall      = "monthly-strategy-call"
	TermQuarterlyCostReview      = "quarterly-cost-review"
	TermAnnualWAR                = "annual-war"
	TermSemiannualSecurityReview = "semiannual-security-review"
	TermBackupTAM                = "backup-tam"
	TermEscalationPaths          = "escalation-paths"
)

// complexServices maps a lower-case AWS service name to its complex
// category (docs/scorecard.md, "Complexity drivers").
var complexServices = map[string]string{
	"sagemaker": "ML/AI", "bedrock": "ML/AI", "comprehend": "ML/AI", "rekognition": "ML/AI",
	"eks": "containers", "ecs": "containers", "fargate": "containers",
	"emr": "data engineering", "glue": "data engineering", "redshift": "data engineering",
	"kinesis": "data engineering", "msk": "data engineering", "opensearch": "data engineering",
	"athena": "data engineering",
}

// ComplexCategory is the complex service category of an AWS service name
// (compared case-insensitively), or "".
func ComplexCategory(service string) string { return complexServices[strings.ToLower(service)] }

// Actions lists what to push for as of asOf, most urgent first: by
// severity, then code, then subject.
func Actions(l *tamledger.Ledger, asOf tamledger.Date) []Action {
	return actions(l, asOf, Scorecard(l, asOf))
}

func actions(l *tamledger.Ledger, asOf tamledger.Date, card *Card) []Action {
	org := orgOf(l)
	charters := sortedCharters(l)
	cur := inForce(charters, asOf)
	var out []Action
	add := func(code, subject, format string, args ...any) {
		out = append(out, Action{Code: code, Severity: severity[code], Subject: subject, Message: fmt.Sprintf(format, args...)})
	}
	var team tamledger.AccountTeam
	if org.AccountTeam != nil {
		team = *org.AccountTeam
	}
	tam, tamName := "your TAM", "your TAM"
	if team.TAM != nil && team.TAM.Name != "" {
		tam, tamName = "your TAM ("+team.TAM.Name+")", team.TAM.Name
	}

	// no-charter / charter-missing-term
	if cur == nil {
		later := ""
		if len(charters) > 0 {
			later = fmt.Sprintf(" (version %s only takes effect on %s)", charters[0].ID, charters[0].Effective)
		}
		add(NoCharter, org.ID, "Agree a written TAM Engagement Charter with %s: no charter is in force on %s%s, so nothing the TAM delivers can be measured against a promise.", tam, asOf, later)
	} else {
		for _, term := range MissingTerms(cur) {
			add(CharterMissingTerm, term, "Add %s to the charter at the next EBR: the charter in force (%s, effective %s) does not promise it, and %s.",
				termText[term][0], cur.ID, cur.Effective, termText[term][1])
		}
	}

	// war-overdue
	since := asOf.AddDays(-365)
	for _, w := range org.PrimaryWorkloads() {
		var last *tamledger.Date
		for _, e := range l.Engagements {
			if e.Service != "well-architected-review" || e.Date.After(asOf) || !slices.Contains(e.Workloads, w.ID) {
				continue
			}
			if last == nil || e.Date.After(*last) {
				d := e.Date
				last = &d
			}
		}
		if last != nil && !last.Before(since) {
			continue
		}
		history := "none was ever recorded"
		if last != nil {
			history = fmt.Sprintf("the last was on %s, %s ago", *last, days(last.DaysUntil(asOf)))
		}
		add(WAROverdue, w.ID, "Request a Well-Architected Review of the primary workload %s, the first thing to ask %s for: it has had none in the 365 days since %s (%s).",
			name(w.Name, w.ID), tam, since, history)
	}

	// iem-request-now / iem-too-late
	minLead, recLead := cur.Leads()
	for _, ev := range l.Events {
		d := asOf.DaysUntil(ev.Date)
		if d < 0 || d > recLead || (ev.IEMRequestedOn != nil && !ev.IEMRequestedOn.After(asOf)) {
			continue
		}
		if d < minLead {
			add(IEMTooLate, ev.ID, "Request Infrastructure Event Management for %s anyway and escalate to %s and the account manager: the event is %s away (%s), below AWS's minimum lead of %d days, and no IEM has been requested.",
				name(ev.Name, ev.ID), tam, days(d), ev.Date, minLead)
		} else {
			add(IEMRequestNow, ev.ID, "Request Infrastructure Event Management for %s today: the event is %s away (%s), inside the %d-day lead AWS usually needs for complex events (the minimum is %d days), and no IEM has been requested.",
				name(ev.Name, ev.ID), days(d), ev.Date, recLead, minLead)
		}
	}

	// reassignment-suggested
	unresolved := false
	for _, r := range l.Reassignments {
		if r.ResolvedOn == nil {
			unresolved = true
		}
	}
	qs := LastQuarters(asOf, 2)
	a1, a0 := charterAdherenceOver(card.Obligations, qs[1]), charterAdherenceOver(card.Obligations, qs[0])
	threshold := big.NewRat(3, 5)
	if !unresolved && a1 != nil && a0 != nil && a1.Cmp(threshold) < 0 && a0.Cmp(threshold) < 0 {
		add(ReassignmentSuggested, org.ID, "Request a TAM reassignment, framed constructively and backed by the scorecard: charter adherence was %s in %s and %s in %s, below 60%% in both of the last two complete quarters.",
			percent(a1), QuarterName(qs[1]), percent(a0), QuarterName(qs[0]))
	}

	// reassignment-escalate
	for _, r := range l.Reassignments {
		if asOf.Before(EscalationDue(r)) || r.AcknowledgedOn != nil || r.ResolvedOn != nil || r.EscalatedOn != nil {
			continue
		}
		add(ReassignmentEscalate, r.ID, "Escalate reassignment request %s to AWS account leadership: it was made on %s, %s ago, and has been neither acknowledged nor resolved within 30 days.",
			r.ID, r.RequestedOn, days(r.RequestedOn.DaysUntil(asOf)))
	}

	// portfolio-unknown / portfolio-rebalance
	if team.TAM == nil || team.TAM.PortfolioSize == nil {
		add(PortfolioUnknown, org.ID, "Ask %s how many accounts they manage: the portfolio size is not recorded, and it tells you how much of the TAM's time you can expect and when to ask for rebalancing (above 45 accounts).", tam)
	} else if n := *team.TAM.PortfolioSize; n > 45 && card.adherence != nil && card.adherence.Cmp(big.NewRat(4, 5)) < 0 {
		add(PortfolioRebalance, org.ID, "Make the case to AWS for rebalancing the TAM's portfolio: %s manages %d accounts, more than 45, and charter adherence over the last year is %s, below 80%%.",
			tam, n, percent(card.adherence))
	}

	// senior-tam-request
	if team.TAM != nil && (team.TAM.Seniority == "associate" || team.TAM.Seniority == "tam") {
		if drivers := complexityDrivers(org); len(drivers) >= 2 {
			add(SeniorTAMRequest, org.ID, "Request a senior or principal TAM: the TAM's seniority is %q, but the account has %d complexity drivers (%s).",
				team.TAM.Seniority, len(drivers), strings.Join(drivers, "; "))
		}
	}

	// no-backup-tam
	if team.BackupTAM == nil || (team.BackupTAM.Name == "" && team.BackupTAM.Email == "") {
		add(NoBackupTAM, org.ID, "Name backup TAM coverage in the charter and the account team: no backup TAM is recorded, so nobody is accountable when %s is away.", tamName)
	}

	// specialist-intro
	from90 := asOf.AddDays(-90)
	for _, w := range org.Workloads {
		var complexUsed []string
		for _, s := range w.Services {
			if c := ComplexCategory(s); c != "" {
				complexUsed = append(complexUsed, fmt.Sprintf("%s (%s)", s, c))
			}
		}
		if len(complexUsed) == 0 {
			continue
		}
		had := false
		for _, e := range l.Engagements {
			if e.Service == "specialist-deep-dive" && !e.Date.Before(from90) && !e.Date.After(asOf) && slices.Contains(e.Workloads, w.ID) {
				had = true
				break
			}
		}
		if !had {
			add(SpecialistIntro, w.ID, "Ask %s for a specialist introduction for %s: it uses %s, and has had no specialist deep dive in the 90 days since %s.",
				tam, name(w.Name, w.ID), strings.Join(complexUsed, ", "), from90)
		}
	}

	// cost-review-unquantified
	quantified := quantifiedEngagements(l)
	for _, e := range l.Engagements {
		if e.Service != "cost-review" || e.Date.Before(from90) || e.Date.After(asOf) || quantified[e.ID] {
			continue
		}
		add(CostReviewUnquantified, e.ID, "Ask for specific, quantified recommendations from the cost review of %s (%s, %s ago): no recommendation from it carries an estimated monthly saving, so it cannot count toward a quantified cost review or the ROI.",
			e.Date, e.ID, days(e.Date.DaysUntil(asOf)))
	}

	// edp-renewal-prep
	if edp := org.EDP; edp != nil && !edp.End.IsZero() {
		if d := asOf.DaysUntil(edp.End); d >= 0 && d <= 180 {
			add(EDPRenewalPrep, org.ID, "Build the value dossier for the EDP renewal now (tamledger roi): the EDP ends on %s, %s away, within the 180 days in which the evidence has to be ready.",
				edp.End, days(d))
		}
	}

	SortActions(out)
	if out == nil {
		out = []Action{}
	}
	return out
}

// SortActions sorts most urgent first: by severity, then code, then subject.
func SortActions(as []Action) {
	slices.SortStableFunc(as, func(a, b Action) int {
		if c := cmp.Compare(SeverityRank(a.Severity), SeverityRank(b.Severity)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return strings.Compare(a.Subject, b.Subject)
	})
}

// termText is, per charter term, what to add and why.
var termText = map[string][2]string{
	TermMonthlyStrategyCall:      {"a monthly strategy call", "a monthly call is what keeps the TAM ahead of your roadmap"},
	TermQuarterlyCostReview:      {"a quarterly cost review with quantified recommendations", "only recommendations with an estimated saving can be tracked to value"},
	TermAnnualWAR:                {"an annual Well-Architected Review of each primary workload", "a WAR per primary workload is the baseline of architectural risk"},
	TermSemiannualSecurityReview: {"a semi-annual security review", "security posture drifts faster than once a year"},
	TermBackupTAM:                {"backup TAM coverage", "without it nobody is accountable when the TAM is away"},
	TermEscalationPaths:          {"escalation paths with TAM response targets per case severity", "without them escalation responsiveness cannot be measured"},
}

// MissingTerms are the terms of docs/scorecard.md ("Charter terms") the charter
// version lacks, in the order monthly-strategy-call, quarterly-cost-review,
// annual-war, semiannual-security-review, backup-tam, escalation-paths.
func MissingTerms(ch *tamledger.Charter) []string {
	has := func(ok func(ob tamledger.Obligation, months int) bool) bool {
		for _, ob := range ch.Obligations {
			if m := tamledger.CadenceMonths(ob.Cadence); m > 0 && ok(ob, m) {
				return true
			}
		}
		return false
	}
	var missing []string
	if !has(func(ob tamledger.Obligation, m int) bool { return ob.Service == "strategy-call" && m == 1 }) {
		missing = append(missing, TermMonthlyStrategyCall)
	}
	if !has(func(ob tamledger.Obligation, m int) bool {
		return ob.Service == "cost-review" && m <= 3 && ob.Requires == "quantified-recommendations"
	}) {
		missing = append(missing, TermQuarterlyCostReview)
	}
	if !has(func(ob tamledger.Obligation, m int) bool {
		return ob.Service == "well-architected-review" && ob.ScopeOrDefault() == "each-primary-workload" && m <= 12
	}) {
		missing = append(missing, TermAnnualWAR)
	}
	if !has(func(ob tamledger.Obligation, m int) bool { return ob.Service == "security-review" && m <= 6 }) {
		missing = append(missing, TermSemiannualSecurityReview)
	}
	if !ch.BackupTAM {
		missing = append(missing, TermBackupTAM)
	}
	if len(ch.EscalationPaths) == 0 {
		missing = append(missing, TermEscalationPaths)
	}
	return missing
}

// complexityDrivers are the drivers of docs/scorecard.md present, each once, described.
func complexityDrivers(org *tamledger.Organization) []string {
	var drivers []string
	var regulated, complexUsed []string
	for _, w := range org.Workloads {
		if w.Regulated {
			regulated = append(regulated, w.ID)
		}
		for _, s := range w.Services {
			if c := ComplexCategory(s); c != "" && !slices.Contains(complexUsed, c) {
				complexUsed = append(complexUsed, c)
			}
		}
	}
	if len(regulated) > 0 {
		drivers = append(drivers, "regulated workload "+strings.Join(regulated, ", "))
	}
	if org.Complexity != nil && org.Complexity.ActiveMigration {
		drivers = append(drivers, "an active migration")
	}
	if org.Complexity != nil && org.Complexity.MultiRegion {
		drivers = append(drivers, "a multi-region footprint")
	}
	if len(complexUsed) > 0 {
		drivers = append(drivers, "complex services: "+strings.Join(complexUsed, ", "))
	}
	if n := len(org.PrimaryWorkloads()); n >= 5 {
		drivers = append(drivers, fmt.Sprintf("%d primary workloads", n))
	}
	return drivers
}

func name(n, id string) string {
	if n == "" || n == id {
		return id
	}
	return n + " (" + id + ")"
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// EscalateAfterDays is how long a reassignment request may stay neither
// acknowledged nor resolved before reassignment-escalate asks to take it to
// AWS account leadership.
const EscalateAfterDays = 30

// EscalationDue is the day on which reassignment-escalate fires for r if it
// is still neither acknowledged, resolved nor escalated: requestedOn + 30.
func EscalationDue(r tamledger.ReassignmentRequest) tamledger.Date {
	return r.RequestedOn.AddDays(EscalateAfterDays)
}

// SeverityOf is the severity of an action code, "" for an unknown code.
func SeverityOf(code string) string { return severity[code] }

// Codes are the action codes, in the order of docs/scorecard.md.
var Codes = []string{WAROverdue, CharterMissingTerm, NoCharter, IEMRequestNow, IEMTooLate, ReassignmentSuggested,
	ReassignmentEscalate, PortfolioUnknown, PortfolioRebalance, SeniorTAMRequest, NoBackupTAM, SpecialistIntro,
	CostReviewUnquantified, EDPRenewalPrep}
