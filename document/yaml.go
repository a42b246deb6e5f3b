package document

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Limits on YAML that would otherwise cost without bound.
const (
	// aliasBudget and aliasFactor cap the nodes that aliases and merge keys
	// may create in one document: aliasBudget plus aliasFactor times the
	// nodes written out. A "billion laughs" needs far more, real documents
	// far fewer.
	aliasBudget = 10_000
	aliasFactor = 10
	// maxFlowDepth and maxIndent keep the parser's recursion shallow.
	maxFlowDepth = 64
	maxIndent    = 512
)

// yamlReader yields the documents of a YAML stream. It cuts the stream into
// chunks at the --- and ... markers (a marker at the start of a line always
// ends a document in YAML) and parses one chunk at a time, so memory stays
// bounded by the largest document.
type yamlReader struct {
	r *Reader
	t tree
	d decoder

	line      int32  // line number of the next line to read
	off       int64  // input offset of the next line
	held      []byte // a --- line read ahead: the start of the next chunk
	chunk     []byte
	chunkOff  int64
	chunkLine int32
	eof       bool

	file     *ast.File // the chunk's parsed documents
	docIdx   int       // next document of file
	nonEmpty int32     // index among the non-empty documents of the chunk
	raw      []byte    // copy of the chunk when the input cannot be read again

	items   int32 // next item of a List, -1 for none
	itemIdx int32
	docLoc  docLoc

	pending  ErrorList
	finished bool
}

func newYAMLReader(r *Reader) *yamlReader {
	y := &yamlReader{r: r, line: 1, items: -1}
	y.d = newDecoder(r.name, &y.t, false)
	return y
}

func (y *yamlReader) next() (*Doc, error) {
	for {
		if len(y.pending) > 0 {
			e := y.pending
			y.pending = nil
			return nil, e
		}
		if y.finished {
			return nil, io.EOF
		}
		if y.items >= 0 {
			item := y.items
			y.items = y.t.nodes[item].next
			loc := y.docLoc
			loc.item = y.itemIdx
			y.itemIdx++
			return y.decode(item, true, loc)
		}
		if y.file != nil && y.docIdx < len(y.file.Docs) {
			dn := y.file.Docs[y.docIdx]
			y.docIdx++
			if dn.Body == nil {
				continue
			}
			y.t.reset()
			conv := yconv{t: &y.t, lineOff: y.chunkLine - 1, anchors: map[string]ast.Node{}}
			root, err := conv.node(dn.Body, 0)
			idx := y.nonEmpty
			y.nonEmpty++
			if err != nil {
				ce := err.(*convError)
				el := ErrorList{{Pos: Pos{File: y.r.name, Line: int(ce.line), Col: int(ce.col)}, Msg: ce.msg}}
				if ce.fatal {
					y.finished = true
				}
				return nil, el
			}
			y.docLoc = docLoc{off: y.chunkOff, end: y.chunkOff + int64(len(y.chunk)), line: y.chunkLine, doc: idx, item: -1}
			if y.r.keep {
				if y.raw == nil {
					y.raw = bytes.Clone(y.chunk)
				}
				y.docLoc.raw = y.raw
			}
			if y.d.isList(root) {
				items, errs := y.d.list(root)
				if items >= 0 {
					y.items, y.itemIdx = y.t.nodes[items].first, 0
				}
				if len(errs) > 0 {
					return nil, errs
				}
				continue
			}
			return y.decode(root, false, y.docLoc)
		}
		ok, err := y.readChunk()
		if err != nil {
			y.finished = true
			return nil, y.r.readErr(err)
		}
		if !ok {
			y.finished = true
			return nil, io.EOF
		}
		if errs := y.parse(); len(errs) > 0 {
			return nil, errs
		}
	}
}

func (y *yamlReader) decode(root int32, inList bool, loc docLoc) (*Doc, error) {
	doc, errs := y.d.doc(root, inList)
	if len(errs) > 0 {
		return nil, errs
	}
	doc.loc = loc
	return doc, nil
}

// parse parses the chunk read last.
func (y *yamlReader) parse() ErrorList {
	y.file, y.docIdx, y.nonEmpty, y.raw = nil, 0, 0, nil
	if line, msg := checkNesting(y.chunk); msg != "" {
		return ErrorList{{Pos: Pos{File: y.r.name, Line: int(y.chunkLine) + line - 1, Col: 1}, Msg: "bad YAML: " + msg}}
	}
	f, err := parseYAML(y.chunk)
	if err != nil {
		line, col, msg := yamlErrorPos(err)
		if line > 0 {
			line += int(y.chunkLine) - 1
		} else {
			line = int(y.chunkLine)
		}
		return ErrorList{{Pos: Pos{File: y.r.name, Line: line, Col: col}, Msg: "bad YAML: " + msg}}
	}
	y.file = f
	for _, dn := range f.Docs {
		if dn.Body != nil {
			return nil
		}
	}
	return ErrorList{{Pos: Pos{File: y.r.name, Line: int(y.chunkLine), Col: 1}, Msg: "bad YAML: the parser found no document here"}}
}

// parseYAML runs goccy's parser, turning a panic in it into an error.
func parseYAML(b []byte) (f *ast.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("the YAML parser failed on this document (%v)", p)
		}
	}()
	return parser.ParseBytes(b, 0, parser.AllowDuplicateMapKey())
}

// yamlErrorPos extracts the position and message of a parser error.
func yamlErrorPos(err error) (line, col int, msg string) {
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return tk.Position.Line, tk.Position.Column, msg
		}
		return 0, 0, msg
	}
	return 0, 0, err.Error()
}

// readChunk reads the lines of the next document. It reports false at the
// end of the input when no document is left.
func (y *yamlReader) readChunk() (bool, error) {
	y.chunk = y.chunk[:0]
	y.chunkOff, y.chunkLine = y.off, y.line
	content, marked := false, false
	for {
		var line []byte
		var err error
		if y.held != nil {
			line, y.held = y.held, nil
		} else if !y.eof {
			line, err = y.readLine()
			if err == io.EOF {
				y.eof, err = true, nil
			}
			if err != nil {
				return false, err
			}
		}
		if len(line) == 0 {
			break
		}
		if y.off == 0 && bytes.HasPrefix(line, bom) {
			line = line[3:]
			y.off += 3
			y.chunkOff += 3
		}
		m := marker(line)
		if m == '-' && content {
			y.held = append([]byte(nil), line...)
			break
		}
		if m == '-' && marked {
			// An empty document before this one: drop it (the parser
			// mishandles consecutive markers).
			y.chunk = y.chunk[:0]
			y.chunkOff, y.chunkLine = y.off, y.line
		}
		marked = marked || m == '-'
		y.chunk = append(y.chunk, line...)
		y.off += int64(len(line))
		y.line++
		if !content && hasContent(line, m) {
			content = true
		}
		if m == '.' && content {
			break
		}
	}
	return content, nil
}

// readLine returns the next line with its newline; io.EOF when there is
// none.
func (y *yamlReader) readLine() ([]byte, error) {
	line, err := y.r.in.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			line, err = y.r.in.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	return line, err
}

// marker tells a document marker line: '-' for ---, '.' for ..., else 0.
func marker(line []byte) byte {
	if len(line) < 3 || !(bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("..."))) {
		return 0
	}
	if len(line) > 3 && line[3] != ' ' && line[3] != '\t' && line[3] != '\r' && line[3] != '\n' {
		return 0
	}
	return line[0]
}

// hasContent reports whether a line holds YAML content (not blank, a comment
// or a directive).
func hasContent(line []byte, m byte) bool {
	switch m {
	case '-':
		line = line[3:]
	case '.':
		return false
	default:
		if len(line) > 0 && line[0] == '%' {
			return false
		}
	}
	s := bytes.TrimLeft(line, " \t\r\n")
	return len(s) > 0 && s[0] != '#'
}

// checkNesting refuses YAML nested deeper than the parser can take safely:
// flow collections more than maxFlowDepth deep, or lines indented more than
// maxIndent columns (counting compact "- " entries). It returns the
// offending line (1-based) and a message.
func checkNesting(b []byte) (int, string) {
	depth := 0
	var quote byte
	line := 1
	for len(b) > 0 {
		var l []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			l, b = b[:i], b[i+1:]
		} else {
			l, b = b, nil
		}
		if quote == 0 {
			j := 0
			for j < len(l) && l[j] == ' ' {
				j++
			}
			for j+1 < len(l) && (l[j] == '-' || l[j] == '?' || l[j] == ':') && (l[j+1] == ' ' || l[j+1] == '\t') {
				j += 2
				for j < len(l) && (l[j] == ' ' || l[j] == '\t') {
					j++
				}
			}
			if j > maxIndent {
				return line, fmt.Sprintf("nesting too deep (indented more than %d columns)", maxIndent)
			}
		}
		prev := byte(' ')
		for _, c := range l {
			switch {
			case quote == '"':
				if c == '"' && prev != '\\' {
					quote = 0
				}
				if c == '\\' && prev == '\\' {
					c = 0 // an escaped backslash escapes nothing
				}
			case quote == '\'':
				if c == '\'' {
					quote = 0
				}
			case c == '#' && (prev == ' ' || prev == '\t'):
				goto nextLine
			case (c == '"' || c == '\'') && bytes.IndexByte([]byte(" \t[{,:-"), prev) >= 0:
				quote = c
			case c == '[' || c == '{':
				depth++
				if depth > maxFlowDepth {
					return line, fmt.Sprintf("nesting too deep (more than %d levels of [ and {)", maxFlowDepth)
				}
			case c == ']' || c == '}':
				depth = max(depth-1, 0)
			}
			prev = c
		}
	nextLine:
		line++
	}
	return 0, ""
}

// convError is a problem found turning the parser's tree into ours.
type convError struct {
	line, col int32
	msg       string
	fatal     bool
}

func (e *convError) Error() string { return e.msg }

// yconv turns goccy's syntax tree into a tree, expanding aliases and merge
// keys within a budget.
type yconv struct {
	t        *tree
	lineOff  int32
	anchors  map[string]ast.Node
	inAlias  int
	aliasTk  *token.Token // the outermost alias being expanded
	expanded int          // nodes made by aliases and merges
	direct   int          // nodes written out
}

// expand counts a node made by an alias or a merge key.
func (c *yconv) expand(at *token.Token) error {
	c.expanded++
	if limit := aliasBudget + aliasFactor*c.direct; c.expanded > limit {
		e := c.errAt(at, "bad YAML: aliases expand to more than %d nodes (an alias bomb?); write the values out", limit)
		e.fatal = true
		return e
	}
	return nil
}

func (c *yconv) pos(tk *token.Token) (int32, int32) {
	if tk == nil || tk.Position == nil {
		return c.lineOff + 1, 1
	}
	return int32(tk.Position.Line) + c.lineOff, int32(tk.Position.Column)
}

func (c *yconv) errAt(tk *token.Token, format string, args ...any) *convError {
	line, col := c.pos(tk)
	return &convError{line: line, col: col, msg: fmt.Sprintf(format, args...)}
}

// add creates a node, counting those made by aliases.
func (c *yconv) add(k nodeKind, tk *token.Token) (int32, error) {
	if c.inAlias > 0 {
		if err := c.expand(c.aliasTk); err != nil {
			return -1, err
		}
	} else {
		c.direct++
	}
	line, col := c.pos(tk)
	return c.t.add(k, line, col), nil
}

func (c *yconv) scalar(k nodeKind, text string, tk *token.Token) (int32, error) {
	i, err := c.add(k, tk)
	if err != nil {
		return -1, err
	}
	c.t.nodes[i].text = []byte(text)
	return i, nil
}

func (c *yconv) node(n ast.Node, depth int) (int32, error) {
	if depth > maxDepth {
		return -1, c.errAt(n.GetToken(), "bad YAML: nested more than %d deep", maxDepth)
	}
	switch v := n.(type) {
	case *ast.NullNode:
		return c.scalar(nNull, "", v.Token)
	case *ast.StringNode:
		k := nPlain
		if v.Token != nil && (v.Token.Type == token.DoubleQuoteType || v.Token.Type == token.SingleQuoteType) {
			k = nString
		}
		return c.scalar(k, v.Value, v.Token)
	case *ast.LiteralNode:
		s := ""
		if v.Value != nil {
			s = v.Value.Value
		}
		return c.scalar(nString, s, v.Start)
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		tk := n.GetToken()
		return c.scalar(nPlain, tk.Value, tk)
	case *ast.MappingNode:
		tk := v.Start
		if !v.IsFlowStyle && len(v.Values) > 0 {
			tk = v.Values[0].Key.GetToken()
		}
		m, err := c.add(nMap, tk)
		if err != nil {
			return -1, err
		}
		return m, c.members(m, v.Values, depth)
	case *ast.MappingValueNode:
		m, err := c.add(nMap, v.Key.GetToken())
		if err != nil {
			return -1, err
		}
		return m, c.members(m, []*ast.MappingValueNode{v}, depth)
	case *ast.SequenceNode:
		s, err := c.add(nSeq, v.Start)
		if err != nil {
			return -1, err
		}
		for _, e := range v.Values {
			if e == nil {
				continue
			}
			i, err := c.node(e, depth+1)
			if err != nil {
				return -1, err
			}
			c.t.appendChild(s, i)
		}
		return s, nil
	case *ast.AnchorNode:
		if v.Value == nil {
			return c.scalar(nNull, "", v.Start)
		}
		i, err := c.node(v.Value, depth+1)
		if err != nil {
			return -1, err
		}
		if v.Name != nil {
			c.anchors[v.Name.GetToken().Value] = v.Value
		}
		return i, nil
	case *ast.AliasNode:
		name := ""
		if v.Value != nil {
			name = v.Value.GetToken().Value
		}
		target, ok := c.anchors[name]
		if !ok {
			return -1, c.errAt(v.Start, "bad YAML: unknown alias *%s (define &%s before it)", name, name)
		}
		if c.inAlias == 0 {
			c.aliasTk = v.Start
		}
		c.inAlias++
		i, err := c.node(target, depth+1)
		c.inAlias--
		return i, err
	case *ast.TagNode:
		tag := ""
		if v.Start != nil {
			tag = v.Start.Value
		}
		if v.Value == nil {
			return c.scalar(nNull, "", v.Start)
		}
		switch tag {
		case "!!str":
			if tk := v.Value.GetToken(); tk != nil {
				switch s := v.Value.(type) {
				case *ast.StringNode:
					return c.scalar(nString, s.Value, tk)
				case *ast.LiteralNode:
					return c.node(s, depth+1)
				case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NullNode, *ast.InfinityNode, *ast.NanNode:
					return c.scalar(nString, tk.Value, tk)
				}
			}
			return -1, c.errAt(v.Start, "bad YAML: !!str on a value that is not a scalar")
		case "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!timestamp":
			return c.node(v.Value, depth+1)
		}
		return -1, c.errAt(v.Start, "bad YAML: unsupported tag %s (remove it)", tag)
	case *ast.DocumentNode:
		if v.Body == nil {
			return c.scalar(nNull, "", nil)
		}
		return c.node(v.Body, depth)
	}
	return -1, c.errAt(n.GetToken(), "bad YAML: unexpected %s", n.Type())
}

// members converts the entries of a mapping into m's children, then merges
// the mappings named by << keys (explicit keys win).
func (c *yconv) members(m int32, values []*ast.MappingValueNode, depth int) error {
	var merges []int32
	var mergeTk *token.Token
	for _, mv := range values {
		if mv == nil {
			continue
		}
		key, ktk, merge, err := c.key(mv.Key)
		if err != nil {
			return err
		}
		var val int32
		if mv.Value == nil {
			val, err = c.scalar(nNull, "", ktk)
		} else {
			val, err = c.node(mv.Value, depth+1)
		}
		if err != nil {
			return err
		}
		if merge {
			merges = append(merges, val)
			mergeTk = ktk
			continue
		}
		kline, kcol := c.pos(ktk)
		c.t.member(m, val, key, kline, kcol)
	}
	for _, src := range merges {
		var maps []int32
		switch c.t.nodes[src].kind {
		case nMap:
			maps = []int32{src}
		case nSeq:
			for ch := c.t.nodes[src].first; ch >= 0; ch = c.t.nodes[ch].next {
				maps = append(maps, ch)
			}
		}
		for _, mp := range maps {
			n := &c.t.nodes[mp]
			if n.kind != nMap {
				return &convError{line: n.line, col: n.col, msg: "bad YAML: << wants a mapping or a list of mappings"}
			}
			for ch := n.first; ch >= 0; ch = c.t.nodes[ch].next {
				if c.t.child(m, string(c.t.nodes[ch].key)) >= 0 {
					continue
				}
				if err := c.expand(mergeTk); err != nil {
					return err
				}
				cp := c.t.nodes[ch]
				cp.next = -1
				c.t.nodes = append(c.t.nodes, cp)
				i := int32(len(c.t.nodes) - 1)
				c.t.member(m, i, cp.key, cp.kline, cp.kcol)
			}
		}
	}
	return nil
}

// key returns the text of a mapping key, and whether it is the merge key <<.
func (c *yconv) key(k ast.MapKeyNode) ([]byte, *token.Token, bool, error) {
	var n ast.Node = k
	for {
		switch v := n.(type) {
		case *ast.MergeKeyNode:
			return nil, v.Token, true, nil
		case *ast.MappingKeyNode:
			if v.Value == nil {
				return nil, nil, false, c.errAt(v.Start, "bad YAML: empty key")
			}
			n = v.Value
			continue
		case *ast.TagNode:
			if v.Value == nil {
				return nil, nil, false, c.errAt(v.Start, "bad YAML: empty key")
			}
			n = v.Value
			continue
		case *ast.AnchorNode:
			if v.Value == nil {
				return nil, nil, false, c.errAt(v.Start, "bad YAML: empty key")
			}
			n = v.Value
			continue
		case *ast.StringNode:
			return []byte(v.Value), v.Token, false, nil
		case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NullNode, *ast.InfinityNode, *ast.NanNode:
			tk := n.GetToken()
			return []byte(tk.Value), tk, false, nil
		}
		return nil, nil, false, c.errAt(n.GetToken(), "bad YAML: a key must be a plain word such as name, not %s", n.Type())
	}
}

// reparseYAML parses a chunk again for Locate: the root of the returned tree
// is a sequence of the chunk's non-empty documents.
func reparseYAML(name string, b []byte, line int32) (*tree, int32) {
	if _, msg := checkNesting(b); msg != "" {
		return nil, -1
	}
	f, err := parseYAML(b)
	if err != nil {
		return nil, -1
	}
	t := &tree{}
	root := t.add(nSeq, line, 1)
	for _, dn := range f.Docs {
		if dn.Body == nil {
			continue
		}
		conv := yconv{t: t, lineOff: line - 1, anchors: map[string]ast.Node{}}
		i, err := conv.node(dn.Body, 0)
		if err != nil {
			return nil, -1
		}
		t.appendChild(root, i)
	}
	return t, root
}
