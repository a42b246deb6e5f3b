package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/report"
	"github.com/tamledger/tamledger/score"
)

func init() { register(newActionsCmd) }

func newActionsCmd(a *app) *cobra.Command {
	var org, asOf, failOn string
	c := &cobra.Command{
		Use:   "actions --org ID [--as-of DATE] [--fail-on SEVERITY] [-o table|json]",
		Short: "What to push your TAM and AWS for now, most urgent first",
		Long: `Actions lists what the customer should push for as of a date (default: today
in the organisation's time zone), most urgent first: each with a stable code,
a severity (critical, high, medium, low), its subject (a workload, event,
charter term, request, ...) and a sentence that says what to ask for and why.

The codes: war-overdue, charter-missing-term, no-charter, iem-request-now,
iem-too-late, reassignment-suggested, reassignment-escalate,
portfolio-unknown, portfolio-rebalance, senior-tam-request, no-backup-tam,
specialist-intro, cost-review-unquantified, edp-renewal-prep. Their exact
conditions and severities are in docs/scorecard.md.

--fail-on SEVERITY makes the command a check for cron or CI: it prints the
actions as usual, then exits with status 1 when one of that severity or worse
is open (critical is worst, then high, medium, low).`,
		Example: `  tamledger actions --org acme
  tamledger actions --org acme --as-of 2026-06-30
  tamledger actions --org acme -o json | jq -r '.actions[] | select(.severity == "critical") | .message'
  tamledger actions --org acme --fail-on high || notify-team   # exit 1: a critical or high action is open`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			threshold, err := parseFailOn(failOn)
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
			list := report.Actions(l, day)
			if format == "json" {
				err = writeJSON(a.out, list)
			} else {
				err = writeActions(a.out, l.Org, list)
			}
			if err != nil || threshold == "" {
				return err
			}
			n := 0
			for _, act := range list.Actions {
				if severityAtLeast(act.Severity, threshold) {
					n++
				}
			}
			if n > 0 {
				return checkFailed(fmt.Errorf("--fail-on %s: %d open action%s of severity %s", threshold, n, plural(n), orWorse(threshold)))
			}
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&asOf, "as-of", "", "evaluate as of this date, YYYY-MM-DD (default today in the organisation's time zone)")
	c.Flags().StringVar(&failOn, "fail-on", "", "exit 1 when an action of this severity or worse is open: "+strings.Join(severities, ", "))
	return c
}

// severities are the action severities, worst first.
var severities = []string{score.Critical, score.High, score.Medium, score.Low}

// parseFailOn checks --fail-on: "" (no check) or a severity.
func parseFailOn(s string) (string, error) {
	if s == "" || slices.Contains(severities, s) {
		return s, nil
	}
	return "", usageError(fmt.Errorf("--fail-on: unknown severity %q (want one of: %s)", s, strings.Join(severities, ", ")))
}

// severityAtLeast reports whether severity s is threshold or worse.
func severityAtLeast(s, threshold string) bool {
	i, t := slices.Index(severities, s), slices.Index(severities, threshold)
	return i >= 0 && i <= t
}

// orWorse is "high or worse", or "critical".
func orWorse(threshold string) string {
	if threshold == severities[0] {
		return threshold
	}
	return threshold + " or worse"
}

// writeActions prints one block per action: severity, code and subject,
// then the message wrapped under them, in at most 100 columns.
func writeActions(w io.Writer, org *tamledger.Organization, list score.ActionList) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Next actions for %s as of %s\n", orgTitle(org, tableWidth-34), list.AsOf)
	if len(list.Actions) == 0 {
		b.WriteString("\nNothing to push for: the charter, the account team and the calendar are in order.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	count := map[string]int{}
	for _, a := range list.Actions {
		count[a.Severity]++
		head := fmt.Sprintf("%-9s %-25s %s", strings.ToUpper(a.Severity), a.Code, clip(printable(a.Subject), tableWidth-36))
		b.WriteString("\n" + strings.TrimRight(head, " ") + "\n")
		for _, line := range wrap(printable(a.Message), tableWidth-10) {
			b.WriteString("          " + line + "\n")
		}
	}
	fmt.Fprintf(&b, "\n%d action%s: %d critical, %d high, %d medium, %d low\n", len(list.Actions), plural(len(list.Actions)),
		count[score.Critical], count[score.High], count[score.Medium], count[score.Low])
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
