package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/ledger"
)

// calendarFlags are import's flags for iCalendar files.
type calendarFlags struct {
	org, asOf, from string
}

// isCalendarFile reports whether an import argument is an iCalendar file.
func isCalendarFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".ics" || ext == ".ical" || ext == ".ifb" || ext == ".icalendar"
}

// importCalendar is tamledger import FILE.ics --org ID: the meetings of one
// calendar file into one organisation's engagements.
func (a *app) importCalendar(ctx context.Context, args []string, cf calendarFlags, out string, maxBytes int64, dryRun, force, quiet bool) error {
	if cf.org == "" {
		return usageError(fmt.Errorf("--org is required with an iCalendar file (the organisation whose engagements the meetings are; tamledger get organizations lists them)"))
	}
	if len(args) != 1 {
		return usageError(fmt.Errorf("give one iCalendar file per import, not %d (run tamledger import once per calendar)", len(args)))
	}
	var req ledger.CalendarRequest
	req.Org, req.DryRun, req.Force = cf.org, dryRun, force
	for _, f := range []struct {
		flag, v string
		dst     **tamledger.Date
	}{{"--as-of", cf.asOf, &req.AsOf}, {"--from", cf.from, &req.From}} {
		if f.v == "" {
			continue
		}
		d, err := tamledger.ParseDate(f.v)
		if err != nil {
			return usageError(fmt.Errorf("%s: %v", f.flag, err))
		}
		*f.dst = &d
	}
	req.MaxBytes = maxBytes
	if maxBytes == 0 {
		req.MaxBytes = -1
	}
	name := args[0]
	if name == "-" {
		req.Source = ledger.Source{Name: "<stdin>", Reader: a.in}
	} else {
		f, err := os.Open(name)
		if err != nil {
			return usageError(fmt.Errorf("%s: %v", name, errors.Unwrap(err)))
		}
		defer f.Close()
		req.Source = ledger.Source{Name: name, Reader: f}
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := ledger.ImportCalendar(ctx, st, req)
	var el document.ErrorList
	if errors.As(err, &el) {
		for _, e := range el {
			fmt.Fprintln(a.errOut, e.Error())
		}
		fmt.Fprintf(a.errOut, "tamledger: %d error(s); nothing was imported\n", countReal(el))
		return &exitError{exitUsage, errSilent}
	}
	if err != nil {
		return err
	}
	switch {
	case out == "json":
		return writeJSON(a.out, calendarJSON(req.Source.Name, res, dryRun))
	case quiet && !dryRun:
		return nil
	}
	return printCalendar(a.out, req.Source.Name, res, dryRun)
}

// calendarImportJSON is import FILE.ics -o json.
type calendarImportJSON struct {
	DryRun       bool                  `json:"dryRun"`
	Organization string                `json:"organization"`
	File         string                `json:"file"`
	From         *tamledger.Date       `json:"from"`
	AsOf         tamledger.Date        `json:"asOf"`
	Meetings     []calendarMeetingJSON `json:"meetings"`
	Created      int                   `json:"created"`
	Updated      int                   `json:"updated"`
	Unchanged    int                   `json:"unchanged"`
	Removed      int                   `json:"removed"`
	Pruned       []string              `json:"pruned"`
	Skipped      int                   `json:"skipped"`
	Later        int                   `json:"later"`
	Earlier      int                   `json:"earlier"`
	Frequent     int                   `json:"frequent"`
}

type calendarMeetingJSON struct {
	ID          string         `json:"id"`
	Action      string         `json:"action"`
	Date        tamledger.Date `json:"date"`
	Start       string         `json:"start"`
	AllDay      bool           `json:"allDay"`
	Service     string         `json:"service"`
	InitiatedBy string         `json:"initiatedBy"`
	Workloads   []string       `json:"workloads"`
	Attendees   []string       `json:"attendees"`
	Summary     string         `json:"summary"`
	Rule        ruleJSON       `json:"rule"`
	Kept        []string       `json:"kept"`
	UID         string         `json:"uid"`
	Instance    string         `json:"instance"`
	Line        int            `json:"line"`
	Cancelled   bool           `json:"cancelled"`
}

type ruleJSON struct {
	Match string `json:"match"` // "" when no rule matched (the default service)
	In    string `json:"in"`    // summary | description | ""
	Own   bool   `json:"organization"`
}

func calendarJSON(file string, res *ledger.CalendarResult, dryRun bool) calendarImportJSON {
	out := calendarImportJSON{DryRun: dryRun, Organization: res.Org, File: file, From: res.From, AsOf: res.AsOf,
		Meetings: []calendarMeetingJSON{}, Created: res.Counts.Created, Updated: res.Counts.Updated,
		Unchanged: res.Counts.Unchanged, Removed: res.Removed, Pruned: res.Pruned,
		Skipped: res.Skipped, Later: res.Later, Earlier: res.Earlier, Frequent: res.Frequent}
	if out.Pruned == nil {
		out.Pruned = []string{}
	}
	for _, cm := range res.Meetings {
		e := cm.Engagement
		m := calendarMeetingJSON{ID: cm.ID, Action: cm.Action, Date: e.Date, Start: cm.Meeting.Start.UTC().Format("2006-01-02T15:04:05Z"),
			AllDay: cm.Meeting.AllDay, Service: e.Service, InitiatedBy: e.InitiatedBy, Workloads: e.Workloads,
			Attendees: e.Attendees, Summary: e.Summary, Rule: ruleJSON{cm.Rule.Match, cm.Rule.In, cm.Rule.Own},
			Kept: cm.Kept, UID: uidText(cm.Meeting.UID), Instance: cm.Meeting.Instance, Line: cm.Meeting.Line, Cancelled: cm.Meeting.Cancelled}
		if m.Workloads == nil {
			m.Workloads = []string{}
		}
		if m.Attendees == nil {
			m.Attendees = []string{}
		}
		if m.Kept == nil {
			m.Kept = []string{}
		}
		out.Meetings = append(out.Meetings, m)
	}
	return out
}

// uidText is a UID to show: "" for an event that had none (its key is
// made of its start and summary).
func uidText(uid string) string {
	if strings.HasPrefix(uid, "no-uid\x00") {
		return ""
	}
	return uid
}

func printCalendar(w io.Writer, file string, res *ledger.CalendarResult, dryRun bool) error {
	window := "up to " + res.AsOf.String()
	if res.From != nil {
		window = res.From.String() + " to " + res.AsOf.String()
	}
	fmt.Fprintf(w, "Calendar %s into %s, meetings %s\n\n", printable(file), res.Org, window)
	if len(res.Meetings) > 0 {
		t := newTable(fixedCol("DATE"), fixedCol("ACTION"), fixedCol("SERVICE"), fixedCol("BY"), textCol("MATCHED", 10), textCol("WORKLOADS", 9), textCol("SUMMARY", 20))
		for _, cm := range res.Meetings {
			e := cm.Engagement
			rule := "–"
			if cm.Rule.Match != "" {
				rule = cm.Rule.Match
				if cm.Rule.Own {
					rule += " (org)"
				}
				if cm.Rule.In == "description" {
					rule += " (text)"
				}
			}
			action := cm.Action
			if len(cm.Kept) > 0 {
				action += "*"
			}
			wl := strings.Join(e.Workloads, ",")
			if wl == "" {
				wl = "–"
			}
			t.add(e.Date.String(), action, e.Service, e.InitiatedBy, rule, wl, e.Summary)
		}
		if err := t.write(w); err != nil {
			return err
		}
		for _, cm := range res.Meetings {
			if len(cm.Kept) > 0 {
				fmt.Fprintln(w, "\n* fields another source set since are kept (the calendar does not overwrite them; --force-conflicts would):")
				break
			}
		}
		for _, cm := range res.Meetings {
			if len(cm.Kept) > 0 {
				fmt.Fprintf(w, "  %s %s: %s\n", cm.Engagement.Date, cm.ID, strings.Join(cm.Kept, ", "))
			}
		}
		fmt.Fprintln(w)
	}
	c := res.Counts
	fmt.Fprintf(w, "%d meetings with the account team: %d created, %d updated, %d unchanged, %d removed\n",
		len(res.Meetings), c.Created, c.Updated, c.Unchanged, res.Removed)
	var notes []string
	if res.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d without the account team skipped", res.Skipped))
	}
	if res.Later > 0 {
		notes = append(notes, fmt.Sprintf("%d after %s not read (not held yet)", res.Later, res.AsOf))
	}
	if res.Earlier > 0 {
		notes = append(notes, fmt.Sprintf("%d before %s not read", res.Earlier, res.From))
	}
	if res.Frequent > 0 {
		notes = append(notes, fmt.Sprintf("%d series recurring more often than daily left out", res.Frequent))
	}
	if len(res.Pruned) > 0 {
		notes = append(notes, fmt.Sprintf("%d occurrences no longer in the file removed", len(res.Pruned)))
	}
	if len(notes) > 0 {
		for _, l := range wrap(strings.Join(notes, "; "), tableWidth) {
			fmt.Fprintln(w, l)
		}
	}
	if dryRun {
		fmt.Fprintln(w, "dry run: nothing was written")
	}
	return nil
}
