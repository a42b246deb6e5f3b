package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store/internal/sqlite"
)

// rows is a query's result read column by column, the same way from
// database/sql (sqlRows) and from a raw SQLite connection (rawReadRows): the
// kinds' readers build their values through it. Column 0 is the
// organisation (the id for organisations and price books). Conversion
// errors are kept: fail returns the first.
type rows interface {
	next() bool
	err() error
	close()
	columns() int
	touch(i int) // fetch column i and drop it (ReadFloor)
	null(i int) bool
	text(i int) string  // NULL reads as ""
	enum(i int) string  // text of a small vocabulary, shared between rows when possible
	bytes(i int) []byte // valid until the next row; nil for NULL
	same(i int, s string) bool
	list(i int) []string // NULL reads as nil
	date(i int) tamledger.Date
	money(i int) *tamledger.Money
	float(i int) (float64, bool)
	integer(i int) int64
	boolean(i int) bool
	instant(i int) (time.Time, bool)
}

// conn runs the queries of a read.
type conn interface {
	rows(ctx context.Context, query string, args ...any) (rows, error)
}

// sqlConn reads through database/sql.
type sqlConn struct{ tx *sql.Tx }

func (c sqlConn) rows(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := c.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError("read", err, "")
	}
	return newSQLRows(r)
}

func newSQLRows(r *sql.Rows) (rows, error) {
	cols, err := r.Columns()
	if err != nil {
		r.Close()
		return nil, mapError("read", err, "")
	}
	s := &sqlRows{r: r, vals: make([]any, len(cols)), dest: make([]any, len(cols))}
	for i := range s.vals {
		s.dest[i] = &s.vals[i]
	}
	return s, nil
}

type sqlRows struct {
	r    *sql.Rows
	vals []any
	dest []any
	e    error
}

func (s *sqlRows) next() bool {
	if s.e != nil || !s.r.Next() {
		return false
	}
	if err := s.r.Scan(s.dest...); err != nil {
		s.e = err
		return false
	}
	return true
}

func (s *sqlRows) err() error {
	if s.e == nil {
		s.e = s.r.Err()
	}
	return mapError("read", s.e, "")
}

func (s *sqlRows) close() { s.r.Close() }

func (s *sqlRows) fail(err error) {
	if s.e == nil {
		s.e = err
	}
}

func (s *sqlRows) columns() int { return len(s.vals) }

func (s *sqlRows) touch(int) {} // Scan fetched it

func (s *sqlRows) null(i int) bool { return s.vals[i] == nil }

func (s *sqlRows) text(i int) string {
	switch v := s.vals[i].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	case time.Time: // a PostgreSQL DATE
		return dateText(tamledger.DateOf(v))
	default:
		return fmt.Sprint(v)
	}
}

func (s *sqlRows) enum(i int) string { return s.text(i) }

func (s *sqlRows) bytes(i int) []byte {
	switch v := s.vals[i].(type) {
	case []byte:
		return v
	case nil:
		return nil
	default:
		return []byte(s.text(i))
	}
}

func (s *sqlRows) same(i int, t string) bool { return s.vals[i] != nil && s.text(i) == t }

func (s *sqlRows) list(i int) []string {
	if s.vals[i] == nil {
		return nil
	}
	return splitList(s.text(i))
}

func (s *sqlRows) date(i int) tamledger.Date {
	switch v := s.vals[i].(type) {
	case nil:
		return tamledger.Date{}
	case time.Time:
		return tamledger.DateOf(v)
	default:
		d, err := parseDate(s.bytes(i))
		s.fail(err)
		return d
	}
}

func (s *sqlRows) money(i int) *tamledger.Money {
	switch v := s.vals[i].(type) {
	case nil:
		return nil
	case int64:
		m := tamledger.MoneyFromInt(v)
		return &m
	default:
		m, err := parseMoney(s.text(i))
		s.fail(err)
		return m
	}
}

func (s *sqlRows) float(i int) (float64, bool) {
	switch v := s.vals[i].(type) {
	case nil:
		return 0, false
	case float64:
		return v, true
	case int64:
		return float64(v), true
	default:
		s.fail(fmt.Errorf("store: cannot read %T as a number", v))
		return 0, false
	}
}

func (s *sqlRows) integer(i int) int64 {
	switch v := s.vals[i].(type) {
	case int64:
		return v
	case nil:
		return 0
	default:
		s.fail(fmt.Errorf("store: cannot read %T as an integer", v))
		return 0
	}
}

func (s *sqlRows) boolean(i int) bool {
	switch v := s.vals[i].(type) {
	case bool:
		return v
	case int64:
		return v != 0
	case nil:
		return false
	default:
		s.fail(fmt.Errorf("store: cannot read %T as a boolean", v))
		return false
	}
}

func (s *sqlRows) instant(i int) (time.Time, bool) {
	switch v := s.vals[i].(type) {
	case nil:
		return time.Time{}, false
	case time.Time:
		return v.UTC(), true
	default:
		t, err := parseInstant(s.text(i))
		s.fail(err)
		return t, err == nil
	}
}

// rawReadRows adapts the rows of a raw connection.
type rawReadRows struct {
	rs *sqlite.Rows
	c  *rawConn
	e  error
}

func (c *rawConn) rows(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := c.query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: read: %w", err)
	}
	return &rawReadRows{rs: r, c: c}, nil
}

func (r *rawReadRows) next() bool { return r.rs.Next() }

func (r *rawReadRows) close() { r.rs.Close() }

func (r *rawReadRows) null(i int) bool { return r.rs.Null(i) }

func (r *rawReadRows) bytes(i int) []byte { return r.rs.Bytes(i) }

func (r *rawReadRows) err() error {
	if r.e != nil {
		return r.e
	}
	if err := r.rs.Err(); err != nil {
		return fmt.Errorf("store: read: %w", err)
	}
	return nil
}

func (r *rawReadRows) fail(err error) {
	if r.e == nil {
		r.e = err
	}
}

func (r *rawReadRows) columns() int { return r.rs.Columns() }

func (r *rawReadRows) touch(i int) { r.rs.Bytes(i) }

func (r *rawReadRows) text(i int) string { return string(r.rs.Bytes(i)) }

func (r *rawReadRows) enum(i int) string {
	b := r.rs.Bytes(i)
	if b == nil {
		return ""
	}
	return r.c.interned(b)
}

func (r *rawReadRows) same(i int, s string) bool {
	b := r.rs.Bytes(i)
	return b != nil && string(b) == s
}

func (r *rawReadRows) list(i int) []string { return internedList(r.rs.Bytes(i), r.c.interned) }

// interner shares the strings of small vocabularies (services, statuses,
// workload ids) between the rows of a connection: at most maxInterned.
type interner map[string]string

const maxInterned = 4096

// interned is b as a string, shared with earlier equal values.
func (in interner) interned(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in) < maxInterned {
		in[s] = s
	}
	return s
}

// internedList is splitList of b (nil for NULL), its items interned.
func internedList(b []byte, interned func([]byte) string) []string {
	if b == nil {
		return nil
	}
	n := 1
	for _, c := range b {
		switch c {
		case ';':
			n++
		case '\\':
			return splitList(string(b))
		}
	}
	out := make([]string, 0, n)
	for {
		j := 0
		for j < len(b) && b[j] != ';' {
			j++
		}
		out = append(out, interned(b[:j]))
		if j == len(b) {
			return out
		}
		b = b[j+1:]
	}
}

func (r *rawReadRows) date(i int) tamledger.Date {
	b := r.rs.Bytes(i)
	if b == nil {
		return tamledger.Date{}
	}
	d, err := parseDate(b)
	r.fail(err)
	return d
}

func (r *rawReadRows) money(i int) *tamledger.Money {
	b := r.rs.Bytes(i)
	if b == nil {
		return nil
	}
	m, err := parseMoney(string(b))
	r.fail(err)
	return m
}

func (r *rawReadRows) float(i int) (float64, bool) {
	if r.rs.Null(i) {
		return 0, false
	}
	return r.rs.Float(i), true
}

func (r *rawReadRows) boolean(i int) bool { return r.rs.Int(i) != 0 }

func (r *rawReadRows) integer(i int) int64 { return r.rs.Int(i) }

func (r *rawReadRows) instant(i int) (time.Time, bool) {
	b := r.rs.Bytes(i)
	if b == nil {
		return time.Time{}, false
	}
	t, err := parseInstant(string(b))
	r.fail(err)
	return t, err == nil
}

// Parsing of stored values.

func parseDate(b []byte) (tamledger.Date, error) {
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y, ok1 := digits(b[0:4])
		m, ok2 := digits(b[5:7])
		d, ok3 := digits(b[8:10])
		if ok1 && ok2 && ok3 {
			return tamledger.Date{Year: y, Month: time.Month(m), Day: d}, nil
		}
	}
	d, err := tamledger.ParseDate(string(b))
	if err != nil {
		return d, fmt.Errorf("store: bad date %q in the database", b)
	}
	return d, nil
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func parseMoney(s string) (*tamledger.Money, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return nil, fmt.Errorf("store: bad amount %q in the database", s)
	}
	return &tamledger.Money{Decimal: d}, nil
}

func parseInstant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, fmt.Errorf("store: bad instant %q in the database", s)
	}
	return t.UTC(), nil
}

// splitList is the inverse of listArg.
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
