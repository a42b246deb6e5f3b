package document

import (
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
)

// ckind is how a Go type is read and written.
type ckind uint8

const (
	cString ckind = iota
	cBool
	cInt
	cFloat
	cMoney
	cDate
	cTime
	cPtr
	cSlice
	cMap
	cStruct
)

// codec describes a Go type of the documents once, so that decoding and
// encoding only look fields up.
type codec struct {
	typ    reflect.Type
	kind   ckind
	elem   *codec // pointer, slice and map element
	fields []field
	index  map[string]int
	names  []string // field names in order, for messages
}

// lookup returns the index of the field named key, trying from hint on
// first: fields mostly come in the order of the type.
func (c *codec) lookup(key []byte, hint int) (int, bool) {
	n := len(c.fields)
	for j := range n {
		i := hint + j
		if i >= n {
			i -= n
		}
		if f := c.fields[i].name; len(f) == len(key) && f == string(key) {
			return i, true
		}
	}
	return -1, false
}

type field struct {
	name      string
	index     int
	c         *codec
	omitEmpty bool
}

var (
	moneyType = reflect.TypeFor[tamledger.Money]()
	dateType  = reflect.TypeFor[tamledger.Date]()
	timeType  = reflect.TypeFor[time.Time]()
)

// kindCodecs holds the codec of each kind's value type (the spec).
var kindCodecs = func() map[string]*codec {
	memo := map[reflect.Type]*codec{}
	m := map[string]*codec{}
	for _, k := range tamledger.Kinds.Values() {
		m[k] = buildCodec(reflect.TypeOf(tamledger.NewValue(k)).Elem(), memo)
	}
	return m
}()

func buildCodec(t reflect.Type, memo map[reflect.Type]*codec) *codec {
	if c, ok := memo[t]; ok {
		return c
	}
	c := &codec{typ: t}
	memo[t] = c
	switch {
	case t == moneyType:
		c.kind = cMoney
		return c
	case t == dateType:
		c.kind = cDate
		return c
	case t == timeType:
		c.kind = cTime
		return c
	}
	switch t.Kind() {
	case reflect.String:
		c.kind = cString
	case reflect.Bool:
		c.kind = cBool
	case reflect.Int, reflect.Int64, reflect.Int32:
		c.kind = cInt
	case reflect.Float64, reflect.Float32:
		c.kind = cFloat
	case reflect.Pointer:
		c.kind, c.elem = cPtr, buildCodec(t.Elem(), memo)
	case reflect.Slice:
		c.kind, c.elem = cSlice, buildCodec(t.Elem(), memo)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic("document: map key of " + t.String() + " is not a string")
		}
		c.kind, c.elem = cMap, buildCodec(t.Elem(), memo)
	case reflect.Struct:
		c.kind = cStruct
		c.index = map[string]int{}
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if !sf.IsExported() || tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" {
				name = sf.Name
			}
			c.index[name] = len(c.fields)
			c.names = append(c.names, name)
			c.fields = append(c.fields, field{name: name, index: i, c: buildCodec(sf.Type, memo),
				omitEmpty: slices.Contains(strings.Split(opts, ","), "omitempty")})
		}
		if len(c.fields) > 64 {
			panic("document: " + t.String() + " has more than 64 fields")
		}
	default:
		panic("document: unsupported type " + t.String())
	}
	return c
}
