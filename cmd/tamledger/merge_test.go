package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger/internal/testdb"
)

const mergeOrg = `apiVersion: tamledger/v1
kind: Organization
metadata: {id: acme}
spec: {name: Acme, workloads: [{id: payments, name: Payments, primary: true}]}
---
apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: r-17, organization: acme}
spec: {raisedOn: 2026-02-03, origin: tam, title: Graviton, estimatedMonthlySavings: 12000, status: open}
`

// The journey of the issue: a file in git, an edit with the CLI, the file
// imported again, then changed where the CLI had changed it.
func TestReimportAfterCLIEdit(t *testing.T) {
	dsn := testdb.DSN(t)
	file := write(t, "acme.yaml", mergeOrg)
	if _, errOut, code := cli(t, dsn, "", "import", file); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := cli(t, dsn, "", "recommendation", "set", "r-17", "--org", "acme", "--status", "implemented", "--on", "2026-03-15", "--realized", "10500"); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := cli(t, dsn, "", "import", "-o", "json", file)
	if code != 0 {
		t.Fatal(errOut)
	}
	var sum importJSON
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Total.Updated != 0 || sum.Total.Unchanged != 2 || sum.Documents != 2 {
		t.Fatalf("re-import summary %s (%v)", out, err)
	}
	exp, _, _ := cli(t, dsn, "", "export", "--org", "acme")
	if !strings.Contains(exp, "status: implemented") || !strings.Contains(exp, "realizedMonthlySavings: 10500") {
		t.Fatalf("the re-import undid the CLI's edit:\n%s", exp)
	}

	got, _, _ := cli(t, dsn, "", "get", "rec", "r-17", "--org", "acme")
	if head, _, _ := strings.Cut(got, "\n"); !strings.HasPrefix(head, "# rev 2, written ") ||
		!strings.HasSuffix(head, "; set by import, except spec.implementedOn (cli), spec.realizedMonthlySavings (cli), spec.status (cli)") {
		t.Errorf("get shows %q", head)
	}
	if tbl, _, _ := cli(t, dsn, "", "get", "recs", "--org", "acme"); !strings.Contains(tbl, "r-17    2  2026-02-03  implemented") {
		t.Errorf("get recs:\n%s", tbl)
	}

	changed := write(t, "acme.yaml", strings.Replace(mergeOrg, "status: open", "status: rejected, statusReason: too costly", 1))
	out, errOut, code = cli(t, dsn, "", "import", changed)
	if code != 2 || out != "" {
		t.Fatalf("conflicting import: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{changed + ":6:1:", `Recommendation "r-17" of organization "acme"`, `spec.status is "implemented", set by cli since; this file has "rejected"`, "--force-conflicts", "nothing was imported"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if _, errOut, code := cli(t, dsn, "", "import", "--force-conflicts", changed); code != 0 {
		t.Fatalf("--force-conflicts: exit %d\n%s", code, errOut)
	}
	exp, _, _ = cli(t, dsn, "", "export", "--org", "acme")
	if !strings.Contains(exp, "status: rejected") || !strings.Contains(exp, "realizedMonthlySavings: 10500") {
		t.Errorf("after --force-conflicts: the file's status, the CLI's saving (the file did not change it):\n%s", exp)
	}
}

func TestLogTwiceAndReplace(t *testing.T) {
	dsn := testdb.DSN(t)
	if _, errOut, code := cli(t, dsn, "", "import", write(t, "acme.yaml", mergeOrg)); code != 0 {
		t.Fatal(errOut)
	}
	line := []string{"log", "--org", "acme", "strategy-call", "--by", "tam", "--date", "2026-07-01", "Q3 roadmap"}
	if out, errOut, code := cli(t, dsn, "", line...); code != 0 || !strings.HasPrefix(out, "created engagement e-2026-07-01-strategy-call:") {
		t.Fatalf("first: exit %d %s%s", code, out, errOut)
	}
	_, errOut, code := cli(t, dsn, "", line...)
	if code != 2 || !strings.Contains(errOut, `already recorded as "e-2026-07-01-strategy-call"`) || !strings.Contains(errOut, "--again") {
		t.Fatalf("the same line twice: exit %d\n%s", code, errOut)
	}
	out, errOut, code := cli(t, dsn, "", append(line, "--again", "-o", "json")...)
	var logged loggedJSON
	if code != 0 || json.Unmarshal([]byte(out), &logged) != nil || logged.ID != "e-2026-07-01-strategy-call-2" || logged.Change != "created" {
		t.Fatalf("--again -o json: exit %d %s%s", code, out, errOut)
	}
	byID := []string{"log", "--org", "acme", "cost-review", "--by", "customer", "--date", "2026-07-02", "--id", "e-2026-07-01-strategy-call"}
	_, errOut, code = cli(t, dsn, "", byID...)
	if code != 2 || !strings.Contains(errOut, `engagement "e-2026-07-01-strategy-call" of organization "acme" already exists (strategy-call on 2026-07-01`) {
		t.Fatalf("existing --id: exit %d\n%s", code, errOut)
	}
	_, errOut, code = cli(t, dsn, "", append(byID, "--replace", "--rev", "7")...)
	if code != 2 || !strings.Contains(errOut, "read at rev 7, now rev 1") {
		t.Fatalf("stale --rev: exit %d\n%s", code, errOut)
	}
	if out, errOut, code := cli(t, dsn, "", append(byID, "--replace", "--rev", "1")...); code != 0 || !strings.HasPrefix(out, "updated engagement e-2026-07-01-strategy-call: cost-review on 2026-07-02") {
		t.Fatalf("--replace: exit %d %s%s", code, out, errOut)
	}
}

func TestDeleteCommand(t *testing.T) {
	dsn := testdb.DSN(t)
	file := write(t, "acme.yaml", mergeOrg)
	if _, errOut, code := cli(t, dsn, "", "import", file); code != 0 {
		t.Fatal(errOut)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"delete", "recommendation", "r-99", "--org", "acme"}, `Recommendation "r-99" of organization "acme" is not in the store`},
		{[]string{"delete", "widget", "r-17", "--org", "acme"}, `unknown kind "widget"`},
		{[]string{"delete", "recommendation", "r-17"}, "--org is required"},
		{[]string{"delete", "recommendation", "r-17", "--org", "nobody"}, `unknown organization "nobody"`},
		{[]string{"delete", "organization", "acme"}, "still has records"},
		{[]string{"delete", "recs", "r-17", "--org", "acme", "--rev", "2"}, "read at rev 2, now rev 1"},
	} {
		_, errOut, code := cli(t, dsn, "", tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", tc.args, code, tc.want, errOut)
		}
	}
	out, errOut, code := cli(t, dsn, "", "delete", "Recommendations", "r-17", "--org", "acme")
	if code != 0 || out != "deleted recommendation r-17 of acme\n" {
		t.Fatalf("delete: exit %d %q %s", code, out, errOut)
	}
	// The unchanged file leaves it deleted.
	if _, errOut, code := cli(t, dsn, "", "import", file); code != 0 {
		t.Fatal(errOut)
	}
	if exp, _, _ := cli(t, dsn, "", "export", "--org", "acme"); strings.Contains(exp, "r-17") {
		t.Fatalf("the re-import brought r-17 back:\n%s", exp)
	}
}

func TestOutputFormatsOfWriters(t *testing.T) {
	dsn := testdb.DSN(t)
	file := write(t, "acme.yaml", mergeOrg)
	for _, args := range [][]string{
		{"import", "-o", "yaml", file},
		{"log", "-o", "csv", "--org", "acme", "strategy-call", "--by", "tam"},
		{"recommendation", "set", "r-17", "--org", "acme", "--status", "accepted", "-o", "xml"},
		{"delete", "recommendation", "r-17", "--org", "acme", "-o", "yaml"},
	} {
		_, errOut, code := cli(t, dsn, "", args...)
		if code != 2 || !strings.Contains(errOut, "unknown output format") {
			t.Errorf("%v: exit %d\n%s", args, code, errOut)
		}
	}
	if n := counts(t, dsn); n["Organization"] != 0 {
		t.Errorf("a refused command wrote: %v", n)
	}
	// An empty file, or only comments, is bad input.
	_, errOut, code := cli(t, dsn, "", "import", write(t, "empty.yaml", "# nothing yet\n"))
	if code != 2 || !strings.Contains(errOut, "empty.yaml: no documents") {
		t.Errorf("empty file: exit %d\n%s", code, errOut)
	}
}

// A long import on a terminal shows how far it got, at most five times a
// second, and erases the line at the end; off a terminal it shows nothing.
func TestImportProgress(t *testing.T) {
	var b strings.Builder
	clock := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	p := newProgressLine(&b, func() time.Time { return clock })
	for _, step := range []struct {
		after time.Duration
		docs  int
	}{{100 * time.Millisecond, 500}, {250 * time.Millisecond, 1000}, {150 * time.Millisecond, 1500}, {1 * time.Second, 1234567}} {
		clock = clock.Add(step.after)
		p.update(step.docs)
	}
	p.clear()
	want := "\r\x1b[Kimporting: 1,000 documents, 2,857/s…" + "\r\x1b[Kimporting: 1,234,567 documents, 823,044/s…" + "\r\x1b[K"
	if b.String() != want {
		t.Errorf("progress\n%q\nwant\n%q", b.String(), want)
	}
	// A fast import shows nothing, and erases nothing.
	b.Reset()
	p = newProgressLine(&b, func() time.Time { return clock })
	p.update(500)
	p.clear()
	if b.String() != "" {
		t.Errorf("a fast import printed %q", b.String())
	}
	// Off a terminal (the tests' buffers), nothing but the summary.
	dsn := testdb.DSN(t)
	out, errOut, code := cli(t, dsn, "", "import", write(t, "acme.yaml", mergeOrg))
	if code != 0 || errOut != "" || strings.Contains(out, "\r") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
