package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/score"
)

func init() { register(newCharterCmd) }

// termHints says what would satisfy each of the seed's minimum terms.
var termHints = map[string]string{
	"monthly-strategy-call":      "add an obligation {service: strategy-call, cadence: monthly}",
	"quarterly-cost-review":      "add an obligation {service: cost-review, cadence: quarterly, requires: quantified-recommendations}",
	"annual-war":                 "add an obligation {service: well-architected-review, cadence: annual, scope: each-primary-workload}",
	"semiannual-security-review": "add an obligation {service: security-review, cadence: semiannual}",
	"backup-tam":                 "agree backup TAM coverage: backupTam: true",
	"escalation-paths":           "add escalationPaths with a tamResponseHours target per case severity",
}

func newCharterCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "charter",
		Short: "Work with TAM Engagement Charters",
	}
	var strict bool
	lint := &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check charter documents before they are agreed or imported",
		Long: `Lint validates documents exactly as import does (without the store: references
to organisations and workloads are not checked), then checks each Charter
against the seed document's minimum terms: a monthly strategy call, a quarterly
cost review with quantified recommendations, an annual Well-Architected Review
for each primary workload, a semi-annual security review, backup TAM coverage
and escalation paths.

Exit status: 2 when a document is invalid; 1 when --strict and a term is
missing; 0 otherwise (missing terms are then warnings).`,
		Example: `  tamledger charter lint charter.yaml
  tamledger charter lint --strict charters/*.yaml   # in CI`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var errs document.ErrorList
			var warnings []string
			charters := 0
			for _, name := range args {
				f, err := os.Open(name)
				if err != nil {
					return usageError(fmt.Errorf("%s: %v", name, errors.Unwrap(err)))
				}
				r := document.NewReader(name, f, document.Options{})
				effective := map[string]string{}
				for {
					doc, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					var el document.ErrorList
					if errors.As(err, &el) {
						errs = append(errs, el...)
						continue
					}
					if err != nil {
						f.Close()
						return err
					}
					ch, ok := doc.Value.(*tamledger.Charter)
					if !ok {
						continue
					}
					charters++
					k := doc.Org + "\x00" + ch.Effective.String()
					if prev, dup := effective[k]; dup {
						errs = append(errs, document.Error{Pos: r.Locate(doc, "spec.effective"),
							Msg: fmt.Sprintf("spec.effective: charter %q takes effect on %s like charter %q (each version needs its own effective date)", doc.ID, ch.Effective, prev)})
					}
					effective[k] = doc.ID
					for _, term := range score.MissingTerms(ch) {
						warnings = append(warnings, fmt.Sprintf("%s: charter %q lacks the term %s: %s", doc.Pos, doc.ID, term, termHints[term]))
					}
				}
				f.Close()
			}
			if len(errs) > 0 {
				errs.Sort()
				for _, e := range errs {
					fmt.Fprintln(a.errOut, e.Error())
				}
				fmt.Fprintf(a.errOut, "tamledger: %d error(s)\n", len(errs))
				return &exitError{exitUsage, errSilent}
			}
			level := "warning"
			if strict {
				level = "error"
			}
			for _, w := range warnings {
				fmt.Fprintf(a.out, "%s: %s\n", level, w)
			}
			switch {
			case charters == 0:
				fmt.Fprintln(a.out, "no Charter documents found")
			case len(warnings) == 0:
				fmt.Fprintf(a.out, "%d charter(s): valid, with every minimum term\n", charters)
			case strict:
				return &exitError{exitFailed, fmt.Errorf("%d missing term(s)", len(warnings))}
			default:
				fmt.Fprintf(a.out, "%d charter(s): valid; %d missing term(s) to add at the next business review\n", charters, len(warnings))
			}
			return nil
		},
	}
	lint.Flags().BoolVar(&strict, "strict", false, "treat missing minimum terms as errors (exit 1)")
	c.AddCommand(lint)
	return c
}
