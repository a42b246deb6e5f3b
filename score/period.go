package score

import (
	"fmt"
	"time"

	"github.com/tamledger/tamledger"
)

// Period statuses (docs/scorecard.md, "Matching").
const (
	Met    = "met"    // delivered on or before the period's end
	Late   = "late"   // delivered within the grace days after the end
	Missed = "missed" // nothing delivered and the grace days are over
	Due    = "due"    // nothing delivered yet, but there is still time
)

// Period is one calendar-aligned period of an obligation's cadence and what
// became of it: the engagement that delivered it, or none.
type Period struct {
	Start      tamledger.Date `json:"start"`
	End        tamledger.Date `json:"end"`
	Status     string         `json:"status"`
	Engagement *string        `json:"engagement"`
}

// Window is an inclusive range of calendar dates.
type Window struct {
	From tamledger.Date `json:"from"`
	To   tamledger.Date `json:"to"`
}

// Contains reports whether d lies in the window (both ends included).
func (w Window) Contains(d tamledger.Date) bool { return !d.Before(w.From) && !d.After(w.To) }

// TrailingYear is the window [asOf − 1 year + 1 day, asOf]. A year back from
// 29 February is 28 February (tamledger.Date.AddYears), so the window that
// ends on 2028-02-29 is 2027-03-01 to 2028-02-29, 366 days like every
// window that holds a 29 February.
func TrailingYear(asOf tamledger.Date) Window {
	return Window{From: asOf.AddYears(-1).AddDays(1), To: asOf}
}

// periodStart is the first day of the calendar-aligned period of the given
// length in months (1, 3, 6 or 12) that contains d.
func periodStart(d tamledger.Date, months int) tamledger.Date {
	m := (int(d.Month)-1)/months*months + 1
	return tamledger.Date{Year: d.Year, Month: time.Month(m), Day: 1}
}

// periodEnd is the last day of the period of the given length starting on
// start.
func periodEnd(start tamledger.Date, months int) tamledger.Date {
	return tamledger.NewDate(start.Year, start.Month+time.Month(months), 0)
}

// nextStart is the first day of the period after the one starting on start.
func nextStart(start tamledger.Date, months int) tamledger.Date {
	return tamledger.NewDate(start.Year, start.Month+time.Month(months), 1)
}

// firstStartOnOrAfter is the start of the first period that starts on or
// after d.
func firstStartOnOrAfter(d tamledger.Date, months int) tamledger.Date {
	s := periodStart(d, months)
	if s.Before(d) {
		s = nextStart(s, months)
	}
	return s
}

// Quarter is the calendar quarter that contains d.
func Quarter(d tamledger.Date) Window {
	s := periodStart(d, 3)
	return Window{From: s, To: periodEnd(s, 3)}
}

// LastQuarters returns the last n calendar quarters that ended on or before
// asOf, most recent first. A quarter that ends on asOf itself counts.
func LastQuarters(asOf tamledger.Date, n int) []Window {
	q := Quarter(asOf)
	if q.To != asOf {
		q = Quarter(q.From.AddDays(-1))
	}
	out := make([]Window, 0, n)
	for range n {
		out = append(out, q)
		q = Quarter(q.From.AddDays(-1))
	}
	return out
}

// QuarterName is "2026-Q1" for the quarter starting 2026-01-01.
func QuarterName(q Window) string {
	return q.From.Time().Format("2006") + "-Q" + string(rune('1'+(int(q.From.Month)-1)/3))
}

// GraceEnd is the last day on which the period ending on end can still be
// delivered, late: end plus the obligation's grace days. A period with
// nothing delivered is missed the day after.
func GraceEnd(end tamledger.Date, graceDays int) tamledger.Date { return end.AddDays(graceDays) }

// PeriodLabel names the period of the cadence that starts on start:
// 2026-03 (monthly), 2026-Q1, 2026-H2, 2026 (annual).
func PeriodLabel(start tamledger.Date, cadence string) string {
	y := fmt.Sprintf("%04d", start.Year)
	switch cadence {
	case "quarterly":
		return fmt.Sprintf("%s-Q%d", y, (int(start.Month)-1)/3+1)
	case "semiannual":
		return fmt.Sprintf("%s-H%d", y, (int(start.Month)-1)/6+1)
	case "annual":
		return y
	}
	return fmt.Sprintf("%s-%02d", y, int(start.Month))
}
