package tamledger_test

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
)

// spec decodes a JSON object for comparisons that ignore key order.
func spec(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return m
}

func TestApply(t *testing.T) {
	const imp, cli = tamledger.ManagerImport, tamledger.ManagerCLI
	file := `{"status":"open","title":"Graviton","estimatedMonthlySavings":"12000"}`
	// The CLI implemented it after the import.
	edited := `{"status":"implemented","title":"Graviton","estimatedMonthlySavings":"12000","implementedOn":"2026-03-15","realizedMonthlySavings":"10500"}`
	owned, err := tamledger.Take(cli, []byte(file), tamledger.Managed{Owner: imp}, []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	if owned.OwnerOf("status") != cli || owned.OwnerOf("realizedMonthlySavings") != cli || owned.OwnerOf("title") != imp {
		t.Fatalf("Take: owners %+v", owned)
	}

	tests := []struct {
		name      string
		live      string
		m         tamledger.Managed
		next      string
		force     bool
		want      string
		conflicts []string // paths
		owner     map[string]string
	}{
		{name: "unchanged file keeps the CLI's edits", live: edited, m: owned, next: file, want: edited,
			owner: map[string]string{"status": cli, "title": imp}},
		{name: "a field no one else changed is applied", live: edited, m: owned,
			next: `{"status":"open","title":"Graviton 3","estimatedMonthlySavings":"12000"}`,
			want: `{"status":"implemented","title":"Graviton 3","estimatedMonthlySavings":"12000","implementedOn":"2026-03-15","realizedMonthlySavings":"10500"}`},
		{name: "a field the CLI set since is a conflict", live: edited, m: owned,
			next:      `{"status":"rejected","title":"Graviton","estimatedMonthlySavings":"12000"}`,
			want:      edited,
			conflicts: []string{"status"}},
		{name: "a field the file now omits, set by the CLI, is a conflict only if the file had it",
			live: edited, m: owned, next: `{"status":"open","estimatedMonthlySavings":"12000"}`,
			want: `{"status":"implemented","estimatedMonthlySavings":"12000","implementedOn":"2026-03-15","realizedMonthlySavings":"10500"}`},
		{name: "the file stating the CLI's value takes the field", live: edited, m: owned,
			next:  `{"status":"implemented","title":"Graviton","estimatedMonthlySavings":"12000"}`,
			want:  edited,
			owner: map[string]string{"status": imp, "implementedOn": cli}},
		{name: "force takes the file's values", live: edited, m: owned, force: true,
			next:  `{"status":"rejected","title":"Graviton","estimatedMonthlySavings":"12000"}`,
			want:  `{"status":"rejected","title":"Graviton","estimatedMonthlySavings":"12000","implementedOn":"2026-03-15","realizedMonthlySavings":"10500"}`,
			owner: map[string]string{"status": imp}},
		{name: "no recorded owner: the file applies", live: edited, m: tamledger.Managed{},
			next: file, want: file},
		{name: "a source that never stated the record conflicts where it differs", live: edited,
			m: tamledger.Managed{Owner: cli}, next: file, want: edited,
			conflicts: []string{"implementedOn", "realizedMonthlySavings", "status"}},
		{name: "objects are walked into", live: `{"accountTeam":{"tam":{"name":"A","portfolioSize":30}}}`,
			m:    tamledger.Managed{Owner: imp, Fields: map[string]string{"accountTeam.tam.portfolioSize": cli}},
			next: `{"accountTeam":{"tam":{"name":"B","portfolioSize":20}}}`,
			want: `{"accountTeam":{"tam":{"name":"B","portfolioSize":30}}}`, conflicts: []string{"accountTeam.tam.portfolioSize"}},
		{name: "an empty object stays apart from an absent one", live: `{"name":"x"}`, m: tamledger.Managed{Owner: imp},
			next: `{"name":"x","complexity":{}}`, want: `{"name":"x","complexity":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			merged, out, conflicts, err := tamledger.Apply(imp, []byte(tt.live), tt.m, []byte(tt.next), tt.force)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(spec(t, string(merged)), spec(t, tt.want)) {
				t.Errorf("merged\n %s\nwant\n %s", merged, tt.want)
			}
			var paths []string
			for _, c := range conflicts {
				paths = append(paths, c.Path)
			}
			if strings.Join(paths, ",") != strings.Join(tt.conflicts, ",") {
				t.Errorf("conflicts %v, want %v", paths, tt.conflicts)
			}
			for p, o := range tt.owner {
				if got := out.OwnerOf(p); got != o {
					t.Errorf("owner of %s = %q, want %q (%+v)", p, got, o, out)
				}
			}
		})
	}
}

func TestApplyConflictNamesBothValues(t *testing.T) {
	live := `{"status":"implemented"}`
	m := tamledger.Managed{Owner: tamledger.ManagerImport, Fields: map[string]string{"status": tamledger.ManagerCLI},
		Applied: map[string]map[string]json.RawMessage{tamledger.ManagerImport: {"status": json.RawMessage(`"open"`)}}}
	_, _, conflicts, err := tamledger.Apply(tamledger.ManagerImport, []byte(live), m, []byte(`{"status":"accepted"}`), false)
	if err != nil || len(conflicts) != 1 {
		t.Fatalf("conflicts %v, %v", conflicts, err)
	}
	got := conflicts[0].Describe("this file")
	want := `spec.status is "implemented", set by cli since; this file has "accepted"`
	if got != want {
		t.Errorf("Describe = %q\nwant      %q", got, want)
	}
}

// A chain of writes: import, CLI edit, re-import, file edit, CLI edit of
// the same field, forced import, re-import.
func TestOwnershipChain(t *testing.T) {
	const imp, cli = tamledger.ManagerImport, tamledger.ManagerCLI
	live := []byte(`{"status":"open","title":"a"}`)
	m := tamledger.Managed{Owner: imp}
	apply := func(next string, force bool) []tamledger.Conflict {
		t.Helper()
		merged, out, conflicts, err := tamledger.Apply(imp, live, m, []byte(next), force)
		if err != nil {
			t.Fatal(err)
		}
		if len(conflicts) == 0 {
			live, m = merged, out
		}
		return conflicts
	}
	edit := func(next string) {
		t.Helper()
		out, err := tamledger.Take(cli, live, m, []byte(next))
		if err != nil {
			t.Fatal(err)
		}
		live, m = []byte(next), out
	}
	edit(`{"status":"accepted","title":"a"}`)
	if c := apply(`{"status":"open","title":"a"}`, false); c != nil {
		t.Fatalf("re-import of the unchanged file: %v", c)
	}
	if c := apply(`{"status":"open","title":"b"}`, false); c != nil || !strings.Contains(string(live), `"accepted"`) || !strings.Contains(string(live), `"b"`) {
		t.Fatalf("file edit of another field: %v, %s", c, live)
	}
	if c := apply(`{"status":"deferred","title":"b"}`, false); len(c) != 1 || c[0].Path != "status" {
		t.Fatalf("file edit of the CLI's field: %v", c)
	}
	if c := apply(`{"status":"deferred","title":"b"}`, true); c != nil || !strings.Contains(string(live), `"deferred"`) {
		t.Fatalf("forced: %v, %s", c, live)
	}
	if !m.Simple() || m.Owner != imp {
		t.Errorf("after force the file owns everything again: %+v", m)
	}
	if c := apply(`{"status":"open","title":"b"}`, false); c != nil || !strings.Contains(string(live), `"open"`) {
		t.Fatalf("the file owns status again: %v, %s", c, live)
	}
}

func TestTombstone(t *testing.T) {
	const imp, cli = tamledger.ManagerImport, tamledger.ManagerCLI
	live := []byte(`{"status":"open","title":"a"}`)
	tomb, err := tamledger.Tombstone(cli, live, tamledger.Managed{Owner: imp})
	if err != nil {
		t.Fatal(err)
	}
	if tomb.Owner != cli {
		t.Fatalf("tombstone owner %q", tomb.Owner)
	}
	// The unchanged file says nothing new: no conflict.
	if _, _, c, _ := tamledger.Apply(imp, live, tomb, live, false); len(c) != 0 {
		t.Errorf("unchanged file conflicts with the deletion: %v", c)
	}
	// A changed file conflicts with the deletion.
	if _, _, c, _ := tamledger.Apply(imp, live, tomb, []byte(`{"status":"open","title":"b"}`), false); len(c) != 1 || c[0].Path != "title" {
		t.Errorf("changed file: %v", c)
	}
}

func TestManagedRoundTrip(t *testing.T) {
	m := tamledger.Managed{Owner: "import", Fields: map[string]string{"status": "cli"},
		Applied: map[string]map[string]json.RawMessage{"import": {"status": json.RawMessage(`"open"`)}}}
	back, err := tamledger.ParseManaged(m.String())
	if err != nil || !reflect.DeepEqual(back, m) {
		t.Fatalf("ParseManaged(%s) = %+v, %v", m.String(), back, err)
	}
	if _, err := tamledger.ParseManaged("{"); err == nil {
		t.Error("bad JSON accepted")
	}
	if m, err := tamledger.ParseManaged(""); err != nil || m.Owner != "" {
		t.Errorf("empty: %+v, %v", m, err)
	}
}

// mergeModel is field ownership as docs/documents.md words it, written
// without Managed: each field has a value, who set it last, and the value
// the import last stated for it (its view; unknown until it states one).
type mergeModel struct {
	live, owner map[string]string
	view        map[string]*string
}

var modelFields = []string{"x", "y", "z.v", "z.w"}

// apply is an import stating next (absent fields ""); it reports whether
// it conflicts, in which case nothing changes.
func (m *mergeModel) apply(next map[string]string, force bool) bool {
	changes := map[string]bool{}
	for _, f := range modelFields {
		nv := next[f]
		if v := m.view[f]; v != nil && *v == nv {
			continue // the file did not change it since its last import
		}
		if nv != m.live[f] && !force && m.owner[f] != "" && m.owner[f] != "import" {
			return true
		}
		changes[f] = true
	}
	for f := range changes {
		nv := next[f]
		m.live[f], m.owner[f], m.view[f] = nv, "import", &nv
	}
	return false
}

// edit is the CLI setting field f to v.
func (m *mergeModel) edit(f, v string) {
	if m.live[f] != v {
		m.live[f], m.owner[f] = v, "cli"
	}
}

func specJSON(vals map[string]string) []byte {
	obj := map[string]any{}
	z := map[string]any{}
	for f, v := range vals {
		if v == "" {
			continue
		}
		if sub, ok := strings.CutPrefix(f, "z."); ok {
			z[sub] = v
		} else {
			obj[f] = v
		}
	}
	if len(z) > 0 {
		obj["z"] = z
	}
	b, _ := json.Marshal(obj)
	return b
}

func specValues(t *testing.T, b []byte) map[string]string {
	var obj map[string]any
	if err := json.Unmarshal(b, &obj); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range obj {
		if sub, ok := v.(map[string]any); ok {
			for k2, v2 := range sub {
				out[k+"."+k2] = v2.(string)
			}
			continue
		}
		out[k] = v.(string)
	}
	return out
}

// Apply and Take against the model on random sequences of imports (some
// forced) and CLI edits of one record.
func TestApplyAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vals := []string{"", "a", "b", "c"}
	random := func() map[string]string {
		m := map[string]string{}
		for _, f := range modelFields {
			m[f] = vals[rng.IntN(len(vals))]
		}
		return m
	}
	conflicts, applied := 0, 0
	for seq := 0; seq < 3000; seq++ {
		first := random()
		model := &mergeModel{live: map[string]string{}, owner: map[string]string{}, view: map[string]*string{}}
		model.apply(first, false)
		live, m := specJSON(first), tamledger.Managed{Owner: tamledger.ManagerImport}
		file := first
		for step := 0; step < 12; step++ {
			switch rng.IntN(3) {
			case 0: // the CLI edits a field
				f, v := modelFields[rng.IntN(len(modelFields))], vals[rng.IntN(len(vals))]
				model.edit(f, v)
				next := specValues(t, live)
				next[f] = v
				nb := specJSON(next)
				var err error
				if m, err = tamledger.Take(tamledger.ManagerCLI, live, m, nb); err != nil {
					t.Fatal(err)
				}
				live = nb
			default: // the file, changed in a field or not, is imported
				if rng.IntN(2) == 0 {
					file = maps.Clone(file)
					file[modelFields[rng.IntN(len(modelFields))]] = vals[rng.IntN(len(vals))]
				}
				force := rng.IntN(6) == 0
				wantConflict := model.apply(file, force)
				merged, out, cs, err := tamledger.Apply(tamledger.ManagerImport, live, m, specJSON(file), force)
				if err != nil {
					t.Fatal(err)
				}
				if got := len(cs) > 0; got != wantConflict {
					t.Fatalf("sequence %d step %d: conflict %v (%v), the model says %v", seq, step, got, cs, wantConflict)
				}
				if wantConflict {
					conflicts++
					continue // the store writes nothing
				}
				applied++
				live, m = merged, out
			}
			if got := specValues(t, live); !maps.Equal(got, nonEmpty(model.live)) {
				t.Fatalf("sequence %d step %d: record %v, the model has %v", seq, step, got, nonEmpty(model.live))
			}
		}
	}
	if conflicts < 500 || applied < 500 {
		t.Errorf("%d conflicts and %d clean imports: the sequences do not exercise both", conflicts, applied)
	}
}

func nonEmpty(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
