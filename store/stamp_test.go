package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// A write moves the generation and the stamp of the organisation it wrote
// to, and no other organisation's; a transaction that writes nothing moves
// neither.
func TestStampsMoveWithTheirOrganisation(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		put := func(recs ...tamledger.Record) {
			t.Helper()
			tx, err := s.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.PutBatch(ctx, recs); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		put(append(append([]tamledger.Record{orgRecord("acme"), orgRecord("globex")}, ledgerRecords("acme")...), ledgerRecords("globex")...)...)
		gen0, err := s.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st0, err := s.Stamps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st0) != 2 {
			t.Fatalf("stamps of %d organisations, want 2: %v", len(st0), st0)
		}
		put(ledgerRecords("acme")...) // unchanged: nothing written
		if g, _ := s.Generation(ctx); g != gen0 {
			t.Errorf("generation moved from %d to %d without a change", gen0, g)
		}
		e := tamledger.Record{Kind: tamledger.KindEngagement, Org: "acme", ID: "e-new", Value: &tamledger.Engagement{
			Date: date("2026-03-03"), Service: "strategy-call", InitiatedBy: "tam"}}
		put(e)
		gen1, _ := s.Generation(ctx)
		st1, err := s.Stamps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if gen1 <= gen0 {
			t.Errorf("generation %d after a write, was %d", gen1, gen0)
		}
		if st1["acme"] == st0["acme"] {
			t.Error("acme's stamp did not move when one of its engagements was created")
		}
		if st1["globex"] != st0["globex"] {
			t.Error("globex's stamp moved when only acme was written")
		}
		tx, err := s.BeginAs(ctx, store.Write{Manager: tamledger.ManagerCLI, Edit: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Delete(ctx, tamledger.KindEngagement, "acme", "e-new"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		st2, _ := s.Stamps(ctx)
		if st2["acme"] == st1["acme"] || st2["globex"] != st1["globex"] {
			t.Errorf("after deleting acme's engagement: acme %v→%v, globex %v→%v", st1["acme"], st2["acme"], st1["globex"], st2["globex"])
		}
		// One organisation's stamp, read alone, is the one Stamps gives it.
		for org, want := range st2 {
			if got, err := s.Stamp(ctx, org); err != nil || got != want {
				t.Errorf("Stamp(%s) = %v, %v; Stamps gives %v", org, got, err, want)
			}
		}
		if _, err := s.Stamp(ctx, "initech"); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
			t.Errorf("Stamp of an unknown organisation: %v, want ENOTFOUND", err)
		}
	})
}

// The read connections of a PostgreSQL store compile nothing with LLVM: a
// read turns enable_sort off, which makes the planner's cost of a one-row
// query with an ORDER BY pass jit_above_cost, and JIT then took 225 ms.
// A bulk read waits for connections rather than opening more than the
// store's maximum (each is a server process), and many reads at once all
// succeed.
func TestPostgresReadConnections(t *testing.T) {
	s := openPostgres(t)
	ctx := context.Background()
	if jit, err := s.ReadSetting(ctx, "jit"); err != nil || jit != "off" {
		t.Errorf("jit on a read connection: %q, %v; want off", jit, err)
	}

	release, err := s.HoldReads(ctx, store.PgMaxConns())
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = s.HoldReads(short, 2)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a bulk read with every connection taken: %v; want it to wait (and time out)", err)
	}
	release()

	var wg sync.WaitGroup
	var failed atomic.Int64
	for range 4 * store.PgMaxConns() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := s.HoldReads(ctx, 2) // a bulk read
			if err != nil {
				failed.Add(1)
				return
			}
			defer release()
			if v, err := s.ReadSetting(ctx, "jit"); err != nil || v != "off" {
				if failed.Add(1) == 1 {
					t.Errorf("a concurrent read: %q, %v", v, err)
				}
			}
		}()
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d of %d concurrent reads failed", n, 4*store.PgMaxConns())
	}
}

// A SQLite store read after Close refuses, and opens nothing: its
// directory holds the database file alone.
func TestSQLiteClosedStoreOpensNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tamledger.db")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ledger(context.Background(), "acme"); err == nil || tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
		t.Errorf("a read after Close: %v, want it refused", err)
	}
	if err := s.EachLedger(context.Background(), store.ScoringFields, func(*tamledger.Ledger) error { return nil }); err == nil {
		t.Error("a bulk read after Close succeeded")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != "tamledger.db" {
		t.Errorf("after Close and reads, the directory holds %v", names)
	}
}
