package document

import (
	"time"

	"github.com/tamledger/tamledger"
)

// parseDate is tamledger.ParseDate for the common case, without allocating:
// YYYY-MM-DD naming a real day. It reports false for anything else, which
// ParseDate then explains.
func parseDate(b []byte) (tamledger.Date, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' || !isDigits(b[:4]) || !isDigits(b[5:7]) || !isDigits(b[8:]) {
		return tamledger.Date{}, false
	}
	y := int(b[0]-'0')*1000 + int(b[1]-'0')*100 + int(b[2]-'0')*10 + int(b[3]-'0')
	m := int(b[5]-'0')*10 + int(b[6]-'0')
	day := int(b[8]-'0')*10 + int(b[9]-'0')
	if m < 1 || m > 12 || day < 1 || day > daysIn(time.Month(m), y) {
		return tamledger.Date{}, false
	}
	return tamledger.Date{Year: y, Month: time.Month(m), Day: day}, true
}

func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// rfc3339 checks the shape time.Parse is lenient about:
// YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), two digits each.
func rfc3339(b []byte) bool {
	const shape = "dddd-dd-ddTdd:dd:dd"
	if len(b) < len(shape)+1 {
		return false
	}
	for i := range len(shape) {
		if shape[i] == 'd' && (b[i] < '0' || b[i] > '9') || shape[i] != 'd' && b[i] != shape[i] {
			return false
		}
	}
	rest := b[len(shape):]
	if rest[0] == '.' {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 1 {
			return false
		}
		rest = rest[j:]
	}
	if len(rest) == 1 {
		return rest[0] == 'Z'
	}
	return len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
		isDigits(rest[1:3]) && isDigits(rest[4:6])
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validID is tamledger.ValidID without a regular expression:
// [a-z0-9][a-z0-9._-]{0,127}.
func validID(b []byte) bool {
	if len(b) == 0 || len(b) > 128 {
		return false
	}
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}
