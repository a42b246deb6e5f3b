package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/roi"
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
		Use:   "list",
		Short: "List the price books in force: shipped and imported",
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
			tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tEFFECTIVE\tORIGIN\tPLANS\tSOURCE\t")
			for _, b := range books {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", b.ID, b.Effective, bookOrigin(b.ID, imported),
					strings.Join(planNames(b), ", "), b.Source)
			}
			return tw.Flush()
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
			writeBook(a.out, b, bookOrigin(b.ID, imported))
			return nil
		},
	})
	return c
}

// priceBooks returns the shipped books merged with the store's, and the ids
// of the imported ones. A SQLite store file that does not exist is not
// created: the shipped books are all there is.
func (a *app) priceBooks(ctx context.Context) (books []tamledger.PriceBook, imported map[string]bool, err error) {
	imported = map[string]bool{}
	var mine []tamledger.PriceBook
	if strings.Contains(a.db, "://") || fileExists(a.db) {
		st, err := a.openStore(ctx)
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

func writeBook(w io.Writer, b tamledger.PriceBook, origin string) {
	fmt.Fprintf(w, "Price book %s (%s)\n", b.ID, origin)
	fmt.Fprintf(w, "effective  %s\n", b.Effective)
	if b.Source != "" {
		fmt.Fprintf(w, "source     %s\n", b.Source)
	}
	for _, name := range planNames(b) {
		p := b.Plans[name]
		per := ""
		if p.PerAccount {
			per = ", charged per account"
		}
		fmt.Fprintf(w, "\n%s: minimum %s a month%s\n", name, amountText(p.Minimum), per)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  SPEND FROM\tUP TO\tRATE\t")
		lower := tamledger.Money{}
		for _, t := range p.Tiers {
			up := "and above"
			if t.UpTo != nil {
				up = amountText(*t.UpTo)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t\n", amountText(lower), up, rateText(t.Rate))
			if t.UpTo != nil {
				lower = *t.UpTo
			}
		}
		tw.Flush()
	}
}

// rateText prints a tier rate as a percentage (0.07 → 7 %).
func rateText(r tamledger.Rate) string {
	return r.Shift(2).String() + " %"
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
