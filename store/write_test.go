package store_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// An encoding error in any batch fails the whole transaction: nothing of
// the earlier batches is committed.
func TestEncodingErrorFailsTheTransaction(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.PutBatch(ctx, append([]tamledger.Record{orgRecord("acme")}, ledgerRecords("acme")...)); err != nil {
			t.Fatal(err)
		}
		bad := tamledger.Record{Kind: tamledger.KindRecommendation, Org: "acme", ID: "r-nan", Value: &tamledger.Recommendation{
			RaisedOn: date("2026-01-01"), Origin: "tam", Status: "open",
			IncidentAvoided: &tamledger.IncidentAvoided{DowntimeHours: math.NaN(), Probability: 0.5}}}
		if _, err := tx.PutBatch(ctx, []tamledger.Record{bad}); err == nil {
			t.Fatal("a record that cannot be encoded was accepted")
		}
		if err := tx.Commit(); err == nil {
			t.Fatal("Commit after a failed batch succeeded")
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for kind, n := range counts {
			if n != 0 && kind != tamledger.KindPriceBook {
				t.Errorf("%d %s committed after the failure", n, kind)
			}
		}
	})
}

// Writes merge by field ownership in the store: an editor's write takes
// the fields it changes, an applier's conflicting write is refused without
// failing the transaction, and GetMeta shows who set what.
func TestOwnershipInTheStore(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		recs := append([]tamledger.Record{orgRecord("acme")}, ledgerRecords("acme")...)
		put(t, s, recs...)
		var r17 tamledger.Record
		for _, r := range recs {
			if r.Kind == tamledger.KindRecommendation {
				r17 = r
			}
		}
		edited := *r17.Value.(*tamledger.Recommendation)
		edited.Status, edited.StatusReason = "deferred", "after the migration"
		tx, err := s.BeginAs(ctx, store.Write{Manager: tamledger.ManagerCLI, Edit: true})
		if err != nil {
			t.Fatal(err)
		}
		if c, err := tx.Put(ctx, tamledger.Record{Kind: r17.Kind, Org: "acme", ID: r17.ID, Value: &edited}); err != nil || c != tamledger.Updated {
			t.Fatalf("edit: %v, %v", c, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}

		tx, err = s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		_, meta, ok, err := tx.GetMeta(ctx, r17.Kind, "acme", r17.ID)
		if err != nil || !ok {
			t.Fatalf("GetMeta: %v, %v", ok, err)
		}
		if meta.Rev != 2 || meta.Managed.OwnerOf("status") != tamledger.ManagerCLI || meta.Managed.OwnerOf("title") != tamledger.ManagerImport {
			t.Errorf("meta after the edit: %+v", meta)
		}
		// The import states r-17 as before (unchanged) and another record
		// with a change: both fine. Then a conflicting statement.
		if ch, err := tx.PutBatch(ctx, recs); err != nil || ch[len(ch)-1] != tamledger.Unchanged {
			t.Fatalf("re-import: %v, %v", ch, err)
		}
		conflicting := *r17.Value.(*tamledger.Recommendation)
		conflicting.Status = "rejected"
		conflicting.StatusReason = "no"
		_, err = tx.PutBatch(ctx, []tamledger.Record{orgRecord("acme"), {Kind: r17.Kind, Org: "acme", ID: r17.ID, Value: &conflicting}})
		var ce *store.ConflictError
		if !errors.As(err, &ce) || len(ce.Records) != 1 || ce.Records[0].Index != 1 || tamledger.ErrorCode(err) != tamledger.ECONFLICT {
			t.Fatalf("conflict: %v", err)
		}
		msg := ce.Records[0].Message("this file")
		for _, want := range []string{`spec.status is "deferred", set by cli since; this file has "rejected"`, `spec.statusReason is "after the migration"`} {
			if !strings.Contains(msg, want) {
				t.Errorf("message lacks %q: %s", want, msg)
			}
		}
		// Reads outside the Tx see the version and the owners too.
		item, ok, err := s.Item(ctx, r17.Kind, "acme", r17.ID)
		if err != nil || !ok || item.Rev != 2 || item.Managed.OwnerOf("status") != tamledger.ManagerCLI || item.UpdatedAt.IsZero() {
			t.Errorf("Item: %+v, %v, %v", item.Meta, ok, err)
		}
		items, err := s.Items(ctx, r17.Kind, "acme")
		revs := map[string]int64{}
		for _, it := range items {
			revs[it.ID] = it.Rev
		}
		if err != nil || len(items) != 2 || revs[r17.ID] != 2 || items[0].ID > items[1].ID {
			t.Errorf("Items: %v (by id, %s at rev 2), %v", revs, r17.ID, err)
		}
		if _, ok, err := s.Item(ctx, r17.Kind, "acme", "nope"); ok || err != nil {
			t.Errorf("Item of a missing id: %v, %v", ok, err)
		}
		// The Tx is still usable and the record as the CLI left it.
		got, ok, err := tx.Get(ctx, r17.Kind, "acme", r17.ID)
		if err != nil || !ok || got.Value.(*tamledger.Recommendation).Status != "deferred" {
			t.Fatalf("after the conflict: %v %v", ok, err)
		}
	})
}

// A transaction that writes nothing leaves the store as it was: in
// particular it does not bump store_generation, which readers on several
// connections compare.
// (PostgreSQL readers share an exported snapshot instead.)
func TestGenerationOnlyOnChange(t *testing.T) {
	func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		recs := append([]tamledger.Record{orgRecord("acme")}, ledgerRecords("acme")...)
		put(t, s, recs...)
		gen := func() int64 {
			var n int64
			if err := s.DB().QueryRowContext(ctx, "SELECT n FROM store_generation").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := gen()
		put(t, s, recs...) // unchanged
		if got := gen(); got != before {
			t.Errorf("an import that changed nothing bumped the generation %d → %d", before, got)
		}
		changed := orgRecord("acme")
		changed.Value.(*tamledger.Organization).Name = "Renamed"
		put(t, s, changed)
		if got := gen(); got != before+1 {
			t.Errorf("a change: generation %d → %d, want +1", before, got)
		}
	}(t, openSQLite(t))
}
