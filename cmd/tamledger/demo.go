package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/store"
)

func init() { register(newDemoCmd) }

func newDemoCmd(a *app) *cobra.Command {
	var (
		seed  int64
		asOf  string
		force bool
	)
	c := &cobra.Command{
		Use:   "demo",
		Short: "Fill a fresh store with a generated portfolio and show what to try",
		Long: `Demo fills a fresh store with a realistic, generated portfolio: a dozen
organisations with two to three years of history each, some relationships
healthy and some failing, so every health band and every action appears.

It refuses to touch a store that already holds organisations; --force
removes that store first: a SQLite file with its -wal and -shm files, or
tamledger's tables in a PostgreSQL schema (nothing else in it).`,
		Example: `  tamledger demo
  tamledger demo --db /tmp/demo.db --as-of 2026-06-30`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			day := tamledger.Today(time.UTC)
			if asOf != "" {
				var err error
				if day, err = tamledger.ParseDate(asOf); err != nil {
					return usageError(fmt.Errorf("--as-of: %v", err))
				}
			}
			if force {
				if err := store.Remove(ctx, a.db); err != nil {
					return err
				}
			}
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			orgs, err := st.Organizations(ctx)
			if err != nil {
				return err
			}
			if len(orgs) > 0 {
				return usageError(fmt.Errorf("the store %s already holds %d organisation(s); the demo wants a fresh one: use --db another.db, or --force to replace it", a.dbRedacted(), len(orgs)))
			}
			recs := demo.Generate(seed, day)
			tx, err := st.Begin(ctx)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			for i := 0; i < len(recs); i += 500 {
				if _, err := tx.PutBatch(ctx, recs[i:min(i+500, len(recs))]); err != nil {
					return err
				}
			}
			if err := tx.Commit(); err != nil {
				return err
			}
			n := 0
			for _, r := range recs {
				if r.Kind == tamledger.KindOrganization {
					n++
				}
			}
			db := ""
			if a.db != "tamledger.db" {
				db = " --db " + a.dbRedacted()
			}
			fmt.Fprintf(a.out, `Generated %d organisations (%d documents) as of %s into %s.

Try:
  tamledger portfolio%[5]s                 every organisation, worst first
  tamledger scorecard%[5]s --org %[6]s     is the charter delivered?
  tamledger actions%[5]s --org %[6]s       what to demand next
  tamledger roi%[5]s --org %[6]s --year %[7]d   what it was worth against its cost
  tamledger export%[5]s --org %[6]s        the documents behind it all
`, n, len(recs), day, a.dbRedacted(), db, firstOrg(recs), day.Year)
			return nil
		},
	}
	c.Flags().Int64Var(&seed, "seed", 1, "generator seed: the same seed and date give the same portfolio")
	c.Flags().StringVar(&asOf, "as-of", "", "the day the history runs up to (default today)")
	c.Flags().BoolVar(&force, "force", false, "remove the store first (its file, or its tables in a PostgreSQL schema)")
	return c
}

func firstOrg(recs []tamledger.Record) string {
	for _, r := range recs {
		if r.Kind == tamledger.KindOrganization {
			return r.ID
		}
	}
	return "ORG"
}
