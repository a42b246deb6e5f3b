package main

import (
	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger/document"
)

func init() { register(newSchemaCmd) }

func newSchemaCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "schema [-o json]",
		Short: "Print the JSON Schema of tamledger documents",
		Long: `Schema prints a JSON Schema (draft 2020-12) of every document kind, for
editors and CI. With the YAML language server (VS Code's YAML extension,
Neovim, Helix...), save it and put this first line in a document:

  # yaml-language-server: $schema=./tamledger.schema.json

The schema is JSON: -o json is accepted, any other format refused.`,
		Example: `  tamledger schema > tamledger.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := a.formatFor(cmd, "json", "json"); err != nil {
				return err
			}
			_, err := a.out.Write(append(document.Schema(), '\n'))
			return err
		},
	}
}
