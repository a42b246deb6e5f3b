package document_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(document.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("tamledger.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("tamledger.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateJSON(s *jsonschema.Schema, doc string) error {
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

func TestSchemaAcceptsValidDocuments(t *testing.T) {
	s := compileSchema(t)
	// The sample, document by document, as the YAML language server sees it.
	for i, chunk := range strings.Split(readFile(t, "acme.yaml"), "\n---\n") {
		js, err := yaml.YAMLToJSON([]byte(chunk))
		if err != nil {
			t.Fatal(err)
		}
		if err := validateJSON(s, string(js)); err != nil {
			t.Errorf("acme.yaml document %d: %v\n%s", i, err, js)
		}
	}
	// What the encoder writes, for every field of every kind.
	for name, recs := range map[string][]tamledger.Record{"full": fullRecords(t), "acme": nil} {
		out := encode(t, "json", recs)
		if err := validateJSON(s, string(out)); err != nil {
			t.Errorf("%s export: %v", name, err)
		}
	}
	if err := validateJSON(s, readFile(t, "acme.export.json")); err != nil {
		t.Errorf("acme.export.json: %v", err)
	}
}

func TestSchemaRefusesBadDocuments(t *testing.T) {
	s := compileSchema(t)
	good := `{"apiVersion": "tamledger/v1", "kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"date": "2026-01-20", "service": "other", "initiatedBy": "tam"}}`
	if err := validateJSON(s, good); err != nil {
		t.Fatalf("good document refused: %v", err)
	}
	tests := map[string][2]string{
		"unknown field":                 {`"initiatedBy": "tam"`, `"initiatedBy": "tam", "colour": "blue"`},
		"unknown enum value":            {`"service": "other"`, `"service": "chat"`},
		"bad date":                      {`"2026-01-20"`, `"2026-1-20"`},
		"missing required field":        {`"service": "other", `, ``},
		"missing organization":          {`, "organization": "acme"`, ``},
		"bad id":                        {`"e-1"`, `"E 1"`},
		"unknown kind":                  {`"Engagement"`, `"Engagment"`},
		"wrong apiVersion":              {`tamledger/v1`, `tamledger/v2`},
		"wrong type":                    {`"initiatedBy": "tam"`, `"initiatedBy": "tam", "summary": 5`},
		"unknown field at the top":      {`"spec":`, `"extra": 1, "spec":`},
		"null for a required field":     {`"2026-01-20"`, `null`},
		"bad workload id in the list":   {`"initiatedBy": "tam"`, `"initiatedBy": "tam", "workloads": ["Pay Ments"]}`},
		"organization on a price book":  {`"kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"date": "2026-01-20", "service": "other", "initiatedBy": "tam"}`, `"kind": "PriceBook", "metadata": {"id": "p", "organization": "acme"}, "spec": {"effective": "2026-01-01", "plans": {"enterprise": {"minimum": 0, "tiers": [{"rate": 0.1}]}}}`},
		"probability above 1":           {`"kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"date": "2026-01-20", "service": "other", "initiatedBy": "tam"}`, `"kind": "Event", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"date": "2026-01-20", "probabilityReduction": 1.5}`},
		"negative amount":               {`"kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"date": "2026-01-20", "service": "other", "initiatedBy": "tam"}`, `"kind": "Event", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"date": "2026-01-20", "failureCost": -1}`},
		"a List holding a bad document": {`{"apiVersion"`, `{"apiVersion": "tamledger/v1", "kind": "List", "items": [{"apiVersion"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			bad := strings.Replace(good, tt[0], tt[1], 1)
			if bad == good {
				t.Fatal("the replacement changed nothing")
			}
			if strings.HasPrefix(bad, `{"apiVersion": "tamledger/v1", "kind": "List"`) {
				bad = strings.Replace(bad, `"tam"}}`, `"chat"}}]}`, 1)
			}
			if err := validateJSON(s, bad); err == nil {
				t.Errorf("accepted %s", bad)
			}
		})
	}
}

// TestSchemaHasEveryField checks that every field of every kind, down to the
// nested types, is in the schema, so the schema keeps up with the types.
func TestSchemaHasEveryField(t *testing.T) {
	var schema struct {
		Defs map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(document.Schema(), &schema); err != nil {
		t.Fatal(err)
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != "github.com/tamledger/tamledger" || seen[typ] {
			return
		}
		seen[typ] = true
		if typ == reflect.TypeFor[tamledger.Money]() || typ == reflect.TypeFor[tamledger.Date]() {
			return
		}
		def, ok := schema.Defs[typ.Name()]
		if !ok {
			t.Errorf("no definition of %s in the schema", typ.Name())
			return
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if _, ok := def.Properties[name]; !ok {
				t.Errorf("%s.%s (%s) is not in the schema", typ.Name(), f.Name, name)
			}
			walk(f.Type)
		}
	}
	for _, k := range tamledger.Kinds.Values() {
		walk(reflect.TypeOf(tamledger.NewValue(k)))
		if _, ok := schema.Defs[k+"Document"]; !ok {
			t.Errorf("no document schema for %s", k)
		}
	}
	if len(seen) < 20 {
		t.Errorf("walked only %d types", len(seen))
	}
}

func TestSchemaIsDeterministic(t *testing.T) {
	a, b := document.Schema(), document.Schema()
	a[0] = 'x' // a copy: changing it changes nothing for the next caller
	if bytes.Equal(a, b) || !bytes.Equal(b, document.Schema()) || !json.Valid(b) {
		t.Error("Schema is not a stable, valid copy")
	}
}
