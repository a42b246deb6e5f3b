package document_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

// addSeeds adds the sample files with the extension, and extra inputs, to
// the fuzzer's corpus. YAML files go in one document at a time: small seeds
// keep the fuzzer's minimising quick.
func addSeeds(f *testing.F, ext string, extra ...string) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"+ext))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if ext == ".yaml" {
			for doc := range strings.SplitSeq(string(b), "\n---\n") {
				f.Add([]byte(doc))
			}
			continue
		}
		f.Add(b)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// fuzzRead reads input to the end and checks what any input must give:
// no panic, an end, positions on every error, and documents that write out
// and read back the same.
func fuzzRead(t *testing.T, name string, input []byte, format string) {
	// The fuzzer has no time limit: a hang becomes a crash it records.
	watchdog := time.AfterFunc(2*time.Second, func() { panic(fmt.Sprintf("reading %q takes more than 10s", input)) })
	defer watchdog.Stop()
	r := document.NewReader(name, bytes.NewReader(input), document.Options{Format: format, MaxBytes: 1 << 20})
	var recs []tamledger.Record
	for i := 0; ; i++ {
		if i > len(input)+10 {
			t.Fatalf("no end after %d calls to Next", i)
		}
		doc, err := r.Next()
		if err == io.EOF {
			break
		}
		var el document.ErrorList
		if errors.As(err, &el) {
			if len(el) == 0 {
				t.Fatal("empty ErrorList")
			}
			for _, e := range el {
				if e.File != name || e.Msg == "" || e.Line < 0 || e.Line > 0 && e.Col < 1 {
					t.Fatalf("bad error %#v", e)
				}
			}
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if doc.Pos.Line < 1 || doc.Pos.Col < 1 {
			t.Fatalf("document at %v", doc.Pos)
		}
		for _, p := range []string{"metadata.organization", "spec", "spec.workloads[1]", "spec.a.b[0].c", "x[", "["} {
			if pos := r.Locate(doc, p); pos.Line < 1 || pos.File != name {
				t.Fatalf("Locate(%q) = %v", p, pos)
			}
		}
		if err := doc.Value.(tamledger.Validator).Validate(); err != nil {
			t.Fatalf("a document that does not validate: %v", err)
		}
		recs = append(recs, doc.Record)
	}
	if len(recs) == 0 {
		return
	}
	for _, out := range []string{"yaml", "json"} {
		var b bytes.Buffer
		enc := document.NewEncoder(&b, out)
		for _, rec := range recs {
			if err := enc.Encode(rec); err != nil {
				t.Fatalf("Encode: %v", err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		docs, errs := readAll(t, "out."+out, b.String(), document.Options{MaxBytes: -1})
		if len(errs) > 0 || len(docs) != len(recs) {
			t.Fatalf("reading back %s: %d documents of %d, errors %q\n%s", out, len(docs), len(recs), errs, b.String())
		}
		for i, d := range docs {
			if d.Kind != recs[i].Kind || d.Org != recs[i].Org || d.ID != recs[i].ID || !equalValues(d.Value, recs[i].Value) {
				t.Fatalf("%s round trip of document %d:\n got %+v\nwant %+v\n%s", out, i, d.Value, recs[i].Value, b.String())
			}
		}
	}
}

func FuzzYAML(f *testing.F) {
	addSeeds(f, ".yaml",
		engagementYAML,
		"---\n---\n"+engagementYAML+"...\n--- |\n  text\n",
		"a: &a [*a]\n",
		"a: &a {b: 1}\nc: *a\n<<: *a\n",
		"%YAML 1.2\n---\n"+engagementYAML,
		"apiVersion: tamledger/v1\nkind: List\nitems:\n- "+strings.ReplaceAll(engagementYAML, "\n", "\n  "),
		"spec: !!str 5\nkind: !!str Case\n",
		"? [a, b]\n: c\n",
		"{apiVersion: tamledger/v1, kind: Case, metadata: {id: c, organization: a}, spec: {severity: low, openedAt: '2026-04-02T09:00:00Z'}}",
		"\ufeffapiVersion: tamledger/v1\r\nkind: Event\r\nmetadata: {id: e, organization: a}\r\nspec: {date: 2026-01-01, name: \"x\\ty\"}\r\n",
	)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, "f.yaml", b, "yaml") })
}

func FuzzJSON(f *testing.F) {
	engagement := `{"apiVersion": "tamledger/v1", "kind": "Engagement", "metadata": {"id": "e-1", "organization": "acme"}, "spec": {"date": "2026-01-20", "service": "other", "initiatedBy": "tam", "summary": "\u00e9\n"}}`
	addSeeds(f, ".json",
		engagement,
		engagement+"\n"+engagement,
		"["+engagement+","+engagement+"]",
		`{"apiVersion": "tamledger/v1", "kind": "List", "items": [`+engagement+`], "extra": 1}`,
		`{"items": [`+engagement+`], "kind": "List"}`,
		`{"kind": "List", "items": [{"kind": "List", "items": []}]}`,
		`{"a": [1, -0.5e+10, true, false, null, "\ud83d\ude00"]}`,
		"\ufeff{}",
		`{"apiVersion": "tamledger/v1", "kind": "PriceBook", "metadata": {"id": "p"}, "spec": {"effective": "2026-01-01", "plans": {"a.b": {"minimum": 1, "tiers": [{"rate": 0.5}]}}}}`,
	)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, "f.json", b, "json") })
}

func FuzzCSV(f *testing.F) {
	addSeeds(f, ".csv",
		"id,organization,date,service,initiatedBy,workloads\ne-1,acme,2026-01-20,other,tam,a;b; c ;\n",
		"kind,id,organization,openedAt,severity,date,service,initiatedBy\nCase,c,a,2026-04-02T09:00:00Z,low,,,\nEngagement,e,a,,,2026-01-20,other,tam\n",
		"id,organization,raisedOn,origin,status,incidentAvoided.probability\nr,a,2026-01-01,tam,open,0.5\n",
		"\ufeffid,organization,openedAt,severity\r\n\"c\",\"a\",\"2026-04-02T09:00:00Z\",low\r\n",
		"id,id\n",
	)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, "f.csv", b, "csv") })
}
