package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
)

func init() { register(newLogCmd) }

func newLogCmd(a *app) *cobra.Command {
	var (
		org, by, date, id string
		workloads, people []string
	)
	c := &cobra.Command{
		Use:   "log SERVICE [SUMMARY...] --org ID --by tam|customer",
		Short: "Record an engagement in one line",
		Long: `Log records one engagement: a strategy call, a cost review, a
Well-Architected Review... SERVICE is one of:
  ` + strings.Join(tamledger.Services, ", ") + `
--by says who took the initiative (tam or customer): it drives the proactive
ratio. The date defaults to today in the organisation's time zone and the id
to e-DATE-SERVICE (with -2, -3... when taken).`,
		Example: `  tamledger log --org acme strategy-call --by tam --workload payments "Q3 roadmap"
  tamledger log --org acme well-architected-review --by customer --workload payments --date 2026-11-20
  tamledger log --org acme cost-review --by tam --attendee "Jane Roe" "Savings plan coverage"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if org == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id)"))
			}
			e := &tamledger.Engagement{Service: args[0], InitiatedBy: by, Workloads: workloads,
				Attendees: people, Summary: strings.Join(args[1:], " "), Source: "manual"}
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
			if date == "" {
				e.Date = tamledger.Today(o.Location())
			} else if e.Date, err = tamledger.ParseDate(date); err != nil {
				return usageError(fmt.Errorf("--date: %v", err))
			}
			var problems []string
			if err := e.Validate(); err != nil {
				for _, f := range err.(tamledger.ProblemsError) {
					problems = append(problems, flagName(f.Path)+": "+f.Message)
				}
			}
			for _, w := range workloads {
				if o.Workload(w) == nil {
					problems = append(problems, fmt.Sprintf("--workload: unknown workload %q (want one of: %s)", w, o.WorkloadIDs()))
				}
			}
			if len(problems) > 0 {
				return usageError(fmt.Errorf("%s", strings.Join(problems, "\n")))
			}
			if id == "" {
				base := "e-" + e.Date.String() + "-" + e.Service
				id = base
				for n := 2; ; n++ {
					_, taken, err := tx.Get(ctx, tamledger.KindEngagement, org, id)
					if err != nil {
						return err
					}
					if !taken {
						break
					}
					id = fmt.Sprintf("%s-%d", base, n)
				}
			} else if !tamledger.ValidID(id) {
				return usageError(fmt.Errorf("--id: bad id %q (%s)", id, tamledger.IDHint))
			}
			r := tamledger.Record{Kind: tamledger.KindEngagement, Org: org, ID: id, Value: e}
			r.SetKey()
			ch, err := tx.Put(ctx, r)
			if err != nil {
				return err
			}
			if err := tx.Commit(); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%s engagement %s: %s on %s, initiated by %s\n", ch, id, e.Service, e.Date, e.InitiatedBy)
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&by, "by", "", "who initiated it: tam or customer (required)")
	c.Flags().StringVar(&date, "date", "", "date YYYY-MM-DD (default today in the organisation's time zone)")
	c.Flags().StringVar(&id, "id", "", "engagement id (default e-DATE-SERVICE)")
	c.Flags().StringSliceVarP(&workloads, "workload", "w", nil, "workload id it concerned (repeat or comma-separate)")
	c.Flags().StringSliceVar(&people, "attendee", nil, "who attended (repeat)")
	return c
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
