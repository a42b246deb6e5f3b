package document

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unsafe"

	"github.com/tamledger/tamledger"
)

// bulkKinds are the kinds a CSV file may hold.
var bulkKinds = func() []string {
	var b []string
	for _, k := range tamledger.AllKinds() {
		if k.Bulk {
			b = append(b, k.Name)
		}
	}
	return b
}()

// Column roles.
const (
	colSpec = iota
	colKind
	colAPI
	colID
	colOrg
	colSkip // unknown: reported once, then ignored
)

type csvCol struct {
	name string
	role int
	segs [][]byte       // the spec field path, split at dots
	list map[string]int // per kind: 1 a field, 2 a list (cells split at ;), 0 unknown
}

// csvReader yields one document per row of a CSV file: a header row of field
// names, then one row per document. Cells are decoded like YAML plain
// scalars, by the type of their field; an empty cell is an absent field.
type csvReader struct {
	r  *Reader
	cr *csv.Reader
	t  tree
	d  decoder

	started  bool
	finished bool
	pending  ErrorList
	cols     []csvCol
	special  [5]int // column of each role colKind..colOrg, -1 when absent
	kind     string // the kind of the rows when no kind column says
	byPath   map[string]int
	kindText map[string][]byte
}

var (
	keyAPIVersion   = []byte("apiVersion")
	keyKind         = []byte("kind")
	keyMetadata     = []byte("metadata")
	keyID           = []byte("id")
	keyOrganization = []byte("organization")
	keySpec         = []byte("spec")
	keyItems        = []byte("items")
	textAPIVersion  = []byte(tamledger.APIVersion)
)

func newCSVReader(r *Reader) *csvReader {
	c := &csvReader{r: r, byPath: map[string]int{}, kindText: map[string][]byte{}}
	c.d = newDecoder(r.name, &c.t, false)
	for _, k := range bulkKinds {
		c.kindText[k] = []byte(k)
	}
	return c
}

// bytesOf views s as bytes without copying; the bytes are only read.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func (c *csvReader) fatal(err error) (*Doc, error) {
	c.finished = true
	var pe *csv.ParseError
	if errors.As(err, &pe) && !errors.Is(err, errTooBig) {
		return nil, ErrorList{{Pos: Pos{File: c.r.name, Line: pe.Line, Col: pe.Column}, Msg: "bad CSV: " + pe.Err.Error()}}
	}
	return nil, c.r.readErr(err)
}

func (c *csvReader) next() (*Doc, error) {
	for {
		if len(c.pending) > 0 {
			e := c.pending
			c.pending = nil
			return nil, e
		}
		if c.finished {
			return nil, io.EOF
		}
		if !c.started {
			c.started = true
			if err := c.header(); err != nil {
				return c.fatal(err)
			}
			continue
		}
		rec, err := c.cr.Read()
		if err == io.EOF {
			c.finished = true
			return nil, io.EOF
		}
		if err != nil {
			return c.fatal(err)
		}
		return c.row(rec)
	}
}

// header reads the header row.
func (c *csvReader) header() error {
	in := c.r.in
	if b, err := in.Peek(3); err == nil && string(b) == string(bom) {
		in.Discard(3)
	}
	c.cr = csv.NewReader(in)
	c.cr.FieldsPerRecord = -1
	c.cr.ReuseRecord = true
	rec, err := c.cr.Read()
	if err == io.EOF {
		c.finished = true
		return nil
	}
	if err != nil {
		return err
	}
	line, _ := c.cr.FieldPos(0)
	errAt := func(i int, format string, args ...any) {
		c.pending = append(c.pending, Error{Pos: Pos{File: c.r.name, Line: line, Col: i + 1}, Msg: fmt.Sprintf(format, args...)})
	}
	c.special = [5]int{-1, -1, -1, -1, -1}
	seen := map[string]int{}
	for i, raw := range rec {
		name := strings.TrimSpace(raw)
		col := csvCol{name: name}
		switch name {
		case "kind":
			col.role = colKind
		case "apiVersion":
			col.role = colAPI
		case "id", "metadata.id":
			col.role = colID
		case "organization", "metadata.organization":
			col.role = colOrg
		default:
			col.role = colSpec
			for _, s := range strings.Split(strings.TrimPrefix(name, "spec."), ".") {
				col.segs = append(col.segs, []byte(s))
			}
		}
		if col.role != colSpec {
			if c.special[col.role] >= 0 {
				errAt(i, "column %q: duplicate of column %d (give each column once)", name, c.special[col.role]+1)
				col.role = colSkip
			} else {
				c.special[col.role] = i
			}
		} else if j, dup := seen[strings.TrimPrefix(name, "spec.")]; dup {
			errAt(i, "column %q: duplicate of column %d (give each column once)", name, j+1)
			col.role = colSkip
		} else {
			seen[strings.TrimPrefix(name, "spec.")] = i
		}
		c.cols = append(c.cols, col)
	}
	// The kind of the rows, when the header tells.
	var kinds []string
	if _, ok := seen["date"]; ok {
		if _, ok := seen["service"]; ok {
			kinds = append(kinds, tamledger.KindEngagement)
		}
	}
	if _, ok := seen["raisedOn"]; ok {
		kinds = append(kinds, tamledger.KindRecommendation)
	}
	if _, ok := seen["openedAt"]; ok {
		kinds = append(kinds, tamledger.KindCase)
	}
	if len(kinds) == 1 {
		c.kind = kinds[0]
	}
	if c.kind == "" && c.special[colKind] < 0 {
		c.pending = nil
		c.finished = true
		msg := "cannot tell the kind of the rows from the header"
		if len(kinds) > 1 {
			msg = "the header fits several kinds (" + strings.Join(kinds, ", ") + ")"
		}
		c.pending = ErrorList{{Pos: Pos{File: c.r.name, Line: line, Col: 1},
			Msg: msg + " (add a kind column, or give columns date and service for Engagement, raisedOn for Recommendation, openedAt for Case)"}}
		return nil
	}
	candidates := bulkKinds
	if c.special[colKind] < 0 {
		candidates = []string{c.kind}
	}
	for i := range c.cols {
		col := &c.cols[i]
		switch col.role {
		case colSpec:
		case colKind:
			c.byPath["kind"] = i
			continue
		case colAPI:
			c.byPath["apiVersion"] = i
			continue
		case colID:
			c.byPath["metadata.id"] = i
			continue
		case colOrg:
			c.byPath["metadata.organization"] = i
			continue
		default:
			continue
		}
		col.list = map[string]int{}
		for _, k := range candidates {
			col.list[k] = csvField(kindCodecs[k], col.segs)
		}
		if slices.ContainsFunc(candidates, func(k string) bool { return col.list[k] > 0 }) {
			p := "spec"
			for _, s := range col.segs {
				p += "." + string(s)
				if _, ok := c.byPath[p]; !ok {
					c.byPath[p] = i
				}
			}
			continue
		}
		var want []string
		for _, k := range candidates {
			want = append(want, csvColumns(kindCodecs[k], "")...)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		of := "a " + strings.Join(candidates, ", ")
		if len(candidates) > 1 {
			of = "any of " + strings.Join(candidates, ", ")
		}
		errAt(i, "column %q: not a field of %s (%s)", col.name, of, suggestColumn(col.name, want))
		col.role = colSkip
	}
	c.pending.Sort()
	return nil
}

func suggestColumn(name string, want []string) string {
	all := append([]string{"id", "organization", "kind", "apiVersion"}, want...)
	return suggest(strings.TrimPrefix(name, "spec."), all)
}

// csvField reports whether segs name a field of c that a cell can hold: 1
// for a scalar, 2 for a list of scalars, 0 otherwise.
func csvField(c *codec, segs [][]byte) int {
	for _, s := range segs {
		for c.kind == cPtr {
			c = c.elem
		}
		if c.kind != cStruct {
			return 0
		}
		i, ok := c.index[string(s)]
		if !ok {
			return 0
		}
		c = c.fields[i].c
	}
	for c.kind == cPtr {
		c = c.elem
	}
	switch c.kind {
	case cStruct, cMap:
		return 0
	case cSlice:
		if e := c.elem; e.kind == cStruct || e.kind == cMap || e.kind == cSlice || e.kind == cPtr {
			return 0
		}
		return 2
	}
	return 1
}

// csvColumns lists the column names a kind's fields take.
func csvColumns(c *codec, prefix string) []string {
	var out []string
	for _, f := range c.fields {
		fc := f.c
		for fc.kind == cPtr {
			fc = fc.elem
		}
		if fc.kind == cStruct {
			out = append(out, csvColumns(fc, prefix+f.name+".")...)
			continue
		}
		if csvField(c, [][]byte{[]byte(f.name)}) > 0 {
			out = append(out, prefix+f.name)
		}
	}
	return out
}

// row decodes one row.
func (c *csvReader) row(rec []string) (*Doc, error) {
	line, _ := c.cr.FieldPos(0)
	l := int32(line)
	if len(rec) != len(c.cols) {
		return nil, ErrorList{{Pos: Pos{File: c.r.name, Line: line, Col: 1},
			Msg: fmt.Sprintf("row has %d cells (want %d, as many as the header)", len(rec), len(c.cols))}}
	}
	kind := c.kind
	if k := c.special[colKind]; k >= 0 && rec[k] != "" {
		kind = strings.TrimSpace(rec[k])
		if !slices.Contains(bulkKinds, kind) {
			return nil, ErrorList{{Pos: Pos{File: c.r.name, Line: line, Col: k + 1}, Path: "kind",
				Msg: fmt.Sprintf("kind: %q cannot be given in CSV (want one of: %s)", clip([]byte(kind)), strings.Join(bulkKinds, ", "))}}
		}
	}
	t := &c.t
	t.reset()
	root := t.add(nMap, l, 1)
	cell := func(i int, text []byte) int32 {
		return t.scalar(nPlain, text, l, int32(i+1))
	}
	special := func(role int, key, def []byte) {
		if i := c.special[role]; i >= 0 && rec[i] != "" {
			t.member(root, cell(i, bytesOf(rec[i])), key, l, int32(i+1))
		} else if def != nil {
			t.member(root, t.scalar(nString, def, l, 1), key, l, 1)
		}
	}
	special(colAPI, keyAPIVersion, textAPIVersion)
	if kind != "" {
		special(colKind, keyKind, c.kindText[kind])
	}
	meta := t.add(nMap, l, 1)
	t.member(root, meta, keyMetadata, l, 1)
	for _, m := range []struct {
		role int
		key  []byte
	}{{colID, keyID}, {colOrg, keyOrganization}} {
		if i := c.special[m.role]; i >= 0 && rec[i] != "" {
			t.member(meta, cell(i, bytesOf(rec[i])), m.key, l, int32(i+1))
		}
	}
	spec := t.add(nMap, l, 1)
	t.member(root, spec, keySpec, l, 1)
	for i := range c.cols {
		col := &c.cols[i]
		if col.role != colSpec || rec[i] == "" {
			continue
		}
		parent := spec
		for _, s := range col.segs[:len(col.segs)-1] {
			ch := t.child(parent, string(s))
			if ch < 0 {
				ch = t.add(nMap, l, int32(i+1))
				t.member(parent, ch, s, l, int32(i+1))
			}
			parent = ch
		}
		if t.nodes[parent].kind != nMap {
			continue
		}
		var v int32
		if col.list[kind] == 2 {
			v = t.add(nSeq, l, int32(i+1))
			for item := range strings.SplitSeq(rec[i], ";") {
				if item = strings.TrimSpace(item); item != "" {
					t.appendChild(v, cell(i, bytesOf(item)))
				}
			}
		} else {
			v = cell(i, bytesOf(rec[i]))
		}
		t.member(parent, v, col.segs[len(col.segs)-1], l, int32(i+1))
	}
	doc, errs := c.d.doc(root, false)
	if len(errs) > 0 {
		return nil, errs
	}
	return doc, nil
}

// locate finds the cell of a field path in a row.
func (c *csvReader) locate(doc *Doc, path string) Pos {
	p, _, _ := strings.Cut(path, "[")
	for p != "" {
		if i, ok := c.byPath[p]; ok {
			return Pos{File: c.r.name, Line: doc.Pos.Line, Col: i + 1}
		}
		j := strings.LastIndexByte(p, '.')
		if j < 0 {
			break
		}
		p = p[:j]
	}
	return doc.Pos
}
