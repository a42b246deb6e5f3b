package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tamledger/tamledger/internal/testdb"
)

// buildBinary compiles tamledger into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tamledger")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// bigCSV writes n engagements of organisation acme.
func bigCSV(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,organization,date,service,initiatedBy,workloads,summary")
	for i := range n {
		fmt.Fprintf(w, "big-%07d,acme,2026-%02d-%02d,strategy-call,tam,payments,call number %d\n", i, 1+i%12, 1+i%28, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

// TestKillMidImportLeavesStoreAsItWas starts a real tamledger process on a
// large import fed through a pipe, and kills it with SIGKILL once it has
// taken 150,000 documents and is waiting for more — certainly mid-import,
// with rows written to its open transaction. The store must hold exactly
// what it held before, be intact, and take the whole import afterwards.
func TestKillMidImportLeavesStoreAsItWas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports 300,000 documents; run without -short")
	}
	bin := buildBinary(t)
	const half = 150_000
	big := bigCSV(t, 2*half)
	data, err := os.ReadFile(big)
	if err != nil {
		t.Fatal(err)
	}
	cut := 0 // the end of the first half's rows
	for i, n := 0, 0; i < len(data); i++ {
		if data[i] == '\n' {
			if n++; n == half+1 {
				cut = i + 1
				break
			}
		}
	}

	dsn := testdb.DSN(t)
	if _, errOut, code := cli(t, dsn, "", "import", sample); code != 0 {
		t.Fatal(errOut)
	}
	before := counts(t, dsn)

	for attempt := 0; attempt < 2; attempt++ {
		cmd := exec.Command(bin, "--db", dsn, "import", "-q", "--format", "csv", "-")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The pipe holds 64 KiB: once this write returns, the process has
		// read all but the last few hundred rows of the first half.
		if _, err := stdin.Write(data[:cut]); err != nil {
			t.Fatalf("writing the first half: %v (%s)", err, stderr.String())
		}
		time.Sleep(300 * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		stdin.Close()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("the process ended before the kill: %v\n%s", err, stderr.String())
		}
		if after := counts(t, dsn); !equalCounts(before, after) {
			t.Fatalf("attempt %d: store changed by a killed import: %v → %v", attempt, before, after)
		}
	}

	// The store is intact and takes the same import in full.
	if out, err := exec.Command(bin, "--db", dsn, "import", "-q", big).CombinedOutput(); err != nil {
		t.Fatalf("import after the crashes: %v\n%s", err, out)
	}
	if got, want := counts(t, dsn)["Engagement"], before["Engagement"]+2*half; got != want {
		t.Errorf("after a full import: %d engagements, want %d", got, want)
	}
}
