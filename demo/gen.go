package demo

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the demo's time zones resolve on machines without a zoneinfo database

	"github.com/tamledger/tamledger"
)

// gen is the one source of randomness of an organisation: a PCG seeded from
// the caller's seed and the organisation's position, so that organisations
// do not disturb each other's draws.
type gen struct{ r *rand.Rand }

func newGen(seed int64, stream uint64) *gen {
	return &gen{rand.New(rand.NewPCG(uint64(seed), stream*0x9e3779b97f4a7c15+1))}
}

func (g *gen) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return g.r.IntN(n)
}

// between is uniform over [lo, hi].
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

func (g *gen) uniform(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) pick(xs []string) string { return xs[g.intn(len(xs))] }

// dateIn is uniform over [lo, hi]; lo when hi is earlier.
func (g *gen) dateIn(lo, hi tamledger.Date) tamledger.Date {
	n := lo.DaysUntil(hi)
	if n <= 0 {
		return lo
	}
	return lo.AddDays(g.intn(n + 1))
}

// Dates.

type date = tamledger.Date

func monthsBefore(d date, n int) date { return tamledger.NewDate(d.Year, d.Month-time.Month(n), 1) }

func lastOfMonth(d date) date { return tamledger.NewDate(d.Year, d.Month+1, 0) }

func minDate(a, b date) date {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b date) date {
	if a.After(b) {
		return a
	}
	return b
}

func datep(d date) *date { return &d }

// period is one calendar-aligned period of a cadence (docs/scorecard.md, "Periods").
type period struct{ start, end date }

// firstPeriod is the first period of cadence that starts on or after from.
func firstPeriod(cadence string, from date) period {
	n := tamledger.CadenceMonths(cadence)
	m := (int(from.Month)-1)/n*n + 1
	s := tamledger.NewDate(from.Year, time.Month(m), 1)
	if s.Before(from) {
		s = tamledger.NewDate(s.Year, s.Month+time.Month(n), 1)
	}
	return period{s, tamledger.NewDate(s.Year, s.Month+time.Month(n), 0)}
}

func (p period) next() period {
	s := p.end.AddDays(1)
	n := monthsBetween(p.start, s)
	return period{s, tamledger.NewDate(s.Year, s.Month+time.Month(n), 0)}
}

func monthsBetween(a, b date) int { return (b.Year-a.Year)*12 + int(b.Month) - int(a.Month) }

// Money.

func money(n int64) *tamledger.Money { m := tamledger.MoneyFromInt(n); return &m }

// round rounds x to a multiple of step (at least step).
func round(x float64, step int64) int64 {
	n := int64(math.Round(x/float64(step))) * step
	if n < step {
		n = step
	}
	return n
}

// round2 keeps two decimals of a probability or rate.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Identifiers.

// slug turns a name into an id: "Harbour & Vale" → "harbour-vale".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}

// ids hands out ids unique within one kind of one organisation: the first
// use of a base is the base itself, later ones get -2, -3, ...
type ids map[string]int

func (u ids) next(base string) string {
	n := u[base] + 1
	u[base] = n
	if n == 1 {
		return base
	}
	return base + "-" + itoa(n)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Time zones are loaded once: LoadLocation reads the zoneinfo database on
// every call, which would dominate a large Stream.
var zones sync.Map

func location(name string) *time.Location {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	zones.Store(name, l)
	return l
}
