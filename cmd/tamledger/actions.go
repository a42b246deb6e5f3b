package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger/score"
)

func init() { register(newActionsCmd) }

func newActionsCmd(a *app) *cobra.Command {
	var org, asOf string
	c := &cobra.Command{
		Use:   "actions --org ID [--as-of DATE] [-o table|json]",
		Short: "What to push your TAM and AWS for now, most urgent first",
		Long: `Actions lists what the customer should push for as of a date (default: today
in the organisation's time zone), most urgent first: each with a stable code,
a severity (critical, high, medium, low), its subject (a workload, event,
charter term, request, ...) and a sentence that says what to ask for and why.

The codes: war-overdue, charter-missing-term, no-charter, iem-request-now,
iem-too-late, reassignment-suggested, reassignment-escalate,
portfolio-unknown, portfolio-rebalance, senior-tam-request, no-backup-tam,
specialist-intro, cost-review-unquantified, edp-renewal-prep. Their exact
conditions and severities are in docs/scorecard.md.`,
		Example: `  tamledger actions --org acme
  tamledger actions --org acme --as-of 2026-06-30
  tamledger actions --org acme -o json | jq -r '.actions[] | select(.severity == "critical") | .message'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			l, err := a.ledger(cmd.Context(), org)
			if err != nil {
				return err
			}
			day, err := parseAsOf(asOf, l.Org)
			if err != nil {
				return err
			}
			list := score.ActionList{Organization: l.Org.ID, AsOf: day, Actions: score.Actions(l, day)}
			if format == "json" {
				return writeJSON(a.out, list)
			}
			return writeActions(a.out, orgTitle(l.Org), list)
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&asOf, "as-of", "", "evaluate as of this date, YYYY-MM-DD (default today in the organisation's time zone)")
	return c
}

// writeActions prints one block per action: severity, code and subject,
// then the message wrapped under them, in at most 100 columns.
func writeActions(w io.Writer, title string, list score.ActionList) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Next actions for %s as of %s\n", title, list.AsOf)
	if len(list.Actions) == 0 {
		b.WriteString("\nNothing to push for: the charter, the account team and the calendar are in order.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	count := map[string]int{}
	for _, a := range list.Actions {
		count[a.Severity]++
		fmt.Fprintf(&b, "\n%-9s %-25s %s\n", strings.ToUpper(a.Severity), a.Code, a.Subject)
		for _, line := range wrap(a.Message, tableWidth-10) {
			b.WriteString("          " + line + "\n")
		}
	}
	fmt.Fprintf(&b, "\n%d action%s: %d critical, %d high, %d medium, %d low\n", len(list.Actions), plural(len(list.Actions)),
		count[score.Critical], count[score.High], count[score.Medium], count[score.Low])
	_, err := io.WriteString(w, b.String())
	return err
}

// wrap breaks text into lines of at most width runes at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
