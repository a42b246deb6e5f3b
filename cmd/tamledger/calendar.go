package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/calendar"
	"github.com/tamledger/tamledger/score"
)

func init() { register(newCalendarCmd) }

func newCalendarCmd(a *app) *cobra.Command {
	var org, from, to, asOf, file string
	c := &cobra.Command{
		Use:   "calendar --org ID [--from DATE --to DATE] [--as-of DATE] [--file PATH]",
		Short: "The charter's schedule as an iCalendar file (.ics) for Google, Outlook or Apple Calendar",
		Long: `Calendar writes what the charter still asks for as an iCalendar file
(RFC 5545) of all-day events, to import into a calendar:

  - each obligation period still due, on its last day plus its grace days
    ("Quarterly cost review due by 30 Sep 2026");
  - each planned event without an IEM request, on the day to request
    Infrastructure Event Management (the event's date minus the recommended
    lead of the charter in force, 30 days unless the charter says otherwise);
  - each open reassignment request, on the day to escalate it (30 days after
    it was made);
  - the EDP, on the day its renewal dossier is due (180 days before it ends).

The window is --from to --to, inclusive; by default from --as-of (today in
the organisation's time zone) to one year on. What is still due is judged as
of --as-of. Each event has a stable UID, so importing a newer file into the
same calendar updates the events instead of duplicating them, and the output
is the same bytes for the same store, window and --as-of (DTSTAMP is
--as-of, or --from, at midnight UTC). docs/calendar.md explains the imports.

To have the schedule update itself in the team's calendars, subscribe to
an address of tamledger serve instead: tamledger calendar feed create
makes one (or the charter page of the web app), and it serves what this
command writes with no --from, --to or --as-of, on the day it is fetched.`,
		Example: `  tamledger calendar --org acme > acme-charter.ics
  tamledger calendar --org acme --from 2026-01-01 --to 2026-12-31 --file acme-2026.ics
  tamledger calendar --org acme --as-of 2026-05-20
  tamledger calendar feed create --org acme --name "Team calendar" --base-url https://tamledger.example.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var fromDate, toDate, asOfDate tamledger.Date
			for _, f := range []struct {
				name, s string
				d       *tamledger.Date
			}{{"--from", from, &fromDate}, {"--to", to, &toDate}, {"--as-of", asOf, &asOfDate}} {
				if f.s == "" {
					continue
				}
				d, err := tamledger.ParseDate(f.s)
				if err != nil {
					return usageError(fmt.Errorf("%s: %v", f.name, err))
				}
				*f.d = d
			}
			if from != "" && to != "" && fromDate.After(toDate) {
				return usageError(fmt.Errorf("--from %s is after --to %s (the window is --from to --to, inclusive)", fromDate, toDate))
			}
			l, err := a.ledger(cmd.Context(), org)
			if err != nil {
				return err
			}
			if asOf == "" {
				asOfDate = tamledger.Today(l.Org.Location())
			}
			stamp := asOfDate
			if from == "" {
				fromDate = asOfDate
			} else if asOf == "" {
				stamp = fromDate
			}
			if to == "" {
				toDate = fromDate.AddYears(1).AddDays(-1)
			}
			if fromDate.After(toDate) {
				return usageError(fmt.Errorf("--to %s is before the window's start %s", toDate, fromDate))
			}
			var b bytes.Buffer
			if from == "" && to == "" {
				// The default window: the subscription addresses' calendar.
				err = calendar.Feed(&b, l, asOfDate)
			} else {
				entries := calendar.Schedule(l, asOfDate, score.Window{From: fromDate, To: toDate})
				err = calendar.Write(&b, l.Org, entries, stamp)
			}
			if err != nil {
				return err
			}
			if file == "" {
				_, err := a.out.Write(b.Bytes())
				return err
			}
			if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
				return &exitError{exitUnavailable, fmt.Errorf("write %s: %v", file, err)}
			}
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&from, "from", "", "first day of the window, YYYY-MM-DD (default --as-of)")
	c.Flags().StringVar(&to, "to", "", "last day of the window, YYYY-MM-DD (default one year after --from, less a day)")
	c.Flags().StringVar(&asOf, "as-of", "", "judge what is still due as of this date, YYYY-MM-DD (default today in the organisation's time zone)")
	c.Flags().StringVar(&file, "file", "", "write the calendar to this file instead of standard output")
	c.AddCommand(newCalendarFeedCmd(a))
	return c
}
