package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

func TestMigrationsInStep(t *testing.T) {
	names := func(dir string) []string {
		entries, err := os.ReadDir(filepath.Join("migrations", dir))
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, e := range entries {
			n = append(n, e.Name())
		}
		return n
	}
	lite, pg := names("sqlite"), names("postgres")
	if !slices.Equal(lite, pg) {
		t.Fatalf("migrations/sqlite has %v, migrations/postgres has %v: they must hold the same file names", lite, pg)
	}
	for _, n := range lite {
		if !strings.HasSuffix(n, ".sql") {
			t.Errorf("migration %s: want NNNN_name.sql", n)
		}
	}
	v, err := store.Migrations(store.SQLite)
	if err != nil || len(v) != len(lite) {
		t.Fatalf("Migrations(sqlite) = %v, %v; want %d versions", v, err, len(lite))
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	for range 2 { // the second open finds the schema current
		s, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if s.Driver() != store.SQLite {
			t.Errorf("Driver() = %q", s.Driver())
		}
		var mode string
		if err := s.DB().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		var fk int
		if err := s.DB().QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
		}
		s.Close()
	}
	if _, err := store.Open(ctx, filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")); err == nil {
		t.Error("Open in a missing directory: no error")
	}
	// A new database has 16 KiB pages.
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var size int
	if err := s.DB().QueryRow("PRAGMA page_size").Scan(&size); err != nil || size != 16384 {
		t.Errorf("page_size = %d, %v; want 16384", size, err)
	}
	// A migration this tamledger does not know: Open refuses the store.
	if _, err := s.DB().Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_future', 'x')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := store.Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer version") || tamledger.ErrorCode(err) != tamledger.EUNAVAILABLE {
		t.Errorf("Open of a store from a newer tamledger: %v (code %q), want an EUNAVAILABLE error that says so", err, tamledger.ErrorCode(err))
	}
	// A database made with 4 KiB pages keeps them, and works.
	old := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", old+"?_pragma=page_size(4096)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE x (a INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = store.Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, orgRecord("acme"))
	if err := s.DB().QueryRow("PRAGMA page_size").Scan(&size); err != nil || size != 4096 {
		t.Errorf("page_size of an existing 4 KiB store = %d, %v; want 4096", size, err)
	}
	s.Close()
	t.Run("postgres", func(t *testing.T) {
		s := openPostgres(t)
		if s.Driver() != store.Postgres {
			t.Errorf("Driver() = %q", s.Driver())
		}
	})
}

func TestPut(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := orgRecord("acme")
		recs := append([]tamledger.Record{org}, ledgerRecords("acme")...)
		for i, c := range put(t, s, recs...) {
			if c != tamledger.Created {
				t.Errorf("first put of %s %s: %v, want created", recs[i].Kind, recs[i].ID, c)
			}
		}
		// The same again: nothing changes.
		for i, c := range put(t, s, recs...) {
			if c != tamledger.Unchanged {
				t.Errorf("second put of %s %s: %v, want unchanged", recs[i].Kind, recs[i].ID, c)
			}
		}
		// One field changes: that record is updated, its rev goes up.
		changed := ledgerRecords("acme")
		changed[3].Value.(*tamledger.Engagement).Summary = "now with a summary"
		ch := put(t, s, changed...)
		for i, c := range ch {
			want := tamledger.Unchanged
			if i == 3 {
				want = tamledger.Updated
			}
			if c != want {
				t.Errorf("third put of %s %s: %v, want %v", changed[i].Kind, changed[i].ID, c, want)
			}
		}
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		rec, rev, ok, err := tx.GetRev(ctx, tamledger.KindEngagement, "acme", "e-1")
		if err != nil || !ok || rev != 2 {
			t.Fatalf("GetRev(e-1) = rev %d, %v, %v; want rev 2", rev, ok, err)
		}
		if got := rec.Value.(*tamledger.Engagement).Summary; got != "now with a summary" {
			t.Errorf("summary = %q", got)
		}
		if _, rev, _, _ := tx.GetRev(ctx, tamledger.KindEngagement, "acme", "e-2"); rev != 1 {
			t.Errorf("rev of the unchanged e-2 = %d, want 1", rev)
		}
		// Put in one Tx, then again in the same Tx.
		e := changed[3]
		e.Value.(*tamledger.Engagement).Summary = "twice"
		for _, want := range []tamledger.Change{tamledger.Updated, tamledger.Unchanged} {
			if c, err := tx.Put(ctx, e); err != nil || c != want {
				t.Errorf("Put = %v, %v; want %v", c, err, want)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Errorf("Rollback after Commit: %v", err)
		}
	})
}

func TestGetRoundTrip(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		recs := append([]tamledger.Record{orgRecord("acme"), priceBook("aws-2026", "2026-01-01")}, ledgerRecords("acme")...)
		put(t, s, recs...)
		for _, r := range recs {
			got, ok, err := s.Get(ctx, r.Kind, r.Org, r.ID)
			if err != nil || !ok {
				t.Fatalf("Get %s %s: %v, %v", r.Kind, r.ID, ok, err)
			}
			if got.Kind != r.Kind || got.Org != r.Org || got.ID != r.ID {
				t.Errorf("Get key = %s/%s/%s", got.Kind, got.Org, got.ID)
			}
			if a, b := mustJSON(t, got.Value), mustJSON(t, r.Value); a != b {
				t.Errorf("Get %s %s:\n got %s\nwant %s", r.Kind, r.ID, a, b)
			}
			// SetKey was applied: the value's key fields match the record's.
			switch v := got.Value.(type) {
			case *tamledger.Organization:
				if v.ID != r.ID {
					t.Errorf("Organization.ID = %q", v.ID)
				}
			case *tamledger.Engagement:
				if v.ID != r.ID || v.Org != r.Org {
					t.Errorf("Engagement key = %q/%q", v.Org, v.ID)
				}
			case *tamledger.PriceBook:
				if v.ID != r.ID {
					t.Errorf("PriceBook.ID = %q", v.ID)
				}
			}
		}
		if _, ok, err := s.Get(ctx, tamledger.KindEngagement, "acme", "nope"); ok || err != nil {
			t.Errorf("Get of a missing record: %v, %v", ok, err)
		}
		_, _, err := s.Get(ctx, "Widget", "acme", "x")
		errCode(t, err, tamledger.EINVALID)
	})
}

func TestRollback(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.PutBatch(ctx, append([]tamledger.Record{orgRecord("acme")}, ledgerRecords("acme")...)); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := tx.Get(ctx, tamledger.KindCase, "acme", "case-1"); !ok || err != nil {
			t.Fatalf("Get inside the Tx: %v, %v", ok, err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range tamledger.Kinds.Values() {
			if n, ok := counts[k]; !ok || n != 0 {
				t.Errorf("after rollback: %d %s (present %v)", n, k, ok)
			}
		}
		if _, err := tx.Put(ctx, orgRecord("x")); err == nil {
			t.Error("Put after Rollback: no error")
		}
		if err := tx.Commit(); err == nil {
			t.Error("Commit after Rollback: no error")
		}
	})
}

func TestLedger(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		put(t, s, append([]tamledger.Record{orgRecord("acme")}, ledgerRecords("acme")...)...)
		l, err := s.Ledger(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		ids := func(n int, id func(int) string) string {
			var s []string
			for i := range n {
				s = append(s, id(i))
			}
			return strings.Join(s, " ")
		}
		for _, c := range []struct{ what, got, want string }{
			{"charters", ids(len(l.Charters), func(i int) string { return l.Charters[i].ID }), "c-2025 c-2026"},
			{"engagements", ids(len(l.Engagements), func(i int) string { return l.Engagements[i].ID }), "e-2 e-3 e-1"},
			{"recommendations", ids(len(l.Recommendations), func(i int) string { return l.Recommendations[i].ID }), "r-1 r-2"},
			{"cases", ids(len(l.Cases), func(i int) string { return l.Cases[i].ID }), "case-1 case-2"},
			{"events", ids(len(l.Events), func(i int) string { return l.Events[i].ID }), "dc-exit"},
			{"reassignments", ids(len(l.Reassignments), func(i int) string { return l.Reassignments[i].ID }), "rr-1"},
		} {
			if c.got != c.want {
				t.Errorf("%s: %s, want %s", c.what, c.got, c.want)
			}
		}
		// Values built from typed columns encode like the records stored.
		want := map[string]string{}
		for _, r := range append([]tamledger.Record{orgRecord("acme")}, ledgerRecords("acme")...) {
			r.SetKey()
			want[r.Kind+"/"+r.ID] = mustJSON(t, r.Value)
		}
		check := func(kind, id string, v any) {
			t.Helper()
			if got := mustJSON(t, v); got != want[kind+"/"+id] {
				t.Errorf("ledger %s %s:\n got %s\nwant %s", kind, id, got, want[kind+"/"+id])
			}
		}
		check(tamledger.KindOrganization, "acme", l.Org)
		if l.Org.ID != "acme" {
			t.Errorf("Org.ID = %q", l.Org.ID)
		}
		for _, e := range l.Engagements {
			check(tamledger.KindEngagement, e.ID, &e)
			if e.Org != "acme" {
				t.Errorf("engagement %s: Org %q", e.ID, e.Org)
			}
		}
		for _, r := range l.Recommendations {
			check(tamledger.KindRecommendation, r.ID, &r)
		}
		for _, c := range l.Cases {
			check(tamledger.KindCase, c.ID, &c)
		}
		for _, c := range l.Charters {
			check(tamledger.KindCharter, c.ID, &c)
		}
		check(tamledger.KindEvent, "dc-exit", &l.Events[0])
		check(tamledger.KindReassignmentRequest, "rr-1", &l.Reassignments[0])

		_, err = s.Ledger(ctx, "nobody")
		errCode(t, err, tamledger.ENOTFOUND)
	})
}

// An instant with an offset comes back as the same instant, in UTC.
func TestLedgerInstants(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		c := &tamledger.Case{Severity: "high", OpenedAt: instant("2026-04-02T11:00:00+02:00"), TAMEngagedAt: ptr(instant("2026-04-02T09:30:00.123456Z"))}
		put(t, s, orgRecord("acme"), tamledger.Record{Kind: tamledger.KindCase, Org: "acme", ID: "c", Value: c})
		l, err := s.Ledger(context.Background(), "acme")
		if err != nil {
			t.Fatal(err)
		}
		got := l.Cases[0]
		if !got.OpenedAt.Equal(c.OpenedAt) || got.OpenedAt.Location() != time.UTC {
			t.Errorf("OpenedAt = %v, want %v in UTC", got.OpenedAt, c.OpenedAt)
		}
		if !got.TAMEngagedAt.Equal(*c.TAMEngagedAt) {
			t.Errorf("TAMEngagedAt = %v, want %v", got.TAMEngagedAt, c.TAMEngagedAt)
		}
		rec, _, _ := s.Get(context.Background(), tamledger.KindCase, "acme", "c")
		if a, b := mustJSON(t, rec.Value), mustJSON(t, c); a != b {
			t.Errorf("Get keeps the offset: %s, want %s", a, b)
		}
	})
}

func TestEachLedger(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var recs []tamledger.Record
		orgs := []string{"zeta", "acme", "a.b", "a-b", "empty", "beta"}
		for _, o := range orgs {
			recs = append(recs, orgRecord(o))
			if o != "empty" {
				recs = append(recs, ledgerRecords(o)...)
			}
		}
		// beta has more engagements, spread over dates.
		for i := range 50 {
			recs = append(recs, tamledger.Record{Kind: tamledger.KindEngagement, Org: "beta", ID: fmt.Sprintf("x-%02d", i),
				Value: &tamledger.Engagement{Date: tamledger.NewDate(2026, 1, 1+(i*7)%60), Service: "other", InitiatedBy: "tam"}})
		}
		put(t, s, recs...)
		var seen []string
		err := s.EachLedger(ctx, store.AllFields, func(l *tamledger.Ledger) error {
			seen = append(seen, l.Org.ID)
			want, err := s.Ledger(ctx, l.Org.ID)
			if err != nil {
				return err
			}
			if a, b := ledgerJSON(t, l), ledgerJSON(t, want); a != b {
				t.Errorf("EachLedger %s:\n%s\nLedger:\n%s", l.Org.ID, a, b)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sorted := slices.Clone(orgs)
		slices.Sort(sorted)
		if !slices.Equal(seen, sorted) {
			t.Errorf("EachLedger visited %v, want %v", seen, sorted)
		}
		// ScoringFields: the same ledgers without their free text.
		prose := 0
		err = s.EachLedger(ctx, store.ScoringFields, func(l *tamledger.Ledger) error {
			want, err := s.Ledger(ctx, l.Org.ID)
			if err != nil {
				return err
			}
			for i := range want.Engagements {
				e := &want.Engagements[i]
				prose += len(e.Attendees) + len(e.Summary)
				e.Attendees, e.Summary = nil, ""
			}
			for i := range want.Recommendations {
				r := &want.Recommendations[i]
				prose += len(r.Title) + len(r.StatusReason)
				r.Title, r.StatusReason = "", ""
			}
			for i := range want.Cases {
				prose += len(want.Cases[i].Subject)
				want.Cases[i].Subject = ""
			}
			if a, b := ledgerJSON(t, l), ledgerJSON(t, want); a != b {
				t.Errorf("EachLedger ScoringFields %s:\n%s\nLedger without free text:\n%s", l.Org.ID, a, b)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if prose == 0 {
			t.Error("the test ledgers hold no free text: ScoringFields is not tested")
		}
		// An error from fn stops it.
		stop := errors.New("stop")
		n := 0
		err = s.EachLedger(ctx, store.AllFields, func(*tamledger.Ledger) error {
			n++
			if n == 2 {
				return stop
			}
			return nil
		})
		if err != stop || n != 2 {
			t.Errorf("EachLedger with fn failing at 2: %v after %d", err, n)
		}
		// A cancelled context stops it.
		cctx, cancel := context.WithCancel(ctx)
		err = s.EachLedger(cctx, store.ScoringFields, func(*tamledger.Ledger) error { cancel(); return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("EachLedger with a cancelled context: %v", err)
		}
		for _, f := range []store.Fields{store.AllFields, store.ScoringFields} {
			rows, err := s.ReadFloor(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if rows != len(recs) {
				t.Errorf("ReadFloor(%d) = %d rows, want %d", f, rows, len(recs))
			}
		}
	})
}

// More organisations than one read range holds.
func TestEachLedgerManyOrganizations(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		const n = 700
		var recs []tamledger.Record
		for i := range n {
			org := fmt.Sprintf("o%04d", i)
			recs = append(recs, tamledger.Record{Kind: tamledger.KindOrganization, ID: org, Value: &tamledger.Organization{Name: org}})
			for j := range i % 3 {
				recs = append(recs, tamledger.Record{Kind: tamledger.KindEngagement, Org: org, ID: fmt.Sprintf("e%d", j),
					Value: &tamledger.Engagement{Date: tamledger.NewDate(2026, 3, 3-j), Service: "other", InitiatedBy: "tam"}})
			}
		}
		put(t, s, recs...)
		i := 0
		err := s.EachLedger(context.Background(), store.AllFields, func(l *tamledger.Ledger) error {
			if want := fmt.Sprintf("o%04d", i); l.Org.ID != want {
				return fmt.Errorf("ledger %d is %s, want %s", i, l.Org.ID, want)
			}
			if len(l.Engagements) != i%3 {
				return fmt.Errorf("%s: %d engagements, want %d", l.Org.ID, len(l.Engagements), i%3)
			}
			if i%3 == 2 && (l.Engagements[0].ID != "e1" || cap(l.Engagements) != 2) {
				return fmt.Errorf("%s: engagements %v (cap %d): want e1 first and a capped slice", l.Org.ID, l.Engagements, cap(l.Engagements))
			}
			i++
			return nil
		})
		if err != nil || i != n {
			t.Fatalf("EachLedger: %v after %d ledgers", err, i)
		}
		rows, err := s.ReadFloor(context.Background(), store.ScoringFields)
		if err != nil || rows != len(recs) {
			t.Errorf("ReadFloor = %d, %v; want %d", rows, err, len(recs))
		}
	})
}

func TestExport(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		recs := []tamledger.Record{priceBook("b-2026", "2026-01-01"), priceBook("a-2025", "2025-01-01")}
		for _, o := range []string{"beta", "acme", "empty"} {
			recs = append(recs, orgRecord(o))
			if o != "empty" {
				recs = append(recs, ledgerRecords(o)...)
			}
		}
		put(t, s, recs...)
		var got []string
		err := s.Export(ctx, "", func(r tamledger.Record) error {
			got = append(got, r.Kind+" "+r.Org+" "+r.ID)
			orig := slices.IndexFunc(recs, func(o tamledger.Record) bool { return o.Kind == r.Kind && o.Org == r.Org && o.ID == r.ID })
			if orig < 0 {
				t.Fatalf("exported unknown %s %s %s", r.Kind, r.Org, r.ID)
			}
			if a, b := mustJSON(t, r.Value), mustJSON(t, recs[orig].Value); a != b {
				t.Errorf("export %s %s: %s, want %s", r.Kind, r.ID, a, b)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		perOrg := func(o string) []string {
			return []string{"Organization  " + o, "Charter " + o + " c-2025", "Charter " + o + " c-2026",
				"Engagement " + o + " e-1", "Engagement " + o + " e-2", "Engagement " + o + " e-3",
				"Recommendation " + o + " r-1", "Recommendation " + o + " r-2",
				"Case " + o + " case-1", "Case " + o + " case-2", "Event " + o + " dc-exit", "ReassignmentRequest " + o + " rr-1"}
		}
		want := []string{"PriceBook  a-2025", "PriceBook  b-2026"}
		want = append(want, perOrg("acme")...)
		want = append(want, perOrg("beta")...)
		want = append(want, "Organization  empty")
		if !slices.Equal(got, want) {
			t.Errorf("Export order:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		got = nil
		if err := s.Export(ctx, "beta", func(r tamledger.Record) error {
			got = append(got, r.Kind+" "+r.Org+" "+r.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, perOrg("beta")) {
			t.Errorf("Export beta:\n%s", strings.Join(got, "\n"))
		}
		errCode(t, s.Export(ctx, "nobody", func(tamledger.Record) error { return nil }), tamledger.ENOTFOUND)
		stop := errors.New("stop")
		if err := s.Export(ctx, "", func(tamledger.Record) error { return stop }); err != stop {
			t.Errorf("Export with fn failing: %v", err)
		}

		orgs, err := s.Organizations(ctx)
		if err != nil || len(orgs) != 3 || orgs[0].ID != "acme" || orgs[2].ID != "empty" {
			t.Errorf("Organizations = %v, %v", orgs, err)
		}
		books, err := s.PriceBooks(ctx)
		if err != nil || len(books) != 2 || books[0].ID != "a-2025" || books[1].ID != "b-2026" {
			t.Errorf("PriceBooks = %v, %v", books, err)
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantCounts := map[string]int{"PriceBook": 2, "Organization": 3, "Charter": 4, "Engagement": 6,
			"Recommendation": 4, "Case": 4, "Event": 2, "ReassignmentRequest": 2}
		for k, n := range wantCounts {
			if counts[k] != n {
				t.Errorf("Counts[%s] = %d, want %d", k, counts[k], n)
			}
		}
	})
}

func TestPutIfRev(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		put(t, s, orgRecord("acme"))
		e := tamledger.Record{Kind: tamledger.KindEngagement, Org: "acme", ID: "e-1",
			Value: &tamledger.Engagement{Date: date("2026-01-01"), Service: "other", InitiatedBy: "tam"}}
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		_, err = tx.PutIfRev(ctx, e, 3)
		errCode(t, err, tamledger.ECONFLICT) // deleted (never was)
		if c, err := tx.PutIfRev(ctx, e, 0); err != nil || c != tamledger.Created {
			t.Fatalf("PutIfRev(0) = %v, %v", c, err)
		}
		_, err = tx.PutIfRev(ctx, e, 0)
		errCode(t, err, tamledger.ECONFLICT) // exists
		e.Value.(*tamledger.Engagement).Summary = "v2"
		if c, err := tx.PutIfRev(ctx, e, 1); err != nil || c != tamledger.Updated {
			t.Fatalf("PutIfRev(1) = %v, %v", c, err)
		}
		e.Value.(*tamledger.Engagement).Summary = "v3"
		_, err = tx.PutIfRev(ctx, e, 1) // stale
		errCode(t, err, tamledger.ECONFLICT)
		if !strings.Contains(tamledger.ErrorMessage(err), "now rev 2") {
			t.Errorf("conflict message %q does not give the current rev", tamledger.ErrorMessage(err))
		}
		// A conflict leaves the Tx usable.
		if c, err := tx.PutIfRev(ctx, e, 2); err != nil || c != tamledger.Updated {
			t.Fatalf("PutIfRev(2) = %v, %v", c, err)
		}
		if c, err := tx.Put(ctx, e); err != nil || c != tamledger.Unchanged {
			t.Fatalf("Put after PutIfRev = %v, %v; want unchanged", c, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	})
}

// Two goroutines increment one counter with read-modify-write
// transactions: no update is lost.
func TestConcurrentTransactions(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		put(t, s, orgRecord("acme"))
		const perWorker = 25
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range perWorker {
					if err := increment(ctx, s); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		rec, _, err := s.Get(ctx, tamledger.KindOrganization, "", "acme")
		if err != nil {
			t.Fatal(err)
		}
		if n := *rec.Value.(*tamledger.Organization).AccountTeam.TAM.PortfolioSize; n != 35+2*perWorker {
			t.Errorf("counter = %d, want %d: an update was lost", n, 35+2*perWorker)
		}

		// Optimistic concurrency across transactions: the second writer of
		// the same rev gets ECONFLICT.
		tx1, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rec, rev, _, err := tx1.GetRev(ctx, tamledger.KindOrganization, "", "acme")
		if err != nil {
			t.Fatal(err)
		}
		tx1.Rollback()
		for i, want := range []string{"", tamledger.ECONFLICT} {
			tx, err := s.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rec.Value.(*tamledger.Organization).Notes = fmt.Sprintf("writer %d", i)
			_, err = tx.PutIfRev(ctx, rec, rev)
			errCode(t, err, want)
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func increment(ctx context.Context, s *store.Store) error {
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rec, ok, err := tx.Get(ctx, tamledger.KindOrganization, "", "acme")
	if err != nil || !ok {
		return fmt.Errorf("get: %v %v", ok, err)
	}
	*rec.Value.(*tamledger.Organization).AccountTeam.TAM.PortfolioSize++
	if _, err := tx.Put(ctx, rec); err != nil {
		return err
	}
	return tx.Commit()
}

func TestUnknownOrganization(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.PutBatch(ctx, ledgerRecords("ghost")); err != nil {
			t.Fatal(err)
		}
		err = tx.Commit()
		errCode(t, err, tamledger.EINVALID)
		if !strings.Contains(tamledger.ErrorMessage(err), `organization "ghost" is not in the store`) {
			t.Errorf("message %q does not name the organization", tamledger.ErrorMessage(err))
		}
		if n, _ := s.Counts(ctx); n["Engagement"] != 0 {
			t.Errorf("the failed commit left %d engagements", n["Engagement"])
		}

		// Records before their organisation, in separate batches of one Tx.
		tx, err = s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.PutBatch(ctx, ledgerRecords("late")); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Put(ctx, orgRecord("late")); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatalf("commit with the organisation written last: %v", err)
		}
	})
}

func TestDelete(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		put(t, s, append([]tamledger.Record{orgRecord("acme"), orgRecord("solo"), priceBook("pb", "2026-01-01")}, ledgerRecords("acme")...)...)
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := tx.Delete(ctx, tamledger.KindEngagement, "acme", "e-1"); err != nil {
			t.Fatal(err)
		}
		errCode(t, tx.Delete(ctx, tamledger.KindEngagement, "acme", "e-1"), tamledger.ENOTFOUND)
		// Put back in the same Tx: created again, then unchanged.
		e1 := ledgerRecords("acme")[3]
		for _, want := range []tamledger.Change{tamledger.Created, tamledger.Unchanged} {
			if c, err := tx.Put(ctx, e1); err != nil || c != want {
				t.Fatalf("Put of the deleted e-1: %v, %v; want %v", c, err, want)
			}
		}
		if err := tx.Delete(ctx, tamledger.KindEngagement, "acme", "e-1"); err != nil {
			t.Fatal(err)
		}
		err = tx.Delete(ctx, tamledger.KindOrganization, "", "acme")
		errCode(t, err, tamledger.EINVALID)
		if !strings.Contains(tamledger.ErrorMessage(err), "still has records") {
			t.Errorf("message %q", tamledger.ErrorMessage(err))
		}
		if err := tx.Delete(ctx, tamledger.KindOrganization, "", "solo"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Delete(ctx, tamledger.KindPriceBook, "", "pb"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		counts, _ := s.Counts(ctx)
		if counts["Engagement"] != 2 || counts["Organization"] != 1 || counts["PriceBook"] != 0 {
			t.Errorf("after delete: %v", counts)
		}
	})
}

func TestBadRecords(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		e := &tamledger.Engagement{Date: date("2026-01-01"), Service: "other", InitiatedBy: "tam"}
		for _, r := range []tamledger.Record{
			{Kind: "Widget", Org: "acme", ID: "x", Value: e},
			{Kind: tamledger.KindCase, Org: "acme", ID: "x", Value: e},
			{Kind: tamledger.KindEngagement, Org: "acme", ID: "Bad ID", Value: e},
			{Kind: tamledger.KindEngagement, Org: "", ID: "x", Value: e},
			{Kind: tamledger.KindOrganization, Org: "acme", ID: "x", Value: &tamledger.Organization{}},
			{Kind: tamledger.KindEngagement, Org: "acme", ID: "x", Value: (*tamledger.Engagement)(nil)},
		} {
			_, err := tx.Put(ctx, r)
			errCode(t, err, tamledger.EINVALID)
		}
		// The Tx is still usable.
		if _, err := tx.Put(ctx, orgRecord("acme")); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	})
}

// Many records in one batch: several statements per kind, duplicate keys,
// mixed kinds, the organisations after their records.
func TestPutBatchLarge(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		var recs []tamledger.Record
		for i := range 2600 {
			org := fmt.Sprintf("org-%d", i%3)
			recs = append(recs, tamledger.Record{Kind: tamledger.KindEngagement, Org: org, ID: fmt.Sprintf("e-%05d", i/3),
				Value: &tamledger.Engagement{Date: tamledger.NewDate(2026, 1, 1+i%300), Service: "strategy-call", InitiatedBy: "tam", Summary: fmt.Sprint(i)}})
		}
		recs = append(recs, recs[5]) // the same key and value again
		dup := recs[7]
		dup.Value = &tamledger.Engagement{Date: date("2026-01-01"), Service: "other", InitiatedBy: "customer"}
		recs = append(recs, dup) // the same key, another value
		for i := range 3 {
			recs = append(recs, orgRecord(fmt.Sprintf("org-%d", i)))
		}
		ch := put(t, s, recs...)
		for i, c := range ch {
			want := tamledger.Created
			switch i {
			case 2600:
				want = tamledger.Unchanged
			case 2601:
				want = tamledger.Updated
			}
			if c != want {
				t.Errorf("change %d (%s %s) = %v, want %v", i, recs[i].Org, recs[i].ID, c, want)
			}
		}
		rec, _, err := s.Get(context.Background(), tamledger.KindEngagement, dup.Org, dup.ID)
		if err != nil || rec.Value.(*tamledger.Engagement).Service != "other" {
			t.Errorf("the later duplicate did not win: %v %v", rec.Value, err)
		}
		for i, c := range put(t, s, recs[:2600]...) {
			want := tamledger.Unchanged
			if i == 7 {
				want = tamledger.Updated
			}
			if c != want {
				t.Errorf("second put: change %d = %v, want %v", i, c, want)
			}
		}
	})
}
