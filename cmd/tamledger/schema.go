package main

import (
	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger/document"
)

func init() { register(newSchemaCmd) }

func newSchemaCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of tamledger documents",
		Long: `Schema prints a JSON Schema (draft 2020-12) of every document kind, for
editors and CI. With the YAML language server (VS Code's YAML extension,
Neovim, Helix...), save it and put this first line in a document:

  # yaml-language-server: $schema=./tamledger.schema.json`,
		Example: `  tamledger schema > tamledger.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := a.out.Write(append(document.Schema(), '\n'))
			return err
		},
	}
}
