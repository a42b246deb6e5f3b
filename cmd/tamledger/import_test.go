package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
)

// cli runs tamledger in-process against dsn with stdin and returns what it
// printed and its exit status.
func cli(t *testing.T, dsn, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"--db", dsn}, args...), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func counts(t *testing.T, dsn string) map[string]int {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const sample = "../../document/testdata/acme.yaml"

func TestImportIdempotentAndRoundTrip(t *testing.T) {
	dsn := testdb.DSN(t)
	out, errOut, code := cli(t, dsn, "", "import", sample, "../../document/testdata/engagements.csv")
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "Organization") || !strings.Contains(out, "total") {
		t.Errorf("no summary:\n%s", out)
	}
	before := counts(t, dsn)
	if before["Engagement"] < 4 || before["Organization"] != 1 || before["PriceBook"] != 1 {
		t.Errorf("counts after import: %v", before)
	}

	t.Run("second import changes nothing", func(t *testing.T) {
		out, errOut, code := cli(t, dsn, "", "import", sample, "../../document/testdata/engagements.csv")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		last := lastLine(out)
		if !strings.Contains(last, "total") || !strings.HasSuffix(strings.Join(strings.Fields(last)[:3], " "), "0 0") {
			t.Errorf("second import should create and update nothing:\n%s", out)
		}
	})

	for _, format := range []string{"yaml", "json"} {
		t.Run("round trip "+format, func(t *testing.T) {
			exp1, errOut, code := cli(t, dsn, "", "export", "-o", format)
			if code != 0 {
				t.Fatalf("export: exit %d\n%s", code, errOut)
			}
			dsn2 := testdb.DSN(t)
			_, errOut, code = cli(t, dsn2, exp1, "import", "--format", format, "-")
			if code != 0 {
				t.Fatalf("import of the export: exit %d\n%s", code, errOut)
			}
			exp2, _, _ := cli(t, dsn2, "", "export", "-o", format)
			if exp1 != exp2 {
				t.Errorf("export → import → export is not the identity:\nfirst:\n%s\nsecond:\n%s", exp1, exp2)
			}
			if got := counts(t, dsn2); !equalCounts(got, counts(t, dsn)) {
				t.Errorf("counts differ: %v vs %v", got, counts(t, dsn))
			}
		})
	}

	t.Run("a changed document is updated", func(t *testing.T) {
		p := write(t, "e.yaml", `apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-2026-01-20, organization: acme}
spec: {date: 2026-01-21, service: strategy-call, initiatedBy: tam, workloads: [payments], summary: "moved"}
`)
		out, errOut, code := cli(t, dsn, "", "import", p)
		if code != 0 || !strings.Contains(out, "Engagement") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		fields := strings.Fields(lastLine(out))
		if fields[1] != "0" || fields[2] != "1" {
			t.Errorf("want 0 created, 1 updated:\n%s", out)
		}
	})
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

func TestImportBadInputLeavesStoreUntouched(t *testing.T) {
	dsn := testdb.DSN(t)
	if _, errOut, code := cli(t, dsn, "", "import", sample); code != 0 {
		t.Fatalf("setup: %s", errOut)
	}
	before := counts(t, dsn)
	bad := write(t, "bad.yaml", `apiVersion: tamledger/v1
kind: Engagement
metadata: {id: ok-1, organization: acme}
spec: {date: 2026-05-01, service: strategy-call, initiatedBy: tam}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: bad-1, organization: acme}
spec: {date: 2026-02-30, service: strategy-call, initiatedBy: tam}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: bad-2, organization: acme}
spec: {date: 2026-05-01, service: coffee, initiatedBy: tam}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: bad-5, organization: nobody}
spec: {date: 2026-05-01, service: strategy-call, initiatedBy: tam}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: bad-3, organization: acme}
spec: {date: 2026-05-01, service: strategy-call, initiatedBy: tam, workloads: [ghost]}
---
apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: bad-4, organization: acme}
spec: {raisedOn: 2026-05-01, origin: tam, status: open, engagement: nope, estimatedMonthlySavings: -5,
       incidentAvoided: {downtimeHours: 1, probability: 1.5}}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: ok-1, organization: acme}
spec: {date: 2026-05-01, service: strategy-call, initiatedBy: tam}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: ok-2, organization: acme}
spec: {date: 2026-05-01, service: strategy-call, initiatedBy: tam, colour: blue}
`)
	_, errOut, code := cli(t, dsn, "", "import", bad)
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s", code, errOut)
	}
	for _, want := range []string{
		"bad.yaml:9:14: ",               // the impossible date
		"2026-02-30",                    //
		`unknown value "coffee"`,        // enum
		`unknown organization "nobody"`, // reference
		`unknown workload "ghost"`,      // reference
		"negative amount",               // money
		"probability 1.5",               // probability
		`duplicate Engagement "ok-1"`,   // duplicate in one import
		"colour",                        // unknown field
		"nothing was imported",          //
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("errors lack %q:\n%s", want, errOut)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if !strings.HasPrefix(line, "tamledger:") && !strings.HasPrefix(line, bad+":") {
			t.Errorf("error line without FILE:LINE:COL: %q", line)
		}
	}
	if after := counts(t, dsn); !equalCounts(before, after) {
		t.Errorf("store changed by a failed import: %v → %v", before, after)
	}
}

func TestImportAcrossFilesIsOneTransaction(t *testing.T) {
	dsn := testdb.DSN(t)
	good := write(t, "good.yaml", `apiVersion: tamledger/v1
kind: Organization
metadata: {id: solo}
spec: {name: Solo, workloads: [{id: web, primary: true}]}
`)
	bad := write(t, "bad.csv", "id,organization,date,service,initiatedBy\ne1,solo,2026-13-01,strategy-call,tam\n")
	_, errOut, code := cli(t, dsn, "", "import", good, bad)
	if code != 2 || !strings.Contains(errOut, "bad.csv:2:") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if n := counts(t, dsn)["Organization"]; n != 0 {
		t.Errorf("the good file landed without the bad one: %d organisations", n)
	}
	// References may point forward, to a later file of the same call.
	eng := write(t, "e.csv", "id,organization,date,service,initiatedBy,workloads\ne1,solo,2026-03-01,strategy-call,tam,web\n")
	if _, errOut, code := cli(t, dsn, "", "import", eng, good); code != 0 {
		t.Fatalf("forward reference: exit %d\n%s", code, errOut)
	}
}

func TestLogCommand(t *testing.T) {
	dsn := testdb.DSN(t)
	if _, errOut, code := cli(t, dsn, "", "import", sample); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := cli(t, dsn, "", "log", "--org", "acme", "strategy-call", "--by", "tam", "--workload", "payments", "--date", "2026-07-01", "Q3", "roadmap")
	if code != 0 || !strings.Contains(out, "created engagement e-2026-07-01-strategy-call") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = cli(t, dsn, "", "log", "--org", "acme", "strategy-call", "--by", "tam", "--date", "2026-07-01")
	if code != 0 || !strings.Contains(out, "e-2026-07-01-strategy-call-2") {
		t.Errorf("second log the same day should get -2:\n%s", out)
	}
	exp, _, _ := cli(t, dsn, "", "export", "--org", "acme")
	if !strings.Contains(exp, "summary: Q3 roadmap") {
		t.Errorf("logged engagement not exported:\n%s", exp)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"log", "--org", "acme", "coffee", "--by", "tam"}, `unknown value "coffee"`},
		{[]string{"log", "--org", "acme", "strategy-call"}, "--by: missing"},
		{[]string{"log", "--org", "acme", "strategy-call", "--by", "tam", "--workload", "ghost"}, `unknown workload "ghost"`},
		{[]string{"log", "--org", "nobody", "strategy-call", "--by", "tam"}, `unknown organization "nobody"`},
		{[]string{"log", "--org", "acme", "strategy-call", "--by", "tam", "--date", "2026-02-30"}, "--date"},
	} {
		_, errOut, code := cli(t, dsn, "", tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", tc.args, code, tc.want, errOut)
		}
	}
}

func TestCharterLint(t *testing.T) {
	dsn := testdb.DSN(t)
	out, errOut, code := cli(t, dsn, "", "charter", "lint", sample)
	if code != 0 || !strings.Contains(out, "with every minimum term") {
		t.Errorf("complete charter: exit %d\n%s%s", code, out, errOut)
	}
	thin := write(t, "thin.yaml", `apiVersion: tamledger/v1
kind: Charter
metadata: {id: thin, organization: acme}
spec:
  effective: 2026-01-01
  obligations:
    - {id: calls, service: strategy-call, cadence: quarterly}
`)
	out, _, code = cli(t, dsn, "", "charter", "lint", thin)
	if code != 0 || strings.Count(out, "warning:") != 6 || !strings.Contains(out, "monthly-strategy-call") {
		t.Errorf("thin charter: exit %d, want 0 and 6 warnings:\n%s", code, out)
	}
	out, errOut, code = cli(t, dsn, "", "charter", "lint", "--strict", thin)
	if code != 1 || strings.Count(out, "error:") != 6 {
		t.Errorf("--strict: exit %d, want 1 and 6 errors:\n%s%s", code, out, errOut)
	}
	bad := write(t, "bad.yaml", `apiVersion: tamledger/v1
kind: Charter
metadata: {id: bad, organization: acme}
spec:
  effective: 2026-01-01
  obligations:
    - {id: calls, service: strategy-call, cadence: weekly}
    - {id: calls, service: strategy-call, cadence: monthly}
`)
	_, errOut, code = cli(t, dsn, "", "charter", "lint", bad)
	if code != 2 || !strings.Contains(errOut, "bad.yaml:7:") || !strings.Contains(errOut, `duplicate obligation id "calls"`) {
		t.Errorf("invalid charter: exit %d, want 2 with positions:\n%s", code, errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	dsn := testdb.DSN(t)
	for _, args := range [][]string{
		{"import"},
		{"export", "-o", "xml"},
		{"frobnicate"},
		{"import", "/nonexistent/file.yaml"},
	} {
		_, errOut, code := cli(t, dsn, "", args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, want 2 with a message; stderr %q", args, code, errOut)
		}
	}
}
