package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
)

func init() { register(newFeeCmd) }

func newFeeCmd(a *app) *cobra.Command {
	var (
		plan, spend, asOf, bookID string
		accounts                  []string
	)
	c := &cobra.Command{
		Use:   "fee --plan PLAN (--spend N | --accounts N,N,...) [--as-of DATE] [--book ID] [-o table|json]",
		Short: "Compute one AWS Support fee, with its tier arithmetic",
		Long: `Fee computes a support plan's monthly fee on a monthly spend, as the ROI
does: max(minimum, Σ marginal tier rate × spend in the tier). A plan charged
per account (business-plus, business) is charged on each --accounts spend
separately, each with its own minimum, and summed; without --accounts it is
one account of --spend. Plans that are not per account are charged on
--spend, or on the sum of --accounts.

The price book is the one in force on the first day of the --as-of month
(default: this month), or --book.`,
		Example: `  tamledger fee --plan enterprise --spend 420000
  tamledger fee --plan business-plus --accounts 300000,120000
  tamledger fee --plan business --spend 420000 --as-of 2025-12-01
  tamledger fee --plan enterprise --spend 420000 -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			var accts []tamledger.Money
			for i, s := range accounts {
				m, err := nonNegativeAmount(s)
				if err != nil {
					return usageError(fmt.Errorf("--accounts: account %d: %v", i+1, err))
				}
				accts = append(accts, m)
			}
			var total tamledger.Money
			switch {
			case spend != "":
				if total, err = nonNegativeAmount(spend); err != nil {
					return usageError(fmt.Errorf("--spend: %v", err))
				}
				if len(accts) > 0 {
					if sum := sumMoney(accts); !sum.Equal(total.Decimal) {
						return usageError(fmt.Errorf("--spend %s disagrees with the sum of --accounts %s (give one, or make them agree)", total, sum))
					}
				}
			case len(accts) > 0:
				total = sumMoney(accts)
			default:
				return usageError(fmt.Errorf("give the monthly spend: --spend N, or --accounts N,N,... for one spend per account"))
			}
			day := tamledger.Today(time.UTC)
			if asOf != "" {
				if day, err = tamledger.ParseDate(asOf); err != nil {
					return usageError(fmt.Errorf("--as-of: %v", err))
				}
			}
			books, _, err := a.priceBooks(cmd.Context())
			if err != nil {
				return err
			}
			var book tamledger.PriceBook
			if bookID != "" {
				var ok bool
				if book, ok = roi.Book(books, bookID); !ok {
					return usageError(fmt.Errorf("--book: unknown price book %q (see tamledger pricebook list)", bookID))
				}
			} else {
				var ok bool
				if book, ok = roi.BookFor(books, day); !ok {
					return usageError(fmt.Errorf("no price book is in force for %s (see tamledger pricebook list)", day))
				}
			}
			p, ok := book.Plans[plan]
			if !ok {
				return usageError(fmt.Errorf("--plan: price book %s has no plan %q (want one of: %s)", book.ID, plan, strings.Join(planNames(book), ", ")))
			}
			spends := []tamledger.Money{total}
			if len(accts) > 0 {
				spends = accts
			}
			fee, lines := roi.Fee(p, spends)
			if format == "json" {
				for i := range lines {
					lines[i].Spend = lines[i].Spend.Cents()
					lines[i].Charge = lines[i].Charge.Cents()
				}
				return writeJSON(a.out, feeJSON{Book: book.ID, Effective: book.Effective, Source: book.Source, Plan: plan,
					PerAccount: p.PerAccount, Spend: total, Accounts: accts, Minimum: p.Minimum, Fee: fee.Cents(), Tiers: lines})
			}
			var b strings.Builder
			fmt.Fprintf(&b, "Price book %s (effective %s)\n", clip(printable(book.ID), tableWidth-40), book.Effective)
			if book.Source != "" {
				writeWrapped(&b, "source: ", "        ", book.Source)
			}
			b.WriteString("\n")
			for _, s := range roi.ExplainFee(plan, p, spends) {
				writeIndented(&b, "", s)
			}
			if !fee.Equal(fee.Round(2)) {
				fmt.Fprintf(&b, "  (%s to the cent)\n", fee.Grouped())
			}
			_, err = io.WriteString(a.out, b.String())
			return err
		},
	}
	c.Flags().StringVar(&plan, "plan", roi.PlanEnterprise, "the plan: enterprise, business-plus, business, unified-operations (as the book has)")
	c.Flags().StringVar(&spend, "spend", "", "monthly AWS spend")
	c.Flags().StringSliceVar(&accounts, "accounts", nil, "monthly spend of each account, comma-separated (for per-account plans)")
	c.Flags().StringVar(&asOf, "as-of", "", "a day of the month to price, YYYY-MM-DD (default today)")
	c.Flags().StringVar(&bookID, "book", "", "use this price book instead of the one in force")
	return c
}

type feeJSON struct {
	Book       string            `json:"book"`
	Effective  tamledger.Date    `json:"effective"`
	Source     string            `json:"source,omitempty"`
	Plan       string            `json:"plan"`
	PerAccount bool              `json:"perAccount"`
	Spend      tamledger.Money   `json:"spend"`
	Accounts   []tamledger.Money `json:"accounts,omitempty"`
	Minimum    tamledger.Money   `json:"minimum"`
	Fee        tamledger.Money   `json:"fee"`
	Tiers      []roi.TierLine    `json:"tiers"`
}

func nonNegativeAmount(s string) (tamledger.Money, error) {
	m, err := tamledger.NewMoney(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
	if err != nil {
		return m, err
	}
	if m.IsNegative() {
		return m, fmt.Errorf("negative amount %s (want 0 or more)", s)
	}
	return m, nil
}

func sumMoney(ms []tamledger.Money) tamledger.Money {
	var d decimal.Decimal
	for _, m := range ms {
		d = d.Add(m.Decimal)
	}
	return tamledger.Money{Decimal: d}
}
