package store

import (
	"strings"

	"github.com/tamledger/tamledger"
)

// Typed columns: how a domain value is written to a column (rows.go reads
// them back). Absent optional values are NULL. The encodings are lossless,
// so a value built from its columns encodes to the same JSON as the
// record's spec (instants come back in UTC).

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
