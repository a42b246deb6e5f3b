package document

import (
	"encoding/json"
	"reflect"
	"slices"
	"sync"

	"github.com/invopop/jsonschema"

	"github.com/tamledger/tamledger"
)

// Schema returns the JSON Schema (draft 2020-12) of tamledger documents: one
// schema whose oneOf holds a document schema per kind, told apart by kind,
// and kind: List. It is generated from the Go types, with the vocabularies
// of the domain as enums and the required fields of their checks, so it
// stays in step with what the reader accepts.
//
// Optional fields may be null (the reader takes null as absent).
func Schema() []byte { return slices.Clone(schemaBytes()) }

var schemaBytes = sync.OnceValue(func() []byte {
	b, err := json.MarshalIndent(buildSchema(), "", "  ")
	if err != nil {
		panic("document: schema: " + err.Error())
	}
	return b
})

const idPattern = `^[a-z0-9][a-z0-9._-]{0,127}$`

// schemaRules adds to the reflected definitions what the Go types cannot
// say: the enums, patterns, bounds and required fields of the checks in
// validate.go.
var schemaRules = map[string]struct {
	required []string
	props    map[string]func(*jsonschema.Schema)
}{
	"Organization": {props: map[string]func(*jsonschema.Schema){
		"supportPlan": enum(tamledger.SupportPlans.Values()),
		"currency":    pattern(`^[A-Z]{3}$`),
		"timezone":    describe("IANA time zone such as Europe/London; default UTC"),
	}},
	"Account": {required: []string{"id"}},
	"EDP":     {required: []string{"start", "end"}},
	"TAM":     {props: map[string]func(*jsonschema.Schema){"seniority": enum(tamledger.Seniorities.Values()), "portfolioSize": minimum0}},
	"Workload": {required: []string{"id"}, props: map[string]func(*jsonschema.Schema){"id": pattern(idPattern),
		"awsWorkloadId": both(pattern(`^[0-9a-f]{32}$`), describe("the workload's id in the AWS Well-Architected Tool (tamledger sync aws)"))}},
	"CalendarRule": {required: []string{"service", "match"}, props: map[string]func(*jsonschema.Schema){
		"service": enum(tamledger.Services.Values()),
		"match": func(s *jsonschema.Schema) {
			s.Description = "words or phrases that classify a meeting into the service (docs/calendar.md)"
			s.MinItems = ptr(uint64(1))
		},
	}},
	"Charter": {required: []string{"effective"}, props: map[string]func(*jsonschema.Schema){
		"backupTam": describe("backup TAM coverage agreed"),
	}},
	"IEMLead":        {props: map[string]func(*jsonschema.Schema){"minimumLeadDays": minimum0, "recommendedLeadDays": minimum0}},
	"EscalationPath": {required: []string{"severity"}, props: map[string]func(*jsonschema.Schema){"severity": enum(tamledger.Severities.Values()), "tamResponseHours": minimum0}},
	"Obligation": {required: []string{"id", "service", "cadence"}, props: map[string]func(*jsonschema.Schema){
		"id": pattern(idPattern), "service": enum(tamledger.Services.Values()), "cadence": enum(tamledger.Cadences.Values()),
		"scope": enum(tamledger.Scopes.Values()), "requires": enum(tamledger.Requirements.Values()), "graceDays": minimum0,
	}},
	"Engagement": {required: []string{"date", "service", "initiatedBy"}, props: map[string]func(*jsonschema.Schema){
		"service": enum(tamledger.Services.Values()), "initiatedBy": enum(tamledger.Initiators.Values()), "source": enum(tamledger.Sources.Values()),
		"workloads": itemsPattern(idPattern), "awsId": awsID,
	}},
	"Recommendation": {required: []string{"raisedOn", "origin", "status"}, props: map[string]func(*jsonschema.Schema){
		"engagement": pattern(idPattern), "workload": pattern(idPattern),
		"origin": enum(tamledger.Origins.Values()), "pillar": enum(tamledger.Pillars.Values()), "risk": enum(tamledger.Risks.Values()),
		"status": enum(tamledger.Statuses.Values()), "architectureValue": describe("value of the architecture improvement per year"),
		"awsId": awsID,
	}},
	"IncidentAvoided": {props: map[string]func(*jsonschema.Schema){"downtimeHours": minimum0, "probability": fraction}},
	"Case":            {required: []string{"severity", "openedAt"}, props: map[string]func(*jsonschema.Schema){"severity": enum(tamledger.Severities.Values()), "awsId": awsID}},
	"Event": {required: []string{"date"}, props: map[string]func(*jsonschema.Schema){
		"type": enum(tamledger.EventTypes.Values()), "probabilityReduction": fraction,
	}},
	"ReassignmentRequest": {required: []string{"requestedOn"}, props: map[string]func(*jsonschema.Schema){
		"reasons": func(s *jsonschema.Schema) {
			s.Description = "one of the usual reasons, or a sentence"
			if s.Items != nil {
				s.Items.Examples = toAny(tamledger.ReassignmentReasons.Values())
				s.Items.MinLength = ptr(uint64(1))
			}
		},
	}},
	"PriceBook": {required: []string{"effective", "plans"}, props: map[string]func(*jsonschema.Schema){
		"plans": func(s *jsonschema.Schema) {
			s.PropertyNames = &jsonschema.Schema{Pattern: idPattern}
			s.MinProperties = ptr(uint64(1))
		},
	}},
	"Plan": {required: []string{"tiers"}, props: map[string]func(*jsonschema.Schema){
		"tiers": func(s *jsonschema.Schema) { s.MinItems = ptr(uint64(1)) },
	}},
	"Tier": {props: map[string]func(*jsonschema.Schema){
		"upTo": func(s *jsonschema.Schema) { s.Minimum, s.ExclusiveMinimum = "", "0" },
		"rate": fraction,
	}},
}

func ptr[T any](v T) *T { return &v }

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func enum(vocab []string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Enum = toAny(vocab) }
}

func pattern(p string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Pattern = p }
}

func itemsPattern(p string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		if s.Items != nil {
			s.Items.Pattern = p
		}
	}
}

func describe(d string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Description = d }
}

func minimum0(s *jsonschema.Schema) { s.Minimum = "0" }

func both(fs ...func(*jsonschema.Schema)) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		for _, f := range fs {
			f(s)
		}
	}
}

// awsID is an AWS identifier kept on a record by tamledger sync aws.
func awsID(s *jsonschema.Schema) {
	s.Pattern = `^[^\x00-\x20\x7f]+$`
	s.MaxLength = ptr(uint64(2048))
	s.Description = "the record's identifier in AWS, written by tamledger sync aws"
}

func fraction(s *jsonschema.Schema) { s.Minimum, s.Maximum = "0", "1" }

func buildSchema() *jsonschema.Schema {
	r := &jsonschema.Reflector{
		Anonymous:                  true,
		RequiredFromJSONSchemaTags: true, // required fields come from schemaRules
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			switch t {
			case moneyType:
				return &jsonschema.Schema{Type: "number", Minimum: "0", Description: "a plain number in the organisation's currency"}
			case dateType:
				return &jsonschema.Schema{Type: "string", Format: "date", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Description: "a date, YYYY-MM-DD"}
			case timeType:
				return &jsonschema.Schema{Type: "string", Format: "date-time", Description: "an RFC 3339 instant such as 2026-04-02T09:00:00Z"}
			}
			return nil
		},
	}
	defs := jsonschema.Definitions{}
	for _, k := range tamledger.Kinds.Values() {
		s := r.Reflect(tamledger.NewValue(k))
		for name, d := range s.Definitions {
			defs[name] = d
		}
	}
	for name, rule := range schemaRules {
		d := defs[name]
		if d == nil {
			panic("document: schema: no definition " + name)
		}
		d.Required = rule.required
		for prop, f := range rule.props {
			p, ok := d.Properties.Get(prop)
			if !ok {
				panic("document: schema: no property " + name + "." + prop)
			}
			f(p)
		}
	}
	// Optional fields may be null.
	for _, d := range defs {
		if d.Properties == nil {
			continue
		}
		for key, p := range d.Properties.FromOldest() {
			if slices.Contains(d.Required, key) {
				continue
			}
			desc := p.Description
			p.Description = ""
			d.Properties.Set(key, &jsonschema.Schema{Description: desc, AnyOf: []*jsonschema.Schema{p, {Type: "null"}}})
		}
	}
	for _, k := range tamledger.AllKinds() {
		defs[k.Name].Description = k.Description
	}

	id := &jsonschema.Schema{Type: "string", Pattern: idPattern, Description: "lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters"}
	defs["ID"] = id
	metaProps := func(org bool) *jsonschema.Schema {
		s := &jsonschema.Schema{Type: "object", AdditionalProperties: jsonschema.FalseSchema, Required: []string{"id"}}
		s.Properties = jsonschema.NewProperties()
		s.Properties.Set("id", &jsonschema.Schema{Ref: "#/$defs/ID", Description: "unique per kind and organization"})
		if org {
			s.Required = append(s.Required, "organization")
			s.Properties.Set("organization", &jsonschema.Schema{Ref: "#/$defs/ID", Description: "the id of the Organization this document belongs to"})
		}
		return s
	}
	defs["Metadata"] = metaProps(true)
	defs["MetadataWithoutOrganization"] = metaProps(false)
	apiVersion := func() *jsonschema.Schema { return &jsonschema.Schema{Const: tamledger.APIVersion} }

	root := &jsonschema.Schema{
		Version:     "https://json-schema.org/draft/2020-12/schema",
		Title:       "tamledger documents",
		Description: "A tamledger document (apiVersion tamledger/v1) of one of the kinds, or a kind: List of them.",
		Definitions: defs,
	}
	var docs []*jsonschema.Schema
	for _, k := range tamledger.Kinds.Values() {
		meta := "#/$defs/Metadata"
		info, _ := tamledger.LookupKind(k)
		if !info.Scoped {
			meta = "#/$defs/MetadataWithoutOrganization"
		}
		d := &jsonschema.Schema{Type: "object", AdditionalProperties: jsonschema.FalseSchema,
			Description: info.Description,
			Required:    []string{"apiVersion", "kind", "metadata", "spec"}}
		d.Properties = jsonschema.NewProperties()
		d.Properties.Set("apiVersion", apiVersion())
		d.Properties.Set("kind", &jsonschema.Schema{Const: k})
		d.Properties.Set("metadata", &jsonschema.Schema{Ref: meta})
		d.Properties.Set("spec", &jsonschema.Schema{Ref: "#/$defs/" + k})
		defs[k+"Document"] = d
		docs = append(docs, &jsonschema.Schema{Ref: "#/$defs/" + k + "Document"})
	}
	defs["Document"] = &jsonschema.Schema{OneOf: docs}
	list := &jsonschema.Schema{Type: "object", AdditionalProperties: jsonschema.FalseSchema,
		Description: "Several documents in one.", Required: []string{"apiVersion", "kind"}}
	list.Properties = jsonschema.NewProperties()
	list.Properties.Set("apiVersion", apiVersion())
	list.Properties.Set("kind", &jsonschema.Schema{Const: tamledger.KindList})
	list.Properties.Set("items", &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Ref: "#/$defs/Document"}})
	defs["List"] = list
	root.OneOf = append(slices.Clone(docs), &jsonschema.Schema{Ref: "#/$defs/List"})
	return root
}
