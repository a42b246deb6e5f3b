package document_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// equalValues compares two values deeply, money by amount and instants by
// time.
func equalValues(a, b any) bool { return equalValue(reflect.ValueOf(a), reflect.ValueOf(b)) }

var (
	moneyType = reflect.TypeFor[tamledger.Money]()
	timeType  = reflect.TypeFor[time.Time]()
)

func equalValue(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Type() {
	case moneyType:
		return a.Interface().(tamledger.Money).Equal(b.Interface().(tamledger.Money).Decimal)
	case timeType:
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if !b.MapIndex(k).IsValid() || !equalValue(a.MapIndex(k), b.MapIndex(k)) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}

// Vocabularies of the enum fields, by Go field name, for full values.
var vocab = map[string][]string{
	"SupportPlan": tamledger.SupportPlans.Values(), "Seniority": tamledger.Seniorities.Values(), "Severity": tamledger.Severities.Values(),
	"Service": tamledger.Services.Values(), "Cadence": tamledger.Cadences.Values(), "Scope": tamledger.Scopes.Values(),
	"Requires": tamledger.Requirements.Values(), "InitiatedBy": tamledger.Initiators.Values(), "Source": tamledger.Sources.Values(),
	"Origin": tamledger.Origins.Values(), "Pillar": tamledger.Pillars.Values(), "Risk": tamledger.Risks.Values(), "Status": tamledger.Statuses.Values(),
	"Type": tamledger.EventTypes.Values(), "Currency": {"EUR"}, "Timezone": {"Europe/Paris", "UTC"},
}

// idFields hold ids: [a-z0-9][a-z0-9._-]*.
var idFields = map[string]bool{"ID": true, "Workload": true, "Engagement": true, "Workloads": true}

// tricky is free text that needs quoting in YAML and escaping in JSON.
const tricky = "Line: \"one\" # not a comment\n\tand 'two' — ünïcödé ☕ {x} [y] - 2026-01-20 \\ \u2028 \x01 "

// fill sets every field of v to a valid, non-zero value; i tells elements of
// a list apart.
func fill(v reflect.Value, name string, i int) {
	switch v.Type() {
	case moneyType:
		v.Set(reflect.ValueOf(tamledger.MustMoney(fmt.Sprintf("%d.25", 1000+i))))
		return
	case reflect.TypeFor[tamledger.Date]():
		v.Set(reflect.ValueOf(tamledger.NewDate(2026, 2, 27+i)))
		return
	case timeType:
		v.Set(reflect.ValueOf(time.Date(2026, 4, 2, 9, i, 30, 500, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		switch {
		case vocab[name] != nil:
			v.SetString(vocab[name][i%len(vocab[name])])
		case idFields[name]:
			v.SetString(fmt.Sprintf("v-%s.%d", strings.ToLower(name), i))
		case name == "AWSWorkloadID":
			v.SetString(fmt.Sprintf("%032x", 0xa1b2c3+i))
		case name == "AWSID":
			v.SetString(fmt.Sprintf("arn:aws:service::111122223333:thing/%s-%d", "x\u00e9\\y", i))
		default:
			v.SetString(fmt.Sprintf("%s %s %d", name, tricky, i))
		}
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int:
		v.SetInt(int64(7 + i))
	case reflect.Float64:
		v.SetFloat(0.25 + float64(i)/1000)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), name, i)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for j := range 2 {
			fill(s.Index(j), name, j)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for j, k := range []string{"zeta.plan", "alpha-plan", "10"} {
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, name, j)
			m.SetMapIndex(reflect.ValueOf(k), e)
		}
		v.Set(m)
	case reflect.Struct:
		for f := range v.NumField() {
			if v.Type().Field(f).Tag.Get("json") == "-" {
				continue
			}
			fill(v.Field(f), v.Type().Field(f).Name, i)
		}
	default:
		panic("fill: " + v.Type().String())
	}
}

// fullRecords returns one record of every kind with every field set.
func fullRecords(t testing.TB) []tamledger.Record {
	t.Helper()
	var recs []tamledger.Record
	for _, k := range tamledger.Kinds.Values() {
		v := tamledger.NewValue(k)
		fill(reflect.ValueOf(v).Elem(), k, 0)
		// What the checks need beyond filled fields.
		switch v := v.(type) {
		case *tamledger.Organization:
			v.MonthlySpend = nil // the accounts' sum
		case *tamledger.PriceBook:
			for name, p := range v.Plans {
				p.Tiers[0].UpTo = ptr(tamledger.MoneyFromInt(1000))
				p.Tiers[0].Rate = tamledger.MustMoney("0.10")
				p.Tiers[1].UpTo = nil
				p.Tiers[1].Rate = tamledger.MustMoney("0.075")
				v.Plans[name] = p
			}
		case *tamledger.ReassignmentRequest:
			v.Reasons = append(v.Reasons, tamledger.ReassignmentReasons.Values()...)
		}
		rec := tamledger.Record{Kind: k, ID: "x-1." + strings.ToLower(k), Value: v}
		if k != tamledger.KindOrganization && k != tamledger.KindPriceBook {
			rec.Org = "acme"
		}
		rec.SetKey()
		if err := v.(tamledger.Validator).Validate(); err != nil {
			t.Fatalf("full %s does not validate: %v", k, err)
		}
		recs = append(recs, rec)
	}
	return recs
}

func ptr[T any](v T) *T { return &v }

func encode(t testing.TB, format string, recs []tamledger.Record) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := document.NewEncoder(&b, format)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func records(docs []*document.Doc) []tamledger.Record {
	var out []tamledger.Record
	for _, d := range docs {
		out = append(out, d.Record)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	acme, errs := readAll(t, "acme.yaml", readFile(t, "acme.yaml"), document.Options{})
	checkErrs(t, errs, nil)
	var csvRecs []tamledger.Record
	for _, f := range []string{"engagements.csv", "recommendations.csv", "cases.csv", "mixed.csv"} {
		docs, errs := readAll(t, f, readFile(t, f), document.Options{})
		checkErrs(t, errs, nil)
		csvRecs = append(csvRecs, records(docs)...)
	}
	sets := map[string][]tamledger.Record{
		"every field of every kind": fullRecords(t),
		"acme.yaml":                 records(acme),
		"csv files":                 csvRecs,
		"none":                      nil,
	}
	for name, recs := range sets {
		for _, format := range []string{"yaml", "json"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				out := encode(t, format, recs)
				docs, errs := readAll(t, "out."+format, string(out), document.Options{})
				if len(errs) > 0 {
					t.Fatalf("reading back:\n%s\n%s", strings.Join(errs, "\n"), out)
				}
				back := records(docs)
				if len(back) != len(recs) {
					t.Fatalf("read back %d records, want %d", len(back), len(recs))
				}
				for i := range recs {
					a, b := recs[i], back[i]
					if a.Kind != b.Kind || a.Org != b.Org || a.ID != b.ID || !equalValues(a.Value, b.Value) {
						t.Errorf("record %d:\n got %+v\nwant %+v", i, b.Value, a.Value)
					}
				}
				if again := encode(t, format, back); !bytes.Equal(again, out) {
					t.Errorf("writing what was read back differs:\n%s\n----\n%s", again, out)
				}
			})
		}
	}
}

// TestGolden pins the exact output for acme.yaml; run with -update after a
// deliberate change.
func TestGolden(t *testing.T) {
	docs, errs := readAll(t, "acme.yaml", readFile(t, "acme.yaml"), document.Options{})
	checkErrs(t, errs, nil)
	for _, format := range []string{"yaml", "json"} {
		t.Run(format, func(t *testing.T) {
			got := encode(t, format, records(docs))
			path := filepath.Join("testdata", "acme.export."+format)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update after a deliberate change):\n%s", path, got)
			}
		})
	}
}

func TestEncodeFormat(t *testing.T) {
	rec := tamledger.Record{Kind: tamledger.KindEngagement, Org: "acme", ID: "e-1", Value: &tamledger.Engagement{
		Date: tamledger.MustDate("2026-01-20"), Service: "strategy-call", InitiatedBy: "tam", Workloads: []string{"payments"},
		Summary: "Q1: plan", Attendees: []string{"Jane Roe", "true"},
	}}
	org := tamledger.Record{Kind: tamledger.KindOrganization, ID: "acme", Value: &tamledger.Organization{Complexity: &tamledger.Complexity{}}}
	wantYAML := `apiVersion: tamledger/v1
kind: Engagement
metadata:
  id: e-1
  organization: acme
spec:
  date: 2026-01-20
  service: strategy-call
  initiatedBy: tam
  workloads:
    - payments
  attendees:
    - Jane Roe
    - "true"
  summary: "Q1: plan"
---
apiVersion: tamledger/v1
kind: Organization
metadata:
  id: acme
spec:
  complexity: {}
`
	wantJSON := `{
  "apiVersion": "tamledger/v1",
  "kind": "List",
  "items": [
    {
      "apiVersion": "tamledger/v1",
      "kind": "Engagement",
      "metadata": {
        "id": "e-1",
        "organization": "acme"
      },
      "spec": {
        "date": "2026-01-20",
        "service": "strategy-call",
        "initiatedBy": "tam",
        "workloads": [
          "payments"
        ],
        "attendees": [
          "Jane Roe",
          "true"
        ],
        "summary": "Q1: plan"
      }
    },
    {
      "apiVersion": "tamledger/v1",
      "kind": "Organization",
      "metadata": {
        "id": "acme"
      },
      "spec": {
        "complexity": {}
      }
    }
  ]
}
`
	if got := string(encode(t, "yaml", []tamledger.Record{rec, org})); got != wantYAML {
		t.Errorf("YAML:\n%s\nwant:\n%s", got, wantYAML)
	}
	if got := string(encode(t, "json", []tamledger.Record{rec, org})); got != wantJSON {
		t.Errorf("JSON:\n%s\nwant:\n%s", got, wantJSON)
	}
	if got, want := string(encode(t, "json", nil)), "{\n  \"apiVersion\": \"tamledger/v1\",\n  \"kind\": \"List\",\n  \"items\": []\n}\n"; got != want {
		t.Errorf("empty JSON:\n%s", got)
	}
	if got := string(encode(t, "yaml", nil)); got != "" {
		t.Errorf("empty YAML: %q", got)
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name string
		rec  tamledger.Record
		want string
	}{
		{"unknown kind", tamledger.Record{Kind: "Widget", ID: "w"}, `document: cannot encode kind "Widget"`},
		{"wrong value", tamledger.Record{Kind: tamledger.KindCase, ID: "c", Value: &tamledger.Event{}}, `document: Case record "c" holds *tamledger.Event`},
		{"nil value", tamledger.Record{Kind: tamledger.KindCase, ID: "c"}, `document: Case record "c" holds <nil>`},
		{"not finite", tamledger.Record{Kind: tamledger.KindEvent, ID: "e", Value: &tamledger.Event{ProbabilityReduction: math.NaN()}}, `document: Event "e": NaN is not a finite number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			enc := document.NewEncoder(&b, "json")
			err := enc.Encode(tt.rec)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want %s...", err, tt.want)
			}
			if err := enc.Close(); err != nil || !strings.HasSuffix(b.String(), "\"items\": []\n}\n") {
				t.Errorf("after a refused record: %v %q", err, b.String())
			}
		})
	}
	if err := document.NewEncoder(io.Discard, "xml").Encode(fullRecords(t)[0]); err == nil {
		t.Error("format xml accepted")
	}
}

// TestStrings round-trips texts that YAML could misread.
func TestStrings(t *testing.T) {
	texts := []string{
		"plain", "Jane Roe", "true", "No", "null", "~", "", " ", "12", "0x1F", "1e3", "2026-01-20", ".inf",
		"- item", "a: b", "a #b", "#x", "x:", "{a}", "[a]", "*alias", "&anchor", "!tag", "|", ">", "'q'", "\"q\"",
		"@at", "`tick`", "%dir", "<<", "=", "?", "---", "...", "a, b", "café", "☕ coffee", "ünïcödé", "\u00a0nbsp",
		" leading", "trailing ", "tab\there", "\ttab first", "x\n", "x\ny", "x\ny\n", "x\n\n", "\n", "\nx", "a\n\nb\n",
		"a\n  indented\nb", "a \nb", "line\r\nwindows", "a\n# not a comment\n- not a list\n--- not a marker\n", "a\n...\n",
		"nel\u0085x", "ls\u2028x", "bom\ufeffx", "ctl\x01x", "del\x7fx", "emoji 😀 x", "back\\slash",
		strings.Repeat("long ", 200), "Q1: plan", "e-mail@example.com", "https://example.com/a?b=c",
	}
	for _, format := range []string{"yaml", "json"} {
		for _, text := range texts {
			t.Run(format+"/"+text, func(t *testing.T) {
				rec := tamledger.Record{Kind: tamledger.KindEngagement, Org: "acme", ID: "e-1", Value: &tamledger.Engagement{
					Date: tamledger.MustDate("2026-01-20"), Service: "other", InitiatedBy: "tam",
					Attendees: []string{text, "x"}, Summary: text}}
				out := encode(t, format, []tamledger.Record{rec})
				docs, errs := readAll(t, "s."+format, string(out), document.Options{})
				if len(errs) > 0 || len(docs) != 1 {
					t.Fatalf("reading back: %q\n%s", errs, out)
				}
				e := docs[0].Value.(*tamledger.Engagement)
				if e.Summary != text || e.Attendees[0] != text {
					t.Errorf("read back %q and %q, want %q\n%s", e.Summary, e.Attendees[0], text, out)
				}
			})
		}
	}
}

// TestEncodeStreams checks that the encoder writes as it goes rather than
// holding every item until Close.
func TestEncodeStreams(t *testing.T) {
	var w countWriter
	enc := document.NewEncoder(&w, "json")
	rec := tamledger.Record{Kind: tamledger.KindEngagement, Org: "acme", ID: "e-1", Value: &tamledger.Engagement{
		Date: tamledger.MustDate("2026-01-20"), Service: "other", InitiatedBy: "tam"}}
	for range 10000 {
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
	if w.n < 1<<20 {
		t.Errorf("only %d bytes written before Close", w.n)
	}
	enc.Close()
}

type countWriter struct{ n int }

func (w *countWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
