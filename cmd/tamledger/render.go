package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/render"
)

func init() { register(newRenderCmd) }

func newRenderCmd(a *app) *cobra.Command {
	var org, asOf, file, paper string
	c := &cobra.Command{
		Use:   "render DOCUMENT --org ID [--as-of DATE] [-o md|html|pdf] [--paper a4|letter] [--file PATH]",
		Short: "Write a document to agree or read: charter, ebr, reassignment, edp",
		Long: `Render writes one of the documents people sign and read, as of a date
(default: today in the organisation's time zone):

  charter       the TAM Engagement Charter in plain words, to agree at an EBR
  ebr           the Executive Business Review pack: health, delivery, value, asks
  reassignment  the reassignment request letter, with the evidence
  edp           the EDP renewal dossier: value and cost over the term, the asks

-o md (the default) writes Markdown, -o html one self-contained HTML file
(styles inline, nothing fetched), -o pdf a PDF (A4, or US Letter with
--paper letter) with its charts drawn as vectors and its text selectable,
page numbers and the organisation and date in the footer. A PDF goes to
--file, or to standard output when that is not a terminal (> ebr.pdf).

The same store and --as-of give the same bytes, PDF included (its dates are
--as-of's). Every figure comes from the scorecard, the actions and roi, and
every document says what it was generated from: the store, the date and
the charter version. tamledger serve offers the same bytes for download,
on each organisation's overview and at
GET /api/v1/organizations/ORG/documents/DOCUMENT?asOf=&format=.
See docs/render.md.`,
		Example: `  tamledger render charter --org acme
  tamledger render ebr --org acme --as-of 2026-09-30 -o html --file ebr.html
  tamledger render reassignment --org acme
  tamledger render edp --org acme -o html --file edp.html
  tamledger render reassignment --org acme -o pdf --paper letter --file letter.pdf
  tamledger render ebr --org acme -o pdf > ebr.pdf`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError(fmt.Errorf("render needs one document: %s", strings.Join(render.Documents, ", ")))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			format := "md"
			if cmd.Flags().Changed("output") {
				var err error
				if format, err = a.outputFormat(render.Formats...); err != nil {
					return err
				}
			}
			if cmd.Flags().Changed("paper") && format != "pdf" {
				return usageError(fmt.Errorf("--paper sets the paper of a PDF: add -o pdf, or leave --paper out"))
			}
			if err := render.Check(args[0], format, paper); err != nil {
				return err
			}
			if format == "pdf" && file == "" && isTerminal(a.out) {
				return usageError(fmt.Errorf("will not write a PDF to the terminal: give --file PATH, or redirect standard output (> %s.pdf)", args[0]))
			}
			if org == "" {
				return errNoOrg
			}
			var day tamledger.Date
			if asOf != "" {
				var err error
				if day, err = tamledger.ParseDate(asOf); err != nil {
					return usageError(fmt.Errorf("--as-of: %v", err))
				}
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			f, err := render.Download(ctx, st, org, args[0], format, day, paper)
			st.Close()
			if err != nil {
				return orgError(err, org)
			}
			if len(f.Missing) > 0 {
				fmt.Fprintf(a.errOut, "tamledger: warning: the PDF's fonts (Latin, Greek, Cyrillic) have no glyph for %s: they show as empty boxes, though the text is in the PDF (-o html shows them)\n", quoteRunes(f.Missing, 12))
			}
			if file == "" {
				_, err = a.out.Write(f.Body)
				return err
			}
			return writeFileAtomic(file, func(w io.Writer) error { _, err := w.Write(f.Body); return err })
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&asOf, "as-of", "", "render as of this date, YYYY-MM-DD (default today in the organisation's time zone)")
	c.Flags().StringVar(&file, "file", "", "write to this file atomically instead of standard output")
	c.Flags().StringVar(&paper, "paper", "a4", "the paper of -o pdf: a4 or letter")
	return c
}

// quoteRunes lists rs as "株", "式" …, at most n of them and how many more.
func quoteRunes(rs []rune, n int) string {
	var b strings.Builder
	for i, r := range rs {
		if i == n {
			fmt.Fprintf(&b, " and %d more", len(rs)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.QuoteRune(r))
	}
	return b.String()
}
