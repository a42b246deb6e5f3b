package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger/ledger"
)

func init() { register(newCaseCmd) }

func newCaseCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "case",
		Short: "Work with support cases",
		Args:  cobra.NoArgs,
	}
	c.AddCommand(newCaseSetCmd(a))
	return c
}

func newCaseSetCmd(a *app) *cobra.Command {
	var org, engaged string
	var clear bool
	var rev int64
	c := &cobra.Command{
		Use:   "set ID --org ORG (--tam-engaged-at INSTANT | --clear-tam-engaged-at)",
		Short: "Record when the TAM joined a case",
		Long: `Set records when the TAM engaged on a support case: the instant
escalation responsiveness compares with the charter's response target for
the case's severity (tamEngagedAt − openedAt ≤ tamResponseHours). AWS's
Support API does not say it, so tamledger sync aws never writes it: record
it here.

INSTANT is RFC 3339 with a zone (2026-04-02T11:30:00Z, 2026-04-02T12:30:00+01:00),
kept in UTC; it cannot be before the case was opened. The field belongs to
the CLI from then on: a later sync from AWS, or a re-import of the file the
case came from, keeps it. --rev N refuses the change if someone changed the
case since you read it at rev N (tamledger get shows it).`,
		Example: `  tamledger case set aws-case-111122223333-muen-2026-3c4d5e6f7a8b9c0d --org acme --tam-engaged-at 2026-04-02T11:30:00Z
  tamledger case set case-1234 --org acme --tam-engaged-at 2026-04-02T12:30:00+01:00 --rev 2
  tamledger case set case-1234 --org acme --clear-tam-engaged-at`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			if org == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id)"))
			}
			req := ledger.EngagedRequest{Org: org, ID: args[0], Rev: rev}
			switch {
			case clear && engaged != "":
				return usageError(fmt.Errorf("give --tam-engaged-at or --clear-tam-engaged-at, not both"))
			case engaged != "":
				t, err := time.Parse(time.RFC3339Nano, engaged)
				if err != nil {
					return usageError(fmt.Errorf("--tam-engaged-at: bad instant %q (want RFC 3339 with a zone, such as 2026-04-02T11:30:00Z)", engaged))
				}
				req.At = &t
			case !clear:
				return usageError(fmt.Errorf("give --tam-engaged-at INSTANT, or --clear-tam-engaged-at"))
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			done, err := ledger.SetTAMEngaged(ctx, st, req)
			if err != nil {
				return err
			}
			at := ""
			if done.Value.TAMEngagedAt != nil {
				at = done.Value.TAMEngagedAt.Format(time.RFC3339Nano)
			}
			if format == "json" {
				return writeJSON(a.out, struct {
					Change       string `json:"change"`
					Organization string `json:"organization"`
					ID           string `json:"id"`
					TAMEngagedAt string `json:"tamEngagedAt,omitempty"`
				}{done.Change.String(), org, args[0], at})
			}
			if at == "" {
				fmt.Fprintf(a.out, "%s case %s: TAM engagement cleared\n", done.Change, args[0])
				return nil
			}
			fmt.Fprintf(a.out, "%s case %s: TAM engaged at %s, %s after it was opened\n", done.Change, args[0], at,
				done.Value.TAMEngagedAt.Sub(done.Value.OpenedAt).Round(time.Minute))
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&engaged, "tam-engaged-at", "", "when the TAM joined the case (RFC 3339)")
	c.Flags().BoolVar(&clear, "clear-tam-engaged-at", false, "remove the recorded instant")
	c.Flags().Int64Var(&rev, "rev", 0, "only if the case is still at this rev (tamledger get shows it)")
	return c
}
