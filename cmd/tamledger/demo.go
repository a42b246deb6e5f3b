package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
)

func init() { register(newDemoCmd) }

func newDemoCmd(a *app) *cobra.Command {
	var (
		seed    int64
		asOf    string
		force   bool
		noServe bool
		sf      serveFlags
	)
	c := &cobra.Command{
		Use:   "demo",
		Short: "Fill a fresh store with a generated portfolio, then serve it in the browser",
		Long: `Demo fills a fresh store with a realistic, generated portfolio: a dozen
organisations with two to three years of history each, some relationships
healthy and some failing, so every health band and every action appears.

Then it serves the web app on --addr, as tamledger serve does, with a demo
admin account (demo@tamledger.invalid, no password) and prints a one-time
sign-in link: open it to be signed in. The link works once, within 15
minutes; run tamledger demo --force again for a new one, or give the account
a password with tamledger user remove and user add. --no-serve stops after
filling the store and prints what to try in the terminal.

It refuses to touch a store that already holds organisations; --force
removes that store first: a SQLite file with its -wal and -shm files, or
tamledger's tables in a PostgreSQL schema (nothing else in it).`,
		Example: `  tamledger demo                          # then open the link it prints
  tamledger demo --addr 127.0.0.1:9000
  tamledger demo --no-serve --db /tmp/demo.db --as-of 2026-06-30`,
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
			if !noServe {
				if err := sf.check(); err != nil {
					return err
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
`, n, len(recs), day, a.dbRedacted())
			if !noServe {
				return a.serveDemo(ctx, st, sf)
			}
			fmt.Fprintf(a.out, `
Try:
  tamledger portfolio%[1]s                 every organisation, worst first
  tamledger scorecard%[1]s --org %[2]s     is the charter delivered?
  tamledger actions%[1]s --org %[2]s       what to demand next
  tamledger roi%[1]s --org %[2]s --year %[3]d   what it was worth against its cost
  tamledger export%[1]s --org %[2]s        the documents behind it all
  tamledger serve%[1]s                     the web app (tamledger user add first)
`, db, firstOrg(recs), day.Year)
			return nil
		},
	}
	c.Flags().Int64Var(&seed, "seed", 1, "generator seed: the same seed and date give the same portfolio")
	c.Flags().StringVar(&asOf, "as-of", "", "the day the history runs up to (default today)")
	c.Flags().BoolVar(&force, "force", false, "remove the store first (its file, or its tables in a PostgreSQL schema)")
	c.Flags().BoolVar(&noServe, "no-serve", false, "fill the store and stop: do not serve the web app")
	sf.add(c)
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

// DemoUser is the account tamledger demo signs in with its one-time link.
const DemoUser = "demo@tamledger.invalid"

// serveDemo creates the demo admin, serves st and prints a one-time
// sign-in link once the server listens.
func (a *app) serveDemo(ctx context.Context, st *store.Store, sf serveFlags) error {
	if _, ok, err := st.User(ctx, DemoUser); err != nil {
		return err
	} else if !ok {
		if err := st.AddUser(ctx, store.User{Email: DemoUser, Role: string(access.Admin)}); err != nil {
			return err
		}
	}
	link, err := web.CreateSignInLink(ctx, st, DemoUser)
	if err != nil {
		return err
	}
	return a.serve(ctx, st, sf, func(base string) {
		fmt.Fprintf(a.out, "\nOpen this link to sign in as %s (admin); it works once, within %d minutes:\n  %s%s\n", DemoUser, int(web.SignInLinkTTL/time.Minute), base, link)
	})
}
