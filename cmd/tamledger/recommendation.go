package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
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
	c := &cobra.Command{
		Use:   "set ID --org ORG --status STATUS [--on DATE] [--realized N] [--reason TEXT]",
		Short: "Record a recommendation's status: implemented, rejected, deferred ...",
		Long: `Set changes the status of a recorded recommendation. STATUS is one of:
  ` + strings.Join(tamledger.Statuses, ", ") + `

implemented: --on is the day it was implemented (default: the date already
recorded, else today in the organisation's time zone); --realized the monthly
saving measured since (0 is a measurement: "it saved nothing"). Its value
accrues from that day in tamledger roi.

rejected and deferred need --reason, which is kept with the recommendation
(statusReason). Any other status may carry one; a status change without
--reason clears the old reason. Leaving implemented clears implementedOn and
the realized saving.`,
		Example: `  tamledger recommendation set r-17 --org acme --status implemented --on 2026-03-15
  tamledger recommendation set r-17 --org acme --status implemented --realized 10500
  tamledger recommendation set r-21 --org acme --status rejected --reason "Workload retires in Q3"
  tamledger recommendation set r-22 --org acme --status deferred --reason "After the migration"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if org == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id)"))
			}
			if status == "" {
				return usageError(fmt.Errorf("--status is required (want one of: %s)", strings.Join(tamledger.Statuses, ", ")))
			}
			if !tamledger.Valid(tamledger.Statuses, status) {
				return usageError(fmt.Errorf("--status: unknown value %q (want one of: %s)", status, strings.Join(tamledger.Statuses, ", ")))
			}
			reason = strings.TrimSpace(reason)
			var problems []string
			if (status == "rejected" || status == "deferred") && reason == "" {
				problems = append(problems, fmt.Sprintf("--reason is required with --status %s (say why, for the record)", status))
			}
			var onDate *tamledger.Date
			if on != "" {
				if status != "implemented" {
					problems = append(problems, fmt.Sprintf("--on applies to --status implemented only, not %s", status))
				} else if d, err := tamledger.ParseDate(on); err != nil {
					problems = append(problems, "--on: "+err.Error())
				} else {
					onDate = &d
				}
			}
			var realizedM *tamledger.Money
			if realized != "" {
				if status != "implemented" {
					problems = append(problems, fmt.Sprintf("--realized applies to --status implemented only, not %s", status))
				} else if m, err := nonNegativeAmount(realized); err != nil {
					problems = append(problems, "--realized: "+err.Error())
				} else {
					realizedM = &m
				}
			}
			if len(problems) > 0 {
				return usageError(fmt.Errorf("%s", strings.Join(problems, "\n")))
			}

			ctx := cmd.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			tx, err := st.Begin(ctx)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			o, err := organization(ctx, tx, org)
			if err != nil {
				return err
			}
			rec, ok, err := tx.Get(ctx, tamledger.KindRecommendation, org, id)
			if err != nil {
				return err
			}
			if !ok {
				return usageError(fmt.Errorf("unknown recommendation %q of organization %q", id, org))
			}
			r := rec.Value.(*tamledger.Recommendation)
			var notes []string
			if status == "implemented" {
				switch {
				case onDate != nil:
					r.ImplementedOn = onDate
				case r.ImplementedOn == nil || r.ImplementedOn.IsZero():
					today := tamledger.Today(o.Location())
					r.ImplementedOn = &today
				}
				if r.ImplementedOn.Before(r.RaisedOn) {
					return usageError(fmt.Errorf("--on %s is before the recommendation was raised on %s", r.ImplementedOn, r.RaisedOn))
				}
				if realizedM != nil {
					r.RealizedMonthlySavings = realizedM
				}
			} else {
				if r.ImplementedOn != nil {
					notes = append(notes, "cleared implementedOn "+r.ImplementedOn.String())
					r.ImplementedOn = nil
				}
				if r.RealizedMonthlySavings != nil {
					notes = append(notes, "cleared realizedMonthlySavings "+r.RealizedMonthlySavings.String())
					r.RealizedMonthlySavings = nil
				}
			}
			if reason != "" || status != r.Status {
				r.StatusReason = reason
			}
			r.Status = status
			if err := r.Validate(); err != nil {
				return usageError(fmt.Errorf("recommendation %s: %v", id, err))
			}
			rec.Kind, rec.Org, rec.ID, rec.Value = tamledger.KindRecommendation, org, id, r
			rec.SetKey()
			ch, err := tx.Put(ctx, rec)
			if err != nil {
				return err
			}
			if err := tx.Commit(); err != nil {
				return err
			}
			msg := fmt.Sprintf("%s recommendation %s: %s", ch, id, status)
			if status == "implemented" {
				msg += " on " + r.ImplementedOn.String()
				if r.RealizedMonthlySavings != nil {
					msg += ", realized " + r.RealizedMonthlySavings.String() + " a month"
				}
			}
			if r.StatusReason != "" {
				msg += " (" + r.StatusReason + ")"
			}
			if len(notes) > 0 {
				msg += "; " + strings.Join(notes, ", ")
			}
			fmt.Fprintln(a.out, msg)
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&status, "status", "", "new status: "+strings.Join(tamledger.Statuses, ", ")+" (required)")
	c.Flags().StringVar(&on, "on", "", "implemented on YYYY-MM-DD (with --status implemented)")
	c.Flags().StringVar(&realized, "realized", "", "realized monthly saving (with --status implemented)")
	c.Flags().StringVar(&reason, "reason", "", "why (required for rejected and deferred)")
	return c
}
