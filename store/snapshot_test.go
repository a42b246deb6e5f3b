package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// snapshotWriterEnv names the store a helper process writes to: the test
// binary run again, as another process (TestSnapshotWriterProcess).
const snapshotWriterEnv = "TAMLEDGER_SNAPSHOT_WRITER_DSN"

// TestSnapshotWriterProcess is the writer of TestConsistentSnapshot when run
// by it: each transaction renames every organisation to the same new
// generation, until the process is killed.
func TestSnapshotWriterProcess(t *testing.T) {
	dsn := os.Getenv(snapshotWriterEnv)
	if dsn == "" {
		return // not the helper process: nothing to do
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	orgs, err := s.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for gen := 1; ; gen++ {
		recs := make([]tamledger.Record, len(orgs))
		for i := range orgs {
			o := orgs[i]
			o.Name = fmt.Sprintf("generation %d", gen)
			recs[i] = tamledger.Record{Kind: tamledger.KindOrganization, ID: o.ID, Value: &o}
		}
		put(t, s, recs...)
		fmt.Println("wrote", gen)
	}
}

// Every reader of several connections sees one state of the database while
// another process writes: EachLedger never mixes organisations of two
// generations.
func TestConsistentSnapshot(t *testing.T) {
	sqlitePath := func(t testing.TB) string { return filepath.Join(t.TempDir(), "tamledger.db") }
	for name, dsnOf := range map[string]func(testing.TB) string{"sqlite": sqlitePath, "postgres": postgresDSN} {
		t.Run(name, func(t *testing.T) { consistentSnapshot(t, dsnOf(t)) })
	}
}

func consistentSnapshot(t *testing.T, dsn string) {
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	{
		var recs []tamledger.Record
		for i := range 40 {
			recs = append(recs, orgRecord(fmt.Sprintf("org-%02d", i)))
		}
		put(t, s, recs...)
		cmd := exec.Command(os.Args[0], "-test.run=^TestSnapshotWriterProcess$", "-test.v")
		cmd.Env = append(os.Environ(), snapshotWriterEnv+"="+dsn)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		lines := bufio.NewScanner(out)
		wrote := func() int { // the writer's last generation, waiting for one
			for lines.Scan() {
				var n int
				if _, err := fmt.Sscanf(lines.Text(), "wrote %d", &n); err == nil {
					return n
				}
			}
			t.Fatalf("the writer stopped: %v", lines.Err())
			return 0
		}
		wrote()
		go func() { // drain the writer's output, or it blocks
			for lines.Scan() {
			}
		}()
		seen := map[string]bool{}
		for pass := 0; pass < 300; pass++ {
			names := map[string]int{}
			err := s.EachLedger(ctx, store.AllFields, func(l *tamledger.Ledger) error {
				names[l.Org.Name]++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != 1 {
				t.Fatalf("pass %d mixed generations: %v", pass, names)
			}
			for n := range names {
				seen[n] = true
			}
		}
		if len(seen) < 5 {
			t.Errorf("the reads saw only %d generations: the writer did not write between them", len(seen))
		}
	}
}
