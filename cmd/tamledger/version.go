package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func init() { register(newVersionCmd) }

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and the revision tamledger was built from",
		Long: `Version prints the module version and the version-control revision the
binary was built from, "(modified)" when the checkout had uncommitted
changes, and "unknown" for what the binary does not record (a build
outside a checkout has no revision). tamledger --version prints the same.`,
		Example: `  tamledger version
  tamledger --version`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(a.out, "tamledger %s\n", version())
			return err
		},
	}
}

// version is the module version and the VCS revision of this binary, as
// the go command recorded them.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	return versionOf(bi, ok)
}

// versionOf is "VERSION rev REVISION", with " (modified)" for a build from
// a checkout with uncommitted changes and "unknown" for what bi lacks.
func versionOf(bi *debug.BuildInfo, ok bool) string {
	v, rev, modified := "unknown", "unknown", false
	if ok && bi != nil {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && s.Value != "":
				rev = s.Value[:min(7, len(s.Value))]
			case s.Key == "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	s := v + " rev " + rev
	if modified {
		s += " (modified)"
	}
	return s
}
