package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

func init() { register(newExportCmd) }

func newExportCmd(a *app) *cobra.Command {
	var (
		org  string
		file string
	)
	c := &cobra.Command{
		Use:   "export [--org ID] [-o yaml|json]",
		Short: "Write the store's documents, ready to import back",
		Long: `Export writes every document of the store (or of one organisation) in a
stable order and format, so an export can live in git and diff cleanly, and
importing it into an empty store gives the same store back.

YAML (the default) is a stream of ---separated documents; JSON is one
{"apiVersion": "tamledger/v1", "kind": "List", "items": [...]}.`,
		Example: `  tamledger export > everything.yaml
  tamledger export --org acme -o json > acme.json
  tamledger export --org acme --file acme.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format := a.output
			if format == "table" { // the global default: YAML for documents
				format = "yaml"
			}
			if format != "yaml" && format != "json" {
				return usageError(fmt.Errorf("unknown output format %q (want yaml or json)", a.output))
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			out := a.out
			var f *os.File
			if file != "" {
				f, err = os.CreateTemp(dirOf(file), ".tamledger-export-*")
				if err != nil {
					return err
				}
				defer os.Remove(f.Name())
				out = f
			}
			bw := bufio.NewWriterSize(out, 1<<16)
			enc := document.NewEncoder(bw, format)
			if org != "" {
				_, ok, err := st.Get(cmd.Context(), tamledger.KindOrganization, "", org)
				if err != nil {
					return err
				}
				if !ok {
					return usageError(fmt.Errorf("unknown organization %q (see tamledger portfolio for the ids)", org))
				}
			}
			err = st.Export(cmd.Context(), org, func(r tamledger.Record) error { return enc.Encode(r) })
			if err != nil {
				return err
			}
			if err := enc.Close(); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			if f != nil {
				if err := f.Close(); err != nil {
					return err
				}
				return os.Rename(f.Name(), file) // whole file or none
			}
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "export only this organisation (and its records)")
	c.Flags().StringVar(&file, "file", "", "write to this file atomically instead of standard output")
	return c
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i+1]
		}
	}
	return "."
}
