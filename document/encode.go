package document

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tamledger/tamledger"
)

// Encoder writes records as documents, one at a time, deterministically:
// fields in the order of the Go types, absent optional fields left out, maps
// sorted by key, dates as YYYY-MM-DD, instants as RFC 3339 in UTC, money as
// plain numbers.
//
// YAML is a stream of documents separated by ---, indented by two spaces.
// JSON is one {"apiVersion": "tamledger/v1", "kind": "List", "items": [...]}
// indented by two spaces, written as the items come: Close ends it.
type Encoder struct {
	w      *bufio.Writer
	format string
	n      int
	buf    []byte
	err    error
	closed bool
}

// NewEncoder returns an encoder writing format ("yaml" or "json") to w.
func NewEncoder(w io.Writer, format string) *Encoder {
	return &Encoder{w: bufio.NewWriterSize(w, 64<<10), format: format}
}

const jsonListHead = "{\n  \"apiVersion\": \"" + tamledger.APIVersion + "\",\n  \"kind\": \"List\",\n  \"items\": ["

// Encode writes one record. A record that cannot be written (unknown kind,
// a value of the wrong type, a number that is not finite) is an error and
// nothing of it is written.
func (e *Encoder) Encode(rec tamledger.Record) error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return fmt.Errorf("document: Encode after Close")
	}
	if e.format != "yaml" && e.format != "json" {
		return fmt.Errorf("document: unknown output format %q (want yaml or json)", e.format)
	}
	c := kindCodecs[rec.Kind]
	if c == nil {
		return fmt.Errorf("document: cannot encode kind %q (want one of: %s)", rec.Kind, tamledger.Kinds.String())
	}
	v := reflect.ValueOf(rec.Value)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Type() != c.typ {
		return fmt.Errorf("document: %s record %q holds %T (want *tamledger.%s)", rec.Kind, rec.ID, rec.Value, rec.Kind)
	}
	w := &writer{b: e.buf[:0]}
	if e.format == "yaml" {
		if e.n > 0 {
			w.str("---\n")
		}
		w.yamlDoc(rec, c, v.Elem())
	} else {
		if e.n == 0 {
			w.str(jsonListHead)
		} else {
			w.str(",")
		}
		w.str("\n    ")
		w.jsonDoc(rec, c, v.Elem(), 4)
	}
	e.buf = w.b
	if w.err != nil {
		return fmt.Errorf("document: %s %q: %w", rec.Kind, rec.ID, w.err)
	}
	if _, err := e.w.Write(w.b); err != nil {
		e.err = err
		return err
	}
	e.n++
	return nil
}

// Close ends the output (the JSON list) and flushes it; it does not close
// the underlying writer.
func (e *Encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return nil
	}
	e.closed = true
	if e.format == "json" {
		if e.n == 0 {
			e.w.WriteString(jsonListHead + "]\n}\n")
		} else {
			e.w.WriteString("\n  ]\n}\n")
		}
	}
	e.err = e.w.Flush()
	return e.err
}

// writer builds one document.
type writer struct {
	b   []byte
	err error
}

func (w *writer) str(s string) { w.b = append(w.b, s...) }

func (w *writer) indent(n int) {
	for range n {
		w.b = append(w.b, ' ')
	}
}

func (w *writer) yamlDoc(rec tamledger.Record, c *codec, v reflect.Value) {
	w.str("apiVersion: " + tamledger.APIVersion + "\nkind: " + rec.Kind + "\nmetadata:\n  id: ")
	w.yamlString(rec.ID)
	w.str("\n")
	if rec.Org != "" {
		w.str("  organization: ")
		w.yamlString(rec.Org)
		w.str("\n")
	}
	w.str("spec:")
	w.yamlValue(c, v, 2)
}

// isEmpty is encoding/json's omitempty: false, 0, "", nil, and empty slices
// and maps; structs are never empty.
func isEmpty(c *codec, v reflect.Value) bool {
	switch c.kind {
	case cPtr:
		return v.IsNil()
	case cSlice, cMap:
		return v.Len() == 0
	case cString:
		return v.Len() == 0
	case cBool:
		return !v.Bool()
	case cInt:
		return v.Int() == 0
	case cFloat:
		return v.Float() == 0
	}
	return false
}

// fieldsOf returns the fields of a struct to write.
func fieldsOf(c *codec, v reflect.Value) []int {
	var out []int
	for i := range c.fields {
		f := &c.fields[i]
		if f.omitEmpty && isEmpty(f.c, v.Field(f.index)) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// yamlValue writes a value after "key:" (or "-"): " scalar\n", " {}\n",
// " []\n", or a newline and a block indented by ind.
func (w *writer) yamlValue(c *codec, v reflect.Value, ind int) {
	for c.kind == cPtr {
		if v.IsNil() {
			w.str(" null\n")
			return
		}
		c, v = c.elem, v.Elem()
	}
	switch c.kind {
	case cStruct:
		fs := fieldsOf(c, v)
		if len(fs) == 0 {
			w.str(" {}\n")
			return
		}
		w.str("\n")
		for _, i := range fs {
			f := &c.fields[i]
			w.indent(ind)
			w.str(f.name + ":")
			w.yamlValue(f.c, v.Field(f.index), ind+2)
		}
	case cMap:
		if v.Len() == 0 {
			w.str(" {}\n")
			return
		}
		w.str("\n")
		for _, k := range sortedKeys(v) {
			w.indent(ind)
			w.yamlString(k)
			w.str(":")
			w.yamlValue(c.elem, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), ind+2)
		}
	case cSlice:
		if v.Len() == 0 {
			w.str(" []\n")
			return
		}
		w.str("\n")
		for i := range v.Len() {
			w.indent(ind)
			w.str("-")
			start := len(w.b)
			w.yamlValue(c.elem, v.Index(i), ind+2)
			// A block item starts on the line of its dash: "- id: x".
			if len(w.b) > start+1+ind+2 && w.b[start] == '\n' && string(w.b[start+1:start+1+ind+2]) == strings.Repeat(" ", ind+2) {
				w.b = slices.Delete(w.b, start, start+1+ind+1)
			}
		}
	case cString:
		if str := v.String(); yamlLiteral(str) {
			w.literal(str, ind)
			return
		}
		fallthrough
	default:
		w.str(" ")
		w.yamlScalar(c, v)
		w.str("\n")
	}
}

// yamlLiteral reports whether s, a text of several lines, reads back the
// same from a literal block (|): no carriage returns, invisible characters,
// leading blanks, trailing blanks on a line, or blank lines at the end.
func yamlLiteral(s string) bool {
	if !strings.Contains(s, "\n") || s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || strings.HasSuffix(s, "\n\n") {
		return false
	}
	prev := rune(0)
	for _, r := range s {
		switch {
		case r == '\n':
			if prev == ' ' || prev == '\t' {
				return false
			}
		case r == '\t':
		case r == utf8.RuneError || !unicode.IsPrint(r):
			return false
		}
		prev = r
	}
	return prev != ' ' && prev != '\t'
}

// literal writes s as a literal block indented by ind.
func (w *writer) literal(s string, ind int) {
	if strings.HasSuffix(s, "\n") {
		w.str(" |\n")
		s = s[:len(s)-1]
	} else {
		w.str(" |-\n")
	}
	for line := range strings.SplitSeq(s, "\n") {
		if line != "" {
			w.indent(ind)
			w.str(line)
		}
		w.str("\n")
	}
}

func sortedKeys(v reflect.Value) []string {
	keys := make([]string, 0, v.Len())
	for _, k := range v.MapKeys() {
		keys = append(keys, k.String())
	}
	slices.Sort(keys)
	return keys
}

func (w *writer) yamlScalar(c *codec, v reflect.Value) {
	switch c.kind {
	case cString:
		w.yamlString(v.String())
	case cDate:
		d := v.Interface().(tamledger.Date)
		if d.IsZero() {
			w.str("null")
			return
		}
		w.str(d.String())
	default:
		w.scalar(c, v)
	}
}

// scalar writes a scalar as JSON (YAML reads it the same).
func (w *writer) scalar(c *codec, v reflect.Value) {
	switch c.kind {
	case cBool:
		w.b = strconv.AppendBool(w.b, v.Bool())
	case cInt:
		w.b = strconv.AppendInt(w.b, v.Int(), 10)
	case cFloat:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			if w.err == nil {
				w.err = fmt.Errorf("%v is not a finite number", f)
			}
			w.str("0")
			return
		}
		w.b = strconv.AppendFloat(w.b, f, 'f', -1, 64)
	case cMoney:
		w.str(v.Interface().(tamledger.Money).String())
	case cDate:
		d := v.Interface().(tamledger.Date)
		if d.IsZero() {
			w.str("null")
			return
		}
		w.quoted(d.String())
	case cTime:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			w.str("null")
			return
		}
		w.quoted(t.UTC().Format(time.RFC3339Nano))
	case cString:
		w.quoted(v.String())
	}
}

// yamlString writes s plain when YAML reads it back as the same string,
// else double-quoted.
func (w *writer) yamlString(s string) {
	if yamlPlain(s) {
		w.str(s)
		return
	}
	w.quoted(s)
}

// yamlPlain reports whether s can be written as a plain scalar: it starts
// with a letter, holds only letters, digits, spaces and -._/@()+, does not
// end in a space and is not a word YAML reads as something else.
func yamlPlain(s string) bool {
	if s == "" || s[len(s)-1] == ' ' {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case i == 0:
			if r < utf8.RuneSelf || !unicode.IsLetter(r) {
				return false
			}
		case r >= '0' && r <= '9', r == ' ', strings.ContainsRune("-._/@()+", r):
		case r >= utf8.RuneSelf && r != utf8.RuneError && unicode.IsPrint(r):
		default:
			return false
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "infinity":
		return false
	}
	return true
}

// quoted writes s as a double-quoted string that JSON and YAML both read:
// escapes for quotes, backslashes, control and invisible characters.
func (w *writer) quoted(s string) {
	w.b = append(w.b, '"')
	for _, r := range s {
		switch {
		case r == '"':
			w.str(`\"`)
		case r == '\\':
			w.str(`\\`)
		case r == '\n':
			w.str(`\n`)
		case r == '\r':
			w.str(`\r`)
		case r == '\t':
			w.str(`\t`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && !unicode.IsPrint(r) && r != utf8.RuneError:
			if r > 0xFFFF {
				r1, r2 := utf16Pair(r)
				w.b = fmt.Appendf(w.b, `\u%04x\u%04x`, r1, r2)
			} else {
				w.b = fmt.Appendf(w.b, `\u%04x`, r)
			}
		default:
			w.b = utf8.AppendRune(w.b, r)
		}
	}
	w.b = append(w.b, '"')
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}

func (w *writer) jsonDoc(rec tamledger.Record, c *codec, v reflect.Value, ind int) {
	w.str("{\n")
	w.indent(ind + 2)
	w.str(`"apiVersion": "` + tamledger.APIVersion + "\",\n")
	w.indent(ind + 2)
	w.str(`"kind": `)
	w.quoted(rec.Kind)
	w.str(",\n")
	w.indent(ind + 2)
	w.str("\"metadata\": {\n")
	w.indent(ind + 4)
	w.str(`"id": `)
	w.quoted(rec.ID)
	if rec.Org != "" {
		w.str(",\n")
		w.indent(ind + 4)
		w.str(`"organization": `)
		w.quoted(rec.Org)
	}
	w.str("\n")
	w.indent(ind + 2)
	w.str("},\n")
	w.indent(ind + 2)
	w.str(`"spec": `)
	w.jsonValue(c, v, ind+2)
	w.str("\n")
	w.indent(ind)
	w.str("}")
}

// jsonValue writes a value; a block's inner lines are indented by ind+2 and
// its closing bracket by ind.
func (w *writer) jsonValue(c *codec, v reflect.Value, ind int) {
	for c.kind == cPtr {
		if v.IsNil() {
			w.str("null")
			return
		}
		c, v = c.elem, v.Elem()
	}
	switch c.kind {
	case cStruct:
		fs := fieldsOf(c, v)
		if len(fs) == 0 {
			w.str("{}")
			return
		}
		w.str("{")
		for j, i := range fs {
			f := &c.fields[i]
			if j > 0 {
				w.str(",")
			}
			w.str("\n")
			w.indent(ind + 2)
			w.quoted(f.name)
			w.str(": ")
			w.jsonValue(f.c, v.Field(f.index), ind+2)
		}
		w.str("\n")
		w.indent(ind)
		w.str("}")
	case cMap:
		if v.Len() == 0 {
			w.str("{}")
			return
		}
		w.str("{")
		for j, k := range sortedKeys(v) {
			if j > 0 {
				w.str(",")
			}
			w.str("\n")
			w.indent(ind + 2)
			w.quoted(k)
			w.str(": ")
			w.jsonValue(c.elem, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), ind+2)
		}
		w.str("\n")
		w.indent(ind)
		w.str("}")
	case cSlice:
		if v.Len() == 0 {
			w.str("[]")
			return
		}
		w.str("[")
		for i := range v.Len() {
			if i > 0 {
				w.str(",")
			}
			w.str("\n")
			w.indent(ind + 2)
			w.jsonValue(c.elem, v.Index(i), ind+2)
		}
		w.str("\n")
		w.indent(ind)
		w.str("]")
	default:
		w.scalar(c, v)
	}
}
