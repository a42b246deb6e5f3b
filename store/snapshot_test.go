package store_test

import (
	"context"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// A read that fails before it starts (here: a cancelled context) returns the
// error — it used to panic on SQLite — and leaves the store usable.
func TestEachLedgerCancelledContext(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		put(t, s, append([]tamledger.Record{orgRecord("acme")}, ledgerRecords("acme")...)...)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := s.EachLedger(ctx, store.AllFields, func(*tamledger.Ledger) error { return nil })
		if err == nil {
			t.Fatal("EachLedger with a cancelled context: no error")
		}
		n := 0
		if err := s.EachLedger(context.Background(), store.AllFields, func(*tamledger.Ledger) error { n++; return nil }); err != nil {
			t.Fatalf("EachLedger afterwards: %v", err)
		}
		if n != 1 {
			t.Errorf("EachLedger afterwards saw %d organisations, want 1", n)
		}
	})
}
