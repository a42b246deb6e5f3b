package tamledger

import (
	"reflect"
	"slices"
)

// KindInfo is what there is to know about a kind of record besides its
// fields: the one place that describes it, which the documents, the store
// and the CLI read.
type KindInfo struct {
	Name        string // "Engagement", as documents give it
	Noun        string // "engagement", in messages
	Plural      string // "engagements", as people type it
	Scoped      bool   // belongs to an organisation (metadata.organization)
	Bulk        bool   // may come as CSV rows
	Description string // one line, for the JSON Schema and --help
	New         func() any
}

// The kinds, in the order they are written and exported: what a record
// refers to comes before it.
var kinds = []KindInfo{
	{Name: KindPriceBook, Noun: "price book", Plural: "pricebooks",
		Description: "A dated table of AWS Support plan prices.",
		New:         func() any { return new(PriceBook) }},
	{Name: KindOrganization, Noun: "organization", Plural: "organizations",
		Description: "One Enterprise Support relationship: plan, spend, downtime cost, EDP, account team, contacts, workloads.",
		New:         func() any { return new(Organization) }},
	{Name: KindCharter, Noun: "charter", Plural: "charters", Scoped: true,
		Description: "One version of the TAM Engagement Charter, in force from its effective date.",
		New:         func() any { return new(Charter) }},
	{Name: KindEngagement, Noun: "engagement", Plural: "engagements", Scoped: true, Bulk: true,
		Description: "One thing that happened between the customer and AWS.",
		New:         func() any { return new(Engagement) }},
	{Name: KindRecommendation, Noun: "recommendation", Plural: "recommendations", Scoped: true, Bulk: true,
		Description: "Advice raised to the customer, with its value.",
		New:         func() any { return new(Recommendation) }},
	{Name: KindCase, Noun: "case", Plural: "cases", Scoped: true, Bulk: true,
		Description: "An AWS support case or escalation.",
		New:         func() any { return new(Case) }},
	{Name: KindEvent, Noun: "event", Plural: "events", Scoped: true,
		Description: "A planned event for Infrastructure Event Management.",
		New:         func() any { return new(Event) }},
	{Name: KindReassignmentRequest, Noun: "reassignment request", Plural: "reassignmentrequests", Scoped: true,
		Description: "A request to AWS for another TAM.",
		New:         func() any { return new(ReassignmentRequest) }},
}

var kindByType = func() map[reflect.Type]int {
	m := map[reflect.Type]int{}
	for i, k := range kinds {
		m[reflect.TypeOf(k.New())] = i
	}
	return m
}()

// AllKinds describes every kind, in write order (price books,
// organisations, then what belongs to an organisation).
func AllKinds() []KindInfo { return slices.Clone(kinds) }

// LookupKind describes the kind named name ("Engagement").
func LookupKind(name string) (KindInfo, bool) {
	for _, k := range kinds {
		if k.Name == name {
			return k, true
		}
	}
	return KindInfo{}, false
}

// KindOf describes the kind of a record value: a non-nil pointer to one of
// the domain types.
func KindOf(v any) (KindInfo, bool) {
	i, ok := kindByType[reflect.TypeOf(v)]
	if !ok || reflect.ValueOf(v).IsNil() {
		return KindInfo{}, false
	}
	return kinds[i], true
}
