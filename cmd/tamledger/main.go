// Command tamledger holds an AWS Enterprise Support customer's Technical
// Account Manager relationship to account: the charter as code, what
// happened, the scorecard, what to demand next, and what it was worth.
//
// This package owns flags, configuration and wiring; the rules live in
// package score and roi, documents in package document, the store in
// package store.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
