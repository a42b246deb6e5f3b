package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// Exit codes (SPEC §7).
const (
	exitOK          = 0
	exitFailed      = 1 // a check failed (lint errors, ...)
	exitUsage       = 2 // bad input or usage
	exitUnavailable = 3 // the environment: the store cannot be opened, created or written
)

// app is what every command shares: the global flags, the streams and the
// logger. Commands are registered by the files that define them.
type app struct {
	db     string // --db DSN
	output string // -o
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	log    *slog.Logger
}

var commands []func(*app) *cobra.Command

// register adds a command to the root; each command file calls it from init.
func register(f func(*app) *cobra.Command) { commands = append(commands, f) }

// exitError carries an exit code up to run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError makes err exit with status 2 (bad input or usage).
func usageError(err error) error { return &exitError{exitUsage, err} }

// checkFailed makes err exit with status 1 (a check failed).
func checkFailed(err error) error { return &exitError{exitFailed, err} }

// errSilent is returned by a command that already printed its errors.
var errSilent = errors.New("")

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "tamledger",
		Short: "Hold your AWS Technical Account Manager relationship to account",
		Long: `tamledger keeps an AWS Enterprise Support relationship as data: the TAM
Engagement Charter as code, what happened (engagements, recommendations,
cases, planned events), and tells you whether the charter is delivered, whether
the TAM is proactive or reactive, what it is worth against its cost, and what
to demand next.

The store is an embedded SQLite file (tamledger.db in the working directory)
unless --db or TAMLEDGER_DB names another file or a postgres:// DSN.`,
		Example: `  tamledger demo                       # a generated portfolio to explore
  tamledger import charter.yaml engagements.csv
  tamledger scorecard --org acme
  tamledger actions --org acme
  tamledger roi --org acme --year 2026`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("tamledger {{.Version}}\n")
	root.SetIn(a.in)
	root.SetOut(a.out)
	root.SetErr(a.errOut)
	defaultDB := os.Getenv("TAMLEDGER_DB")
	if defaultDB == "" {
		defaultDB = "tamledger.db"
	}
	root.PersistentFlags().StringVar(&a.db, "db", defaultDB, "store: a SQLite file path or a postgres:// DSN (env TAMLEDGER_DB)")
	root.PersistentFlags().StringVarP(&a.output, "output", "o", "table", "output format: table, json (and yaml or csv where a command says so)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError(fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath()))
	})
	for _, f := range commands {
		root.AddCommand(f(a))
	}
	return root
}

// run executes the CLI and returns the process exit status.
func run(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) int {
	a := &app{in: in, out: out, errOut: errOut,
		log: slog.New(slog.NewTextHandler(errOut, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	c := tamledger.ErrorCode(err)
	var ee *exitError
	code := exitFailed
	switch {
	case c == tamledger.EUNAVAILABLE:
		code = exitUnavailable
	case errors.As(err, &ee):
		code = ee.code
	case isUsage(err), c == tamledger.EINVALID, c == tamledger.ENOTFOUND,
		c == tamledger.ECONFLICT: // a conflict is a stale view: read again
		code = exitUsage
	}
	switch msg := err.Error(); {
	case msg == "" || errors.Is(err, errSilent):
	case c != tamledger.EINTERNAL:
		// The message says what is wrong and what to do, in one line.
		fmt.Fprintln(errOut, "tamledger:", tamledger.ErrorMessage(err))
	case ee != nil || isUsage(err):
		fmt.Fprintln(errOut, "tamledger:", msg)
	default:
		// Unforeseen: the whole chain, once, for a bug report.
		a.log.Error("internal error", "err", msg)
	}
	return code
}

// isUsage recognises cobra's own argument errors.
func isUsage(err error) bool {
	m := err.Error()
	return strings.HasPrefix(m, "unknown command") || strings.HasPrefix(m, "unknown flag") ||
		strings.Contains(m, "required flag") || strings.HasPrefix(m, "accepts ") ||
		strings.HasPrefix(m, "requires ") || strings.HasPrefix(m, "invalid argument")
}

// openStore opens the store named by --db, creating it when it is missing:
// for import and demo only. Every other command works on a store that
// exists (openExistingStore), so that a typo in --db leaves nothing behind.
func (a *app) openStore(ctx context.Context) (*store.Store, error) {
	s, err := store.Open(ctx, a.db)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", a.dbRedacted(), err)
	}
	return s, nil
}

// openExistingStore opens the store named by --db, creating nothing: a
// missing store is EUNAVAILABLE (exit status 3).
func (a *app) openExistingStore(ctx context.Context) (*store.Store, error) {
	s, err := store.OpenExisting(ctx, a.db)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", a.dbRedacted(), err)
	}
	return s, nil
}

// dbRedacted is --db with its password hidden, for messages.
func (a *app) dbRedacted() string {
	d, _ := store.ParseDSN(a.db) // a DSN it cannot parse keeps its URL
	return d.Redacted()
}

// ledger loads one organisation's ledger from the store named by --db.
func (a *app) ledger(ctx context.Context, org string) (*tamledger.Ledger, error) {
	if org == "" {
		return nil, errNoOrg
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	l, err := st.Ledger(ctx, org)
	return l, orgError(err, org)
}

// errNoOrg is the error of a command without its --org.
var errNoOrg = usageError(fmt.Errorf("--org is required (the organisation id; tamledger portfolio lists them)"))

// orgError is err of reading organisation org's ledger, said for the
// CLI: an unknown organisation is a usage error.
func orgError(err error, org string) error {
	if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
		return usageError(fmt.Errorf("unknown organization %q (see tamledger portfolio for the ids)", org))
	}
	return err
}

// outputFormat checks -o against the formats a command supports.
func (a *app) outputFormat(allowed ...string) (string, error) {
	for _, f := range allowed {
		if a.output == f {
			return f, nil
		}
	}
	return "", usageError(fmt.Errorf("unknown output format %q (want %s)", a.output, strings.Join(allowed, ", ")))
}

// parseAsOf parses --as-of, or returns today in loc when it is empty.
func parseAsOf(s string, org *tamledger.Organization) (tamledger.Date, error) {
	if s == "" {
		return tamledger.Today(org.Location()), nil
	}
	d, err := tamledger.ParseDate(s)
	if err != nil {
		return tamledger.Date{}, usageError(fmt.Errorf("--as-of: %v", err))
	}
	return d, nil
}
