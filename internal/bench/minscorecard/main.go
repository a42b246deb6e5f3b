// Command minscorecard does a scorecard's work and nothing else — open the
// store, read one ledger, score it, encode the JSON, close — so that its
// time as a process is the least a command doing that work can take here
// (docs/performance.md, "Why a new process cannot show a scorecard in 20
// ms here"):
//
//	CGO_ENABLED=0 go build -o /tmp/minscorecard ./internal/bench/minscorecard
//	perf stat -r 30 /tmp/minscorecard /tmp/tamledger-bench/orgs-10000.db beacon-point-insurance-03553 2026-11-27
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
	"github.com/tamledger/tamledger/store"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: minscorecard DB ORG YYYY-MM-DD")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "minscorecard:", err)
		os.Exit(1)
	}
}

func run(db, org, day string) error {
	asOf, err := tamledger.ParseDate(day)
	if err != nil {
		return err
	}
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	l, err := s.Ledger(ctx, org)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(score.Scorecard(l, asOf))
}
