package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/ledger"
)

func init() { register(newImportCmd) }

func newImportCmd(a *app) *cobra.Command {
	var (
		maxBytes int64
		dryRun   bool
		format   string
		quiet    bool
		force    bool
		cf       calendarFlags
	)
	c := &cobra.Command{
		Use:   "import FILE... | -  |  import FILE.ics --org ID",
		Short: "Import documents (YAML, JSON, CSV) or a calendar's meetings (.ics) into the store, all or nothing",
		Long: `Import reads tamledger documents and writes them to the store in one
transaction: either every document of every file lands, or none does.

Files may be YAML (several documents separated by ---), JSON (one document,
several one after another, or a kind: List), or CSV for the bulk kinds
(Engagement, Recommendation, Case: a header row of field names plus id and
organization; lists separated by ';'). "-" reads standard input.

A document is keyed by (kind, organization, id): importing the same files twice
changes nothing, and a changed document is updated. Every error of every file
is reported as FILE:LINE:COL: message, the exit status is 2 and the store is
left as it was. An empty file, or one with only comments, is an error.

Edits made since with other tools are kept, field by field: each field
remembers who set it last (an import, the CLI's log, recommendation set and
delete). Re-importing an unchanged file changes nothing, even where the CLI
changed fields since; a field the file changes is applied when no one else
changed it since the file's last import. A file that changes a field someone
else set since — or a record someone deleted — is a conflict: the import
names the file, the record and each field with both values, exits 2 and
writes nothing. --force-conflicts takes the file's values (and brings
deleted records back).

An iCalendar file (.ics, or --format ics for standard input), as Google
Calendar, Outlook or Apple Calendar export it, is read with --org ID: each
meeting up to --as-of (default today) whose organizer or an attendee is of
the organisation's account team (accountTeam e-mails or domains) becomes an
engagement (source ics), classified into a service by the organisation's
calendarRules and the default rules; --dry-run prints the table of what would
be imported and why, -o json the same as JSON. Re-importing an updated
calendar updates the engagements it imported, removes those of cancelled
meetings, and keeps the fields you changed since. docs/calendar.md has it all.`,
		Example: `  tamledger import acme.yaml
  tamledger import charter.yaml engagements.csv recommendations.csv
  cat export.json | tamledger import -
  tamledger import --dry-run big.csv       # validate only
  tamledger import --force-conflicts acme.yaml   # the file wins where others edited
  tamledger import meetings.ics --org acme --dry-run   # how each meeting would be classified
  tamledger import meetings.ics --org acme --as-of 2026-06-30`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			ics := strings.EqualFold(format, "ics")
			for _, name := range args {
				ics = ics || isCalendarFile(name)
			}
			if ics {
				for _, name := range args {
					if name != "-" && !isCalendarFile(name) {
						return usageError(fmt.Errorf("%s: import iCalendar files apart from documents (run tamledger import once for each)", name))
					}
				}
				return a.importCalendar(cmd.Context(), args, cf, out, maxBytes, dryRun, force, quiet)
			}
			if cf.org != "" || cf.asOf != "" || cf.from != "" {
				return usageError(fmt.Errorf("--org, --as-of and --from apply to iCalendar files (.ics) only: documents name their organisation in metadata.organization"))
			}
			var sources []ledger.Source
			for _, name := range args {
				if name == "-" {
					sources = append(sources, ledger.Source{Name: "<stdin>", Reader: a.in, Format: format})
					continue
				}
				f, err := os.Open(name)
				if err != nil {
					return usageError(fmt.Errorf("%s: %v", name, errors.Unwrap(err)))
				}
				defer f.Close()
				sources = append(sources, ledger.Source{Name: name, Reader: f, Format: format})
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			var progress func(int)
			var bar *progressLine
			if !quiet && isTerminal(a.errOut) && isTerminal(a.out) {
				bar = newProgressLine(a.errOut, time.Now)
				progress = bar.update
			}
			limit := maxBytes
			if limit == 0 {
				limit = -1 // no limit
			}
			sum, err := ledger.Import(cmd.Context(), st, sources, ledger.Options{MaxBytes: limit, DryRun: dryRun, Progress: progress, Force: force})
			if bar != nil {
				bar.clear()
			}
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
				return writeJSON(a.out, summaryJSON(sum, dryRun))
			case !quiet:
				printSummary(a.out, sum, dryRun)
			}
			return nil
		},
	}
	c.Flags().Int64Var(&maxBytes, "max-bytes", 64<<20, "refuse an input larger than this many bytes (0: no limit)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "validate and resolve everything, then write nothing")
	c.Flags().StringVar(&format, "format", "", "input format when the file name does not tell: yaml, json, csv or ics")
	c.Flags().StringVar(&cf.org, "org", "", "iCalendar: the organisation whose engagements the meetings are")
	c.Flags().StringVar(&cf.asOf, "as-of", "", "iCalendar: read meetings up to this date, YYYY-MM-DD (default today in the organisation's time zone)")
	c.Flags().StringVar(&cf.from, "from", "", "iCalendar: read meetings from this date on, YYYY-MM-DD (default all)")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing on success")
	c.Flags().BoolVar(&force, "force-conflicts", false, "take the files' values where another source changed a field since, and bring back deleted records")
	return c
}

// importJSON is import -o json: what each kind did.
type importJSON struct {
	DryRun    bool                     `json:"dryRun"`
	Documents int                      `json:"documents"`
	Kinds     map[string]ledger.Counts `json:"kinds"`
	Total     ledger.Counts            `json:"total"`
}

func summaryJSON(s *ledger.Summary, dryRun bool) importJSON {
	out := importJSON{DryRun: dryRun, Documents: s.Docs, Kinds: map[string]ledger.Counts{}}
	for k, c := range s.Kinds {
		out.Kinds[k] = *c
		out.Total.Created += c.Created
		out.Total.Updated += c.Updated
		out.Total.Unchanged += c.Unchanged
	}
	return out
}

func countReal(el document.ErrorList) int {
	n := 0
	for _, e := range el {
		if !strings.HasPrefix(e.Msg, "... and ") && !strings.HasPrefix(e.Msg, "stopped after") {
			n++
		}
	}
	return n
}

func printSummary(w io.Writer, s *ledger.Summary, dryRun bool) {
	kinds := make([]string, 0, len(s.Kinds))
	for k := range s.Kinds {
		kinds = append(kinds, k)
	}
	order := map[string]int{}
	for i, k := range tamledger.Kinds.Values() {
		order[k] = i
	}
	sort.Slice(kinds, func(i, j int) bool { return order[kinds[i]] < order[kinds[j]] })
	width := len("total")
	for _, k := range kinds {
		width = max(width, len(k))
	}
	line := func(kind string, c ledger.Counts) {
		fmt.Fprintf(w, "%-*s  %7d  %7d  %9d\n", width, kind, c.Created, c.Updated, c.Unchanged)
	}
	fmt.Fprintf(w, "%-*s  %7s  %7s  %9s\n", width, "KIND", "CREATED", "UPDATED", "UNCHANGED")
	var t ledger.Counts
	for _, k := range kinds {
		c := s.Kinds[k]
		t.Created += c.Created
		t.Updated += c.Updated
		t.Unchanged += c.Unchanged
		line(k, *c)
	}
	line("total", t)
	if dryRun {
		fmt.Fprintln(w, "dry run: nothing was written")
	}
}

// progressLine shows a long import on a terminal: the documents read so far
// and their rate, rewritten in place at most five times a second.
type progressLine struct {
	w           io.Writer
	now         func() time.Time
	start, last time.Time
	shown       bool
}

func newProgressLine(w io.Writer, now func() time.Time) *progressLine {
	t := now()
	return &progressLine{w: w, now: now, start: t, last: t}
}

// update is called with the number of documents read so far.
func (p *progressLine) update(docs int) {
	t := p.now()
	if t.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.shown = t, true
	rate := float64(docs) / t.Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\033[Kimporting: %s documents, %s/s…", thousands(int64(docs)), thousands(int64(rate)))
}

// clear erases the line, if one was shown.
func (p *progressLine) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// thousands is n with thousands separators: 1,234,567.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// isTerminal reports whether w is a terminal (not merely a character
// device: /dev/null is none).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
