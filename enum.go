package tamledger

import (
	"slices"
	"strings"
)

// The closed vocabularies of docs/documents.md, each in its documented
// order. A Vocabulary cannot be changed: Values returns a copy.
var (
	Services = vocabulary("strategy-call", "cost-review", "well-architected-review", "security-review",
		"iem", "specialist-deep-dive", "business-review", "escalation", "other")
	Cadences            = vocabulary("monthly", "quarterly", "semiannual", "annual")
	Scopes              = vocabulary("organization", "each-primary-workload")
	Requirements        = vocabulary("quantified-recommendations")
	Initiators          = vocabulary("tam", "customer")
	Sources             = vocabulary("manual", "ics", "aws", "import")
	Origins             = vocabulary("tam", "specialist", "well-architected", "trusted-advisor", "cost-optimization-hub", "internal")
	Pillars             = vocabulary("operational-excellence", "security", "reliability", "performance-efficiency", "cost-optimization", "sustainability")
	Risks               = vocabulary("high", "medium", "low")
	Statuses            = vocabulary("open", "accepted", "implemented", "rejected", "deferred")
	Severities          = vocabulary("low", "normal", "high", "urgent", "critical")
	EventTypes          = vocabulary("migration", "launch", "dr-test", "peak", "other")
	Seniorities         = vocabulary("associate", "tam", "senior", "principal")
	SupportPlans        = vocabulary("business-plus", "enterprise", "enterprise-on-ramp", "unified-operations")
	ReassignmentReasons = vocabulary("infrequent-contact", "generic-advice", "slow-escalation", "no-proactive-initiative")
	Kinds               = vocabulary(KindOrganization, KindCharter, KindEngagement, KindRecommendation, KindCase, KindEvent, KindReassignmentRequest, KindPriceBook)
)

// Vocabulary is a closed list of values, in its documented order.
type Vocabulary struct{ values []string }

func vocabulary(values ...string) Vocabulary { return Vocabulary{values} }

// Has reports whether v is one of the values.
func (v Vocabulary) Has(s string) bool { return slices.Contains(v.values, s) }

// Values returns the values, in order (a copy).
func (v Vocabulary) Values() []string { return slices.Clone(v.values) }

// String is the values separated by commas: "a, b, c".
func (v Vocabulary) String() string { return strings.Join(v.values, ", ") }

// Document kinds.
const (
	KindOrganization        = "Organization"
	KindCharter             = "Charter"
	KindEngagement          = "Engagement"
	KindRecommendation      = "Recommendation"
	KindCase                = "Case"
	KindEvent               = "Event"
	KindReassignmentRequest = "ReassignmentRequest"
	KindPriceBook           = "PriceBook"
	KindList                = "List"
)

// APIVersion is the only apiVersion documents may carry.
const APIVersion = "tamledger/v1"

// Cadence months: how many months one period of a cadence spans.
func CadenceMonths(c string) int {
	switch c {
	case "monthly":
		return 1
	case "quarterly":
		return 3
	case "semiannual":
		return 6
	case "annual":
		return 12
	}
	return 0
}
