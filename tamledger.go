// Package tamledger is the domain of tamledger: the records an AWS
// Enterprise Support customer keeps about its Technical Account Manager
// relationship (docs/documents.md), their validation, and the error type every
// other package speaks.
//
// The types carry json tags with the document field names (lowerCamelCase);
// goccy/go-yaml reads the same tags, so one set of types serves YAML, JSON,
// the store and the API. Optional fields are pointers or omitempty so that an
// export writes back exactly the fields that were given.
package tamledger

import (
	"strings"
	"time"
)

// Organization is one Enterprise Support relationship.
type Organization struct {
	ID                  string       `json:"-"`
	Name                string       `json:"name,omitempty"`
	Timezone            string       `json:"timezone,omitempty"`
	Currency            string       `json:"currency,omitempty"`
	SupportPlan         string       `json:"supportPlan,omitempty"`
	MonthlySpend        *Money       `json:"monthlySpend,omitempty"`
	Accounts            []Account    `json:"accounts,omitempty"`
	DowntimeCostPerHour *Money       `json:"downtimeCostPerHour,omitempty"`
	EDP                 *EDP         `json:"edp,omitempty"`
	AccountTeam         *AccountTeam `json:"accountTeam,omitempty"`
	Contacts            []Contact    `json:"contacts,omitempty"`
	Complexity          *Complexity  `json:"complexity,omitempty"`
	Workloads           []Workload   `json:"workloads,omitempty"`
	// CalendarRules classify the meetings of a calendar import into
	// services before the default rules (DefaultCalendarRules).
	CalendarRules []CalendarRule `json:"calendarRules,omitempty"`
	Notes         string         `json:"notes,omitempty"`
}

type Account struct {
	ID           string `json:"id"`
	Name         string `json:"name,omitempty"`
	MonthlySpend *Money `json:"monthlySpend,omitempty"`
}

type EDP struct {
	Start        Date   `json:"start"`
	End          Date   `json:"end"`
	AnnualCommit *Money `json:"annualCommit,omitempty"`
}

type AccountTeam struct {
	TAM            *TAM     `json:"tam,omitempty"`
	BackupTAM      *Person  `json:"backupTam,omitempty"`
	AccountManager *Person  `json:"accountManager,omitempty"`
	SolutionsArch  *Person  `json:"solutionsArchitect,omitempty"`
	Specialists    []Person `json:"specialists,omitempty"`
	Domains        []string `json:"domains,omitempty"`
}

type Person struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Role  string `json:"role,omitempty"`
}

type TAM struct {
	Name          string `json:"name,omitempty"`
	Email         string `json:"email,omitempty"`
	Seniority     string `json:"seniority,omitempty"`
	PortfolioSize *int   `json:"portfolioSize,omitempty"`
	Since         *Date  `json:"since,omitempty"`
}

type Contact struct {
	Name      string `json:"name,omitempty"`
	Email     string `json:"email,omitempty"`
	Role      string `json:"role,omitempty"`
	Executive bool   `json:"executive,omitempty"`
}

type Complexity struct {
	ActiveMigration bool `json:"activeMigration,omitempty"`
	MultiRegion     bool `json:"multiRegion,omitempty"`
}

type Workload struct {
	ID          string   `json:"id"`
	Name        string   `json:"name,omitempty"`
	Environment string   `json:"environment,omitempty"`
	Primary     bool     `json:"primary,omitempty"`
	Regulated   bool     `json:"regulated,omitempty"`
	Services    []string `json:"services,omitempty"`
	// AWSWorkloadID is the id of the workload in the AWS Well-Architected
	// Tool (32 hex digits), which tamledger sync aws matches it by; without
	// it, the AWS workload whose name equals Name (case-insensitively).
	AWSWorkloadID string `json:"awsWorkloadId,omitempty"`
}

// Location is the organisation's time zone (UTC when unset or unknown).
func (o *Organization) Location() *time.Location {
	if o == nil || o.Timezone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Workload returns the workload with id, or nil.
func (o *Organization) Workload(id string) *Workload {
	for i := range o.Workloads {
		if o.Workloads[i].ID == id {
			return &o.Workloads[i]
		}
	}
	return nil
}

// WorkloadIDs lists the workload ids for a message ("want one of: ...").
func (o *Organization) WorkloadIDs() string {
	if len(o.Workloads) == 0 {
		return "none: the organization has no workloads"
	}
	ids := make([]string, len(o.Workloads))
	for i, w := range o.Workloads {
		ids[i] = w.ID
	}
	return strings.Join(ids, ", ")
}

// PrimaryWorkloads returns the primary workloads in document order.
func (o *Organization) PrimaryWorkloads() []Workload {
	var p []Workload
	for _, w := range o.Workloads {
		if w.Primary {
			p = append(p, w)
		}
	}
	return p
}

// Spend is the organisation's monthly spend: monthlySpend, or the sum of its
// accounts when monthlySpend is absent.
func (o *Organization) Spend() Money {
	if o.MonthlySpend != nil {
		return *o.MonthlySpend
	}
	var sum Money
	for _, a := range o.Accounts {
		if a.MonthlySpend != nil {
			sum = Money{sum.Add(a.MonthlySpend.Decimal)}
		}
	}
	return sum
}

// Charter is one version of the TAM Engagement Charter.
type Charter struct {
	ID              string           `json:"-"`
	Org             string           `json:"-"`
	Effective       Date             `json:"effective"`
	AgreedOn        *Date            `json:"agreedOn,omitempty"`
	BackupTAM       bool             `json:"backupTam,omitempty"`
	IEM             *IEMLead         `json:"iem,omitempty"`
	Contacts        []Contact        `json:"contacts,omitempty"`
	EscalationPaths []EscalationPath `json:"escalationPaths,omitempty"`
	Obligations     []Obligation     `json:"obligations,omitempty"`
	Notes           string           `json:"notes,omitempty"`
}

type IEMLead struct {
	MinimumLeadDays     *int `json:"minimumLeadDays,omitempty"`
	RecommendedLeadDays *int `json:"recommendedLeadDays,omitempty"`
}

// Leads returns the charter's IEM lead days, 14 and 30 unless set.
func (c *Charter) Leads() (minimum, recommended int) {
	minimum, recommended = 14, 30
	if c != nil && c.IEM != nil {
		if c.IEM.MinimumLeadDays != nil {
			minimum = *c.IEM.MinimumLeadDays
		}
		if c.IEM.RecommendedLeadDays != nil {
			recommended = *c.IEM.RecommendedLeadDays
		}
	}
	return minimum, recommended
}

type EscalationPath struct {
	Severity         string  `json:"severity"`
	TAMResponseHours float64 `json:"tamResponseHours"`
	Contact          string  `json:"contact,omitempty"`
}

// Obligation is one promised, recurring service.
type Obligation struct {
	ID        string `json:"id"`
	Service   string `json:"service"`
	Cadence   string `json:"cadence"`
	Scope     string `json:"scope,omitempty"` // "" means organization
	GraceDays int    `json:"graceDays,omitempty"`
	Requires  string `json:"requires,omitempty"`
	Notes     string `json:"notes,omitempty"`
}

// ScopeOrDefault is the obligation's scope, "organization" when unset.
func (ob Obligation) ScopeOrDefault() string {
	if ob.Scope == "" {
		return "organization"
	}
	return ob.Scope
}

// Engagement is one thing that happened between the customer and AWS.
type Engagement struct {
	ID          string   `json:"-"`
	Org         string   `json:"-"`
	Date        Date     `json:"date"`
	Service     string   `json:"service"`
	InitiatedBy string   `json:"initiatedBy"`
	Workloads   []string `json:"workloads,omitempty"`
	Attendees   []string `json:"attendees,omitempty"`
	Summary     string   `json:"summary,omitempty"`
	Source      string   `json:"source,omitempty"`
	AWSID       string   `json:"awsId,omitempty"` // the record in AWS (docs/aws-sync.md)
}

// Recommendation is advice raised to the customer.
type Recommendation struct {
	ID                      string           `json:"-"`
	Org                     string           `json:"-"`
	RaisedOn                Date             `json:"raisedOn"`
	Engagement              string           `json:"engagement,omitempty"`
	Origin                  string           `json:"origin"`
	Pillar                  string           `json:"pillar,omitempty"`
	Workload                string           `json:"workload,omitempty"`
	Title                   string           `json:"title,omitempty"`
	Risk                    string           `json:"risk,omitempty"`
	EstimatedMonthlySavings *Money           `json:"estimatedMonthlySavings,omitempty"`
	Status                  string           `json:"status"`
	StatusReason            string           `json:"statusReason,omitempty"`
	ImplementedOn           *Date            `json:"implementedOn,omitempty"`
	RealizedMonthlySavings  *Money           `json:"realizedMonthlySavings,omitempty"`
	IncidentAvoided         *IncidentAvoided `json:"incidentAvoided,omitempty"`
	ArchitectureValue       *Money           `json:"architectureValue,omitempty"`
	ContextualizedByTAM     bool             `json:"contextualizedByTam,omitempty"`
	AWSID                   string           `json:"awsId,omitempty"` // the finding in AWS (docs/aws-sync.md)
}

// Quantified reports whether the recommendation has an estimated monthly
// saving above zero.
func (r *Recommendation) Quantified() bool {
	return r.EstimatedMonthlySavings != nil && r.EstimatedMonthlySavings.IsPositive()
}

type IncidentAvoided struct {
	DowntimeHours float64 `json:"downtimeHours"`
	Probability   float64 `json:"probability"`
}

// Case is an AWS support case or escalation.
type Case struct {
	ID           string     `json:"-"`
	Org          string     `json:"-"`
	Severity     string     `json:"severity"`
	Subject      string     `json:"subject,omitempty"`
	OpenedAt     time.Time  `json:"openedAt"`
	TAMEngagedAt *time.Time `json:"tamEngagedAt,omitempty"`
	ResolvedAt   *time.Time `json:"resolvedAt,omitempty"`
	AWSID        string     `json:"awsId,omitempty"` // the AWS Support case id
}

// Event is a planned event for Infrastructure Event Management.
type Event struct {
	ID                   string  `json:"-"`
	Org                  string  `json:"-"`
	Name                 string  `json:"name,omitempty"`
	Type                 string  `json:"type,omitempty"`
	Date                 Date    `json:"date"`
	IEMRequestedOn       *Date   `json:"iemRequestedOn,omitempty"`
	FailureCost          *Money  `json:"failureCost,omitempty"`
	ProbabilityReduction float64 `json:"probabilityReduction,omitempty"`
	Phases               *Phases `json:"phases,omitempty"`
}

type Phases struct {
	PreEventReviewOn  *Date `json:"preEventReviewOn,omitempty"`
	CoverageArranged  bool  `json:"coverageArranged,omitempty"`
	PostEventReviewOn *Date `json:"postEventReviewOn,omitempty"`
}

// ReassignmentRequest is a request to AWS for another TAM.
type ReassignmentRequest struct {
	ID             string   `json:"-"`
	Org            string   `json:"-"`
	RequestedOn    Date     `json:"requestedOn"`
	Reasons        []string `json:"reasons,omitempty"`
	AcknowledgedOn *Date    `json:"acknowledgedOn,omitempty"`
	ResolvedOn     *Date    `json:"resolvedOn,omitempty"`
	EscalatedOn    *Date    `json:"escalatedOn,omitempty"`
	Notes          string   `json:"notes,omitempty"`
}

// PriceBook is a dated table of AWS Support plan prices.
type PriceBook struct {
	ID        string          `json:"-"`
	Effective Date            `json:"effective"`
	Source    string          `json:"source,omitempty"`
	Plans     map[string]Plan `json:"plans"`
}

type Plan struct {
	Minimum    Money  `json:"minimum"`
	PerAccount bool   `json:"perAccount,omitempty"`
	Tiers      []Tier `json:"tiers"`
}

// Tier is one marginal band: spend up to UpTo (nil: no upper bound) is
// charged at Rate.
type Tier struct {
	UpTo *Money `json:"upTo,omitempty"`
	Rate Rate   `json:"rate"`
}

// Ledger is everything recorded for one organisation: the input of every
// rule in package score.
type Ledger struct {
	Org             *Organization
	Charters        []Charter // by Effective ascending
	Engagements     []Engagement
	Recommendations []Recommendation
	Cases           []Case
	Events          []Event
	Reassignments   []ReassignmentRequest
}

// Record is one document's identity and value: what the document package
// reads and writes, and what the store keeps. Value is a pointer to one of
// the kinds: *Organization, *Charter, *Engagement, *Recommendation, *Case,
// *Event, *ReassignmentRequest or *PriceBook. Org is "" for Organization and
// PriceBook.
type Record struct {
	Kind  string
	Org   string
	ID    string
	Value any
}

// Change is what storing a record did.
type Change int

const (
	Unchanged Change = iota
	Created
	Updated
)

func (c Change) String() string { return [...]string{"unchanged", "created", "updated"}[c] }

// NewValue returns a new zero value for kind (a pointer), or nil for an
// unknown kind.
func NewValue(kind string) any {
	if k, ok := LookupKind(kind); ok {
		return k.New()
	}
	return nil
}

// Validator is implemented by every kind's value.
type Validator interface{ Validate() error }

// SetKey copies the record's Org and ID into its value's ID and Org fields.
func (r Record) SetKey() {
	if v, ok := r.Value.(interface{ setKey(org, id string) }); ok {
		v.setKey(r.Org, r.ID)
	}
}

func (v *Organization) setKey(_, id string)          { v.ID = id }
func (v *PriceBook) setKey(_, id string)             { v.ID = id }
func (v *Charter) setKey(org, id string)             { v.ID, v.Org = id, org }
func (v *Engagement) setKey(org, id string)          { v.ID, v.Org = id, org }
func (v *Recommendation) setKey(org, id string)      { v.ID, v.Org = id, org }
func (v *Case) setKey(org, id string)                { v.ID, v.Org = id, org }
func (v *Event) setKey(org, id string)               { v.ID, v.Org = id, org }
func (v *ReassignmentRequest) setKey(org, id string) { v.ID, v.Org = id, org }
