package tamledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Managers: the sources that write records. Every write names one, and
// each field of a stored record remembers which manager last set it, after
// Kubernetes server-side apply (docs/documents.md, "Who changed what").
//
// Appliers (a file import, the AWS sync, the calendar import)
// state a record whole, again and again; their writes merge with Apply.
// Editors (the CLI's log, recommendation set and delete, later the web app)
// change some fields once, on purpose; their writes take the fields they
// change with Take.
const (
	ManagerImport = "import" // tamledger import of a file
	ManagerCLI    = "cli"    // tamledger log, recommendation set, delete
	ManagerAWS    = "aws"    // tamledger sync aws
	// ManagerCalendar is tamledger import of an iCalendar file (an
	// applier: it states the engagements of the meetings it reads).
	ManagerCalendar = "calendar"
)

// WebManager is the manager of a web app user's edits ("web:EMAIL"), so
// that each field remembers who set it.
func WebManager(email string) string { return "web:" + email }

// Managed is the field ownership of one stored record. A field is a path
// into the record's spec: objects are walked into ("accountTeam.tam.name"),
// lists and scalars are whole fields ("workloads", "status").
//
// Owner owns every field not listed in Fields. When a manager loses a field
// to another, the value it had applied is kept in Applied, so that it can
// tell later whether its own view of the field changed since.
type Managed struct {
	Owner   string                                `json:"owner,omitempty"`
	Fields  map[string]string                     `json:"fields,omitempty"`
	Applied map[string]map[string]json.RawMessage `json:"applied,omitempty"`
}

// OwnerOf is the manager that last set path ("" for none: a record stored
// before ownership was recorded).
func (m *Managed) OwnerOf(path string) string {
	if o, ok := m.Fields[path]; ok {
		return o
	}
	return m.Owner
}

// Simple reports whether one manager owns every field and no other view is
// kept: the common case, merged without looking at the fields.
func (m *Managed) Simple() bool { return len(m.Fields) == 0 && len(m.Applied) == 0 }

// ParseManaged reads a stored Managed ("" is a record with no recorded
// ownership).
func ParseManaged(s string) (Managed, error) {
	var m Managed
	if s == "" {
		return m, nil
	}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return m, fmt.Errorf("field ownership %q does not decode: %w", s, err)
	}
	return m, nil
}

// String is the stored form (canonical JSON).
func (m Managed) String() string {
	b, err := json.Marshal(m)
	if err != nil { // maps of strings and raw JSON always encode
		panic(err)
	}
	return string(b)
}

// Conflict is one field a manager would change that another set since.
type Conflict struct {
	Path  string          // the field, from spec ("status")
	Owner string          // who set the stored value
	Live  json.RawMessage // the stored value (null: absent)
	Next  json.RawMessage // the value this write would set (null: absent)
}

// Describe says what conflicts, naming the writer (such as "this file").
func (c Conflict) Describe(writer string) string {
	return fmt.Sprintf("spec.%s is %s, set by %s since; %s has %s", c.Path, showValue(c.Live), c.Owner, writer, showValue(c.Next))
}

func showValue(v json.RawMessage) string {
	if isAbsent(v) {
		return "(absent)"
	}
	return string(v)
}

var jsonNull = json.RawMessage("null")

func isAbsent(v json.RawMessage) bool { return v == nil || bytes.Equal(v, jsonNull) }

func sameValue(a, b json.RawMessage) bool {
	if isAbsent(a) || isAbsent(b) {
		return isAbsent(a) && isAbsent(b)
	}
	return bytes.Equal(a, b)
}

// Apply merges what an applier states about a record (next, the spec as
// canonical JSON) into the stored record (live, with its ownership m), field
// by field:
//
//   - a field whose value the applier did not change since it last applied
//     it is left as stored, whoever set it since (a re-import of an unchanged
//     file changes nothing);
//   - a field the applier changed is set when the applier owns it, when no
//     one does, or when it already holds the new value;
//   - a field the applier changed that another manager set since is a
//     conflict, unless force, which takes the applier's value.
//
// A field the applier omits is a field it states as absent. Apply returns
// the merged spec, the new ownership and the conflicts; with conflicts, the
// merged spec keeps the stored values of the conflicting fields.
func Apply(manager string, live []byte, m Managed, next []byte, force bool) (merged []byte, out Managed, conflicts []Conflict, err error) {
	if m.Owner == manager && len(m.Fields) == 0 && len(m.Applied[manager]) == 0 {
		// The applier owns every field: its statement is the record.
		return next, m, nil, nil
	}
	lf, err := flatten(live)
	if err != nil {
		return nil, m, nil, err
	}
	nf, err := flatten(next)
	if err != nil {
		return nil, m, nil, err
	}
	out = m.clone()
	mine := out.Applied[manager]
	paths := unionPaths(lf, nf, mine)
	for _, p := range paths {
		lv, nv := lf[p], nf[p]
		owner := m.OwnerOf(p)
		last, known := mine[p]
		if owner == manager {
			last, known = lv, true
		}
		switch {
		case known && sameValue(nv, last):
			// The applier's view did not change: leave the field.
		case sameValue(nv, lv):
			out.own(p, manager) // it agrees with what is stored: it is its value now
		case owner == manager || owner == "" || force:
			setPath(lf, p, nv)
			out.own(p, manager)
		default:
			conflicts = append(conflicts, Conflict{Path: p, Owner: owner, Live: orNull(lv), Next: orNull(nv)})
		}
	}
	out.tidy(lf)
	merged, err = unflatten(lf)
	return merged, out, conflicts, err
}

// Take records that an editor changed a record from live to next: every
// field whose value differs becomes the editor's, and an applier that owned
// it keeps the value it had applied, to tell later whether its own view
// changed.
func Take(manager string, live []byte, m Managed, next []byte) (Managed, error) {
	lf, err := flatten(live)
	if err != nil {
		return m, err
	}
	nf, err := flatten(next)
	if err != nil {
		return m, err
	}
	out := m.clone()
	for _, p := range unionPaths(lf, nf, nil) {
		lv, nv := lf[p], nf[p]
		if sameValue(lv, nv) {
			continue
		}
		if prev := m.OwnerOf(p); prev != manager {
			out.keepView(prev, p, lv)
		}
		out.setOwner(p, manager)
	}
	out.tidy(nf)
	return out, nil
}

// Tombstone is the ownership kept for a deleted record: the deleter owns
// every field, and each manager that had set fields keeps its view of them.
func Tombstone(manager string, live []byte, m Managed) (Managed, error) {
	lf, err := flatten(live)
	if err != nil {
		return m, err
	}
	out := m.clone()
	for p, v := range lf {
		if prev := m.OwnerOf(p); prev != manager {
			out.keepView(prev, p, v)
		}
	}
	out.Owner, out.Fields = manager, nil
	return out, nil
}

// keepView keeps v as the value manager had applied to path, which another
// manager takes from it, unless a view of it is kept already (an earlier
// value the manager applied, which is what it will compare with).
func (m *Managed) keepView(manager, path string, v json.RawMessage) {
	if manager == "" {
		return // no one's: no view to keep
	}
	if _, kept := m.Applied[manager][path]; kept {
		return
	}
	if m.Applied == nil {
		m.Applied = map[string]map[string]json.RawMessage{}
	}
	if m.Applied[manager] == nil {
		m.Applied[manager] = map[string]json.RawMessage{}
	}
	m.Applied[manager][path] = orNull(v)
}

func orNull(v json.RawMessage) json.RawMessage {
	if v == nil {
		return jsonNull
	}
	return v
}

func (m Managed) clone() Managed {
	out := Managed{Owner: m.Owner, Fields: maps.Clone(m.Fields)}
	if m.Applied != nil {
		out.Applied = make(map[string]map[string]json.RawMessage, len(m.Applied))
		for k, v := range m.Applied {
			out.Applied[k] = maps.Clone(v)
		}
	}
	return out
}

// own makes manager the owner of path, whose stored value it now states:
// its kept view of the field is no longer needed.
func (m *Managed) own(path, manager string) {
	m.setOwner(path, manager)
	if a := m.Applied[manager]; a != nil {
		delete(a, path)
	}
}

func (m *Managed) setOwner(path, manager string) {
	if manager == m.Owner {
		delete(m.Fields, path)
		return
	}
	if m.Fields == nil {
		m.Fields = map[string]string{}
	}
	m.Fields[path] = manager
}

// tidy drops what no longer says anything: owners of fields that are
// absent and kept views that equal nothing to compare with, and empty maps.
// An owner of an absent field is kept when a view of it is kept.
func (m *Managed) tidy(fields map[string]json.RawMessage) {
	for p := range m.Fields {
		if _, ok := fields[p]; !ok && !m.viewed(p) {
			delete(m.Fields, p)
		}
	}
	for k, a := range m.Applied {
		if len(a) == 0 {
			delete(m.Applied, k)
		}
	}
	if len(m.Fields) == 0 {
		m.Fields = nil
	}
	if len(m.Applied) == 0 {
		m.Applied = nil
	}
}

func (m *Managed) viewed(path string) bool {
	for _, a := range m.Applied {
		if _, ok := a[path]; ok {
			return true
		}
	}
	return false
}

func unionPaths(a, b map[string]json.RawMessage, c map[string]json.RawMessage) []string {
	set := make(map[string]struct{}, len(a)+len(b)+len(c))
	for p := range a {
		set[p] = struct{}{}
	}
	for p := range b {
		set[p] = struct{}{}
	}
	for p := range c {
		set[p] = struct{}{}
	}
	return slices.Sorted(maps.Keys(set))
}

// Fields are the fields of a record's spec (its canonical JSON), as field
// ownership names them: path → the value's JSON. Managed.OwnerOf says who
// set each; the web app's record pages list them.
func Fields(spec []byte) (map[string]json.RawMessage, error) { return flatten(spec) }

// flatten turns a spec's JSON into its fields: path → the value's JSON.
// Objects are walked into; an empty object is a field of its own, so that
// {} and an absent object stay apart.
func flatten(spec []byte) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if len(spec) == 0 {
		return out, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(spec, &top); err != nil {
		return nil, fmt.Errorf("field ownership: the spec is not a JSON object: %w", err)
	}
	return out, walk("", top, out)
}

func walk(prefix string, obj map[string]json.RawMessage, out map[string]json.RawMessage) error {
	if prefix != "" && len(obj) == 0 {
		out[prefix] = json.RawMessage("{}")
		return nil
	}
	for k, v := range obj {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '{' {
			var sub map[string]json.RawMessage
			if err := json.Unmarshal(v, &sub); err != nil {
				return err
			}
			if err := walk(p, sub, out); err != nil {
				return err
			}
			continue
		}
		if isAbsent(v) {
			continue
		}
		out[p] = v
	}
	return nil
}

func setPath(fields map[string]json.RawMessage, path string, v json.RawMessage) {
	if isAbsent(v) {
		delete(fields, path)
		return
	}
	fields[path] = v
}

// unflatten builds the spec's JSON back from its fields, keys in order.
func unflatten(fields map[string]json.RawMessage) ([]byte, error) {
	root := map[string]any{}
	for _, p := range slices.Sorted(maps.Keys(fields)) {
		parts := strings.Split(p, ".")
		node := root
		for _, k := range parts[:len(parts)-1] {
			sub, ok := node[k].(map[string]any)
			if !ok {
				sub = map[string]any{}
				node[k] = sub
			}
			node = sub
		}
		last := parts[len(parts)-1]
		if string(fields[p]) == "{}" {
			if _, ok := node[last].(map[string]any); !ok {
				node[last] = map[string]any{}
			}
			continue
		}
		node[last] = fields[p]
	}
	return json.Marshal(root)
}

// ChangedFields lists the fields (paths into the spec, as field ownership
// names them) whose values differ between two specs' canonical JSON, in
// order: what a write changed, for the audit trail.
func ChangedFields(before, after []byte) ([]string, error) {
	a, err := flatten(before)
	if err != nil {
		return nil, err
	}
	b, err := flatten(after)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range unionPaths(a, b, nil) {
		if !sameValue(a[p], b[p]) {
			out = append(out, p)
		}
	}
	return out, nil
}
