package document

import (
	"strconv"
	"strings"

	"github.com/tamledger/tamledger"
)

// nodeKind is the kind of a value in a parsed document.
type nodeKind uint8

const (
	nNull   nodeKind = iota
	nBool            // JSON true or false
	nNumber          // JSON number; text is the literal
	nString          // an explicit string: JSON string, quoted or block YAML scalar
	nPlain           // untyped text read by the target type: YAML plain scalar, CSV cell
	nMap
	nSeq
)

// node is one value of a parsed document, in a tree's arena. The children of
// a map or a sequence are a linked list (first, next); a map's children
// carry their key.
type node struct {
	kind        nodeKind
	line, col   int32 // the value's position
	kline, kcol int32 // the key's position, for a map's child
	first, next int32 // first child, next sibling; -1 for none
	last        int32 // last child, for appending
	n           int32 // number of children
	text        []byte
	key         []byte
	off, end    int64 // byte range in the input (JSON)
}

// tree is the arena of one document's nodes. Texts point into the input
// buffer or a scratch buffer that stay unchanged while the tree is used;
// decoding copies what it keeps.
type tree struct {
	nodes []node
}

func (t *tree) reset() { t.nodes = t.nodes[:0] }

func (t *tree) add(k nodeKind, line, col int32) int32 {
	t.nodes = append(t.nodes, node{kind: k, line: line, col: col, first: -1, next: -1, last: -1})
	return int32(len(t.nodes) - 1)
}

func (t *tree) scalar(k nodeKind, text []byte, line, col int32) int32 {
	i := t.add(k, line, col)
	t.nodes[i].text = text
	return i
}

// appendChild links child as the last child of parent.
func (t *tree) appendChild(parent, child int32) {
	p := &t.nodes[parent]
	if p.last < 0 {
		p.first = child
	} else {
		t.nodes[p.last].next = child
	}
	p.last = child
	p.n++
}

// member links child under parent with its key.
func (t *tree) member(parent, child int32, key []byte, kline, kcol int32) {
	c := &t.nodes[child]
	c.key, c.kline, c.kcol = key, kline, kcol
	t.appendChild(parent, child)
}

// child returns the child of map m with key, or -1.
func (t *tree) child(m int32, key string) int32 {
	if m < 0 || t.nodes[m].kind != nMap {
		return -1
	}
	for c := t.nodes[m].first; c >= 0; c = t.nodes[c].next {
		if string(t.nodes[c].key) == key {
			return c
		}
	}
	return -1
}

// index returns the i-th child of sequence s, or -1.
func (t *tree) index(s int32, i int) int32 {
	if s < 0 || t.nodes[s].kind != nSeq || i < 0 {
		return -1
	}
	c := t.nodes[s].first
	for ; c >= 0 && i > 0; i-- {
		c = t.nodes[c].next
	}
	return c
}

// find returns the node at path under root ("spec.plans.enterprise.tiers[0]"),
// or the deepest ancestor of it that exists. Map keys may contain dots: the
// longest key that matches wins.
func (t *tree) find(root int32, path string) int32 {
	cur := root
	rest := path
	for rest != "" {
		n := &t.nodes[cur]
		if rest[0] == '[' {
			j := strings.IndexByte(rest, ']')
			if j < 0 {
				return cur
			}
			i, err := strconv.Atoi(rest[1:j])
			c := t.index(cur, i)
			if err != nil || c < 0 {
				return cur
			}
			cur, rest = c, strings.TrimPrefix(rest[j+1:], ".")
			continue
		}
		if n.kind != nMap {
			return cur
		}
		best, bestLen := int32(-1), -1
		for c := n.first; c >= 0; c = t.nodes[c].next {
			k := t.nodes[c].key
			if len(k) > bestLen && strings.HasPrefix(rest, string(k)) &&
				(len(rest) == len(k) || rest[len(k)] == '.' || rest[len(k)] == '[') {
				best, bestLen = c, len(k)
			}
		}
		if best < 0 {
			return cur
		}
		cur, rest = best, strings.TrimPrefix(rest[bestLen:], ".")
	}
	return cur
}

// textIs reports whether node i is a string-like scalar with text s.
func (t *tree) textIs(i int32, s string) bool {
	if i < 0 {
		return false
	}
	n := &t.nodes[i]
	return (n.kind == nString || n.kind == nPlain) && string(n.text) == s
}

// kindName returns the kind node i names, as the constant, or "".
func (t *tree) kindName(i int32) string {
	for _, k := range tamledger.Kinds.Values() {
		if t.textIs(i, k) {
			return k
		}
	}
	return ""
}

// str returns the text of a string-like scalar node ("" for others).
func (t *tree) str(i int32) (string, bool) {
	if i < 0 {
		return "", false
	}
	n := &t.nodes[i]
	if n.kind == nString || n.kind == nPlain {
		return string(n.text), true
	}
	return "", false
}
