package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tamledger/tamledger"
)

// Typed columns: how a domain value is written to a column (…Arg) and read
// back (the …Col scanners). Absent optional values are NULL. The encodings
// are lossless, so a value built from its columns encodes to the same JSON
// as the record's spec (instants come back in UTC).

func dateText(d tamledger.Date) string {
	if d.Year < 0 || d.Year > 9999 {
		return d.String()
	}
	var b [10]byte
	y, m, dd := d.Year, int(d.Month), d.Day
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4] = '-'
	b[5], b[6] = byte('0'+m/10), byte('0'+m%10)
	b[7] = '-'
	b[8], b[9] = byte('0'+dd/10), byte('0'+dd%10)
	return string(b[:])
}

func dateArg(d tamledger.Date) any {
	if d.IsZero() {
		return nil
	}
	return dateText(d)
}

func optDateArg(d *tamledger.Date) any {
	if d == nil {
		return nil
	}
	return dateArg(*d)
}

func moneyArg(m *tamledger.Money) any {
	if m == nil {
		return nil
	}
	return m.String()
}

func textArg(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func floatArg(ok bool, f float64) any {
	if !ok {
		return nil
	}
	return f
}

// listArg joins a list with ';'. A backslash escapes ';' and '\' inside an
// element, so that any list comes back as it was. The empty list is NULL;
// "" is the list of one empty string.
func listArg(xs []string) any {
	if len(xs) == 0 {
		return nil
	}
	plain := true
	for _, x := range xs {
		if strings.ContainsAny(x, `;\`) {
			plain = false
			break
		}
	}
	if plain {
		if len(xs) == 1 {
			return xs[0]
		}
		return strings.Join(xs, ";")
	}
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(';')
		}
		for j := 0; j < len(x); j++ {
			if x[j] == ';' || x[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(x[j])
		}
	}
	return b.String()
}

func splitList(s string) []string {
	if !strings.Contains(s, `\`) {
		if !strings.Contains(s, ";") {
			return []string{s}
		}
		return strings.Split(s, ";")
	}
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == ';':
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(out, b.String())
}

func scanError(what string, src any) error {
	return fmt.Errorf("store: cannot read %T as %s", src, what)
}

// textCol is a nullable TEXT column; NULL reads as "".
type textCol struct{ s string }

func (c *textCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		c.s = ""
	case string:
		c.s = v
	case []byte:
		c.s = string(v)
	default:
		return scanError("text", src)
	}
	return nil
}

// listCol is a ';'-joined list column.
type listCol struct{ v []string }

func (c *listCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		c.v = nil
	case string:
		c.v = splitList(v)
	case []byte:
		c.v = splitList(string(v))
	default:
		return scanError("list", src)
	}
	return nil
}

// dateCol is a date column: TEXT YYYY-MM-DD (SQLite) or DATE (PostgreSQL).
type dateCol struct{ d tamledger.Date }

func (c *dateCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		c.d = tamledger.Date{}
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	case time.Time:
		c.d = tamledger.DateOf(v)
	default:
		return scanError("date", src)
	}
	return nil
}

func (c *dateCol) parse(s string) error {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		if ok1 && ok2 && ok3 {
			c.d = tamledger.Date{Year: y, Month: time.Month(m), Day: d}
			return nil
		}
	}
	d, err := tamledger.ParseDate(s)
	c.d = d
	return err
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func (c *dateCol) ptr() *tamledger.Date {
	if c.d.IsZero() {
		return nil
	}
	d := c.d
	return &d
}

// moneyCol is an exact decimal: TEXT (SQLite) or NUMERIC (PostgreSQL).
type moneyCol struct {
	m  tamledger.Money
	ok bool
}

func (c *moneyCol) Scan(src any) error {
	c.ok = false
	var s string
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		c.m, c.ok = tamledger.MoneyFromInt(v), true
		return nil
	default:
		return scanError("amount", src)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("store: bad amount %q in the database: %w", s, err)
	}
	c.m, c.ok = tamledger.Money{Decimal: d}, true
	return nil
}

func (c *moneyCol) ptr() *tamledger.Money {
	if !c.ok {
		return nil
	}
	m := c.m
	return &m
}

// floatCol is a nullable REAL / DOUBLE PRECISION column.
type floatCol struct {
	f  float64
	ok bool
}

func (c *floatCol) Scan(src any) error {
	c.ok = true
	switch v := src.(type) {
	case nil:
		c.f, c.ok = 0, false
	case float64:
		c.f = v
	case int64:
		c.f = float64(v)
	default:
		return scanError("number", src)
	}
	return nil
}

// instantCol is an instant: TEXT in the sqliteInstant layout (SQLite) or
// TIMESTAMPTZ (PostgreSQL). It reads back in UTC.
type instantCol struct {
	t  time.Time
	ok bool
}

func (c *instantCol) Scan(src any) error {
	c.ok = true
	switch v := src.(type) {
	case nil:
		c.t, c.ok = time.Time{}, false
	case time.Time:
		c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return scanError("instant", src)
	}
	return nil
}

func (c *instantCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("store: bad instant %q in the database: %w", s, err)
	}
	c.t = t.UTC()
	return nil
}

func (c *instantCol) ptr() *time.Time {
	if !c.ok {
		return nil
	}
	t := c.t
	return &t
}
