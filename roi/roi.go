// Package roi values an Enterprise Support relationship against its cost
// (docs/roi.md): the cost savings, incidents avoided, architecture improvements
// and Infrastructure Event Management the TAM brought in a period, against
// what Enterprise Support costs above the baseline plan.
//
// The package is pure: it takes a ledger, price books and dates and returns
// a report; the only data it carries are the shipped price books. Money is
// computed exactly in decimal and rounded to the cent only in the report, so
// every amount can be redone by hand from the records it names.
package roi

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tamledger/tamledger"
)

// DefaultReferenceSavingsRate is the savings rate the seed document cites as
// what a good TAM relationship delivers.
const DefaultReferenceSavingsRate = 0.15

// Options tune a report.
type Options struct {
	// ReferenceSavingsRate is shown beside the savings rate; 0 means
	// DefaultReferenceSavingsRate.
	ReferenceSavingsRate float64
}

// Line kinds, the same names as the value categories.
const (
	KindCostSavings      = "costSavings"
	KindIncidentsAvoided = "incidentsAvoided"
	KindArchitecture     = "architecture"
	KindIEM              = "iem"
)

var kindOrder = []string{KindCostSavings, KindIncidentsAvoided, KindArchitecture, KindIEM}

// Report is the value and cost of the TAM over [From, To]. Its JSON is the
// `roi -o json` output: money rounded to the cent, ratios as computed.
type Report struct {
	Organization         string          `json:"organization"`
	Currency             string          `json:"currency,omitempty"`
	From                 tamledger.Date  `json:"from"`
	To                   tamledger.Date  `json:"to"`
	Value                Value           `json:"value"`
	Cost                 Cost            `json:"cost"`
	ROIMultiple          *float64        `json:"roiMultiple"` // nil when the differential is not positive
	NetValue             tamledger.Money `json:"netValue"`
	MonthlySpend         tamledger.Money `json:"monthlySpend"`
	MonthlySavings       tamledger.Money `json:"monthlySavings"` // the numerator of the savings rate
	SavingsRate          *float64        `json:"savingsRate"`    // nil when the monthly spend is 0
	ReferenceSavingsRate float64         `json:"referenceSavingsRate"`
	Lines                []Line          `json:"lines"`
	Months               []Month         `json:"months"`
	Excluded             []Exclusion     `json:"excluded"`
}

// Value is the value of the TAM by category.
type Value struct {
	CostSavings      tamledger.Money `json:"costSavings"`
	IncidentsAvoided tamledger.Money `json:"incidentsAvoided"`
	Architecture     tamledger.Money `json:"architecture"`
	IEM              tamledger.Money `json:"iem"`
	Total            tamledger.Money `json:"total"`
}

// Cost is what Enterprise Support cost over the period, against the baseline
// plan; Differential is the cost of the TAM.
type Cost struct {
	Enterprise   tamledger.Money `json:"enterprise"`
	Baseline     tamledger.Money `json:"baseline"`
	Differential tamledger.Money `json:"differential"`
}

// Line is one amount of value, traceable to the record it comes from.
type Line struct {
	Kind      string          `json:"kind"` // costSavings | incidentsAvoided | architecture | iem
	Ref       string          `json:"ref"`  // the recommendation or event id
	Amount    tamledger.Money `json:"amount"`
	Estimated bool            `json:"estimated"` // cost savings resting on the estimate, no realized saving recorded
	Title     string          `json:"title,omitempty"`
	From      *tamledger.Date `json:"from,omitempty"` // accrued lines: the days accrued
	To        *tamledger.Date `json:"to,omitempty"`
	Days      int             `json:"days,omitempty"`
	Explain   string          `json:"explain"`

	exact decimal.Decimal
}

// Month is the cost of the TAM in one calendar month overlapping the period.
type Month struct {
	Month         string          `json:"month"` // YYYY-MM
	Book          string          `json:"book"`
	BaselinePlan  string          `json:"baselinePlan"`
	Days          int             `json:"days"` // days of the month inside the period
	DaysInMonth   int             `json:"daysInMonth"`
	EnterpriseFee tamledger.Money `json:"enterpriseFee"` // the full month's fee
	BaselineFee   tamledger.Money `json:"baselineFee"`
	Enterprise    tamledger.Money `json:"enterprise"` // pro-rated to Days
	Baseline      tamledger.Money `json:"baseline"`
	Differential  tamledger.Money `json:"differential"`
	Explain       string          `json:"explain"`
}

// Exclusion is a record that brings no value to the period, and why.
type Exclusion struct {
	Kind   string `json:"kind"` // recommendation | event
	Ref    string `json:"ref"`
	Reason string `json:"reason"`
}

// Counted reports whether a recommendation counts as the TAM's value
// (docs/roi.md): implemented, with an implementedOn date, and raised by the TAM, a
// specialist or a Well-Architected review — or of any origin contextualised
// by the TAM. Automated Trusted Advisor and Cost Optimization Hub findings
// alone are available without a TAM, so they do not count.
func Counted(r *tamledger.Recommendation) bool {
	return r.Status == "implemented" && r.ImplementedOn != nil && !r.ImplementedOn.IsZero() && tamOrigin(r)
}

func tamOrigin(r *tamledger.Recommendation) bool {
	switch r.Origin {
	case "tam", "specialist", "well-architected":
		return true
	}
	return r.ContextualizedByTAM
}

// AccrualDays is the number of days a per-month amount of a recommendation
// implemented on `on` accrues in [from, to]: the days of [max(from, on), to],
// 0 when on is after to.
func AccrualDays(on, from, to tamledger.Date) (start tamledger.Date, days int) {
	start = from
	if on.After(from) {
		start = on
	}
	if start.After(to) {
		return start, 0
	}
	return start, start.DaysUntil(to) + 1
}

// Accrue is what a per-month amount m accrues over days: m × 12 × days / 365,
// in one division (exact but for the 24th decimal place).
func Accrue(m decimal.Decimal, days int) decimal.Decimal {
	return m.Mul(decimal.NewFromInt(int64(12*days))).DivRound(decimal.NewFromInt(365), divPlaces)
}

const divPlaces = 24

// Compute values the TAM relationship of l over [from, to] (docs/roi.md).
//
// books are the price books to use (see Books); Compute fails when a month
// of the period has no book in force, or its book lacks an enterprise or a
// baseline plan.
func Compute(l *tamledger.Ledger, books []tamledger.PriceBook, from, to tamledger.Date, opt Options) (*Report, error) {
	if l == nil || l.Org == nil {
		return nil, tamledger.Errorf(tamledger.EINVALID, "no organisation to value")
	}
	if from.IsZero() || to.IsZero() {
		return nil, tamledger.Errorf(tamledger.EINVALID, "the period needs both a from and a to date")
	}
	if to.Before(from) {
		return nil, tamledger.Errorf(tamledger.EINVALID, "the period ends %s before it starts %s", to, from)
	}
	org := l.Org
	r := &Report{
		Organization:         org.ID,
		Currency:             org.Currency,
		From:                 from,
		To:                   to,
		ReferenceSavingsRate: opt.ReferenceSavingsRate,
		Lines:                []Line{},
		Months:               []Month{},
		Excluded:             []Exclusion{},
	}
	if r.ReferenceSavingsRate == 0 {
		r.ReferenceSavingsRate = DefaultReferenceSavingsRate
	}

	var savings decimal.Decimal // Σ monthly savings for the savings rate
	for i := range l.Recommendations {
		rec := &l.Recommendations[i]
		if why := excludedReason(rec, to); why != "" {
			r.Excluded = append(r.Excluded, Exclusion{Kind: "recommendation", Ref: rec.ID, Reason: why})
			continue
		}
		on := *rec.ImplementedOn
		if _, _, ok := monthlySaving(rec); !ok && rec.IncidentAvoided == nil && rec.ArchitectureValue == nil {
			r.Excluded = append(r.Excluded, Exclusion{Kind: "recommendation", Ref: rec.ID,
				Reason: "counted, but records no saving, incident avoided or architecture value"})
			continue
		}
		start, days := AccrualDays(on, from, to)
		span := fmt.Sprintf("%d days, %s to %s", days, start, to)

		// Cost savings: realized when recorded (even 0), else the estimate.
		if m, estimated, ok := monthlySaving(rec); ok {
			savings = savings.Add(m)
			amt := Accrue(m, days)
			what := "realized"
			if estimated {
				what = "estimated"
			}
			r.addLine(Line{Kind: KindCostSavings, Ref: rec.ID, Title: rec.Title, Estimated: estimated,
				From: &start, To: &to, Days: days, exact: amt,
				Explain: fmt.Sprintf("%s monthly saving %s × 12 × %d / 365 (%s)", what, money2(m), days, span)})
		}

		// Incidents avoided: counted in the period of implementation only.
		if ia := rec.IncidentAvoided; ia != nil {
			if on.Before(from) {
				r.Excluded = append(r.Excluded, Exclusion{Kind: "recommendation", Ref: rec.ID,
					Reason: fmt.Sprintf("incident avoided not counted: implemented %s, before the period (it counts in the period of implementation)", on)})
			} else {
				hours := decimal.NewFromFloat(ia.DowntimeHours)
				prob := decimal.NewFromFloat(ia.Probability)
				var cost decimal.Decimal
				note := ""
				if org.DowntimeCostPerHour != nil {
					cost = org.DowntimeCostPerHour.Decimal
				} else {
					note = "; the organisation records no downtimeCostPerHour"
				}
				amt := hours.Mul(prob).Mul(cost)
				r.addLine(Line{Kind: KindIncidentsAvoided, Ref: rec.ID, Title: rec.Title, exact: amt,
					Explain: fmt.Sprintf("%s downtime hours × probability %s × %s downtime cost per hour (implemented %s)%s",
						hours, prob, money2(cost), on, note)})
			}
		}

		// Architecture: a yearly value accrued like a saving of value / 12.
		if av := rec.ArchitectureValue; av != nil {
			// (av / 12) × 12 × days / 365 = av × days / 365
			amt := av.Mul(decimal.NewFromInt(int64(days))).DivRound(decimal.NewFromInt(365), divPlaces)
			r.addLine(Line{Kind: KindArchitecture, Ref: rec.ID, Title: rec.Title,
				From: &start, To: &to, Days: days, exact: amt,
				Explain: fmt.Sprintf("architecture value %s a year / 12 × 12 × %d / 365 (%s)", money2(av.Decimal), days, span)})
		}
	}

	// IEM: events in the period with IEM requested on or before the event.
	for i := range l.Events {
		ev := &l.Events[i]
		if ev.Date.Before(from) || ev.Date.After(to) {
			continue
		}
		if ev.IEMRequestedOn == nil || ev.IEMRequestedOn.IsZero() {
			r.Excluded = append(r.Excluded, Exclusion{Kind: "event", Ref: ev.ID, Reason: "IEM was not requested"})
			continue
		}
		if ev.IEMRequestedOn.After(ev.Date) {
			r.Excluded = append(r.Excluded, Exclusion{Kind: "event", Ref: ev.ID,
				Reason: fmt.Sprintf("IEM requested %s, after the event on %s", ev.IEMRequestedOn, ev.Date)})
			continue
		}
		var fc decimal.Decimal
		if ev.FailureCost != nil {
			fc = ev.FailureCost.Decimal
		}
		pr := decimal.NewFromFloat(ev.ProbabilityReduction)
		amt := fc.Mul(pr)
		r.addLine(Line{Kind: KindIEM, Ref: ev.ID, Title: ev.Name, exact: amt,
			Explain: fmt.Sprintf("failure cost %s × probability reduction %s (event %s, IEM requested %s)", money2(fc), pr, ev.Date, ev.IEMRequestedOn)})
	}

	slices.SortStableFunc(r.Lines, func(a, b Line) int {
		if c := slices.Index(kindOrder, a.Kind) - slices.Index(kindOrder, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.Ref, b.Ref)
	})
	slices.SortStableFunc(r.Excluded, func(a, b Exclusion) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return -c // recommendations first
		}
		return strings.Compare(a.Ref, b.Ref)
	})

	// Value by category: each the rounded exact sum of its lines.
	cat := map[string]decimal.Decimal{}
	var total decimal.Decimal
	for _, ln := range r.Lines {
		cat[ln.Kind] = cat[ln.Kind].Add(ln.exact)
		total = total.Add(ln.exact)
	}
	r.Value = Value{
		CostSavings:      cents(cat[KindCostSavings]),
		IncidentsAvoided: cents(cat[KindIncidentsAvoided]),
		Architecture:     cents(cat[KindArchitecture]),
		IEM:              cents(cat[KindIEM]),
		Total:            cents(total),
	}

	// Cost of the TAM, month by month.
	var ent, base decimal.Decimal
	for m := tamledger.NewDate(from.Year, from.Month, 1); !m.After(to); m = tamledger.NewDate(m.Year, m.Month+1, 1) {
		mo, e, b, err := monthCost(org, books, m, from, to)
		if err != nil {
			return nil, err
		}
		r.Months = append(r.Months, mo)
		ent, base = ent.Add(e), base.Add(b)
	}
	diff := ent.Sub(base)
	r.Cost = Cost{Enterprise: cents(ent), Baseline: cents(base), Differential: cents(diff)}

	if diff.IsPositive() {
		f := total.DivRound(diff, divPlaces).InexactFloat64()
		r.ROIMultiple = &f
	}
	r.NetValue = cents(total.Sub(diff))

	spend := org.Spend().Decimal
	r.MonthlySpend = cents(spend)
	r.MonthlySavings = cents(savings)
	if !spend.IsZero() {
		f := savings.DivRound(spend, divPlaces).InexactFloat64()
		r.SavingsRate = &f
	}
	return r, nil
}

func (r *Report) addLine(ln Line) {
	ln.Amount = cents(ln.exact)
	r.Lines = append(r.Lines, ln)
}

// monthlySaving is the monthly saving a counted recommendation is valued at:
// realizedMonthlySavings when recorded (even 0), else the estimate.
func monthlySaving(rec *tamledger.Recommendation) (m decimal.Decimal, estimated, ok bool) {
	switch {
	case rec.RealizedMonthlySavings != nil:
		return rec.RealizedMonthlySavings.Decimal, false, true
	case rec.EstimatedMonthlySavings != nil:
		return rec.EstimatedMonthlySavings.Decimal, true, true
	}
	return decimal.Zero, false, false
}

// excludedReason says why a recommendation brings no value up to to, or "".
func excludedReason(rec *tamledger.Recommendation, to tamledger.Date) string {
	switch {
	case rec.Status != "implemented":
		return fmt.Sprintf("status %s, not implemented", rec.Status)
	case rec.ImplementedOn == nil || rec.ImplementedOn.IsZero():
		return "implemented, but no implementedOn date is recorded"
	case !tamOrigin(rec):
		return fmt.Sprintf("origin %s without contextualizedByTam: available without a TAM", rec.Origin)
	case rec.ImplementedOn.After(to):
		return fmt.Sprintf("implemented %s, after the period", rec.ImplementedOn)
	}
	return ""
}

// monthCost is the cost of the TAM in the month starting m, pro-rated to the
// days of the month inside [from, to]; e and b are the exact pro-rated fees.
func monthCost(org *tamledger.Organization, books []tamledger.PriceBook, m, from, to tamledger.Date) (mo Month, e, b decimal.Decimal, err error) {
	book, ok := BookFor(books, m)
	if !ok {
		return mo, e, b, noBook(m)
	}
	ep, err := EnterprisePlan(book)
	if err != nil {
		return mo, e, b, err
	}
	bname, bp, err := BaselinePlan(book)
	if err != nil {
		return mo, e, b, err
	}
	efee, _ := Fee(ep, FeeSpends(org, ep))
	bfee, _ := Fee(bp, FeeSpends(org, bp))
	first, dim := m, m.DaysInMonth()
	last := tamledger.NewDate(m.Year, m.Month, dim)
	if from.After(first) {
		first = from
	}
	if to.Before(last) {
		last = to
	}
	days := first.DaysUntil(last) + 1
	e = prorate(efee.Decimal, days, dim)
	b = prorate(bfee.Decimal, days, dim)
	mo = Month{
		Month: fmt.Sprintf("%04d-%02d", m.Year, m.Month), Book: book.ID, BaselinePlan: bname,
		Days: days, DaysInMonth: dim,
		EnterpriseFee: cents(efee.Decimal), BaselineFee: cents(bfee.Decimal),
		Enterprise: cents(e), Baseline: cents(b), Differential: cents(e.Sub(b)),
	}
	if days == dim {
		mo.Explain = fmt.Sprintf("enterprise %s − %s %s (book %s)", money2(efee.Decimal), bname, money2(bfee.Decimal), book.ID)
	} else {
		mo.Explain = fmt.Sprintf("(enterprise %s − %s %s) × %d / %d days (book %s)", money2(efee.Decimal), bname, money2(bfee.Decimal), days, dim, book.ID)
	}
	return mo, e, b, nil
}

func prorate(fee decimal.Decimal, days, dim int) decimal.Decimal {
	if days == dim {
		return fee
	}
	return fee.Mul(decimal.NewFromInt(int64(days))).DivRound(decimal.NewFromInt(int64(dim)), divPlaces)
}

// cents rounds half away from zero to the cent.
func cents(d decimal.Decimal) tamledger.Money { return tamledger.Money{Decimal: d.Round(2)} }

// money2 prints an amount as given, or to the cent when it has more places.
func money2(d decimal.Decimal) string {
	if d.Exponent() < -2 {
		return d.StringFixed(2)
	}
	return d.String()
}
