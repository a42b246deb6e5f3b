package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/report"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/store"
)

func init() { register(newPriceBookCmd) }

func newPriceBookCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "pricebook",
		Short: "The AWS Support price books the cost of the TAM is computed with",
		Long: `Price books are dated tables of AWS Support plan fees. Two ship with
tamledger (aws-support-legacy for the months before 2026, aws-support-2026
from January 2026); import a kind: PriceBook document to add your own
(negotiated prices, another currency) or, with the same id, to replace a
shipped one. The book used for a month is the one with the latest effective
date on or before the month's first day.`,
		Example: `  tamledger pricebook list
  tamledger pricebook show aws-support-2026
  tamledger pricebook show aws-support-2026 -o json`,
		Args: cobra.NoArgs,
	}
	c.AddCommand(&cobra.Command{
		Use:   "list [-o table|json]",
		Short: "List the price books in force: shipped and imported",
		Long: `List prints every price book, shipped and imported, in the order of their
effective dates, with a source clipped to fit the table: pricebook show ID
prints it whole, and -o json prints every field.`,
		Example: `  tamledger pricebook list
  tamledger pricebook list -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			books, imported, err := a.priceBooks(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				var out []bookJSON
				for _, b := range books {
					out = append(out, toBookJSON(b, imported))
				}
				return writeJSON(a.out, out)
			}
			t := newTable(textCol("ID", 16), fixedCol("EFFECTIVE"), fixedCol("ORIGIN"), proseCol("PLANS", 20), textCol("SOURCE", 30))
			for _, b := range books {
				t.add(b.ID, b.Effective.String(), bookOrigin(b.ID, imported), strings.Join(planNames(b), ", "), b.Source)
			}
			return t.write(a.out)
		},
	})
	c.AddCommand(&cobra.Command{
		Use:   "show ID [-o table|json|yaml]",
		Short: "Show one price book: its plans, minimums, tiers and source",
		Long: `Show prints one price book. -o yaml writes it as a kind: PriceBook
document: edit it (a new id, your negotiated rates, an effective date) and
import it to price the cost of the TAM with it.`,
		Example: `  tamledger pricebook show aws-support-2026
  tamledger pricebook show aws-support-legacy -o json
  tamledger pricebook show aws-support-2026 -o yaml > mine.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json", "yaml")
			if err != nil {
				return err
			}
			books, imported, err := a.priceBooks(cmd.Context())
			if err != nil {
				return err
			}
			b, ok := roi.Book(books, args[0])
			if !ok {
				var ids []string
				for _, b := range books {
					ids = append(ids, b.ID)
				}
				return usageError(fmt.Errorf("unknown price book %q (want one of: %s)", args[0], strings.Join(ids, ", ")))
			}
			switch format {
			case "json":
				return writeJSON(a.out, toBookJSON(b, imported))
			case "yaml":
				enc := document.NewEncoder(a.out, "yaml")
				if err := enc.Encode(tamledger.Record{Kind: tamledger.KindPriceBook, ID: b.ID, Value: &b}); err != nil {
					return err
				}
				return enc.Close()
			}
			return writeBook(a.out, b, bookOrigin(b.ID, imported))
		},
	})
	return c
}

// priceBooks returns the shipped books merged with the store's, and the ids
// of the imported ones. A store that does not exist (store.Exists) is not
// created: the shipped books are all there is.
func (a *app) priceBooks(ctx context.Context) (books []tamledger.PriceBook, imported map[string]bool, err error) {
	imported = map[string]bool{}
	var mine []tamledger.PriceBook
	ok, err := store.Exists(ctx, a.db)
	if err != nil {
		return nil, nil, err
	}
	if ok {
		st, err := a.openExistingStore(ctx)
		if err != nil {
			return nil, nil, err
		}
		defer st.Close()
		if mine, err = st.PriceBooks(ctx); err != nil {
			return nil, nil, err
		}
	}
	for _, b := range mine {
		imported[b.ID] = true
	}
	return roi.Books(mine), imported, nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func bookOrigin(id string, imported map[string]bool) string {
	_, shipped := roi.Book(roi.Shipped(), id)
	switch {
	case imported[id] && shipped:
		return "imported, replaces shipped"
	case imported[id]:
		return "imported"
	}
	return "shipped"
}

// planNames lists a book's plans, enterprise first, then by name.
func planNames(b tamledger.PriceBook) []string {
	var names []string
	for n := range b.Plans {
		names = append(names, n)
	}
	slices.SortFunc(names, func(x, y string) int {
		if (x == roi.PlanEnterprise) != (y == roi.PlanEnterprise) {
			if x == roi.PlanEnterprise {
				return -1
			}
			return 1
		}
		return strings.Compare(x, y)
	})
	return names
}

type bookJSON struct {
	ID        string                    `json:"id"`
	Effective tamledger.Date            `json:"effective"`
	Origin    string                    `json:"origin"`
	Source    string                    `json:"source,omitempty"`
	Plans     map[string]tamledger.Plan `json:"plans"`
}

func toBookJSON(b tamledger.PriceBook, imported map[string]bool) bookJSON {
	return bookJSON{ID: b.ID, Effective: b.Effective, Origin: bookOrigin(b.ID, imported), Source: b.Source, Plans: b.Plans}
}

func writeBook(w io.Writer, book tamledger.PriceBook, origin string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Price book %s (%s)\n", clip(printable(book.ID), tableWidth-40), origin)
	fmt.Fprintf(&b, "effective  %s\n", book.Effective)
	if book.Source != "" {
		writeWrapped(&b, "source     ", "           ", book.Source)
	}
	for _, name := range planNames(book) {
		p := book.Plans[name]
		per := ""
		if p.PerAccount {
			per = ", charged per account"
		}
		fmt.Fprintf(&b, "\n%s: minimum %s a month%s\n", clip(printable(name), tableWidth-60), p.Minimum.Grouped(), per)
		t := newTable(numCol("SPEND FROM"), numCol("UP TO"), numCol("RATE"))
		t.indent = "  "
		lower := tamledger.Money{}
		for _, tier := range p.Tiers {
			up := "and above"
			if tier.UpTo != nil {
				up = tier.UpTo.Grouped()
			}
			t.add(lower.Grouped(), up, rateText(tier.Rate))
			if tier.UpTo != nil {
				lower = *tier.UpTo
			}
		}
		t.render(&b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// rateText prints a tier rate as a percentage (0.07 → 7 %).
func rateText(r tamledger.Rate) string {
	return r.Shift(2).String() + " %"
}

// writeJSON prints v as indented JSON, as the API returns it
// (report.JSON).
func writeJSON(w io.Writer, v any) error { return report.JSON(w, v) }
