package tamledger

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an amount in the organisation's currency, held as an exact
// decimal: it never passes through binary floating point, so sums are exact
// and a finance team can redo them by hand.
type Money struct{ decimal.Decimal }

// NewMoney parses a plain decimal number ("12000", "0.5").
func NewMoney(s string) (Money, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Money{}, fmt.Errorf("bad amount %q: want a plain number", s)
	}
	return Money{d}, nil
}

// MustMoney is NewMoney for constants; it panics on error.
func MustMoney(s string) Money {
	m, err := NewMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// MoneyFromInt is a whole amount.
func MoneyFromInt(n int64) Money { return Money{decimal.NewFromInt(n)} }

// Cents is m rounded half away from zero to two decimal places.
func (m Money) Cents() Money { return Money{m.Round(2)} }

func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

func (m Money) MarshalYAML() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON accepts a JSON number only (a quoted amount is an error).
func (m *Money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == '"' || bytes.Equal(b, []byte("true")) || bytes.Equal(b, []byte("false")) || bytes.Equal(b, []byte("null")) {
		return fmt.Errorf("bad amount %s: want a plain number such as 12000 or 99.5", b)
	}
	d, err := decimal.NewFromString(string(b))
	if err != nil {
		return fmt.Errorf("bad amount %s: want a plain number such as 12000 or 99.5", b)
	}
	m.Decimal = d
	return nil
}

// UnmarshalYAML receives the scalar's source text.
func (m *Money) UnmarshalYAML(b []byte) error {
	s := strings.TrimSpace(string(b))
	s = strings.ReplaceAll(s, "_", "")
	if s == "" || s == "~" || s == "null" || strings.HasPrefix(s, "\"") || strings.HasPrefix(s, "'") {
		return fmt.Errorf("bad amount %s: want a plain number such as 12000 or 99.5", b)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("bad amount %q: want a plain number such as 12000 or 99.5", s)
	}
	m.Decimal = d
	return nil
}

// Rate is a dimensionless decimal (a tier rate such as 0.07).
type Rate = Money

// Grouped is m to the cent with thousands separators, as people read it:
// 1,234,567.89 and -1,234.50. Every command and document writes money so.
func (m Money) Grouped() string {
	s := m.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + "." + frac
}
