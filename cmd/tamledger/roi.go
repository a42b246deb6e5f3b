package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/report"
	"github.com/tamledger/tamledger/roi"
)

func init() { register(newROICmd) }

func newROICmd(a *app) *cobra.Command {
	var (
		org, from, to, by string
		year              int
		explain           bool
		reference         float64
	)
	c := &cobra.Command{
		Use:   "roi --org ID (--year YYYY | --from DATE --to DATE) [--by quarter] [--explain] [-o table|json]",
		Short: "What the TAM was worth against what Enterprise Support cost",
		Long: `Roi values the TAM relationship over a period (both days included):
cost savings, incidents avoided and architecture improvements of the counted
recommendations (implemented, raised by the TAM, a specialist or a
Well-Architected review, or contextualised by the TAM), and the IEM events
requested in time; against the cost of the TAM: the Enterprise Support fee
minus the baseline plan's fee (business-plus, or business before 2026),
month by month, from the price book in force.

It prints the value by category, the monthly cost of the TAM, the ROI
multiple, the net value and the savings rate beside the 15 % reference; which
amounts rest on estimates; and which recommendations were left out and why.
--explain adds the arithmetic of every line and fee. See docs/roi.md.`,
		Example: `  tamledger roi --org acme --year 2026
  tamledger roi --org acme --from 2026-01-15 --to 2026-06-30 --explain
  tamledger roi --org acme --year 2026 --by quarter
  tamledger roi --org acme --year 2026 -o json | jq .roiMultiple`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			if org == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id)"))
			}
			start, end, err := roiPeriod(cmd, year, from, to)
			if err != nil {
				return err
			}
			if by != "" && by != "quarter" {
				return usageError(fmt.Errorf("--by: unknown value %q (want quarter)", by))
			}
			if reference < 0 || reference > 1 {
				return usageError(fmt.Errorf("--reference-rate: %v is out of range (want a fraction such as 0.15)", reference))
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			l, err := st.Ledger(ctx, org)
			if err != nil {
				return err
			}
			imported, err := st.PriceBooks(ctx)
			if err != nil {
				return err
			}
			opt := roi.Options{ReferenceSavingsRate: reference}
			if format == "json" {
				v, err := report.ROI(l, imported, start, end, opt, by == "quarter")
				if err != nil {
					return err
				}
				return writeJSON(a.out, v)
			}
			books := roi.Books(imported)
			r, err := roi.Compute(l, books, start, end, opt)
			if err != nil {
				return err
			}
			var quarters []roi.QuarterRow
			if by == "quarter" {
				if quarters, err = roi.ByQuarter(l, books, start, end, opt); err != nil {
					return err
				}
			}
			return writeROI(a.out, r, quarters, books, l.Org, explain)
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().IntVar(&year, "year", 0, "the calendar year YYYY (instead of --from and --to)")
	c.Flags().StringVar(&from, "from", "", "first day of the period, YYYY-MM-DD")
	c.Flags().StringVar(&to, "to", "", "last day of the period, YYYY-MM-DD (included)")
	c.Flags().StringVar(&by, "by", "", "also break the period down: quarter")
	c.Flags().BoolVar(&explain, "explain", false, "show the arithmetic of every line, month and fee")
	c.Flags().Float64Var(&reference, "reference-rate", roi.DefaultReferenceSavingsRate, "the savings rate to compare with")
	return c
}

// roiPeriod reads --year or --from/--to.
func roiPeriod(cmd *cobra.Command, year int, from, to string) (start, end tamledger.Date, err error) {
	hasYear := cmd.Flags().Changed("year")
	switch {
	case hasYear && (from != "" || to != ""):
		return start, end, usageError(fmt.Errorf("give either --year or --from and --to, not both"))
	case hasYear:
		if year < 1 || year > 9999 {
			return start, end, usageError(fmt.Errorf("--year: %d is out of range (want a year such as 2026)", year))
		}
		return tamledger.NewDate(year, 1, 1), tamledger.NewDate(year, 12, 31), nil
	case from == "" || to == "":
		return start, end, usageError(fmt.Errorf("give the period: --year YYYY, or --from DATE and --to DATE"))
	}
	if start, err = tamledger.ParseDate(from); err != nil {
		return start, end, usageError(fmt.Errorf("--from: %v", err))
	}
	if end, err = tamledger.ParseDate(to); err != nil {
		return start, end, usageError(fmt.Errorf("--to: %v", err))
	}
	if end.Before(start) {
		return start, end, usageError(fmt.Errorf("--to %s is before --from %s (the period is [from, to], both included)", end, start))
	}
	return start, end, nil
}

var roiKindNames = map[string]string{
	roi.KindCostSavings:      "cost savings",
	roi.KindIncidentsAvoided: "incidents avoided",
	roi.KindArchitecture:     "architecture",
	roi.KindIEM:              "IEM",
}

func writeROI(w io.Writer, r *roi.Report, quarters []roi.QuarterRow, books []tamledger.PriceBook, org *tamledger.Organization, explain bool) error {
	var b strings.Builder
	period := fmt.Sprintf(", %s to %s", r.From, r.To)
	if r.Currency != "" {
		period += ", " + printable(r.Currency)
	}
	fmt.Fprintf(&b, "Value of the TAM for %s%s\n\n", orgTitle(org, tableWidth-len("Value of the TAM for ")-len(period)), period)

	var estimated decimal.Decimal
	nEstimated := 0
	for _, l := range r.Lines {
		if l.Estimated {
			estimated = estimated.Add(l.Amount.Decimal)
			nEstimated++
		}
	}
	value := newTable(fixedCol("VALUE"), numCol("AMOUNT"), proseCol("", 30))
	value.add("cost savings", r.Value.CostSavings.Grouped(), estimatedNote(estimated, nEstimated))
	value.add("incidents avoided", r.Value.IncidentsAvoided.Grouped())
	value.add("architecture", r.Value.Architecture.Grouped())
	value.add("IEM", r.Value.IEM.Grouped())
	value.add("total", r.Value.Total.Grouped())
	value.render(&b)

	b.WriteString("\nCost of the TAM (Enterprise Support minus the baseline plan)\n")
	cost := newTable(fixedCol("MONTH"), textCol("BOOK", 16), textCol("BASELINE PLAN", 13), numCol("DAYS"), numCol("ENTERPRISE"),
		numCol("BASELINE"), numCol("COST OF THE TAM"))
	for _, m := range r.Months {
		cost.add(m.Month, m.Book, m.BaselinePlan, fmt.Sprintf("%d/%d", m.Days, m.DaysInMonth),
			m.Enterprise.Grouped(), m.Baseline.Grouped(), m.Differential.Grouped())
	}
	cost.add("total", "", "", "", r.Cost.Enterprise.Grouped(), r.Cost.Baseline.Grouped(), r.Cost.Differential.Grouped())
	cost.render(&b)
	if explain {
		b.WriteString("\nHow each month was computed\n")
		months := newTable(fixedCol(""), proseCol("", 40))
		months.indent = "  "
		for _, m := range r.Months {
			months.add(m.Month, m.Explain)
		}
		months.render(&b)
		writeFees(&b, r, books, org)
	}

	b.WriteString("\n")
	summary := newTable(fixedCol(""), fixedCol(""), proseCol("", 30))
	if r.ROIMultiple != nil {
		summary.add("ROI multiple", strconv.FormatFloat(*r.ROIMultiple, 'f', 2, 64)+"×", "value / cost of the TAM")
	} else {
		summary.add("ROI multiple", "n/a", "the cost of the TAM is not positive")
	}
	summary.add("net value", r.NetValue.Grouped(), "value − cost of the TAM")
	if r.SavingsRate != nil {
		verdict := "below"
		if *r.SavingsRate >= r.ReferenceSavingsRate {
			verdict = "at or above"
		}
		summary.add("savings rate", percentText(*r.SavingsRate), fmt.Sprintf("%s a month of %s monthly spend; %s the %s reference",
			r.MonthlySavings.Grouped(), r.MonthlySpend.Grouped(), verdict, percentText(r.ReferenceSavingsRate)))
	} else {
		summary.add("savings rate", "n/a", fmt.Sprintf("no monthly spend recorded (reference %s)", percentText(r.ReferenceSavingsRate)))
	}
	summary.render(&b)

	if len(quarters) > 0 {
		b.WriteString("\nBy quarter\n")
		byQuarter := newTable(fixedCol("QUARTER"), fixedCol("FROM"), fixedCol("TO"), numCol("VALUE"), numCol("COST OF THE TAM"),
			numCol("ROI"), numCol("NET VALUE"))
		for _, q := range quarters {
			m := "n/a"
			if q.ROIMultiple != nil {
				m = strconv.FormatFloat(*q.ROIMultiple, 'f', 2, 64) + "×"
			}
			byQuarter.add(q.Quarter, q.From.String(), q.To.String(), q.Value.Total.Grouped(), q.Cost.Differential.Grouped(), m,
				q.NetValue.Grouped())
		}
		byQuarter.render(&b)
	}

	if len(r.Lines) > 0 {
		b.WriteString("\nLines\n")
		lines := newTable(fixedCol("KIND"), textCol("REF", 16), numCol("AMOUNT"), fixedCol("BASIS"), textCol("TITLE", 20))
		for _, l := range r.Lines {
			basis := ""
			switch {
			case l.Estimated:
				basis = "estimated"
			case l.Kind == roi.KindCostSavings:
				basis = "realized"
			case l.Kind == roi.KindIncidentsAvoided || l.Kind == roi.KindIEM:
				basis = "probability"
			case l.Kind == roi.KindArchitecture:
				basis = "yearly value"
			}
			lines.add(roiKindNames[l.Kind], l.Ref, l.Amount.Grouped(), basis, l.Title)
		}
		lines.render(&b)
		if explain {
			b.WriteString("\nHow each line was computed\n")
			var kind *table
			for i, l := range r.Lines {
				if i == 0 || l.Kind != r.Lines[i-1].Kind { // lines come ordered by kind
					if kind != nil {
						kind.render(&b)
					}
					b.WriteString(roiKindNames[l.Kind] + "\n")
					kind = newTable(textCol("", 16), proseCol("", 40))
					kind.indent = "  "
				}
				kind.add(l.Ref, l.Explain)
			}
			kind.render(&b)
		}
		writeWrapped(&b, "", "", "Estimated: cost savings with no realized saving recorded. "+
			"Incidents avoided and IEM rest on the recorded probabilities.")
	}

	if len(r.Excluded) > 0 {
		b.WriteString("\nLeft out\n")
		excluded := newTable(fixedCol("KIND"), textCol("REF", 16), proseCol("WHY", 30))
		for _, e := range r.Excluded {
			excluded.add(e.Kind, e.Ref, e.Reason)
		}
		excluded.render(&b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFees prints the tier arithmetic of each fee the months used, once per
// price book.
func writeFees(b *strings.Builder, r *roi.Report, books []tamledger.PriceBook, org *tamledger.Organization) {
	seen := map[string]bool{}
	for _, m := range r.Months {
		if seen[m.Book] {
			continue
		}
		seen[m.Book] = true
		book, ok := roi.Book(books, m.Book)
		if !ok {
			continue
		}
		fmt.Fprintf(b, "\nFees of price book %s (effective %s)\n", clip(printable(book.ID), tableWidth-50), book.Effective)
		if book.Source != "" {
			writeWrapped(b, "  source: ", "          ", book.Source)
		}
		for _, name := range []string{roi.PlanEnterprise, m.BaselinePlan} {
			p := book.Plans[name]
			for _, s := range roi.ExplainFee(name, p, roi.FeeSpends(org, p)) {
				writeIndented(b, "  ", s)
			}
		}
	}
}

func estimatedNote(sum decimal.Decimal, n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("of which %s rests on an estimate (1 recommendation)", tamledger.Money{Decimal: sum}.Grouped())
	}
	return fmt.Sprintf("of which %s rests on estimates (%d recommendations)", tamledger.Money{Decimal: sum}.Grouped(), n)
}

// percentText formats a ratio as a percentage with one decimal (0.0321 → 3.2 %).
func percentText(x float64) string {
	return strconv.FormatFloat(x*100, 'f', 1, 64) + " %"
}
