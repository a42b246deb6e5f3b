package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
)

func init() { register(newRenderCmd) }

func newRenderCmd(a *app) *cobra.Command {
	var org, asOf, file string
	c := &cobra.Command{
		Use:   "render DOCUMENT --org ID [--as-of DATE] [-o md|html] [--file PATH]",
		Short: "Write a document to agree or read: charter, ebr, reassignment, edp",
		Long: `Render writes one of the documents people sign and read, as of a date
(default: today in the organisation's time zone):

  charter       the TAM Engagement Charter in plain words, to agree at an EBR
  ebr           the Executive Business Review pack: health, delivery, value, asks
  reassignment  the reassignment request letter, with the evidence
  edp           the EDP renewal dossier: value and cost over the term, the asks

-o md (the default) writes Markdown, -o html one self-contained HTML file
(styles inline, nothing fetched). The same store and --as-of give the same
bytes. Every figure comes from the scorecard, the actions and roi. PDF is not
available yet. See docs/render.md.`,
		Example: `  tamledger render charter --org acme
  tamledger render ebr --org acme --as-of 2026-09-30 -o html --file ebr.html
  tamledger render reassignment --org acme
  tamledger render edp --org acme -o html --file edp.html`,
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
			if !slices.Contains(render.Documents, args[0]) {
				return usageError(fmt.Errorf("unknown document %q (want one of: %s)", args[0], strings.Join(render.Documents, ", ")))
			}
			ctx := cmd.Context()
			l, err := a.ledger(ctx, org)
			if err != nil {
				return err
			}
			day, err := parseAsOf(asOf, l.Org)
			if err != nil {
				return err
			}
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			imported, err := st.PriceBooks(ctx)
			st.Close()
			if err != nil {
				return err
			}
			var b bytes.Buffer
			in := render.Input{Ledger: l, Books: roi.Books(imported), AsOf: day}
			if err := render.Render(&b, args[0], format, in); err != nil {
				return err
			}
			if file == "" {
				_, err = a.out.Write(b.Bytes())
				return err
			}
			return writeFileAtomic(file, func(w io.Writer) error { _, err := w.Write(b.Bytes()); return err })
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&asOf, "as-of", "", "render as of this date, YYYY-MM-DD (default today in the organisation's time zone)")
	c.Flags().StringVar(&file, "file", "", "write to this file atomically instead of standard output")
	return c
}
