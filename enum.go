package tamledger

import "slices"

// The closed vocabularies of docs/documents.md. Each list is in its documented order;
// Valid reports membership.

var (
	Services = []string{"strategy-call", "cost-review", "well-architected-review", "security-review",
		"iem", "specialist-deep-dive", "business-review", "escalation", "other"}
	Cadences            = []string{"monthly", "quarterly", "semiannual", "annual"}
	Scopes              = []string{"organization", "each-primary-workload"}
	Requirements        = []string{"quantified-recommendations"}
	Initiators          = []string{"tam", "customer"}
	Sources             = []string{"manual", "ics", "aws", "import"}
	Origins             = []string{"tam", "specialist", "well-architected", "trusted-advisor", "cost-optimization-hub", "internal"}
	Pillars             = []string{"operational-excellence", "security", "reliability", "performance-efficiency", "cost-optimization", "sustainability"}
	Risks               = []string{"high", "medium", "low"}
	Statuses            = []string{"open", "accepted", "implemented", "rejected", "deferred"}
	Severities          = []string{"low", "normal", "high", "urgent", "critical"}
	EventTypes          = []string{"migration", "launch", "dr-test", "peak", "other"}
	Seniorities         = []string{"associate", "tam", "senior", "principal"}
	SupportPlans        = []string{"business-plus", "enterprise", "enterprise-on-ramp", "unified-operations"}
	ReassignmentReasons = []string{"infrequent-contact", "generic-advice", "slow-escalation", "no-proactive-initiative"}
	Kinds               = []string{KindOrganization, KindCharter, KindEngagement, KindRecommendation, KindCase, KindEvent, KindReassignmentRequest, KindPriceBook}
)

// Valid reports whether v is one of the values of vocab.
func Valid(vocab []string, v string) bool { return slices.Contains(vocab, v) }

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
