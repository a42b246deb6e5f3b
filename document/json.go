package document

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tamledger/tamledger"
)

// maxDepth bounds the nesting of JSON values (documents need fewer than ten
// levels); deeper input is refused rather than risking the stack.
const maxDepth = 64

// syntaxError is a JSON syntax error: the input cannot be read further.
type syntaxError struct {
	line, col int32
	msg       string
}

func (e *syntaxError) Error() string { return e.msg }

// jsonScanner parses JSON values from a stream into a tree, tracking lines
// and columns. Within one document the buffer only grows (texts in the tree
// point into it); between documents it is compacted.
type jsonScanner struct {
	src      io.Reader
	buf      []byte
	pos, end int
	base     int64 // input offset of buf[0]
	line     int32
	cpOff    int   // column checkpoint: buf offset ...
	cpCol    int32 // ... and the characters before it on its line
	eof      bool
	rerr     error
	t        *tree
	scratch  []byte // unescaped strings
}

func (s *jsonScanner) init(src io.Reader, buf []byte, t *tree, line, col int32) {
	s.src, s.buf, s.t = src, buf, t
	s.line, s.cpCol = line, col-1
}

// more reads more input into the buffer, growing it (never moving bytes)
// when it is full. It reports false at the end of the input.
func (s *jsonScanner) more() bool {
	for !s.eof {
		if s.end == len(s.buf) {
			nb := make([]byte, max(2*len(s.buf), 4096))
			copy(nb, s.buf[:s.end])
			s.buf = nb
		}
		n, err := s.src.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
		}
		if n > 0 {
			return true
		}
	}
	return false
}

// boundary is called between documents: the tree is dropped and the bytes
// before pos may go.
func (s *jsonScanner) boundary() {
	s.t.reset()
	s.scratch = s.scratch[:0]
	s.colAt(s.pos)
	if s.pos > len(s.buf)/2 || s.pos == s.end {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.cpOff -= s.pos
		s.end, s.pos = n, 0
	}
}

// colAt is the 1-based column of buf offset off; offsets must be asked for
// in increasing order.
func (s *jsonScanner) colAt(off int) int32 {
	c := s.cpCol
	b := s.buf[s.cpOff:off]
	for len(b) > 0 && b[0] < utf8.RuneSelf {
		b = b[1:]
		c++
	}
	c += int32(utf8.RuneCount(b))
	s.cpOff, s.cpCol = off, c
	return c + 1
}

func (s *jsonScanner) errAt(off int, format string, args ...any) *syntaxError {
	return &syntaxError{line: s.line, col: s.colAt(off), msg: fmt.Sprintf(format, args...)}
}

// ws skips white space and returns the next byte; false at the end.
func (s *jsonScanner) ws() (byte, bool) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\r':
				s.pos++
			case '\n':
				s.pos++
				s.line++
				s.cpOff, s.cpCol = s.pos, 0
			default:
				if c == 0xEF && s.base+int64(s.pos) == 0 { // a byte order mark opening the input
					if s.end-s.pos < 3 && s.more() {
						continue
					}
					if bytes.HasPrefix(s.buf[s.pos:s.end], bom) {
						s.pos += 3
						s.cpOff = s.pos
						continue
					}
				}
				return c, true
			}
		}
		if !s.more() {
			return 0, false
		}
	}
}

// value parses one value at pos (after white space) into the tree.
func (s *jsonScanner) value(depth int) (int32, error) {
	c, ok := s.ws()
	if !ok {
		return -1, s.errAt(s.pos, "unexpected end of input (want a JSON value)")
	}
	if depth > maxDepth {
		return -1, s.errAt(s.pos, "values nested more than %d deep", maxDepth)
	}
	start := s.pos
	line, col := s.line, s.colAt(start)
	switch {
	case c == '{':
		m := s.t.add(nMap, line, col)
		s.t.nodes[m].off = s.base + int64(start)
		s.pos++
		for first := true; ; first = false {
			c, ok := s.ws()
			if !ok {
				return -1, s.errAt(s.pos, "unexpected end of input in an object (want \"key\": value or })")
			}
			if c == '}' && first {
				break
			}
			if !first {
				if c == '}' {
					break
				}
				if c != ',' {
					return -1, s.errAt(s.pos, "unexpected %s in an object (want , or })", quoteByte(c))
				}
				s.pos++
				if c, ok = s.ws(); !ok {
					return -1, s.errAt(s.pos, "unexpected end of input in an object (want \"key\": value)")
				}
			}
			if c != '"' {
				return -1, s.errAt(s.pos, "unexpected %s in an object (want a \"key\" in double quotes)", quoteByte(c))
			}
			kline, kcol := s.line, s.colAt(s.pos)
			key, err := s.str()
			if err != nil {
				return -1, err
			}
			if c, ok = s.ws(); !ok || c != ':' {
				return -1, s.errAt(s.pos, "want : after the key %q", key)
			}
			s.pos++
			v, err := s.value(depth + 1)
			if err != nil {
				return -1, err
			}
			s.t.member(m, v, key, kline, kcol)
		}
		s.pos++
		s.t.nodes[m].end = s.base + int64(s.pos)
		return m, nil
	case c == '[':
		a := s.t.add(nSeq, line, col)
		s.t.nodes[a].off = s.base + int64(start)
		s.pos++
		for first := true; ; first = false {
			c, ok := s.ws()
			if !ok {
				return -1, s.errAt(s.pos, "unexpected end of input in an array (want a value or ])")
			}
			if c == ']' {
				break
			}
			if !first {
				if c != ',' {
					return -1, s.errAt(s.pos, "unexpected %s in an array (want , or ])", quoteByte(c))
				}
				s.pos++
			}
			v, err := s.value(depth + 1)
			if err != nil {
				return -1, err
			}
			s.t.appendChild(a, v)
		}
		s.pos++
		s.t.nodes[a].end = s.base + int64(s.pos)
		return a, nil
	case c == '"':
		b, err := s.str()
		if err != nil {
			return -1, err
		}
		return s.t.scalar(nString, b, line, col), nil
	case c == '-' || c >= '0' && c <= '9':
		b, err := s.num()
		if err != nil {
			return -1, err
		}
		return s.t.scalar(nNumber, b, line, col), nil
	case c == 't':
		return s.literal("true", nBool, line, col)
	case c == 'f':
		return s.literal("false", nBool, line, col)
	case c == 'n':
		return s.literal("null", nNull, line, col)
	}
	return -1, s.errAt(s.pos, "unexpected %s (want a JSON value)", quoteByte(c))
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (s *jsonScanner) literal(word string, k nodeKind, line, col int32) (int32, error) {
	for s.end-s.pos < len(word) && s.more() {
	}
	if !bytes.HasPrefix(s.buf[s.pos:s.end], []byte(word)) {
		return -1, s.errAt(s.pos, "unexpected text (want a JSON value such as %s)", word)
	}
	b := s.buf[s.pos : s.pos+len(word)]
	s.pos += len(word)
	if err := s.delimited(); err != nil {
		return -1, err
	}
	return s.t.scalar(k, b, line, col), nil
}

// delimited checks that a number or literal is not followed by more of a
// word (truex, 12abc).
func (s *jsonScanner) delimited() error {
	if s.pos == s.end {
		s.more()
	}
	if s.pos < s.end {
		c := s.buf[s.pos]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '+' || c == '-' {
			return s.errAt(s.pos, "unexpected %s after a value", quoteByte(c))
		}
	}
	return nil
}

// num scans a number following JSON's grammar.
func (s *jsonScanner) num() ([]byte, error) {
	start := s.pos
	i := start
	for {
		for i < s.end {
			c := s.buf[i]
			if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
				i++
				continue
			}
			break
		}
		if i < s.end || !s.more() {
			break
		}
	}
	b := s.buf[start:i]
	if !validNumber(b) {
		return nil, s.errAt(start, "bad number %q (want a JSON number such as 12000 or 0.5)", clip(b))
	}
	s.pos = i
	if err := s.delimited(); err != nil {
		return nil, err
	}
	return b, nil
}

// validNumber reports whether b is a JSON number:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i - j
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// str scans a string at pos (on its opening quote) and returns its text,
// unescaped.
func (s *jsonScanner) str() ([]byte, error) {
	start := s.pos + 1
	i := start
	esc, high := false, false
	for {
		if i >= s.end {
			if !s.more() {
				return nil, s.errAt(start-1, "unterminated string (want a closing \")")
			}
			continue
		}
		c := s.buf[i]
		if c == '"' {
			break
		}
		switch {
		case c == '\\':
			esc = true
			i += 2
			continue
		case c < 0x20:
			return nil, s.errAt(start-1, "control character %s in a string (write it as an escape such as \\n)", quoteByte(c))
		case c >= utf8.RuneSelf:
			high = true
		}
		i++
	}
	raw := s.buf[start:i]
	s.pos = i + 1
	if high && !utf8.Valid(raw) {
		return nil, s.errAt(start-1, "invalid UTF-8 in a string (want text encoded as UTF-8)")
	}
	if !esc {
		return raw, nil
	}
	from := len(s.scratch)
	for j := 0; j < len(raw); j++ {
		c := raw[j]
		if c != '\\' {
			s.scratch = append(s.scratch, c)
			continue
		}
		j++
		switch raw[j] {
		case '"', '\\', '/':
			s.scratch = append(s.scratch, raw[j])
		case 'b':
			s.scratch = append(s.scratch, '\b')
		case 'f':
			s.scratch = append(s.scratch, '\f')
		case 'n':
			s.scratch = append(s.scratch, '\n')
		case 'r':
			s.scratch = append(s.scratch, '\r')
		case 't':
			s.scratch = append(s.scratch, '\t')
		case 'u':
			r, ok := hex4(raw[j+1:])
			if !ok {
				return nil, s.errAt(start-1, "bad \\u escape in a string (want \\u and four hex digits)")
			}
			j += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(raw[min(j+3, len(raw)):]); ok && j+2 < len(raw) && raw[j+1] == '\\' && raw[j+2] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						j += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			s.scratch = utf8.AppendRune(s.scratch, r)
		default:
			return nil, s.errAt(start-1, "bad escape \\%c in a string (want one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", raw[j])
		}
	}
	return s.scratch[from:], nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// JSON reader states.
const (
	jsTop   = iota // between top-level values
	jsArray        // in a top-level array of documents, or a List's items
	jsTail         // after a List's items: its remaining fields
	jsTree         // yielding the items of a List read whole
)

// jsonReader yields the documents of a JSON input: top-level objects one
// after another, top-level arrays of them, and kind: List objects, whose
// items are streamed when kind comes before items.
type jsonReader struct {
	r *Reader
	s jsonScanner
	t tree
	d decoder

	state    int
	first    bool     // no item read yet in the array
	inList   bool     // the array is a List's items
	env      envelope // the List's fields seen so far
	envPos   [2]int32 // where the List starts
	next1    int32    // jsTree: the next item
	pending  ErrorList
	finished bool
}

func newJSONReader(r *Reader) *jsonReader {
	j := &jsonReader{r: r}
	j.s.init(r.in, make([]byte, 64<<10), &j.t, 1, 1)
	j.d = newDecoder(r.name, &j.t, true)
	return j
}

// fatal ends the input with err.
func (j *jsonReader) fatal(err error) (*Doc, error) {
	j.finished = true
	if se, ok := err.(*syntaxError); ok {
		if j.s.rerr != nil {
			return nil, j.r.readErr(j.s.rerr)
		}
		return nil, ErrorList{{Pos: Pos{File: j.r.name, Line: int(se.line), Col: int(se.col)}, Msg: "bad JSON: " + se.msg}}
	}
	return nil, err
}

func (j *jsonReader) next() (*Doc, error) {
	for {
		if len(j.pending) > 0 {
			e := j.pending
			j.pending = nil
			return nil, e
		}
		if j.finished {
			return nil, io.EOF
		}
		if j.state == jsTree {
			if j.next1 < 0 {
				j.state = jsTop
				continue
			}
			item := j.next1
			j.next1 = j.t.nodes[item].next
			return j.item(item)
		}
		j.s.boundary()
		c, ok := j.s.ws()
		if !ok {
			if j.s.rerr != nil {
				return j.fatal(j.s.errAt(j.s.pos, "read error"))
			}
			switch j.state {
			case jsArray:
				return j.fatal(j.s.errAt(j.s.pos, "unexpected end of input in an array (want , or ])"))
			case jsTail:
				return j.fatal(j.s.errAt(j.s.pos, "unexpected end of input in a List (want })"))
			}
			j.finished = true
			return nil, io.EOF
		}
		switch j.state {
		case jsTop:
			switch c {
			case '{':
				doc, err := j.object()
				if doc != nil || err != nil {
					return doc, err
				}
			case '[':
				j.s.pos++
				j.state, j.first, j.inList = jsArray, true, false
			default:
				return j.fatal(j.s.errAt(j.s.pos, "unexpected %s (want a document: a JSON object {...})", quoteByte(c)))
			}
		case jsArray:
			if c == ']' {
				j.s.pos++
				if j.inList {
					j.state = jsTail
				} else {
					j.state = jsTop
				}
				continue
			}
			if !j.first {
				if c != ',' {
					return j.fatal(j.s.errAt(j.s.pos, "unexpected %s in an array (want , or ])", quoteByte(c)))
				}
				j.s.pos++
			}
			j.first = false
			v, err := j.s.value(1)
			if err != nil {
				return j.fatal(err)
			}
			return j.item(v)
		case jsTail:
			if err := j.tail(c); err != nil {
				return j.fatal(err)
			}
		}
	}
}

// object reads a top-level object. When it is a List whose kind comes
// before its items, it switches to streaming the items and returns nil.
func (j *jsonReader) object() (*Doc, error) {
	s := &j.s
	start := s.pos
	line, col := s.line, s.colAt(start)
	root := j.t.add(nMap, line, col)
	j.t.nodes[root].off = s.base + int64(start)
	s.pos++
	isList := false
	for first := true; ; first = false {
		c, ok := s.ws()
		if !ok {
			return j.fatal(s.errAt(s.pos, "unexpected end of input in an object (want \"key\": value or })"))
		}
		if c == '}' {
			break
		}
		if !first {
			if c != ',' {
				return j.fatal(s.errAt(s.pos, "unexpected %s in an object (want , or })", quoteByte(c)))
			}
			s.pos++
			if c, ok = s.ws(); !ok {
				return j.fatal(s.errAt(s.pos, "unexpected end of input in an object (want \"key\": value)"))
			}
		}
		if c != '"' {
			return j.fatal(s.errAt(s.pos, "unexpected %s in an object (want a \"key\" in double quotes)", quoteByte(c)))
		}
		kline, kcol := s.line, s.colAt(s.pos)
		key, err := s.str()
		if err != nil {
			return j.fatal(err)
		}
		if c, ok = s.ws(); !ok || c != ':' {
			return j.fatal(s.errAt(s.pos, "want : after the key %q", key))
		}
		s.pos++
		if isList && string(key) == "items" {
			if c, ok = s.ws(); ok && c == '[' {
				s.pos++
				j.startList(root)
				return nil, nil
			}
		}
		v, err := s.value(2)
		if err != nil {
			return j.fatal(err)
		}
		j.t.member(root, v, key, kline, kcol)
		if string(key) == "kind" {
			k, _ := j.t.str(v)
			isList = k == tamledger.KindList
		}
	}
	s.pos++
	j.t.nodes[root].end = s.base + int64(s.pos)
	if j.d.isList(root) {
		items, errs := j.d.list(root)
		j.state, j.next1 = jsTree, -1
		if items >= 0 {
			j.next1 = j.t.nodes[items].first
		}
		if len(errs) > 0 {
			return nil, errs
		}
		return nil, nil
	}
	return j.decode(root, false)
}

// startList checks the fields of a List read before its items and starts
// streaming the items.
func (j *jsonReader) startList(root int32) {
	d := &j.d
	d.begin()
	j.env = d.envelope(root)
	for _, k := range []int32{j.env.meta, j.env.spec} {
		if k >= 0 {
			n := &j.t.nodes[k]
			d.fail(string(n.key), n.kline, n.kcol, fmt.Sprintf("a List has no %s (want apiVersion, kind and items)", n.key))
		}
	}
	if j.env.api >= 0 {
		d.checkAPI(root, j.env.api)
	}
	j.env.items = 0 // seen
	j.env.meta, j.env.spec = -1, -1
	rn := &j.t.nodes[root]
	j.envPos = [2]int32{rn.line, rn.col}
	j.pending = d.result()
	j.state, j.first, j.inList = jsArray, true, true
}

// tail reads one field after a List's items, or its closing brace.
func (j *jsonReader) tail(c byte) error {
	s := &j.s
	d := &j.d
	if c == '}' {
		s.pos++
		j.state = jsTop
		if j.env.api < 0 {
			d.begin()
			d.checkAPI(j.t.add(nMap, j.envPos[0], j.envPos[1]), -1)
			j.pending = d.result()
		}
		return nil
	}
	if c != ',' {
		return s.errAt(s.pos, "unexpected %s in a List (want , or })", quoteByte(c))
	}
	s.pos++
	if c, _ = s.ws(); c != '"' {
		return s.errAt(s.pos, "unexpected %s in an object (want a \"key\" in double quotes)", quoteByte(c))
	}
	kline, kcol := s.line, s.colAt(s.pos)
	key, err := s.str()
	if err != nil {
		return err
	}
	if c, ok := s.ws(); !ok || c != ':' {
		return s.errAt(s.pos, "want : after the key %q", key)
	}
	s.pos++
	v, err := s.value(2)
	if err != nil {
		return err
	}
	root := j.t.add(nMap, j.envPos[0], j.envPos[1]) // the tree was reset: a fresh holder
	j.t.member(root, v, key, kline, kcol)
	d.begin()
	before := j.env
	d.envelopeKey(&j.env, v)
	if j.env.api != before.api {
		d.checkAPI(root, v)
	}
	if j.env.meta != before.meta || j.env.spec != before.spec {
		n := &j.t.nodes[v]
		d.fail(string(n.key), n.kline, n.kcol, fmt.Sprintf("a List has no %s (want apiVersion, kind and items)", n.key))
	}
	j.pending = d.result()
	return nil
}

// item decodes an item of a top-level array or a List.
func (j *jsonReader) item(v int32) (*Doc, error) {
	return j.decode(v, true)
}

func (j *jsonReader) decode(root int32, inList bool) (*Doc, error) {
	doc, errs := j.d.doc(root, inList)
	if len(errs) > 0 {
		return nil, errs
	}
	n := &j.t.nodes[root]
	doc.loc = docLoc{off: n.off, end: n.end, line: n.line, col: n.col, doc: -1, item: -1}
	if j.r.keep {
		doc.loc.raw = bytes.Clone(j.s.buf[n.off-j.s.base : n.end-j.s.base])
	}
	return doc, nil
}

// reparseJSON parses one document's bytes again, for Locate.
func reparseJSON(b []byte, line, col int32) (*tree, int32) {
	t := &tree{}
	var s jsonScanner
	s.init(bytes.NewReader(nil), b, t, line, col)
	s.end = len(b)
	s.eof = true
	root, err := s.value(1)
	if err != nil {
		return nil, -1
	}
	return t, root
}
