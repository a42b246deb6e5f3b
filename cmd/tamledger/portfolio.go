package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/score"
	"github.com/tamledger/tamledger/store"
)

func init() { register(newPortfolioCmd) }

func newPortfolioCmd(a *app) *cobra.Command {
	var asOf, failOn string
	c := &cobra.Command{
		Use:   "portfolio [--as-of DATE] [--fail-on SEVERITY] [-o table|json|csv]",
		Short: "Every organisation's health and urgent actions, worst first",
		Long: `Portfolio evaluates every organisation in the store and prints one line each:
health score and band, charter adherence, proactive ratio, escalation
responsiveness, and how many critical and high actions are open — worst
first (no score yet, then the lowest score, then the most critical and high
actions).

Without --as-of each organisation is evaluated as of today in its own time
zone. -o json prints the rows with unrounded ratios; -o csv the same for a
spreadsheet. See docs/scorecard.md.

--fail-on SEVERITY makes the command a check for cron or CI: it prints the
portfolio as usual, then exits with status 1 when any organisation has an
open action of that severity or worse (critical is worst, then high, medium,
low), and names them on standard error.`,
		Example: `  tamledger portfolio
  tamledger portfolio --as-of 2026-06-30
  tamledger portfolio -o csv > portfolio.csv
  tamledger portfolio -o json | jq -r '.[] | select(.critical > 0) | .organization'
  tamledger portfolio --fail-on critical || notify-team   # exit 1: a critical action is open somewhere`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json", "csv")
			if err != nil {
				return err
			}
			threshold, err := parseFailOn(failOn)
			if err != nil {
				return err
			}
			var fixed *tamledger.Date
			if asOf != "" {
				d, err := tamledger.ParseDate(asOf)
				if err != nil {
					return usageError(fmt.Errorf("--as-of: %v", err))
				}
				fixed = &d
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			rows := []score.PortfolioRow{}
			failing := map[string]bool{}         // organisations with an action at --fail-on or worse
			today := map[string]tamledger.Date{} // by time zone: loading a zone reads a file
			err = st.EachLedger(ctx, store.ScoringFields, func(l *tamledger.Ledger) error {
				var day tamledger.Date
				if fixed != nil {
					day = *fixed
				} else if d, ok := today[l.Org.Timezone]; ok {
					day = d
				} else {
					day = tamledger.Today(l.Org.Location())
					today[l.Org.Timezone] = day
				}
				row := score.Summarize(l, day)
				rows = append(rows, row)
				switch threshold {
				case "":
				case score.Critical, score.High: // the row counts them
					failing[row.Organization] = row.Critical > 0 || threshold == score.High && row.High > 0
				default: // medium and low: the row does not count them
					failing[row.Organization] = slices.ContainsFunc(score.Actions(l, day), func(act score.Action) bool {
						return severityAtLeast(act.Severity, threshold)
					})
				}
				return nil
			})
			if err != nil {
				return err
			}
			score.SortWorstFirst(rows)
			switch format {
			case "json":
				err = writeJSON(a.out, rows)
			case "csv":
				err = writePortfolioCSV(a.out, rows)
			default:
				err = writePortfolio(a.out, rows)
			}
			if err != nil || threshold == "" {
				return err
			}
			var ids []string // worst first
			for _, r := range rows {
				if failing[r.Organization] {
					ids = append(ids, printable(r.Organization))
				}
			}
			if len(ids) == 0 {
				return nil
			}
			msg := fmt.Sprintf("--fail-on %s: open actions of severity %s in %d organisation%s: ", threshold, orWorse(threshold), len(ids), plural(len(ids)))
			return checkFailed(errors.New(msg + nameSome(ids, max(tableWidth-len("tamledger: ")-len(msg), 30))))
		},
	}
	c.Flags().StringVar(&asOf, "as-of", "", "evaluate every organisation as of this date, YYYY-MM-DD (default today in each one's time zone)")
	c.Flags().StringVar(&failOn, "fail-on", "", "exit 1 when an organisation has an action of this severity or worse open: "+strings.Join(severities, ", "))
	return c
}

// nameSome joins as many of ids as fit in width columns, then says how many
// more there are.
func nameSome(ids []string, width int) string {
	s := ""
	for i, id := range ids {
		more := ""
		if i+1 < len(ids) {
			more = fmt.Sprintf(" and %d more", len(ids)-i-1)
		}
		next := s
		if i > 0 {
			next += ", "
		}
		next += id
		if i > 0 && displayWidth(next+more) > width {
			return s + fmt.Sprintf(" and %d more", len(ids)-i)
		}
		s = next
	}
	return s
}

// writePortfolio prints the rows for people, in at most 100 columns.
func writePortfolio(w io.Writer, rows []score.PortfolioRow) error {
	var b strings.Builder
	if len(rows) == 0 {
		b.WriteString("No organisation in the store yet: import one (tamledger import FILE) or try tamledger demo.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	first, last := rows[0].AsOf, rows[0].AsOf
	for _, r := range rows {
		if r.AsOf.Before(first) {
			first = r.AsOf
		}
		if r.AsOf.After(last) {
			last = r.AsOf
		}
	}
	when := "as of " + first.String()
	if first != last {
		when = fmt.Sprintf("as of today in each time zone (%s to %s)", first, last)
	}
	head := fmt.Sprintf("Portfolio %s: %d organisation%s, worst first", when, len(rows), plural(len(rows)))
	if len(head) > tableWidth {
		head = fmt.Sprintf("Portfolio %s\n%d organisation%s, worst first", when, len(rows), plural(len(rows)))
	}
	b.WriteString(head + "\n\n")
	idWidth := len("ORGANIZATION")
	for _, r := range rows {
		idWidth = max(idWidth, displayWidth(printable(r.Organization)))
	}
	idWidth = min(idWidth, 24)
	nameWidth := tableWidth - 65 - idWidth // the other columns take 65
	line := func(org, name, health, adherence, proactive, response, critical, high string) {
		s := fmt.Sprintf("%s  %s  %-13s  %9s  %9s  %8s  %8s  %4s", padRight(clip(printable(org), idWidth), idWidth),
			padRight(clip(printable(name), nameWidth), nameWidth), health, adherence, proactive, response, critical, high)
		b.WriteString(strings.TrimRight(s, " ") + "\n")
	}
	line("ORGANIZATION", "NAME", "HEALTH", "ADHERENCE", "PROACTIVE", "RESPONSE", "CRITICAL", "HIGH")
	for _, r := range rows {
		health := "–"
		if r.Score != nil {
			health = fmt.Sprintf("%3d %s", *r.Score, *r.Band)
		}
		line(r.Organization, r.Name, health, render.Percent(r.Adherence), render.Percent(r.ProactiveRatio), render.Percent(r.EscalationResponsiveness),
			itoa(r.Critical), itoa(r.High))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writePortfolioCSV prints the rows with a header; ratios unrounded, nulls
// empty.
func writePortfolioCSV(w io.Writer, rows []score.PortfolioRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"organization", "name", "asOf", "score", "band", "adherence", "proactiveRatio", "escalationResponsiveness", "critical", "high"})
	for _, r := range rows {
		sc, band := "", ""
		if r.Score != nil {
			sc, band = strconv.Itoa(*r.Score), *r.Band
		}
		cw.Write([]string{r.Organization, r.Name, r.AsOf.String(), sc, band, csvRatio(r.Adherence), csvRatio(r.ProactiveRatio),
			csvRatio(r.EscalationResponsiveness), strconv.Itoa(r.Critical), strconv.Itoa(r.High)})
	}
	cw.Flush()
	return cw.Error()
}

func csvRatio(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}
