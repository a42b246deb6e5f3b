package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
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
			st, err := a.openStore(ctx)
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
			books := roi.Books(imported)
			opt := roi.Options{ReferenceSavingsRate: reference}
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
			if format == "json" {
				enc := json.NewEncoder(a.out)
				enc.SetIndent("", "  ")
				if by == "quarter" {
					return enc.Encode(struct {
						*roi.Report
						Quarters []roi.QuarterRow `json:"quarters"`
					}{r, quarters})
				}
				return enc.Encode(r)
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
	cur := ""
	if r.Currency != "" {
		cur = ", " + r.Currency
	}
	name := r.Organization
	if org.Name != "" {
		name = org.Name + " (" + r.Organization + ")"
	}
	fmt.Fprintf(w, "Value of the TAM for %s, %s to %s%s\n\n", name, r.From, r.To, cur)

	var estimated decimal.Decimal
	nEstimated := 0
	for _, l := range r.Lines {
		if l.Estimated {
			estimated = estimated.Add(l.Amount.Decimal)
			nEstimated++
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VALUE\tAMOUNT\t")
	fmt.Fprintf(tw, "cost savings\t%s\t%s\n", amountText(r.Value.CostSavings), estimatedNote(estimated, nEstimated))
	fmt.Fprintf(tw, "incidents avoided\t%s\t\n", amountText(r.Value.IncidentsAvoided))
	fmt.Fprintf(tw, "architecture\t%s\t\n", amountText(r.Value.Architecture))
	fmt.Fprintf(tw, "IEM\t%s\t\n", amountText(r.Value.IEM))
	fmt.Fprintf(tw, "total\t%s\t\n", amountText(r.Value.Total))
	tw.Flush()

	fmt.Fprintln(w, "\nCost of the TAM (Enterprise Support minus the baseline plan)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MONTH\tBOOK\tDAYS\tENTERPRISE\tBASELINE\t\tCOST OF THE TAM\t")
	for _, m := range r.Months {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%s\t%s\t%s\t%s\t\n", m.Month, m.Book, m.Days, m.DaysInMonth,
			amountText(m.Enterprise), amountText(m.Baseline), m.BaselinePlan, amountText(m.Differential))
	}
	fmt.Fprintf(tw, "total\t\t\t%s\t%s\t\t%s\t\n", amountText(r.Cost.Enterprise), amountText(r.Cost.Baseline), amountText(r.Cost.Differential))
	tw.Flush()
	if explain {
		fmt.Fprintln(w, "\nHow each month was computed")
		for _, m := range r.Months {
			fmt.Fprintf(w, "  %s: %s\n", m.Month, m.Explain)
		}
		writeFees(w, r, books, org)
	}

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if r.ROIMultiple != nil {
		fmt.Fprintf(tw, "ROI multiple\t%s×\tvalue / cost of the TAM\n", strconv.FormatFloat(*r.ROIMultiple, 'f', 2, 64))
	} else {
		fmt.Fprintf(tw, "ROI multiple\tn/a\tthe cost of the TAM is not positive\n")
	}
	fmt.Fprintf(tw, "net value\t%s\tvalue − cost of the TAM\n", amountText(r.NetValue))
	if r.SavingsRate != nil {
		verdict := "below"
		if *r.SavingsRate >= r.ReferenceSavingsRate {
			verdict = "at or above"
		}
		fmt.Fprintf(tw, "savings rate\t%s\t%s a month of %s monthly spend; %s the %s reference\n", percentText(*r.SavingsRate),
			amountText(r.MonthlySavings), amountText(r.MonthlySpend), verdict, percentText(r.ReferenceSavingsRate))
	} else {
		fmt.Fprintf(tw, "savings rate\tn/a\tno monthly spend recorded (reference %s)\n", percentText(r.ReferenceSavingsRate))
	}
	tw.Flush()

	if len(quarters) > 0 {
		fmt.Fprintln(w, "\nBy quarter")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "QUARTER\tFROM\tTO\tVALUE\tCOST OF THE TAM\tROI\tNET VALUE\t")
		for _, q := range quarters {
			m := "n/a"
			if q.ROIMultiple != nil {
				m = strconv.FormatFloat(*q.ROIMultiple, 'f', 2, 64) + "×"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", q.Quarter, q.From, q.To, amountText(q.Value.Total),
				amountText(q.Cost.Differential), m, amountText(q.NetValue))
		}
		tw.Flush()
	}

	if len(r.Lines) > 0 {
		fmt.Fprintln(w, "\nLines")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tREF\tAMOUNT\tBASIS\tTITLE\t")
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
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", roiKindNames[l.Kind], l.Ref, amountText(l.Amount), basis, clip(l.Title, 36))
		}
		tw.Flush()
		if explain {
			fmt.Fprintln(w, "\nHow each line was computed")
			for _, l := range r.Lines {
				fmt.Fprintf(w, "  %s %s: %s\n", roiKindNames[l.Kind], l.Ref, l.Explain)
			}
		}
		fmt.Fprintln(w, "Estimated: cost savings with no realized saving recorded. Incidents avoided and IEM rest on the recorded probabilities.")
	}

	if len(r.Excluded) > 0 {
		fmt.Fprintln(w, "\nLeft out")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tREF\tWHY\t")
		for _, e := range r.Excluded {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", e.Kind, e.Ref, e.Reason)
		}
		tw.Flush()
	}
	return nil
}

// writeFees prints the tier arithmetic of each fee the months used, once per
// price book.
func writeFees(w io.Writer, r *roi.Report, books []tamledger.PriceBook, org *tamledger.Organization) {
	seen := map[string]bool{}
	for _, m := range r.Months {
		if seen[m.Book] {
			continue
		}
		seen[m.Book] = true
		b, ok := roi.Book(books, m.Book)
		if !ok {
			continue
		}
		fmt.Fprintf(w, "\nFees of price book %s (effective %s)\n", b.ID, b.Effective)
		if b.Source != "" {
			fmt.Fprintf(w, "  source: %s\n", b.Source)
		}
		for _, name := range []string{roi.PlanEnterprise, m.BaselinePlan} {
			p := b.Plans[name]
			for _, s := range roi.ExplainFee(name, p, roi.FeeSpends(org, p)) {
				fmt.Fprintln(w, "  "+s)
			}
		}
	}
}

func estimatedNote(sum decimal.Decimal, n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("of which %s rests on an estimate (1 recommendation)", amountText(tamledger.Money{Decimal: sum}))
	}
	return fmt.Sprintf("of which %s rests on estimates (%d recommendations)", amountText(tamledger.Money{Decimal: sum}), n)
}

// amountText formats money for people: to the cent, with thousands
// separators (1,234,567.89).
func amountText(m tamledger.Money) string {
	s := m.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// percentText formats a ratio as a percentage with one decimal (0.0321 → 3.2 %).
func percentText(x float64) string {
	return strconv.FormatFloat(x*100, 'f', 1, 64) + " %"
}
