package document

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/tamledger/tamledger"
)

// decoder turns a tree into records, collecting every problem with its
// position.
type decoder struct {
	t      *tree
	file   string
	json   bool // name JSON's object and array rather than mapping and list
	errs   ErrorList
	path   []pathSeg
	bad    []string // paths that had a decoding error
	intern map[string]string
}

type pathSeg struct {
	key []byte
	idx int // -1 for a key
}

func newDecoder(file string, t *tree, json bool) decoder {
	d := decoder{t: t, file: file, json: json, intern: make(map[string]string, 256)}
	for _, vocab := range [][]string{tamledger.Services.Values(), tamledger.Cadences.Values(), tamledger.Scopes.Values(), tamledger.Requirements.Values(),
		tamledger.Initiators.Values(), tamledger.Sources.Values(), tamledger.Origins.Values(), tamledger.Pillars.Values(), tamledger.Risks.Values(),
		tamledger.Statuses.Values(), tamledger.Severities.Values(), tamledger.EventTypes.Values(), tamledger.Seniorities.Values(),
		tamledger.SupportPlans.Values(), tamledger.ReassignmentReasons.Values()} {
		for _, s := range vocab {
			d.intern[s] = s
		}
	}
	return d
}

const (
	internMaxLen  = 32
	internMaxSize = 8192
)

// str copies b into a string, sharing short strings seen before (enum values,
// organisation and workload ids repeat across a bulk import).
func (d *decoder) str(b []byte) string {
	if len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := d.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(d.intern) < internMaxSize {
		d.intern[s] = s
	}
	return s
}

func (d *decoder) push(key []byte) { d.path = append(d.path, pathSeg{key: key, idx: -1}) }
func (d *decoder) pushIndex(i int) { d.path = append(d.path, pathSeg{idx: i}) }
func (d *decoder) pop()            { d.path = d.path[:len(d.path)-1] }

func (d *decoder) pathString() string {
	var b []byte
	for i, s := range d.path {
		if s.idx >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.idx), 10)
			b = append(b, ']')
			continue
		}
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, s.key...)
	}
	return string(b)
}

// failAt records a problem at the current path.
func (d *decoder) failAt(line, col int32, format string, args ...any) {
	d.fail(d.pathString(), line, col, fmt.Sprintf(format, args...))
}

func (d *decoder) fail(path string, line, col int32, msg string) {
	d.bad = append(d.bad, path)
	if path != "" {
		msg = path + ": " + msg
	}
	d.errs = append(d.errs, Error{Pos: Pos{File: d.file, Line: int(line), Col: int(col)}, Path: path, Msg: msg})
}

// failNode records a problem at node i and the current path.
func (d *decoder) failNode(i int32, format string, args ...any) {
	n := &d.t.nodes[i]
	d.failAt(n.line, n.col, format, args...)
}

func (d *decoder) mapNoun() string {
	if d.json {
		return "an object"
	}
	return "a mapping"
}

func (d *decoder) listNoun() string {
	if d.json {
		return "an array"
	}
	return "a list"
}

// describe says what node i is, for "got ..." messages.
func (d *decoder) describe(i int32) string {
	n := &d.t.nodes[i]
	switch n.kind {
	case nNull:
		return "null"
	case nBool:
		return string(n.text)
	case nNumber:
		return "the number " + clip(n.text)
	case nString:
		return "the string " + strconv.Quote(clip(n.text))
	case nPlain:
		return strconv.Quote(clip(n.text))
	case nMap:
		return d.mapNoun()
	}
	return d.listNoun()
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

func (d *decoder) typeErr(i int32, want string) {
	d.failNode(i, "got %s (want %s)", d.describe(i), want)
}

const (
	wantMoney = "a plain number such as 12000 or 99.5"
	wantDate  = "a date as YYYY-MM-DD"
	wantTime  = "an RFC 3339 instant such as 2026-04-02T09:00:00Z"
)

// value decodes node i into v, which has codec c. null means absent: v keeps
// its zero value.
func (d *decoder) value(c *codec, i int32, v reflect.Value) {
	n := &d.t.nodes[i]
	if n.kind == nNull {
		return
	}
	switch c.kind {
	case cStruct:
		d.object(c, i, v)
	case cPtr:
		if v.IsNil() {
			v.Set(reflect.New(c.elem.typ))
		}
		d.value(c.elem, i, v.Elem())
	case cSlice:
		if n.kind != nSeq {
			d.typeErr(i, d.listNoun())
			return
		}
		if n.n == 0 {
			return
		}
		if c.elem.kind == cString {
			ss := make([]string, 0, n.n)
			for ch := n.first; ch >= 0; ch = d.t.nodes[ch].next {
				d.pushIndex(len(ss))
				s, _ := d.text(ch)
				d.pop()
				ss = append(ss, s)
			}
			*(v.Addr().Interface().(*[]string)) = ss
			return
		}
		s := reflect.MakeSlice(c.typ, int(n.n), int(n.n))
		k := 0
		for ch := n.first; ch >= 0; ch = d.t.nodes[ch].next {
			d.pushIndex(k)
			d.value(c.elem, ch, s.Index(k))
			d.pop()
			k++
		}
		v.Set(s)
	case cMap:
		if n.kind != nMap {
			d.typeErr(i, d.mapNoun())
			return
		}
		if n.n == 0 {
			return
		}
		m := reflect.MakeMapWithSize(c.typ, int(n.n))
		for ch := n.first; ch >= 0; ch = d.t.nodes[ch].next {
			cn := &d.t.nodes[ch]
			d.push(cn.key)
			k := reflect.ValueOf(d.str(cn.key))
			if m.MapIndex(k).IsValid() {
				d.failAt(cn.kline, cn.kcol, "duplicate key %q (give each key once)", cn.key)
			} else {
				e := reflect.New(c.elem.typ).Elem()
				d.value(c.elem, ch, e)
				m.SetMapIndex(k, e)
			}
			d.pop()
		}
		v.Set(m)
	case cString:
		if s, ok := d.text(i); ok {
			v.SetString(s)
		}
	case cBool:
		if b, ok := d.bool(i); ok {
			v.SetBool(b)
		}
	case cInt:
		if x, ok := d.int(i); ok {
			v.SetInt(x)
		}
	case cFloat:
		if x, ok := d.float(i); ok {
			v.SetFloat(x)
		}
	case cMoney:
		if m, ok := d.money(i); ok {
			*(v.Addr().Interface().(*tamledger.Money)) = m
		}
	case cDate:
		if t, ok := d.date(i); ok {
			*(v.Addr().Interface().(*tamledger.Date)) = t
		}
	case cTime:
		if t, ok := d.time(i); ok {
			*(v.Addr().Interface().(*time.Time)) = t
		}
	}
}

// object decodes a map node into the struct v.
func (d *decoder) object(c *codec, i int32, v reflect.Value) {
	n := &d.t.nodes[i]
	if n.kind != nMap {
		d.typeErr(i, d.mapNoun()+" of fields ("+strings.Join(c.names, ", ")+")")
		return
	}
	var seen uint64
	hint := 0
	for ch := n.first; ch >= 0; ch = d.t.nodes[ch].next {
		cn := &d.t.nodes[ch]
		fi, ok := c.lookup(cn.key, hint)
		hint = fi + 1
		d.push(cn.key)
		switch {
		case !ok:
			d.failAt(cn.kline, cn.kcol, "unknown field %q (%s)", cn.key, suggest(string(cn.key), c.names))
			if cand := closest(string(cn.key), c.names); cand != "" {
				// The misspelt field is not also missing.
				p := d.bad[len(d.bad)-1]
				d.bad = append(d.bad, p[:len(p)-len(cn.key)]+cand)
			}
		case seen&(1<<fi) != 0:
			d.failAt(cn.kline, cn.kcol, "duplicate field %q (give each field once)", cn.key)
		default:
			seen |= 1 << fi
			f := &c.fields[fi]
			d.value(f.c, ch, v.Field(f.index))
		}
		d.pop()
	}
}

// suggest says what an unknown name should have been.
func suggest(name string, names []string) string {
	if best := closest(name, names); best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "want one of: " + strings.Join(names, ", ")
}

// closest returns the name that name is likely a misspelling of, or "".
func closest(name string, names []string) string {
	best, dist := "", 3
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return n
		}
		if e := editDistance(n, name); e < dist && e < len(n)/2 {
			best, dist = n, e
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// text reads a string.
func (d *decoder) text(i int32) (string, bool) {
	n := &d.t.nodes[i]
	if n.kind != nString && n.kind != nPlain {
		d.typeErr(i, "a string")
		return "", false
	}
	if !utf8.Valid(n.text) {
		d.failNode(i, "invalid UTF-8 text (want text encoded as UTF-8)")
		return "", false
	}
	return d.str(n.text), true
}

func (d *decoder) bool(i int32) (bool, bool) {
	n := &d.t.nodes[i]
	if n.kind == nBool || n.kind == nPlain {
		switch string(n.text) {
		case "true", "True", "TRUE":
			return true, true
		case "false", "False", "FALSE":
			return false, true
		}
	}
	d.typeErr(i, "true or false")
	return false, false
}

// number returns the text of a number node: a JSON number or a plain
// scalar, with YAML's digit separators (12_000) removed.
func (d *decoder) number(i int32) (string, bool) {
	n := &d.t.nodes[i]
	switch n.kind {
	case nNumber:
		return string(n.text), true
	case nPlain:
		s := string(n.text)
		if strings.IndexByte(s, '_') >= 0 {
			s = strings.ReplaceAll(s, "_", "")
		}
		if s == "" {
			return "", false
		}
		for j := 0; j < len(s); j++ {
			if c := s[j]; !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
				return "", false
			}
		}
		return s, true
	}
	return "", false
}

func (d *decoder) int(i int32) (int64, bool) {
	s, ok := d.number(i)
	if !ok {
		d.typeErr(i, "a whole number")
		return 0, false
	}
	x, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			d.failNode(i, "%s is out of range (want a whole number of reasonable size)", s)
		} else {
			d.typeErr(i, "a whole number")
		}
		return 0, false
	}
	if x != int64(int(x)) {
		d.failNode(i, "%s is out of range (want a whole number of reasonable size)", s)
		return 0, false
	}
	return x, true
}

func (d *decoder) float(i int32) (float64, bool) {
	s, ok := d.number(i)
	if ok {
		x, err := strconv.ParseFloat(s, 64)
		if err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
			return x, true
		}
	}
	d.typeErr(i, "a number")
	return 0, false
}

func (d *decoder) money(i int32) (tamledger.Money, bool) {
	s, ok := d.number(i)
	if ok {
		if x, err := decimal.NewFromString(s); err == nil {
			return tamledger.Money{Decimal: x}, true
		}
	}
	n := &d.t.nodes[i]
	if n.kind == nString {
		if _, err := decimal.NewFromString(string(n.text)); err == nil {
			d.typeErr(i, wantMoney+", without quotes")
			return tamledger.Money{}, false
		}
	}
	d.typeErr(i, wantMoney)
	return tamledger.Money{}, false
}

func (d *decoder) date(i int32) (tamledger.Date, bool) {
	n := &d.t.nodes[i]
	if n.kind != nString && n.kind != nPlain {
		d.typeErr(i, wantDate)
		return tamledger.Date{}, false
	}
	if t, ok := parseDate(n.text); ok {
		return t, true
	}
	s := string(n.text)
	t, err := tamledger.ParseDate(s)
	if err != nil {
		if len(s) == 10 && s[4] == '-' && s[7] == '-' {
			d.failNode(i, "bad date %q (want a real calendar date as YYYY-MM-DD)", clip(n.text))
		} else {
			d.failNode(i, "bad date %q (want %s)", clip(n.text), wantDate)
		}
		return tamledger.Date{}, false
	}
	return t, true
}

func (d *decoder) time(i int32) (time.Time, bool) {
	n := &d.t.nodes[i]
	if n.kind != nString && n.kind != nPlain {
		d.typeErr(i, wantTime)
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, string(n.text))
	if err != nil || !rfc3339(n.text) {
		d.failNode(i, "bad instant %q (want %s)", clip(n.text), wantTime)
		return time.Time{}, false
	}
	if t = t.UTC(); t.Year() < 1 || t.Year() > 9999 {
		d.failNode(i, "instant %q is out of range (want a year from 0001 to 9999 in UTC)", clip(n.text))
		return time.Time{}, false
	}
	return t, true
}

// envelope is the top level of a document: the child of each known key.
type envelope struct {
	api, kind, meta, spec, items int32
}

// envelope reads the top-level keys of root, reporting unknown and duplicate
// ones.
func (d *decoder) envelope(root int32) envelope {
	e := envelope{-1, -1, -1, -1, -1}
	for ch := d.t.nodes[root].first; ch >= 0; ch = d.t.nodes[ch].next {
		d.envelopeKey(&e, ch)
	}
	return e
}

var envelopeKeys = []string{"apiVersion", "kind", "metadata", "spec"}

// envelopeKey files child ch of a document's top level into e.
func (d *decoder) envelopeKey(e *envelope, ch int32) {
	cn := &d.t.nodes[ch]
	var slot *int32
	switch string(cn.key) {
	case "apiVersion":
		slot = &e.api
	case "kind":
		slot = &e.kind
	case "metadata":
		slot = &e.meta
	case "spec":
		slot = &e.spec
	case "items":
		slot = &e.items
	default:
		d.fail(string(cn.key), cn.kline, cn.kcol, fmt.Sprintf("unknown field %q (%s)", cn.key, suggest(string(cn.key), envelopeKeys)))
		return
	}
	if *slot >= 0 {
		d.fail(string(cn.key), cn.kline, cn.kcol, fmt.Sprintf("duplicate field %q (give each field once)", cn.key))
		return
	}
	*slot = ch
}

// isList reports whether a document's top level says kind: List.
func (d *decoder) isList(root int32) bool {
	if d.t.nodes[root].kind != nMap {
		return false
	}
	return d.t.textIs(d.t.child(root, "kind"), tamledger.KindList)
}

// checkAPI reports a missing or wrong apiVersion.
func (d *decoder) checkAPI(root, api int32) {
	if api < 0 {
		rn := &d.t.nodes[root]
		d.fail("apiVersion", rn.line, rn.col, "missing (want apiVersion: "+tamledger.APIVersion+")")
		return
	}
	if !d.t.textIs(api, tamledger.APIVersion) {
		n := &d.t.nodes[api]
		d.fail("apiVersion", n.line, n.col, fmt.Sprintf("unsupported apiVersion %s (want %s)", d.describe(api), tamledger.APIVersion))
	}
}

// begin starts a new document: its errors are returned to the caller, who
// keeps them.
func (d *decoder) begin() {
	d.errs = nil
	d.bad = d.bad[:0]
	d.path = d.path[:0]
}

func (d *decoder) result() ErrorList {
	d.errs.Sort()
	return d.errs
}

// list checks the top level of a kind: List document and returns its items
// node (-1 when it has none).
func (d *decoder) list(root int32) (int32, ErrorList) {
	d.begin()
	e := d.envelope(root)
	d.checkAPI(root, e.api)
	for _, k := range []int32{e.meta, e.spec} {
		if k >= 0 {
			n := &d.t.nodes[k]
			d.fail(string(n.key), n.kline, n.kcol, fmt.Sprintf("a List has no %s (want apiVersion, kind and items)", n.key))
		}
	}
	items := e.items
	if items >= 0 {
		switch d.t.nodes[items].kind {
		case nNull:
			items = -1
		case nSeq:
		default:
			d.push(keyItems)
			d.typeErr(items, d.listNoun()+" of documents")
			d.pop()
			items = -1
		}
	}
	return items, d.result()
}

// doc decodes the document at root. inList is set for the items of a List,
// which may not be Lists themselves.
func (d *decoder) doc(root int32, inList bool) (*Doc, ErrorList) {
	d.begin()
	t := d.t
	rn := &t.nodes[root]
	if rn.kind != nMap {
		d.typeErr(root, "a document: "+d.mapNoun()+" with apiVersion, kind, metadata and spec")
		return nil, d.result()
	}
	e := d.envelope(root)
	if inList && t.textIs(e.kind, tamledger.KindList) {
		n := &t.nodes[e.kind]
		d.fail("kind", n.line, n.col, "a List cannot contain another List (want a document of one of the kinds: "+tamledger.Kinds.String()+")")
		return nil, d.result()
	}
	d.checkAPI(root, e.api)
	kind := ""
	if e.kind < 0 {
		d.fail("kind", rn.line, rn.col, "missing (want one of: "+tamledger.Kinds.String()+")")
	} else if k := t.kindName(e.kind); k != "" {
		kind = k
	} else {
		s, ok := t.str(e.kind)
		n := &t.nodes[e.kind]
		switch {
		case ok:
			d.fail("kind", n.line, n.col, fmt.Sprintf("unknown kind %q (%s)", s, suggest(s, append(slices.Clone(tamledger.Kinds.Values()), tamledger.KindList))))
		default:
			d.fail("kind", n.line, n.col, fmt.Sprintf("got %s (want one of: %s)", d.describe(e.kind), tamledger.Kinds.String()))
		}
	}
	if e.items >= 0 {
		n := &t.nodes[e.items]
		d.fail("items", n.kline, n.kcol, fmt.Sprintf("unknown field \"items\" (only a List has items; %s)", "want one of: "+strings.Join(envelopeKeys, ", ")))
	}
	id, org := d.metadata(root, e.meta, kind)
	var doc *Doc
	var val any
	if e.spec < 0 || t.nodes[e.spec].kind == nNull {
		what := "the document's fields"
		if kind != "" {
			what = "the fields of the " + kind
		}
		d.fail("spec", rn.line, rn.col, "missing (want "+d.mapNoun()+" of "+what+")")
	} else if kind != "" {
		doc, val = newDoc(kind)
		d.push(keySpec)
		d.object(kindCodecs[kind], e.spec, reflect.ValueOf(val).Elem())
		d.pop()
		d.validate(root, val)
	}
	if len(d.errs) > 0 {
		return nil, d.result()
	}
	doc.Record = tamledger.Record{Kind: kind, Org: org, ID: id, Value: val}
	doc.Pos = Pos{File: d.file, Line: int(rn.line), Col: int(rn.col)}
	doc.SetKey()
	return doc, nil
}

// docOf holds a document and its value in one allocation.
type docOf[T any] struct {
	doc Doc
	val T
}

// newDoc returns a new document and a new value of kind (a pointer).
func newDoc(kind string) (*Doc, any) {
	switch kind {
	case tamledger.KindOrganization:
		return alloc[tamledger.Organization]()
	case tamledger.KindCharter:
		return alloc[tamledger.Charter]()
	case tamledger.KindEngagement:
		return alloc[tamledger.Engagement]()
	case tamledger.KindRecommendation:
		return alloc[tamledger.Recommendation]()
	case tamledger.KindCase:
		return alloc[tamledger.Case]()
	case tamledger.KindEvent:
		return alloc[tamledger.Event]()
	case tamledger.KindReassignmentRequest:
		return alloc[tamledger.ReassignmentRequest]()
	case tamledger.KindPriceBook:
		return alloc[tamledger.PriceBook]()
	}
	return new(Doc), tamledger.NewValue(kind)
}

func alloc[T any]() (*Doc, any) {
	x := new(docOf[T])
	return &x.doc, &x.val
}

// metadata reads metadata.id and metadata.organization.
func (d *decoder) metadata(root, meta int32, kind string) (id, org string) {
	t := d.t
	info, known := tamledger.LookupKind(kind)
	orgless := known && !info.Scoped
	if meta < 0 || t.nodes[meta].kind == nNull {
		rn := &t.nodes[root]
		want := "id and organization"
		if orgless {
			want = "id"
		}
		d.fail("metadata", rn.line, rn.col, "missing (want "+d.mapNoun()+" with "+want+")")
		return "", ""
	}
	d.push(keyMetadata)
	defer d.pop()
	mn := &t.nodes[meta]
	if mn.kind != nMap {
		d.typeErr(meta, d.mapNoun()+" with id and organization")
		return "", ""
	}
	idNode, orgNode := int32(-1), int32(-1)
	for ch := mn.first; ch >= 0; ch = t.nodes[ch].next {
		cn := &t.nodes[ch]
		var slot *int32
		switch string(cn.key) {
		case "id":
			slot = &idNode
		case "organization":
			slot = &orgNode
		}
		d.push(cn.key)
		switch {
		case slot == nil:
			d.failAt(cn.kline, cn.kcol, "unknown field %q (%s)", cn.key, suggest(string(cn.key), []string{"id", "organization"}))
		case *slot >= 0:
			d.failAt(cn.kline, cn.kcol, "duplicate field %q (give each field once)", cn.key)
		default:
			*slot = ch
		}
		d.pop()
	}
	// readID reads an id; unique ids (metadata.id) are not worth sharing.
	readID := func(i int32, what string, share bool) string {
		n := &t.nodes[i]
		switch {
		case n.kind != nString && n.kind != nPlain:
			d.typeErr(i, what)
		case !validID(n.text):
			d.failNode(i, "bad id %q (%s)", clip(n.text), tamledger.IDHint)
		case share:
			return d.str(n.text)
		default:
			return string(n.text)
		}
		return ""
	}
	d.push(keyID)
	if idNode < 0 || t.nodes[idNode].kind == nNull {
		d.failAt(mn.line, mn.col, "missing (%s)", tamledger.IDHint)
	} else {
		id = readID(idNode, "an id", false)
	}
	d.pop()
	d.push(keyOrganization)
	switch {
	case orgNode >= 0 && t.nodes[orgNode].kind != nNull && orgless:
		n := &t.nodes[orgNode]
		d.failAt(n.line, n.col, "a%s %s has no organization (remove this field)", article(kind), kind)
	case orgNode < 0 || t.nodes[orgNode].kind == nNull:
		if !orgless && kind != "" {
			d.failAt(mn.line, mn.col, "missing (want the id of the organization this %s belongs to)", kind)
		}
	default:
		org = readID(orgNode, "an organization id", true)
	}
	d.pop()
	return id, org
}

func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOU", rune(word[0])) {
		return "n"
	}
	return ""
}

// validate runs the value's own checks and places their problems.
func (d *decoder) validate(root int32, val any) {
	v, ok := val.(tamledger.Validator)
	if !ok {
		return
	}
	err := v.Validate()
	if err == nil {
		return
	}
	var pe tamledger.ProblemsError
	if !errors.As(err, &pe) {
		sp := d.t.child(root, "spec")
		n := &d.t.nodes[sp]
		d.fail("spec", n.line, n.col, err.Error())
		return
	}
	bad := len(d.bad)
	for _, fe := range pe {
		path := "spec"
		if fe.Path != "" {
			path += "." + fe.Path
		}
		if d.isBad(path, bad) {
			continue
		}
		n := &d.t.nodes[d.t.find(root, path)]
		d.fail(path, n.line, n.col, fe.Message)
	}
}

// isBad reports whether path, or one of its ancestors, had a decoding error
// among the first n: the value's check would only repeat it.
func (d *decoder) isBad(path string, n int) bool {
	for _, b := range d.bad[:n] {
		if path == b || strings.HasPrefix(path, b) && (path[len(b)] == '.' || path[len(b)] == '[') {
			return true
		}
	}
	return false
}
