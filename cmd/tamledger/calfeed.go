package main

import (
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
)

// defaultBaseURL is where tamledger serve listens by default.
const defaultBaseURL = "http://127.0.0.1:8080"

func newCalendarFeedCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "feed create|list|revoke",
		Short: "Manage the subscription addresses of the charter's schedule (calendar feeds)",
		Long: `Feed manages the secret addresses that calendar apps subscribe to, so
that the charter's schedule updates itself in the team's calendars:
tamledger serve answers GET /calendar/TOKEN.ics with the bytes tamledger
calendar --org writes that day, to anyone who has the address, without
signing in (calendar apps cannot). The address is shown once, when
created; the store keeps only the SHA-256 of its token. It works until it
is revoked, until the organisation is deleted, or, for one made in the web
app, until the user who made it is removed. docs/calendar.md shows how to
subscribe in Google Calendar, Outlook and Apple Calendar.`,
		Example: `  tamledger calendar feed create --org acme --name "Team calendar" --base-url https://tamledger.example.com
  tamledger calendar feed list --org acme
  tamledger calendar feed revoke 3 --org acme`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}

	var org, name, base string
	create := &cobra.Command{
		Use:   "create --org ID --name NAME [--base-url URL]",
		Short: "Create a subscription address; it is printed once, as the last line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if org == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id; tamledger portfolio lists them)"))
			}
			if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
				return usageError(fmt.Errorf("--base-url: %q is not the address of tamledger serve (want http:// or https://, a host and no query, such as https://tamledger.example.com)", base))
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			token, f, err := web.CreateCalendarFeed(ctx, st, org, name, store.CreatedByCLI)
			if err != nil {
				return err
			}
			https, webcal := web.CalendarFeedURLs(base, token)
			fmt.Fprintf(a.out, "Calendar feed %d %q of %s created. Its address is shown once: whoever has it can read the schedule,\n"+
				"until tamledger calendar feed revoke %d --org %s. Subscribe with one of these (webcal:// opens the calendar app):\n%s\n%s\n",
				f.ID, f.Name, org, f.ID, org, webcal, https)
			return nil
		},
	}
	create.Flags().StringVar(&org, "org", "", "organisation id (required)")
	create.Flags().StringVar(&name, "name", "", `who subscribes, such as "Team calendar" (required)`)
	create.Flags().StringVar(&base, "base-url", defaultBaseURL, "the address people reach tamledger serve at")
	create.MarkFlagRequired("name")

	var listOrg string
	list := &cobra.Command{
		Use:   "list --org ID [-o table|json]",
		Short: "List an organisation's calendar feeds (never their addresses), revoked ones too",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			if listOrg == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id; tamledger portfolio lists them)"))
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			feeds, err := st.CalendarFeeds(ctx, listOrg)
			if err != nil {
				return err
			}
			if format == "json" {
				out := make([]web.FeedJSON, len(feeds))
				for i, f := range feeds {
					out[i] = web.FeedOf(f)
				}
				return writeJSON(a.out, out)
			}
			if len(feeds) == 0 {
				_, err := io.WriteString(a.out, "No calendar feed: tamledger calendar feed create --org "+listOrg+" --name NAME creates one.\n")
				return err
			}
			t := newTable(numCol("ID"), textCol("NAME", 16), textCol("CREATED BY", 16), fixedCol("CREATED"), textCol("REVOKED", 16))
			for _, f := range feeds {
				revoked := ""
				if f.Revoked() {
					revoked = f.RevokedAt.UTC().Format(time.RFC3339) + " by " + f.RevokedBy
				}
				t.add(strconv.FormatInt(f.ID, 10), f.Name, f.CreatedBy, f.CreatedAt.UTC().Format(time.RFC3339), revoked)
			}
			return t.write(a.out)
		},
	}
	list.Flags().StringVar(&listOrg, "org", "", "organisation id (required)")

	var revokeOrg string
	revoke := &cobra.Command{
		Use:   "revoke ID --org ID",
		Short: "Revoke a calendar feed: its address answers 404 from now on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageError(fmt.Errorf("feed id %q is not a number (tamledger calendar feed list --org ID shows the ids)", args[0]))
			}
			if revokeOrg == "" {
				return usageError(fmt.Errorf("--org is required (the organisation of the feed)"))
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.RevokeCalendarFeed(ctx, revokeOrg, id, store.CreatedByCLI); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "revoked calendar feed %d of %s\n", id, revokeOrg)
			return nil
		},
	}
	revoke.Flags().StringVar(&revokeOrg, "org", "", "organisation id (required)")
	c.AddCommand(create, list, revoke)
	return c
}
