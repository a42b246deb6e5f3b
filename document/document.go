// Package document reads and writes tamledger documents (docs/documents.md): YAML
// (several documents separated by ---), JSON (one document, several one
// after another, or a kind: List) and CSV for the bulk kinds (Engagement,
// Recommendation, Case).
//
// Reading is strict: unknown fields, unknown kinds, values of the wrong type,
// impossible dates and everything the domain's Validate methods refuse are
// errors, each reported as FILE:LINE:COL: path: message. A bad document does
// not stop the reader: Next returns its errors and goes on with the next
// document, so a caller can report every error of every file at once.
//
// The reader streams: it holds one document at a time (one chunk between ---
// markers for YAML, one value for JSON, one row for CSV), never the whole
// input. JSON and CSV are decoded by this package's own scanner; YAML goes
// through goccy/go-yaml's parser, one document at a time.
//
// Writing (Encoder) is deterministic: fields in the order of the Go types,
// maps sorted by key, fixed indentation, so an export diffs cleanly.
package document

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tamledger/tamledger"
)

// DefaultMaxBytes is the input size limit when Options.MaxBytes is 0.
const DefaultMaxBytes = 64 << 20

// Pos is a position in an input: 1-based line and column (columns count
// characters, not bytes). Line 0 means the whole file.
type Pos struct {
	File      string
	Line, Col int
}

// String formats p as FILE:LINE:COL, or FILE when p has no line.
func (p Pos) String() string {
	if p.Line <= 0 {
		return p.File
	}
	col := max(p.Col, 1)
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(col)
}

// Error is one problem at one position. Msg starts with the field path when
// there is one ("spec.obligations[1].cadence: unknown value ..."); Path
// holds that path on its own.
type Error struct {
	Pos
	Path string
	Msg  string
}

// Error formats e as FILE:LINE:COL: msg.
func (e Error) Error() string {
	p := e.Pos.String()
	if p == "" {
		return e.Msg
	}
	return p + ": " + e.Msg
}

// ErrorList is every problem found, as one error.
type ErrorList []Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Sort orders the list by file, line and column, keeping the order of
// errors at the same position.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Doc is one document read: its record (with Record.SetKey applied) and
// where it starts.
type Doc struct {
	tamledger.Record
	Pos Pos
	loc docLoc
}

// docLoc is what Locate needs to find a field of the document again.
type docLoc struct {
	off, end  int64  // the document's bytes in the input (YAML: its chunk)
	line, col int32  // position of off
	doc       int32  // YAML: index among the chunk's non-empty documents; -1 for JSON
	item      int32  // index in the items of a YAML List, -1 otherwise
	raw       []byte // a copy of the bytes when the input cannot be read again
}

// Options tune a Reader.
type Options struct {
	// MaxBytes refuses an input larger than this: 0 means DefaultMaxBytes
	// (64 MiB), a negative value means no limit.
	MaxBytes int64
	// Format is "yaml", "json" or "csv"; "" takes it from the file name's
	// extension (.yaml, .yml, .json, .ndjson, .jsonl, .csv), else from the
	// content.
	Format string
}

// Reader reads the documents of one input.
type Reader struct {
	name   string
	opt    Options
	src    io.Reader
	in     *bufio.Reader
	lim    *limitReader
	format string
	impl   interface{ next() (*Doc, error) }
	done   bool

	// re-reading for Locate
	ra     io.ReaderAt
	raBase int64
	keep   bool // keep a copy of each document's bytes (the input is a pipe)
	cache  struct {
		off, end int64
		t        *tree
		root     int32
	}
}

// NewReader returns a reader of the documents in r; name is used in error
// positions. When r is a regular file (or any io.ReaderAt and io.Seeker),
// Locate re-reads documents from it, so it must stay open while Locate is
// used; otherwise the reader keeps a copy of each document's bytes in its
// Doc.
func NewReader(name string, r io.Reader, opt Options) *Reader {
	rd := &Reader{name: name, opt: opt, src: r}
	if rd.opt.MaxBytes == 0 {
		rd.opt.MaxBytes = DefaultMaxBytes
	}
	return rd
}

// Next returns the next document, or io.EOF after the last. A document with
// problems yields an ErrorList with all of them and reading goes on with the
// next document; after a problem that stops the input (too large, an alias
// bomb, a JSON or CSV syntax error) Next returns io.EOF.
func (r *Reader) Next() (*Doc, error) {
	if r.done {
		return nil, io.EOF
	}
	if r.impl == nil {
		if err := r.start(); err != nil {
			r.done = true
			return nil, err
		}
	}
	doc, err := r.impl.next()
	if err == io.EOF {
		r.done = true
	}
	return doc, err
}

func (r *Reader) fileErr(msg string, args ...any) ErrorList {
	return ErrorList{{Pos: Pos{File: r.name}, Msg: fmt.Sprintf(msg, args...)}}
}

// start checks the size, picks the format and sets up re-reading.
func (r *Reader) start() error {
	if r.opt.MaxBytes > 0 {
		if n, ok := sizeOf(r.src); ok && n > r.opt.MaxBytes {
			return r.tooBig()
		}
	}
	switch src := r.src.(type) {
	case *os.File:
		if fi, err := src.Stat(); err == nil && fi.Mode().IsRegular() {
			if off, err := src.Seek(0, io.SeekCurrent); err == nil {
				r.ra, r.raBase = src, off
			}
		}
	case interface {
		io.ReaderAt
		io.Seeker
	}:
		if off, err := src.Seek(0, io.SeekCurrent); err == nil {
			r.ra, r.raBase = src, off
		}
	}
	r.keep = r.ra == nil
	r.lim = &limitReader{r: r.src, left: r.opt.MaxBytes}
	r.in = bufio.NewReaderSize(r.lim, 64<<10)
	format, err := r.detect()
	if err != nil {
		return err
	}
	r.format = format
	switch format {
	case "json":
		r.impl = newJSONReader(r)
	case "yaml":
		r.impl = newYAMLReader(r)
	case "csv":
		r.impl = newCSVReader(r)
	}
	return nil
}

func (r *Reader) tooBig() ErrorList {
	return r.fileErr("input is larger than the limit of %s (raise the limit, e.g. with --max-bytes, or split the input)", sizeString(r.opt.MaxBytes))
}

func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB (%d bytes)", n>>20, n)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB (%d bytes)", n>>10, n)
	}
	return fmt.Sprintf("%d bytes", n)
}

// sizeOf reports the bytes left in r when r can tell without reading.
func sizeOf(r io.Reader) (int64, bool) {
	switch s := r.(type) {
	case *os.File:
		fi, err := s.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return 0, false
		}
		off, err := s.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		return fi.Size() - off, true
	case interface{ Len() int }:
		return int64(s.Len()), true
	}
	return 0, false
}

// errTooBig is what limitReader returns past the limit.
var errTooBig = errors.New("input too large")

// limitReader reads up to left bytes and fails with errTooBig when the input
// has more; left < 0 means no limit.
type limitReader struct {
	r    io.Reader
	left int64
	n    int64 // bytes read so far
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		n, err := l.r.Read(p)
		l.n += int64(n)
		return n, err
	}
	if l.left == 0 {
		var one [1]byte
		for {
			n, err := l.r.Read(one[:])
			if n > 0 {
				return 0, errTooBig
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	l.n += int64(n)
	return n, err
}

// readErr turns an error from the input into the reader's fatal error.
func (r *Reader) readErr(err error) ErrorList {
	if errors.Is(err, errTooBig) {
		return r.tooBig()
	}
	return r.fileErr("cannot read: %v", err)
}

// detect decides the format: the option, the extension, else the content.
func (r *Reader) detect() (string, error) {
	switch f := strings.ToLower(r.opt.Format); f {
	case "yaml", "yml":
		return "yaml", nil
	case "json", "csv":
		return f, nil
	case "":
	default:
		return "", r.fileErr("unknown format %q (want yaml, json or csv)", r.opt.Format)
	}
	switch strings.ToLower(filepath.Ext(r.name)) {
	case ".yaml", ".yml":
		return "yaml", nil
	case ".json", ".ndjson", ".jsonl":
		return "json", nil
	case ".csv":
		return "csv", nil
	}
	head, err := r.in.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return "", r.readErr(err)
	}
	return sniff(head), nil
}

// sniff guesses the format of an input from its first bytes: JSON when it
// starts with { followed by a quote (or [ followed by {), CSV when its first
// line is a comma-separated list of field names, else YAML.
func sniff(head []byte) string {
	head = bytes.TrimPrefix(head, bom)
	s := bytes.TrimLeft(head, " \t\r\n")
	if len(s) > 0 && (s[0] == '{' || s[0] == '[') {
		rest := bytes.TrimLeft(s[1:], " \t\r\n")
		if len(rest) == 0 || rest[0] == '"' || rest[0] == '{' || rest[0] == '}' || rest[0] == ']' {
			return "json"
		}
		return "yaml"
	}
	line, _, _ := bytes.Cut(head, []byte{'\n'})
	line = bytes.TrimRight(line, "\r")
	if bytes.IndexByte(line, ',') >= 0 && !bytes.HasPrefix(line, []byte("---")) {
		csvLike := true
		for _, c := range line {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || bytes.IndexByte([]byte(` ,._-"`), c) >= 0) {
				csvLike = false
				break
			}
		}
		if csvLike {
			return "csv"
		}
	}
	return "yaml"
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// Locate returns the position of a field path such as "spec.workloads[2]" or
// "metadata.organization" in a document this reader returned, or of its
// nearest ancestor that is there; the document's start when even that
// cannot be found. JSON and YAML documents are read again for it (the last
// one is cached), so it costs nothing until an error needs a position.
func (r *Reader) Locate(doc *Doc, path string) Pos {
	if doc == nil {
		return Pos{File: r.name}
	}
	if c, ok := r.impl.(*csvReader); ok {
		return c.locate(doc, path)
	}
	t, root := r.reparse(doc)
	if t == nil {
		return doc.Pos
	}
	n := &t.nodes[t.find(root, path)]
	return Pos{File: r.name, Line: int(n.line), Col: int(n.col)}
}

// reparse returns the tree of doc, read again from the input.
func (r *Reader) reparse(doc *Doc) (*tree, int32) {
	l := &doc.loc
	if r.cache.t == nil || r.cache.off != l.off || r.cache.end != l.end {
		b := l.raw
		if b == nil {
			if r.ra == nil || l.end <= l.off {
				return nil, -1
			}
			b = make([]byte, l.end-l.off)
			if _, err := r.ra.ReadAt(b, r.raBase+l.off); err != nil && err != io.EOF {
				return nil, -1
			}
		}
		var t *tree
		root := int32(-1)
		switch r.impl.(type) {
		case *jsonReader:
			t, root = reparseJSON(b, l.line, l.col)
		case *yamlReader:
			t, root = reparseYAML(r.name, b, l.line)
		}
		if t == nil {
			return nil, -1
		}
		r.cache.off, r.cache.end, r.cache.t, r.cache.root = l.off, l.end, t, root
	}
	t, root := r.cache.t, r.cache.root
	if l.doc >= 0 {
		if root = t.index(root, int(l.doc)); root < 0 {
			return nil, -1
		}
	}
	if l.item >= 0 {
		items := t.child(root, "items")
		if items < 0 {
			return nil, -1
		}
		root = t.index(items, int(l.item))
		if root < 0 {
			return nil, -1
		}
	}
	return t, root
}
