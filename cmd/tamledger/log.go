package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/ledger"
)

func init() { register(newLogCmd) }

func newLogCmd(a *app) *cobra.Command {
	var (
		org, by, date, id string
		workloads, people []string
		replace, again    bool
		rev               int64
	)
	c := &cobra.Command{
		Use:   "log SERVICE [SUMMARY...] --org ID --by tam|customer",
		Short: "Record an engagement in one line",
		Long: `Log records one engagement: a strategy call, a cost review, a
Well-Architected Review... SERVICE is one of:
  ` + tamledger.Services.String() + `
--by says who took the initiative (tam or customer): it drives the proactive
ratio. The date defaults to today in the organisation's time zone and the id
to e-DATE-SERVICE (with -2, -3... when taken).

Nothing is recorded twice or overwritten by accident: an --id that exists is
refused unless --replace (with --rev N, only if it is still at rev N, as
tamledger get shows it), and the same engagement as one already recorded
(same date, service, initiator and summary: a command run twice) is refused
unless --again. The fields log sets belong to the CLI: a later import of a
file that states the engagement differently is a conflict, not a silent
overwrite.`,
		Example: `  tamledger log --org acme strategy-call --by tam --workload payments "Q3 roadmap"
  tamledger log --org acme well-architected-review --by customer --workload payments --date 2026-11-20
  tamledger log --org acme cost-review --by tam --attendee "Jane Roe" "Savings plan coverage"
  tamledger log --org acme strategy-call --by tam --id e-q3 --replace "Q3 roadmap, revised"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			if org == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id)"))
			}
			if rev != 0 && !replace {
				return usageError(fmt.Errorf("--rev applies with --replace only"))
			}
			req := ledger.LogRequest{Org: org, ID: id, Replace: replace, Again: again, Rev: rev, NoDate: date == "",
				Engagement: tamledger.Engagement{Service: args[0], InitiatedBy: by, Workloads: workloads,
					Attendees: people, Summary: strings.Join(args[1:], " "), Source: "manual"}}
			if date != "" {
				if req.Engagement.Date, err = tamledger.ParseDate(date); err != nil {
					return usageError(fmt.Errorf("--date: %v", err))
				}
			}
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			done, err := ledger.Log(ctx, st, req)
			var pe tamledger.ProblemsError
			if errors.As(err, &pe) {
				var problems []string
				for _, f := range pe {
					problems = append(problems, flagName(f.Path)+": "+f.Message)
				}
				return usageError(errors.New(strings.Join(problems, "\n")))
			}
			if err != nil {
				return err
			}
			e := done.Value
			if format == "json" {
				return writeJSON(a.out, loggedJSON{Change: done.Change.String(), Organization: org, ID: done.ID,
					Date: e.Date.String(), Service: e.Service, InitiatedBy: e.InitiatedBy})
			}
			fmt.Fprintf(a.out, "%s engagement %s: %s on %s, initiated by %s\n", done.Change, done.ID, e.Service, e.Date, e.InitiatedBy)
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&by, "by", "", "who initiated it: tam or customer (required)")
	c.Flags().StringVar(&date, "date", "", "date YYYY-MM-DD (default today in the organisation's time zone)")
	c.Flags().StringVar(&id, "id", "", "engagement id (default e-DATE-SERVICE)")
	c.Flags().StringSliceVarP(&workloads, "workload", "w", nil, "workload id it concerned (repeat or comma-separate)")
	c.Flags().StringSliceVar(&people, "attendee", nil, "who attended (repeat)")
	c.Flags().BoolVar(&replace, "replace", false, "replace the engagement --id if it exists")
	c.Flags().BoolVar(&again, "again", false, "record it even if the same engagement is already recorded")
	c.Flags().Int64Var(&rev, "rev", 0, "with --replace: only if the engagement is still at this rev (tamledger get shows it)")
	return c
}

// loggedJSON is log -o json.
type loggedJSON struct {
	Change       string `json:"change"` // created, updated or unchanged
	Organization string `json:"organization"`
	ID           string `json:"id"`
	Date         string `json:"date"`
	Service      string `json:"service"`
	InitiatedBy  string `json:"initiatedBy"`
}

func flagName(path string) string {
	switch {
	case path == "initiatedBy":
		return "--by"
	case path == "service":
		return "SERVICE"
	case strings.HasPrefix(path, "workloads"):
		return "--workload"
	}
	return "--" + path
}
