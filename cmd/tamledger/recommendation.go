package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/ledger"
)

func init() { register(newRecommendationCmd) }

func newRecommendationCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:     "recommendation",
		Aliases: []string{"rec"},
		Short:   "Work with recommendations",
		Args:    cobra.NoArgs,
	}
	c.AddCommand(newRecommendationSetCmd(a))
	return c
}

func newRecommendationSetCmd(a *app) *cobra.Command {
	var org, status, on, realized, reason string
	var rev int64
	c := &cobra.Command{
		Use:   "set ID --org ORG --status STATUS [--on DATE] [--realized N] [--reason TEXT]",
		Short: "Record a recommendation's status: implemented, rejected, deferred ...",
		Long: `Set changes the status of a recorded recommendation. STATUS is one of:
  ` + tamledger.Statuses.String() + `

implemented: --on is the day it was implemented (default: the date already
recorded, else today in the organisation's time zone); --realized the monthly
saving measured since (0 is a measurement: "it saved nothing"). Its value
accrues from that day in tamledger roi.

rejected and deferred need --reason, which is kept with the recommendation
(statusReason). Any other status may carry one; a status change without
--reason clears the old reason. Leaving implemented clears implementedOn and
the realized saving.

The fields set changes belong to the CLI from then on: re-importing the
unchanged file the recommendation came from keeps them, and a file that
changes them is a conflict (see tamledger import --help). --rev N refuses
the change if someone changed the recommendation since you read it at rev N.`,
		Example: `  tamledger recommendation set r-17 --org acme --status implemented --on 2026-03-15
  tamledger recommendation set r-17 --org acme --status implemented --realized 10500
  tamledger recommendation set r-21 --org acme --status rejected --reason "Workload retires in Q3"
  tamledger recommendation set r-22 --org acme --status deferred --reason "After the migration" --rev 3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			id := args[0]
			if org == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id)"))
			}
			if status == "" {
				return usageError(fmt.Errorf("--status is required (want one of: %s)", tamledger.Statuses.String()))
			}
			if !tamledger.Statuses.Has(status) {
				return usageError(fmt.Errorf("--status: unknown value %q (want one of: %s)", status, tamledger.Statuses.String()))
			}
			req := ledger.StatusRequest{Org: org, ID: id, Status: status, Reason: strings.TrimSpace(reason), Rev: rev}
			var problems []string
			if (status == "rejected" || status == "deferred") && req.Reason == "" {
				problems = append(problems, fmt.Sprintf("--reason is required with --status %s (say why, for the record)", status))
			}
			if on != "" {
				if status != "implemented" {
					problems = append(problems, fmt.Sprintf("--on applies to --status implemented only, not %s", status))
				} else if d, err := tamledger.ParseDate(on); err != nil {
					problems = append(problems, "--on: "+err.Error())
				} else {
					req.On = &d
				}
			}
			if realized != "" {
				if status != "implemented" {
					problems = append(problems, fmt.Sprintf("--realized applies to --status implemented only, not %s", status))
				} else if m, err := nonNegativeAmount(realized); err != nil {
					problems = append(problems, "--realized: "+err.Error())
				} else {
					req.Realized = &m
				}
			}
			if len(problems) > 0 {
				return usageError(fmt.Errorf("%s", strings.Join(problems, "\n")))
			}

			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			done, err := ledger.SetStatus(ctx, st, req)
			if err != nil {
				return err
			}
			r := done.Value
			if format == "json" {
				out := statusJSON{Change: done.Change.String(), Organization: org, ID: id, Status: r.Status,
					StatusReason: r.StatusReason, Cleared: done.Cleared}
				if r.ImplementedOn != nil {
					out.ImplementedOn = r.ImplementedOn.String()
				}
				if r.RealizedMonthlySavings != nil {
					out.RealizedMonthlySavings = r.RealizedMonthlySavings
				}
				return writeJSON(a.out, out)
			}
			msg := fmt.Sprintf("%s recommendation %s: %s", done.Change, id, r.Status)
			if r.Status == "implemented" {
				msg += " on " + r.ImplementedOn.String()
				if r.RealizedMonthlySavings != nil {
					msg += ", realized " + r.RealizedMonthlySavings.String() + " a month"
				}
			}
			if r.StatusReason != "" {
				msg += " (" + r.StatusReason + ")"
			}
			for i, c := range done.Cleared {
				sep := ", "
				if i == 0 {
					sep = "; "
				}
				msg += sep + "cleared " + c
			}
			fmt.Fprintln(a.out, msg)
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&status, "status", "", "new status: "+tamledger.Statuses.String()+" (required)")
	c.Flags().StringVar(&on, "on", "", "implemented on YYYY-MM-DD (with --status implemented)")
	c.Flags().StringVar(&realized, "realized", "", "realized monthly saving (with --status implemented)")
	c.Flags().StringVar(&reason, "reason", "", "why (required for rejected and deferred)")
	c.Flags().Int64Var(&rev, "rev", 0, "only if the recommendation is still at this rev (tamledger get shows it)")
	return c
}

// statusJSON is recommendation set -o json.
type statusJSON struct {
	Change                 string           `json:"change"` // updated or unchanged
	Organization           string           `json:"organization"`
	ID                     string           `json:"id"`
	Status                 string           `json:"status"`
	StatusReason           string           `json:"statusReason,omitempty"`
	ImplementedOn          string           `json:"implementedOn,omitempty"`
	RealizedMonthlySavings *tamledger.Money `json:"realizedMonthlySavings,omitempty"`
	Cleared                []string         `json:"cleared,omitempty"` // "implementedOn 2026-03-15", ...
}
