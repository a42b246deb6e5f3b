package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger/ledger"
)

func init() { register(newDeleteCmd) }

func newDeleteCmd(a *app) *cobra.Command {
	var org string
	var rev int64
	c := &cobra.Command{
		Use:   "delete KIND ID --org ORG [--rev N]",
		Short: "Delete one record",
		Long: `Delete removes one record: an engagement logged by mistake, a
recommendation that was never real. KIND is singular or plural, as in get:
` + kindHelp() + `
A deletion is recorded like any write: re-importing the unchanged file the
record came from leaves it deleted; a file that changes it is a conflict
(tamledger import --force-conflicts brings it back). An organisation can be
deleted only once it has no records. --rev N deletes only if the record is
still at rev N, as tamledger get showed it.`,
		Example: `  tamledger delete engagement e-2026-11-20-strategy-call-2 --org acme
  tamledger delete rec r-17 --org acme --rev 3
  tamledger delete organization old-subsidiary`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			k, ok := findKind(args[0])
			if !ok {
				return usageError(fmt.Errorf("unknown kind %q (want one of: %s)", args[0], kindNames()))
			}
			switch {
			case k.Scoped && org == "":
				return usageError(fmt.Errorf("--org is required for %s (the organisation id; tamledger get organizations lists them)", k.Plural))
			case !k.Scoped && org != "":
				return usageError(fmt.Errorf("--org does not apply to %s: they belong to no organisation", k.Plural))
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := ledger.Delete(ctx, st, k.Name, org, args[1], rev); err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.out, map[string]string{"deleted": k.Name, "organization": org, "id": args[1]})
			}
			if org != "" {
				fmt.Fprintf(a.out, "deleted %s %s of %s\n", k.Noun, args[1], org)
			} else {
				fmt.Fprintf(a.out, "deleted %s %s\n", k.Noun, args[1])
			}
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (for every kind but organizations and pricebooks)")
	c.Flags().Int64Var(&rev, "rev", 0, "only if the record is still at this rev")
	return c
}
