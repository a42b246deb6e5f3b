package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tamledger/tamledger"
)

// Money is m to the cent with thousands separators, after the currency code
// when there is one: "USD 12,345.67".
func Money(m tamledger.Money, currency string) string {
	if currency == "" {
		return m.Grouped()
	}
	return currency + " " + m.Grouped()
}

// LongDate is d written out: "30 September 2026".
func LongDate(d tamledger.Date) string { return d.Time().Format("2 January 2006") }

// Percent is a ratio as a whole percentage rounded half up, as the
// scorecard's table shows it; "–" for null.
func Percent(x *float64) string {
	if x == nil {
		return "–"
	}
	return fmt.Sprintf("%d %%", int(math.Floor(*x*100+0.5)))
}

// Multiple is the ROI multiple to two decimals: "3.42×"; "n/a" for null.
func Multiple(x *float64) string {
	if x == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*x, 'f', 2, 64) + "×"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

var cadenceWords = map[string]string{
	"monthly": "every month", "quarterly": "every quarter", "semiannual": "every six months", "annual": "every year",
}

var serviceWords = map[string]string{
	"strategy-call":           "A strategy call",
	"cost-review":             "A cost review",
	"well-architected-review": "A Well-Architected Review",
	"security-review":         "A security review",
	"ebr":                     "An Executive Business Review",
	"specialist-deep-dive":    "A specialist deep dive",
	"operations-review":       "An operations review",
}

// serviceSentence is "A strategy call" for strategy-call, or the service
// with its dashes as spaces.
func serviceSentence(s string) string {
	if w, ok := serviceWords[s]; ok {
		return w
	}
	w := strings.ReplaceAll(s, "-", " ")
	if w == "" {
		return w
	}
	return "A " + w
}

// mdCell escapes text for one Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// mdRow is one Markdown table row.
func mdRow(cells []string) string {
	esc := make([]string, len(cells))
	for i, c := range cells {
		esc[i] = mdCell(c)
	}
	return "| " + strings.Join(esc, " | ") + " |"
}

// mdSep is the Markdown table's separator row.
func mdSep(t *Table) string {
	parts := make([]string, len(t.Head))
	for i := range t.Head {
		parts[i] = "---"
		if i < len(t.Right) && t.Right[i] {
			parts[i] = "--:"
		}
	}
	return "| " + strings.Join(parts, " | ") + " |"
}

// sentence is s with its first letter upper case, to start a sentence or
// a table's cell: "Charter adherence".
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
