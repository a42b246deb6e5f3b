package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

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
		Use:   "export [--org ID] [--file PATH] [-o yaml|json]",
		Short: "Write the store's documents, ready to import back",
		Long: `Export writes every document of the store (or of one organisation) in a
stable order and format, so an export can live in git and diff cleanly, and
importing it into an empty store gives the same store back.

YAML (the default) is a stream of ---separated documents; JSON is one
{"apiVersion": "tamledger/v1", "kind": "List", "items": [...]}.

--file writes the file atomically: a temporary file beside it, renamed over
it once complete, so an interrupted export never leaves half a file. A new
file gets the usual mode (0644 with the common umask 022); a file it replaces
keeps its mode.`,
		Example: `  tamledger export > everything.yaml
  tamledger export --org acme -o json > acme.json
  tamledger export --org acme --file acme.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.formatFor(cmd, "yaml", "yaml", "json")
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if org != "" {
				_, ok, err := st.Get(ctx, tamledger.KindOrganization, "", org)
				if err != nil {
					return err
				}
				if !ok {
					return usageError(fmt.Errorf("unknown organization %q (see tamledger portfolio for the ids)", org))
				}
			}
			write := func(w io.Writer) error {
				bw := bufio.NewWriterSize(w, 1<<16)
				enc := document.NewEncoder(bw, format)
				if err := st.Export(ctx, org, func(r tamledger.Record) error { return enc.Encode(r) }); err != nil {
					return err
				}
				if err := enc.Close(); err != nil {
					return err
				}
				return bw.Flush()
			}
			if file == "" {
				return write(a.out)
			}
			return writeFileAtomic(file, write)
		},
	}
	c.Flags().StringVar(&org, "org", "", "export only this organisation (and its records)")
	c.Flags().StringVar(&file, "file", "", "write to this file atomically instead of standard output")
	return c
}

// writeFileAtomic writes path through write: into a new file in the same
// directory, synced, then renamed over path, so that path holds the old
// content or the whole new one, never part of it. The file gets the mode a
// plain create would (0666 less the umask: 0644 by default), or the mode of
// the file it replaces.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	var f *os.File
	for {
		var err error
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666) // the umask applies
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fileError(path, err)
		}
		break
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a failure; after the rename there is nothing left to remove
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		if err := f.Chmod(fi.Mode().Perm()); err != nil {
			f.Close()
			return fileError(path, err)
		}
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fileError(path, err)
	}
	if err := f.Close(); err != nil {
		return fileError(path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fileError(path, err)
	}
	return nil
}

// fileError says which --file could not be written and why, with the path
// printable; it exits with status 3 (the environment, SPEC §7).
func fileError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &exitError{3, fmt.Errorf("--file %s: %w", printable(path), err)}
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i+1]
		}
	}
	return "."
}
