package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/score"
)

func init() { register(newCharterCmd) }

// termHints says what would satisfy each of the seed's minimum terms.
var termHints = map[string]string{
	"monthly-strategy-call":      "add obligation {service: strategy-call, cadence: monthly}",
	"quarterly-cost-review":      "add obligation {service: cost-review, cadence: quarterly, requires: quantified-recommendations}",
	"annual-war":                 "add obligation {service: well-architected-review, cadence: annual, scope: each-primary-workload}",
	"semiannual-security-review": "add obligation {service: security-review, cadence: semiannual}",
	"backup-tam":                 "agree backup TAM coverage: backupTam: true",
	"escalation-paths":           "add escalationPaths with a tamResponseHours target per case severity",
}

// termPaths is the field of a charter each minimum term is written in.
var termPaths = map[string]string{
	"monthly-strategy-call":      "spec.obligations",
	"quarterly-cost-review":      "spec.obligations",
	"annual-war":                 "spec.obligations",
	"semiannual-security-review": "spec.obligations",
	"backup-tam":                 "spec.backupTam",
	"escalation-paths":           "spec.escalationPaths",
}

// Codes of charter lint findings; document errors have none.
const (
	lintUnreadable         = "unreadable"          // the file cannot be opened or read
	lintDuplicateEffective = "duplicate-effective" // two versions of a charter take effect on the same day
	lintMissingTerm        = "charter-missing-term"
)

// lintReport is charter lint -o json.
type lintReport struct {
	Files    []lintFile `json:"files"`
	Charters int        `json:"charters"` // Charter documents read, valid or not
	Errors   int        `json:"errors"`   // findings of severity error
	Warnings int        `json:"warnings"` // findings of severity warning
	Strict   bool       `json:"strict"`
}

// lintFile is one FILE argument and what was found in it.
type lintFile struct {
	File     string        `json:"file"`
	Charters int           `json:"charters"`
	Findings []lintFinding `json:"findings"`
}

// lintFinding is one problem: an invalid document (severity error, no
// code), a duplicate effective date (error), an unreadable file (error), or
// a missing minimum term (warning; error with --strict).
type lintFinding struct {
	Severity string `json:"severity"`
	Code     string `json:"code,omitempty"`
	Term     string `json:"term,omitempty"`    // the missing minimum term
	Charter  string `json:"charter,omitempty"` // the charter's id, when known
	Path     string `json:"path"`              // the field, "" for a whole document or file
	Line     int    `json:"line"`              // 0 with no position
	Col      int    `json:"col"`
	Message  string `json:"message"`
}

func newCharterCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "charter",
		Short: "Work with TAM Engagement Charters",
	}
	var strict bool
	lint := &cobra.Command{
		Use:   "lint FILE... [--strict] [-o table|json]",
		Short: "Check charter documents before they are agreed or imported",
		Long: `Lint validates documents exactly as import does (without the store: references
to organisations and workloads are not checked), then checks each Charter
against the seed document's minimum terms: a monthly strategy call, a quarterly
cost review with quantified recommendations, an annual Well-Architected Review
for each primary workload, a semi-annual security review, backup TAM coverage
and escalation paths.

-o json prints every finding with its file, line, column and field path
(docs/documents.md describes the fields).

Exit status: 2 when a file cannot be read or a document is invalid; 1 when
--strict and a term is missing; 0 otherwise (missing terms are then
warnings).`,
		Example: `  tamledger charter lint charter.yaml
  tamledger charter lint --strict charters/*.yaml   # in CI
  tamledger charter lint -o json charter.yaml | jq -r '.files[].findings[] | "\(.line): \(.message)"'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			rep := lintCharters(args, strict)
			if format == "json" {
				if err := writeJSON(a.out, rep); err != nil {
					return err
				}
			} else {
				writeLint(a.out, a.errOut, rep)
			}
			bad := 0
			for _, f := range rep.Files {
				for _, x := range f.Findings {
					if x.Severity == "error" && x.Code != lintMissingTerm {
						bad++
					}
				}
			}
			switch {
			case bad > 0 && format == "json":
				return &exitError{exitUsage, fmt.Errorf("%d error(s)", bad)}
			case bad > 0:
				return &exitError{exitUsage, errSilent} // writeLint said it
			case strict && rep.Errors > 0:
				return &exitError{exitFailed, fmt.Errorf("%d missing term(s)", rep.Errors)}
			}
			return nil
		},
	}
	lint.Flags().BoolVar(&strict, "strict", false, "treat missing minimum terms as errors (exit 1)")
	c.AddCommand(lint)
	return c
}

// lintCharters reads every file and checks its documents and charters.
func lintCharters(names []string, strict bool) *lintReport {
	rep := &lintReport{Files: []lintFile{}, Strict: strict}
	for _, name := range names {
		lf := lintOne(name, strict)
		rep.Charters += lf.Charters
		for _, x := range lf.Findings {
			if x.Severity == "error" {
				rep.Errors++
			} else {
				rep.Warnings++
			}
		}
		rep.Files = append(rep.Files, lf)
	}
	return rep
}

// lintOne checks one file; its findings come in the order of their
// positions.
func lintOne(name string, strict bool) lintFile {
	lf := lintFile{File: name, Findings: []lintFinding{}}
	add := func(x lintFinding) {
		if x.Path != "" {
			x.Message = strings.TrimPrefix(x.Message, x.Path+": ")
		}
		lf.Findings = append(lf.Findings, x)
	}
	termSeverity := "warning"
	if strict {
		termSeverity = "error"
	}
	f, err := os.Open(name)
	if err != nil {
		add(lintFinding{Severity: "error", Code: lintUnreadable, Message: unwrapPathError(err).Error()})
		return lf
	}
	defer f.Close()
	r := document.NewReader(name, f, document.Options{})
	effective := map[string]string{}
	for {
		doc, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var el document.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				add(lintFinding{Severity: "error", Path: e.Path, Line: e.Line, Col: e.Col, Message: e.Msg})
			}
			continue
		}
		if err != nil { // reading stopped
			add(lintFinding{Severity: "error", Code: lintUnreadable, Message: unwrapPathError(err).Error()})
			break
		}
		ch, ok := doc.Value.(*tamledger.Charter)
		if !ok {
			continue
		}
		lf.Charters++
		k := doc.Org + "\x00" + ch.Effective.String()
		if prev, dup := effective[k]; dup {
			pos := r.Locate(doc, "spec.effective")
			add(lintFinding{Severity: "error", Code: lintDuplicateEffective, Charter: doc.ID, Path: "spec.effective", Line: pos.Line, Col: pos.Col,
				Message: fmt.Sprintf("charter %q takes effect on %s like charter %q (each version needs its own effective date)", doc.ID, ch.Effective, prev)})
		}
		effective[k] = doc.ID
		for _, term := range score.MissingTerms(ch) {
			add(lintFinding{Severity: termSeverity, Code: lintMissingTerm, Term: term, Charter: doc.ID, Path: termPaths[term],
				Line: doc.Pos.Line, Col: max(doc.Pos.Col, 1),
				Message: fmt.Sprintf("charter %q lacks the term %s: %s", doc.ID, term, termHints[term])})
		}
	}
	slices.SortStableFunc(lf.Findings, func(x, y lintFinding) int {
		return cmp.Or(cmp.Compare(x.Line, y.Line), cmp.Compare(x.Col, y.Col))
	})
	return lf
}

// writeLint prints the findings for people: invalid documents on errOut,
// as FILE:LINE:COL: message, then a count; otherwise the missing terms and a
// verdict on out.
func writeLint(out, errOut io.Writer, rep *lintReport) {
	pos := func(file string, x lintFinding) string {
		return document.Pos{File: printable(file), Line: x.Line, Col: x.Col}.String()
	}
	bad := 0
	for _, f := range rep.Files {
		for _, x := range f.Findings {
			if x.Severity != "error" || x.Code == lintMissingTerm {
				continue
			}
			msg := x.Message
			if x.Path != "" {
				msg = x.Path + ": " + msg
			}
			fmt.Fprintf(errOut, "%s: %s\n", pos(f.File, x), printable(msg))
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(errOut, "tamledger: %d error(s)\n", bad)
		return
	}
	terms := 0
	var b strings.Builder
	for _, f := range rep.Files {
		for _, x := range f.Findings { // missing terms: the term, then on the next line what would add it
			fmt.Fprintf(&b, "%s: %s: charter %q lacks the term %s\n", x.Severity, pos(f.File, x), x.Charter, x.Term)
			writeWrapped(&b, "  ", "  ", termHints[x.Term])
			terms++
		}
	}
	io.WriteString(out, b.String())
	switch {
	case rep.Charters == 0:
		fmt.Fprintln(out, "no Charter documents found")
	case terms == 0:
		fmt.Fprintf(out, "%d charter(s): valid, with every minimum term\n", rep.Charters)
	case !rep.Strict:
		fmt.Fprintf(out, "%d charter(s): valid; %d missing term(s) to add at the next business review\n", rep.Charters, terms)
	}
}

// unwrapPathError drops the operation and path of an *fs.PathError (the
// message names the file already).
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
