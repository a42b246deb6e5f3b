package document_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

// readAll reads every document of input, returning the documents and the
// errors as FILE:LINE:COL: message lines.
func readAll(t testing.TB, name, input string, opt document.Options) ([]*document.Doc, []string) {
	t.Helper()
	r := document.NewReader(name, strings.NewReader(input), opt)
	var docs []*document.Doc
	var errs []string
	for i := 0; ; i++ {
		if i > 100000 {
			t.Fatal("reader does not end")
		}
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		var el document.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				errs = append(errs, e.Error())
			}
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v (%T)", err, err)
		}
		docs = append(docs, d)
	}
	return docs, errs
}

func keys(docs []*document.Doc) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.Kind+"/"+d.Org+"/"+d.ID)
	}
	return out
}

func checkErrs(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

const engagementYAML = `apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-1, organization: acme}
spec:
  date: 2026-01-20
  service: strategy-call
  initiatedBy: tam
`

func TestReadYAMLErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		docs  []string
		errs  []string
	}{
		{
			name: "unknown enum value",
			input: `apiVersion: tamledger/v1
kind: Charter
metadata: {id: acme-2026, organization: acme}
spec:
  effective: 2026-01-01
  obligations:
    - {id: a, service: strategy-call, cadence: monthly}
    - {id: b, service: cost-review, cadence: weekly}
`,
			errs: []string{`f.yaml:8:46: spec.obligations[1].cadence: unknown value "weekly" (want one of: monthly, quarterly, semiannual, annual)`},
		},
		{
			name: "unknown field with a suggestion",
			input: `apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-1, organization: acme}
spec:
  date: 2026-01-20
  service: strategy-call
  initiatedby: tam
  colour: blue
`,
			errs: []string{
				`f.yaml:7:3: spec.initiatedby: unknown field "initiatedby" (did you mean "initiatedBy"?)`,
				`f.yaml:8:3: spec.colour: unknown field "colour" (want one of: date, service, initiatedBy, workloads, attendees, summary, source, awsId)`,
			},
		},
		{
			name: "impossible date and bad instant",
			input: `apiVersion: tamledger/v1
kind: Case
metadata: {id: c-1, organization: acme}
spec:
  severity: urgent
  openedAt: 2026-02-30T09:00:00Z
  tamEngagedAt: "2026-04-02 11:30"
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-1, organization: acme}
spec:
  date: 2026-02-30
  service: strategy-call
  initiatedBy: tam
`,
			errs: []string{
				`f.yaml:6:13: spec.openedAt: bad instant "2026-02-30T09:00:00Z" (want an RFC 3339 instant such as 2026-04-02T09:00:00Z)`,
				`f.yaml:7:17: spec.tamEngagedAt: bad instant "2026-04-02 11:30" (want an RFC 3339 instant such as 2026-04-02T09:00:00Z)`,
				`f.yaml:13:9: spec.date: bad date "2026-02-30" (want a real calendar date as YYYY-MM-DD)`,
			},
		},
		{
			name: "wrong types",
			input: `apiVersion: tamledger/v1
kind: Organization
metadata: {id: acme}
spec:
  monthlySpend: "420000"
  downtimeCostPerHour: lots
  workloads: payments
  complexity: {activeMigration: maybe}
  accountTeam:
    tam: {portfolioSize: 3.5}
`,
			errs: []string{
				`f.yaml:5:17: spec.monthlySpend: got the string "420000" (want a plain number such as 12000 or 99.5, without quotes)`,
				`f.yaml:6:24: spec.downtimeCostPerHour: got "lots" (want a plain number such as 12000 or 99.5)`,
				`f.yaml:7:14: spec.workloads: got "payments" (want a list)`,
				`f.yaml:8:33: spec.complexity.activeMigration: got "maybe" (want true or false)`,
				`f.yaml:10:26: spec.accountTeam.tam.portfolioSize: got "3.5" (want a whole number)`,
			},
		},
		{
			name: "negative money and probabilities outside [0,1]",
			input: `apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: r-1, organization: acme}
spec:
  raisedOn: 2026-02-03
  origin: tam
  status: open
  estimatedMonthlySavings: -12000
  incidentAvoided: {downtimeHours: 4, probability: 1.3}
---
apiVersion: tamledger/v1
kind: Event
metadata: {id: ev, organization: acme}
spec: {date: 2026-09-12, probabilityReduction: -0.1}
`,
			errs: []string{
				`f.yaml:8:28: spec.estimatedMonthlySavings: negative amount -12000 (want 0 or more)`,
				`f.yaml:9:52: spec.incidentAvoided.probability: probability 1.3 is out of range (want a number from 0 to 1)`,
				`f.yaml:14:48: spec.probabilityReduction: probability -0.1 is out of range (want a number from 0 to 1)`,
			},
		},
		{
			name: "missing fields point at the mapping",
			input: `apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-1, organization: acme}
spec:
  date: 2026-01-20
  initiatedBy: tam
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-2}
spec: {date: 2026-01-20, service: other, initiatedBy: tam}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-3, organization: acme}
`,
			errs: []string{
				`f.yaml:5:3: spec.service: missing (want one of: strategy-call, cost-review, well-architected-review, security-review, iem, specialist-deep-dive, business-review, escalation, other)`,
				`f.yaml:10:11: metadata.organization: missing (want the id of the organization this Engagement belongs to)`,
				`f.yaml:13:1: spec: missing (want a mapping of the fields of the Engagement)`,
			},
		},
		{
			name: "metadata",
			input: `apiVersion: tamledger/v1
kind: Organization
metadata: {id: Acme Corp, organization: acme, name: x}
spec: {}
---
apiVersion: tamledger/v1
kind: Case
metadata:
  organization: acme
spec: {severity: low, openedAt: "2026-04-02T09:00:00Z"}
`,
			errs: []string{
				`f.yaml:3:16: metadata.id: bad id "Acme Corp" (want lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters)`,
				`f.yaml:3:41: metadata.organization: an Organization has no organization (remove this field)`,
				`f.yaml:3:47: metadata.name: unknown field "name" (want one of: id, organization)`,
				`f.yaml:9:3: metadata.id: missing (want lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters)`,
			},
		},
		{
			name: "envelope",
			input: `apiVersion: tamledger/v2
kind: Engagment
metadata: {id: e-1, organization: acme}
spec: {}
---
kind: Engagement
metadata: {id: e-2, organization: acme}
spec: {date: 2026-01-20, service: other, initiatedBy: tam}
specs: {}
---
- just a list
`,
			errs: []string{
				`f.yaml:1:13: apiVersion: unsupported apiVersion "tamledger/v2" (want tamledger/v1)`,
				`f.yaml:2:7: kind: unknown kind "Engagment" (did you mean "Engagement"?)`,
				`f.yaml:6:1: apiVersion: missing (want apiVersion: tamledger/v1)`,
				`f.yaml:9:1: specs: unknown field "specs" (did you mean "spec"?)`,
				`f.yaml:11:1: got a list (want a document: a mapping with apiVersion, kind, metadata and spec)`,
			},
		},
		{
			name: "a bad document does not stop the reader",
			input: `apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-1, organization: acme}
spec: {date: 2026-01-20, service: chat, initiatedBy: tam}
---
` + engagementYAML,
			docs: []string{"Engagement/acme/e-1"},
			errs: []string{`f.yaml:4:35: spec.service: unknown value "chat" (want one of: strategy-call, cost-review, well-architected-review, security-review, iem, specialist-deep-dive, business-review, escalation, other)`},
		},
		{
			name: "syntax error in one document",
			input: `apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-0, organization: acme
spec: {}
---
` + engagementYAML,
			docs: []string{"Engagement/acme/e-1"},
			errs: []string{`f.yaml:4:1: bad YAML: ',' or '}' must be specified`},
		},
		{
			name: "duplicate keys, unknown alias, unsupported tag",
			input: `apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-1, organization: acme}
spec:
  date: 2026-01-20
  date: 2026-01-21
  service: other
  initiatedBy: tam
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-2, organization: acme}
spec: *nothing
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-3, organization: acme}
spec: !secret {}
`,
			errs: []string{
				`f.yaml:6:3: spec.date: duplicate field "date" (give each field once)`,
				`f.yaml:13:7: bad YAML: unknown alias *nothing (define &nothing before it)`,
				`f.yaml:18:7: bad YAML: unsupported tag !secret (remove it)`,
			},
		},
		{
			name: "errors of a price book plan with a dot in its name",
			input: `apiVersion: tamledger/v1
kind: PriceBook
metadata: {id: pb}
spec:
  effective: 2026-01-01
  plans:
    enterprise.v2: {minimum: 5000, tiers: [{upTo: 150000, rate: 1.5}, {rate: 0.03}]}
`,
			errs: []string{`f.yaml:7:65: spec.plans.enterprise.v2.tiers[0].rate: rate 1.5 is out of range (want a fraction from 0 to 1, such as 0.07)`},
		},
		{
			name: "anchors, aliases and merge keys",
			input: `apiVersion: tamledger/v1
kind: Charter
metadata: {id: c, organization: acme}
spec:
  effective: 2026-01-01
  obligations:
    - &call {id: strategy-call, service: strategy-call, cadence: monthly}
    - <<: *call
      id: call-2
`,
			docs: []string{"Charter/acme/c"},
		},
		{
			name:  "empty documents and comments are skipped",
			input: "# nothing\n---\n---\n# still nothing\n" + engagementYAML + "---\n...\n",
			docs:  []string{"Engagement/acme/e-1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, errs := readAll(t, "f.yaml", tt.input, document.Options{})
			if got := keys(docs); !slices.Equal(got, tt.docs) {
				t.Errorf("docs = %v, want %v", got, tt.docs)
			}
			checkErrs(t, errs, tt.errs)
		})
	}
}

func TestReadJSONErrors(t *testing.T) {
	engagement := `{"apiVersion": "tamledger/v1", "kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"date": "2026-01-20", "service": "other", "initiatedBy": "tam"}}`
	tests := []struct {
		name  string
		input string
		docs  []string
		errs  []string
	}{
		{
			name: "every problem of a document",
			input: `{
  "apiVersion": "tamledger/v1",
  "kind": "Recommendation",
  "metadata": {"id": "r-1", "organization": "acme"},
  "spec": {
    "raisedOn": "2026-02-30",
    "origin": "tam",
    "status": "done",
    "estimatedMonthlySavings": "12000",
    "realizedMonthlySavings": -5,
    "incidentAvoided": {"downtimeHours": 4, "probability": 2},
    "contextualizedByTam": "yes",
    "Title": "x"
  }
}`,
			errs: []string{
				`f.json:6:17: spec.raisedOn: bad date "2026-02-30" (want a real calendar date as YYYY-MM-DD)`,
				`f.json:8:15: spec.status: unknown value "done" (want one of: open, accepted, implemented, rejected, deferred)`,
				`f.json:9:32: spec.estimatedMonthlySavings: got the string "12000" (want a plain number such as 12000 or 99.5, without quotes)`,
				`f.json:10:31: spec.realizedMonthlySavings: negative amount -5 (want 0 or more)`,
				`f.json:11:60: spec.incidentAvoided.probability: probability 2 is out of range (want a number from 0 to 1)`,
				`f.json:12:28: spec.contextualizedByTam: got the string "yes" (want true or false)`,
				`f.json:13:5: spec.Title: unknown field "Title" (did you mean "title"?)`,
			},
		},
		{
			name:  "strings are not numbers in JSON",
			input: `{"apiVersion": "tamledger/v1", "kind": "Charter", "metadata": {"id": "c", "organization": "acme"}, "spec": {"effective": 20260101, "notes": 5, "backupTam": 1}}`,
			errs: []string{
				`f.json:1:122: spec.effective: got the number 20260101 (want a date as YYYY-MM-DD)`,
				`f.json:1:141: spec.notes: got the number 5 (want a string)`,
				`f.json:1:157: spec.backupTam: got the number 1 (want true or false)`,
			},
		},
		{
			name:  "concatenated documents, one bad",
			input: engagement + "\n" + strings.Replace(engagement, `"e-1"`, `"E 2"`, 1) + "\n" + strings.Replace(engagement, `"e-1"`, `"e-3"`, 1),
			docs:  []string{"Engagement/acme/e-1", "Engagement/acme/e-3"},
			errs:  []string{`f.json:2:73: metadata.id: bad id "E 2" (want lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters)`},
		},
		{
			name:  "a syntax error ends the input",
			input: engagement + "\n" + `{"apiVersion": "tamledger/v1", "kind": "Engagement",` + "\n" + `"metadata": {"id": "e-2" "organization": "acme"}}` + "\n" + engagement,
			docs:  []string{"Engagement/acme/e-1"},
			errs:  []string{`f.json:3:26: bad JSON: unexpected '"' in an object (want , or })`},
		},
		{
			name:  "List",
			input: `{"apiVersion": "tamledger/v1", "kind": "List", "items": [` + engagement + ",\n" + strings.Replace(engagement, `"other"`, `"chat"`, 1) + `]}`,
			docs:  []string{"Engagement/acme/e-1"},
			errs:  []string{`f.json:2:147: spec.service: unknown value "chat" (want one of: strategy-call, cost-review, well-architected-review, security-review, iem, specialist-deep-dive, business-review, escalation, other)`},
		},
		{
			name:  "List with items before kind",
			input: `{"items": [` + engagement + `], "kind": "List", "apiVersion": "tamledger/v1"}`,
			docs:  []string{"Engagement/acme/e-1"},
		},
		{
			name:  "List envelope errors",
			input: `{"kind": "List", "metadata": {}, "items": [` + engagement + `], "spec": {}, "extra": 1}`,
			docs:  []string{"Engagement/acme/e-1"},
			errs: []string{
				`f.json:1:18: metadata: a List has no metadata (want apiVersion, kind and items)`,
				`f.json:1:224: spec: a List has no spec (want apiVersion, kind and items)`,
				`f.json:1:236: extra: unknown field "extra" (want one of: apiVersion, kind, metadata, spec)`,
				`f.json:1:1: apiVersion: missing (want apiVersion: tamledger/v1)`,
			},
		},
		{
			name:  "a List holds no List",
			input: `{"apiVersion": "tamledger/v1", "kind": "List", "items": [{"apiVersion": "tamledger/v1", "kind": "List", "items": []}]}`,
			errs:  []string{`f.json:1:97: kind: a List cannot contain another List (want a document of one of the kinds: Organization, Charter, Engagement, Recommendation, Case, Event, ReassignmentRequest, PriceBook)`},
		},
		{
			name:  "top-level array",
			input: "[\n" + engagement + ",\n" + strings.Replace(engagement, `"e-1"`, `"e-2"`, 1) + "\n]\n",
			docs:  []string{"Engagement/acme/e-1", "Engagement/acme/e-2"},
		},
		{
			name:  "duplicate keys",
			input: `{"apiVersion": "tamledger/v1", "kind": "Case", "kind": "Case", "metadata": {"id": "c", "organization": "acme"}, "spec": {"severity": "low", "severity": "high", "openedAt": "2026-04-02T09:00:00Z"}}`,
			errs: []string{
				`f.json:1:48: kind: duplicate field "kind" (give each field once)`,
				`f.json:1:141: spec.severity: duplicate field "severity" (give each field once)`,
			},
		},
		{
			name:  "non-ASCII text counts characters for columns",
			input: `{"apiVersion": "tamledger/v1", "kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"summary": "café ☕", "date": "2026-01-20", "service": "x", "initiatedBy": "tam"}}`,
			errs:  []string{`f.json:1:168: spec.service: unknown value "x" (want one of: strategy-call, cost-review, well-architected-review, security-review, iem, specialist-deep-dive, business-review, escalation, other)`},
		},
		{
			name:  "escapes",
			input: `{"apiVersion": "tamledger\/v1", "kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"summary": "tab\there \u00e9 \ud83d\ude00", "date": "2026-01-20", "service": "other", "initiatedBy": "tam"}}`,
			docs:  []string{"Engagement/acme/e-1"},
		},
		{
			name:  "bad escape",
			input: `{"a": "\x"}`,
			errs:  []string{`f.json:1:7: bad JSON: bad escape \x in a string (want one of \" \\ \/ \b \f \n \r \t \uXXXX)`},
		},
		{
			name:  "not an object",
			input: `"hello"`,
			errs:  []string{`f.json:1:1: bad JSON: unexpected '"' (want a document: a JSON object {...})`},
		},
		{
			name:  "deep nesting",
			input: `{"a": ` + strings.Repeat("[", 100000),
			errs:  []string{`f.json:1:70: bad JSON: values nested more than 64 deep`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, errs := readAll(t, "f.json", tt.input, document.Options{})
			if got := keys(docs); !slices.Equal(got, tt.docs) {
				t.Errorf("docs = %v, want %v", got, tt.docs)
			}
			checkErrs(t, errs, tt.errs)
		})
	}
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name  string
		input string
		docs  []string
		errs  []string
	}{
		{
			name: "lists and dotted fields",
			input: `id,organization,raisedOn,origin,status,incidentAvoided.downtimeHours,incidentAvoided.probability,estimatedMonthlySavings
r-1,acme,2026-03-10,tam,implemented,6,0.25,
`,
			docs: []string{"Recommendation/acme/r-1"},
		},
		{
			name: "cell errors name the cell's column",
			input: `id,organization,date,service,initiatedBy,workloads
e-1,acme,2026-02-30,strategy-call,tam,payments
e-2,acme,2026-01-20,chat,tam,payments;Bad Id
e-3,,2026-01-20,other,tam,
`,
			errs: []string{
				`f.csv:2:3: spec.date: bad date "2026-02-30" (want a real calendar date as YYYY-MM-DD)`,
				`f.csv:3:4: spec.service: unknown value "chat" (want one of: strategy-call, cost-review, well-architected-review, security-review, iem, specialist-deep-dive, business-review, escalation, other)`,
				`f.csv:3:6: spec.workloads[1]: bad id "Bad Id" (want lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters)`,
				`f.csv:4:1: metadata.organization: missing (want the id of the organization this Engagement belongs to)`,
			},
		},
		{
			name: "unknown and duplicate columns",
			input: `id,organization,severity,openedAt,colour,severity,summary
c-1,acme,low,2026-04-02T09:00:00Z,blue,low,
`,
			docs: []string{"Case/acme/c-1"},
			errs: []string{
				`f.csv:1:5: column "colour": not a field of a Case (want one of: id, organization, kind, apiVersion, awsId, openedAt, resolvedAt, severity, subject, tamEngagedAt)`,
				`f.csv:1:6: column "severity": duplicate of column 3 (give each column once)`,
				`f.csv:1:7: column "summary": not a field of a Case (want one of: id, organization, kind, apiVersion, awsId, openedAt, resolvedAt, severity, subject, tamEngagedAt)`,
			},
		},
		{
			name: "a whole nested field is not a column",
			input: `id,organization,raisedOn,origin,status,incidentAvoided
r-1,acme,2026-03-10,tam,open,
`,
			docs: []string{"Recommendation/acme/r-1"},
			errs: []string{`f.csv:1:6: column "incidentAvoided": not a field of a Recommendation (want one of: id, organization, kind, apiVersion, architectureValue, awsId, contextualizedByTam, engagement, estimatedMonthlySavings, implementedOn, incidentAvoided.downtimeHours, incidentAvoided.probability, origin, pillar, raisedOn, realizedMonthlySavings, risk, status, statusReason, title, workload)`},
		},
		{
			name:  "the kind cannot be told",
			input: "id,organization,title\nx,acme,hello\n",
			errs:  []string{`f.csv:1:1: cannot tell the kind of the rows from the header (add a kind column, or give columns date and service for Engagement, raisedOn for Recommendation, openedAt for Case)`},
		},
		{
			name:  "kind column",
			input: "kind,id,organization,date,service,initiatedBy,severity,openedAt\nEngagement,e-1,acme,2026-01-20,other,tam,,\nCase,c-1,acme,,,,low,2026-04-02T09:00:00Z\nCharter,x,acme,,,,,\nCase,c-2,acme,2026-01-20,,,low,2026-04-02T09:00:00Z\n",
			docs:  []string{"Engagement/acme/e-1", "Case/acme/c-1"},
			errs: []string{
				`f.csv:4:1: kind: "Charter" cannot be given in CSV (want one of: Engagement, Recommendation, Case)`,
				`f.csv:5:4: spec.date: unknown field "date" (want one of: severity, subject, openedAt, tamEngagedAt, resolvedAt, awsId)`,
			},
		},
		{
			name:  "ragged rows and quotes",
			input: "id,organization,severity,openedAt\nc-1,acme,low\n\"c-2\",\"acme\",\"high\",\"2026-04-02T09:00:00Z\"\nc-3,acme,low,\"2026\n",
			docs:  []string{"Case/acme/c-2"},
			errs: []string{
				`f.csv:2:1: row has 3 cells (want 4, as many as the header)`,
				`f.csv:4:20: bad CSV: extraneous or missing " in quoted-field`,
			},
		},
		{
			name:  "strict instants",
			input: "id,organization,severity,openedAt\nc-1,acme,low,2026-04-02T9:00:00Z\nc-2,acme,low,0001-01-01T00:00:00+01:00\nc-3,acme,low,2026-04-02t09:00:00z\nc-4,acme,low,2026-04-02T09:00:00.123+05:30\n",
			docs:  []string{"Case/acme/c-4"},
			errs: []string{
				`f.csv:2:4: spec.openedAt: bad instant "2026-04-02T9:00:00Z" (want an RFC 3339 instant such as 2026-04-02T09:00:00Z)`,
				`f.csv:3:4: spec.openedAt: instant "0001-01-01T00:00:00+01:00" is out of range (want a year from 0001 to 9999 in UTC)`,
				`f.csv:4:4: spec.openedAt: bad instant "2026-04-02t09:00:00z" (want an RFC 3339 instant such as 2026-04-02T09:00:00Z)`,
			},
		},
		{
			name:  "byte order mark and CRLF",
			input: "\ufeffid,organization,openedAt,severity\r\nc-1,acme,2026-04-02T09:00:00Z,low\r\n",
			docs:  []string{"Case/acme/c-1"},
		},
		{
			name:  "empty input",
			input: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, errs := readAll(t, "f.csv", tt.input, document.Options{})
			if got := keys(docs); !slices.Equal(got, tt.docs) {
				t.Errorf("docs = %v, want %v", got, tt.docs)
			}
			checkErrs(t, errs, tt.errs)
		})
	}
}

func TestReadCSVValues(t *testing.T) {
	docs, errs := readAll(t, "engagements.csv", readFile(t, "engagements.csv"), document.Options{})
	checkErrs(t, errs, nil)
	if len(docs) != 3 {
		t.Fatalf("got %d documents, want 3", len(docs))
	}
	e := docs[1].Value.(*tamledger.Engagement)
	want := tamledger.Engagement{ID: "e-2026-03-10", Org: "acme", Date: tamledger.MustDate("2026-03-10"),
		Service: "well-architected-review", InitiatedBy: "customer", Workloads: []string{"payments", "data"},
		Summary: "WAR of payments, then data", Source: "import"}
	if !equalValues(e, &want) {
		t.Errorf("got %+v, want %+v", *e, want)
	}
	if a := docs[0].Value.(*tamledger.Engagement).Attendees; !slices.Equal(a, []string{"Jane Roe", "Alex Lee"}) {
		t.Errorf("attendees = %q", a)
	}

	docs, errs = readAll(t, "recommendations.csv", readFile(t, "recommendations.csv"), document.Options{})
	checkErrs(t, errs, nil)
	r := docs[0].Value.(*tamledger.Recommendation)
	if r.IncidentAvoided == nil || r.IncidentAvoided.DowntimeHours != 6 || r.IncidentAvoided.Probability != 0.25 {
		t.Errorf("incidentAvoided = %+v", r.IncidentAvoided)
	}
	if r.EstimatedMonthlySavings != nil {
		t.Errorf("an empty cell gave estimatedMonthlySavings %v", r.EstimatedMonthlySavings)
	}
	if r2 := docs[1].Value.(*tamledger.Recommendation); !r2.ContextualizedByTAM || r2.EstimatedMonthlySavings.String() != "800" {
		t.Errorf("second row = %+v", r2)
	}

	docs, errs = readAll(t, "cases.csv", readFile(t, "cases.csv"), document.Options{})
	checkErrs(t, errs, nil)
	c := docs[1].Value.(*tamledger.Case)
	if want := time.Date(2026, 4, 11, 8, 0, 0, 0, time.UTC); !c.OpenedAt.Equal(want) || c.OpenedAt.Location() != time.UTC {
		t.Errorf("openedAt = %v, want %v in UTC", c.OpenedAt, want)
	}
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEveryKind reads the sample of SPEC §8 and checks each record's key and
// a few values.
func TestEveryKind(t *testing.T) {
	docs, errs := readAll(t, "acme.yaml", readFile(t, "acme.yaml"), document.Options{})
	checkErrs(t, errs, nil)
	want := []string{
		"Organization//acme", "Charter/acme/acme-2026", "Engagement/acme/e-2026-01-20", "Engagement/acme/e-2026-02-03",
		"Recommendation/acme/r-17", "Case/acme/case-1234", "Event/acme/dc-exit", "ReassignmentRequest/acme/rr-1",
		"PriceBook//aws-support-2026",
	}
	if got := keys(docs); !slices.Equal(got, want) {
		t.Fatalf("docs = %v, want %v", got, want)
	}
	var kinds []string
	for _, d := range docs {
		kinds = append(kinds, d.Kind)
	}
	for _, k := range tamledger.Kinds.Values() {
		if !slices.Contains(kinds, k) {
			t.Errorf("acme.yaml has no %s", k)
		}
	}
	org := docs[0].Value.(*tamledger.Organization)
	if org.ID != "acme" || org.Spend().String() != "420000" || org.Accounts[0].ID != "111122223333" || !org.Workloads[0].Regulated {
		t.Errorf("organization = %+v", org)
	}
	ch := docs[1].Value.(*tamledger.Charter)
	if ch.ID != "acme-2026" || ch.Org != "acme" || len(ch.Obligations) != 4 || ch.Obligations[2].Scope != "each-primary-workload" {
		t.Errorf("charter = %+v", ch)
	}
	if e := docs[3].Value.(*tamledger.Engagement); e.Summary != "Quarterly cost review.\nGraviton for the batch fleet.\n" {
		t.Errorf("summary = %q", e.Summary)
	}
	rec := docs[4].Value.(*tamledger.Recommendation)
	if rec.IncidentAvoided.Probability != 0.3 || rec.ArchitectureValue.String() != "20000" || rec.ImplementedOn.String() != "2026-03-15" {
		t.Errorf("recommendation = %+v", rec)
	}
	if c := docs[5].Value.(*tamledger.Case); c.TAMEngagedAt.Sub(c.OpenedAt) != 150*time.Minute {
		t.Errorf("case = %+v", c)
	}
	if ev := docs[6].Value.(*tamledger.Event); !ev.Phases.CoverageArranged || ev.FailureCost.String() != "2000000" {
		t.Errorf("event = %+v", ev)
	}
	if rr := docs[7].Value.(*tamledger.ReassignmentRequest); rr.AcknowledgedOn != nil || len(rr.Reasons) != 2 {
		t.Errorf("reassignment request = %+v", rr)
	}
	pb := docs[8].Value.(*tamledger.PriceBook)
	if len(pb.Plans) != 3 || !pb.Plans["business-plus"].PerAccount || pb.Plans["enterprise"].Tiers[3].UpTo != nil {
		t.Errorf("price book = %+v", pb)
	}
}

func TestLocate(t *testing.T) {
	yamlIn := readFile(t, "acme.yaml")
	jsonIn := `{"apiVersion": "tamledger/v1", "kind": "List", "items": [
  {"apiVersion": "tamledger/v1", "kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"},
   "spec": {"date": "2026-01-20", "service": "other", "initiatedBy": "tam", "workloads": ["payments", "data", "web"]}},
  {"apiVersion": "tamledger/v1", "kind": "Engagement", "metadata": {"id": "e-2", "organization": "acme"},
   "spec": {"date": "2026-01-21", "service": "other", "initiatedBy": "tam"}}
]}`
	yamlList := "apiVersion: tamledger/v1\nkind: List\nitems:\n  - apiVersion: tamledger/v1\n    kind: Case\n    metadata: {id: c-1, organization: acme}\n    spec: {severity: low, openedAt: \"2026-04-02T09:00:00Z\"}\n  - apiVersion: tamledger/v1\n    kind: Case\n    metadata: {id: c-2, organization: beta}\n    spec: {severity: low, openedAt: \"2026-04-02T09:00:00Z\"}\n"
	tests := []struct {
		name, file, input string
		doc               int
		path, want        string
	}{
		{"yaml organization", "acme.yaml", yamlIn, 1, "metadata.organization", "acme.yaml:26:41"},
		{"yaml nested", "acme.yaml", yamlIn, 1, "spec.obligations[2].scope", "acme.yaml:38:75"},
		{"yaml list item", "acme.yaml", yamlIn, 3, "spec.workloads[1]", "acme.yaml:53:25"},
		{"yaml missing field falls back to its parent", "acme.yaml", yamlIn, 2, "spec.source", "acme.yaml:44:7"},
		{"yaml map key", "acme.yaml", yamlIn, 8, "spec.plans.business-plus.tiers[1].upTo", "acme.yaml:104:99"},
		{"yaml List item", "l.yaml", yamlList, 1, "metadata.organization", "l.yaml:10:39"},
		{"json List item", "l.json", jsonIn, 0, "spec.workloads[2]", "l.json:3:111"},
		{"json second item", "l.json", jsonIn, 1, "metadata.organization", "l.json:4:98"},
		{"json unknown path", "l.json", jsonIn, 1, "nothing.here", "l.json:4:3"},
		{"csv cell", "engagements.csv", readFile(t, "engagements.csv"), 1, "spec.workloads[1]", "engagements.csv:3:6"},
		{"csv metadata", "engagements.csv", readFile(t, "engagements.csv"), 2, "metadata.organization", "engagements.csv:4:2"},
		{"csv dotted", "recommendations.csv", readFile(t, "recommendations.csv"), 0, "spec.incidentAvoided", "recommendations.csv:2:14"},
		{"csv unknown", "recommendations.csv", readFile(t, "recommendations.csv"), 0, "spec.nothing", "recommendations.csv:2:1"},
	}
	for _, tt := range tests {
		for _, src := range []string{"seekable", "pipe"} {
			t.Run(tt.name+"/"+src, func(t *testing.T) {
				var in io.Reader = strings.NewReader(tt.input)
				if src == "pipe" {
					in = io.MultiReader(in) // neither io.ReaderAt nor io.Seeker
				}
				r := document.NewReader(tt.file, in, document.Options{})
				var docs []*document.Doc
				for {
					d, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					docs = append(docs, d)
				}
				if got := r.Locate(docs[tt.doc], tt.path).String(); got != tt.want {
					t.Errorf("Locate(%q) = %s, want %s", tt.path, got, tt.want)
				}
			})
		}
	}
}

func TestLimits(t *testing.T) {
	t.Run("too large", func(t *testing.T) {
		inputs := map[string]string{
			"big.yaml": strings.Repeat(engagementYAML+"---\n", 100),
			"big.json": strings.Repeat(`{"apiVersion": "tamledger/v1", "kind": "Case", "metadata": {"id": "c-1", "organization": "acme"}, "spec": {"severity": "low", "openedAt": "2026-04-02T09:00:00Z"}}`+"\n", 100),
			"big.csv":  "id,organization,severity,openedAt\n" + strings.Repeat("c-1,acme,low,2026-04-02T09:00:00Z\n", 100),
		}
		for name, big := range inputs {
			for _, in := range []io.Reader{strings.NewReader(big), io.MultiReader(strings.NewReader(big))} {
				docs, errs := func() ([]*document.Doc, []string) {
					r := document.NewReader(name, in, document.Options{MaxBytes: 1 << 10})
					var docs []*document.Doc
					var errs []string
					for {
						d, err := r.Next()
						if err == io.EOF {
							return docs, errs
						}
						if err != nil {
							errs = append(errs, err.Error())
							continue
						}
						docs = append(docs, d)
					}
				}()
				checkErrs(t, errs, []string{name + ": input is larger than the limit of 1 KiB (1024 bytes) (raise the limit, e.g. with --max-bytes, or split the input)"})
				if _, seekable := in.(*strings.Reader); seekable && len(docs) > 0 {
					t.Errorf("%s: read %d documents of an input known to be too large", name, len(docs))
				}
			}
		}
	})
	t.Run("no limit", func(t *testing.T) {
		big := strings.Repeat(engagementYAML+"---\n", 100)
		docs, errs := readAll(t, "big.yaml", big, document.Options{MaxBytes: -1})
		checkErrs(t, errs, nil)
		if len(docs) != 100 {
			t.Errorf("read %d documents, want 100", len(docs))
		}
	})
	t.Run("billion laughs", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
		for i := 1; i < 10; i++ {
			b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
			for j := range 9 {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString("*a" + string(rune('0'+i-1)))
			}
			b.WriteString("]\n")
		}
		bomb := b.String() + "---\n" + engagementYAML
		start := time.Now()
		docs, errs := readAll(t, "bomb.yaml", bomb, document.Options{})
		if d := time.Since(start); d > time.Second {
			t.Errorf("refusing the bomb took %v", d)
		}
		checkErrs(t, errs, []string{"bomb.yaml:5:10: bad YAML: aliases expand to more than 10150 nodes (an alias bomb?); write the values out"})
		if len(docs) != 0 {
			t.Errorf("read %d documents after the bomb", len(docs))
		}
	})
	t.Run("aliases in proportion are fine", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("apiVersion: tamledger/v1\nkind: List\nitems:\n")
		for i := range 3000 {
			if i == 0 {
				b.WriteString("  - &doc\n    apiVersion: tamledger/v1\n    kind: Engagement\n    metadata: {id: e-0, organization: acme}\n    spec: &spec {date: 2026-01-20, service: other, initiatedBy: tam, workloads: [a, b, c, d, e, f]}\n")
				continue
			}
			fmt.Fprintf(&b, "  - <<: *doc\n    metadata: {id: e-%d, organization: acme}\n    spec: *spec\n", i)
		}
		docs, errs := readAll(t, "many.yaml", b.String(), document.Options{})
		checkErrs(t, errs, nil)
		if len(docs) != 3000 {
			t.Errorf("read %d documents, want 3000", len(docs))
		}
	})
	t.Run("deep YAML", func(t *testing.T) {
		for _, in := range []string{
			"a: " + strings.Repeat("[", 100000),
			strings.Repeat("- ", 100000) + "x",
			"a: " + strings.Repeat("- ", 100000) + "x",
			strings.Repeat("{a: ", 100) + "1" + strings.Repeat("}", 100),
		} {
			start := time.Now()
			_, errs := readAll(t, "deep.yaml", in, document.Options{})
			if len(errs) != 1 || !strings.Contains(errs[0], "bad YAML") {
				t.Errorf("errors = %q", errs)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		}
	})
}

func TestFormat(t *testing.T) {
	csvIn := "id,organization,openedAt,severity\nc-1,acme,2026-04-02T09:00:00Z,low\n"
	jsonIn := `{"apiVersion": "tamledger/v1", "kind": "Case", "metadata": {"id": "c-1", "organization": "acme"}, "spec": {"severity": "low", "openedAt": "2026-04-02T09:00:00Z"}}`
	yamlIn := "apiVersion: tamledger/v1\nkind: Case\nmetadata: {id: c-1, organization: acme}\nspec: {severity: low, openedAt: \"2026-04-02T09:00:00Z\"}\n"
	flowYAML := "{apiVersion: tamledger/v1, kind: Case, metadata: {id: c-1, organization: acme}, spec: {severity: low, openedAt: \"2026-04-02T09:00:00Z\"}}\n"
	tests := []struct {
		name, file, format, input string
	}{
		{"csv by content", "-", "", csvIn},
		{"json by content", "-", "", jsonIn},
		{"json by content after a BOM", "-", "", "\ufeff\n " + jsonIn},
		{"yaml by content", "-", "", yamlIn},
		{"yaml flow by content", "-", "", flowYAML},
		{"yaml with a BOM", "x.yml", "", "\ufeff" + yamlIn},
		{"by extension", "x.JSON", "", jsonIn},
		{"by option", "x.txt", "csv", csvIn},
		{"json is yaml", "x.yaml", "", jsonIn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, errs := readAll(t, tt.file, tt.input, document.Options{Format: tt.format})
			checkErrs(t, errs, nil)
			if got := keys(docs); !slices.Equal(got, []string{"Case/acme/c-1"}) {
				t.Errorf("docs = %v", got)
			}
		})
	}
	_, errs := readAll(t, "x", csvIn, document.Options{Format: "xml"})
	checkErrs(t, errs, []string{`x: unknown format "xml" (want yaml, json or csv)`})
}

func TestErrorList(t *testing.T) {
	l := document.ErrorList{
		{Pos: document.Pos{File: "b.yaml", Line: 1, Col: 1}, Msg: "b"},
		{Pos: document.Pos{File: "a.yaml", Line: 10, Col: 2}, Msg: "a10"},
		{Pos: document.Pos{File: "a.yaml", Line: 2, Col: 5}, Msg: "a2"},
		{Msg: "no position"},
	}
	l.Sort()
	want := "no position\na.yaml:2:5: a2\na.yaml:10:2: a10\nb.yaml:1:1: b"
	if l.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", l.Error(), want)
	}
	if got := (document.Pos{File: "f"}).String(); got != "f" {
		t.Errorf("Pos without a line = %q", got)
	}
}
