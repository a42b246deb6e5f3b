package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger/internal/awsfake"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/ledger"
)

const syncOrgYAML = `apiVersion: tamledger/v1
kind: Organization
metadata: {id: acme}
spec:
  name: Acme
  workloads:
    - {id: payments, name: Payments, environment: production, primary: true}
    - {id: data, name: Data platform, environment: production, awsWorkloadId: fedcba9876543210fedcba9876543210}
    - {id: crm, name: Legacy CRM, environment: production}
`

// syncCLI sets up a store with acme and a filled fake AWS account.
func syncCLI(t *testing.T) (string, *awsfake.Fake) {
	t.Helper()
	f := awsfake.New(t)
	f.Env(t)
	f.Fill()
	dsn := testdb.DSN(t)
	if _, stderr, code := cli(t, dsn, "", "import", write(t, "acme.yaml", syncOrgYAML)); code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	return dsn, f
}

// noSecret fails when the fake secret key shows in any output.
func noSecret(t *testing.T, outs ...string) {
	t.Helper()
	for _, o := range outs {
		if strings.Contains(o, awsfake.SecretKey) || strings.Contains(o, awsfake.AccessKey) {
			t.Errorf("credentials in the output:\n%s", o)
		}
	}
}

func TestSyncAWSCommand(t *testing.T) {
	dsn, f := syncCLI(t)
	stdout, stderr, code := cli(t, dsn, "", "sync", "aws", "--org", "acme", "--since", "2020-01-01")
	noSecret(t, stdout, stderr)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"SERVICE               STATUS    WRITTEN  UPDATED  UNCHANGED  UNMATCHED  SKIPPED\n",
		"wellarchitected       ok              8        0          0          1        1\n",
		"trustedadvisor        ok              5        0          0          0        0\n",
		"costoptimizationhub   ok              3        0          0          0        0\n",
		"support               ok              4        0          0          0        0\n", // --since 2020: the 2025 case too
		awsfake.ShadowID + `  "Shadow IT": no workload of that name or awsWorkloadId`,
		"Workloads of acme with no Well-Architected workload: crm\n",
		`wellarchitected Workload ` + awsfake.StagingID + `: AWS workload "Payments staging" is PREPRODUCTION, not PRODUCTION`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	export1, _, _ := cli(t, dsn, "", "export", "--org", "acme")
	if !strings.Contains(export1, "source: aws") || !strings.Contains(export1, `awsId: "arn:aws:trustedadvisor::000000000000:recommendation/55fa4d2e-bbb7-491a-833b-5773e9589578"`) {
		t.Errorf("export lacks the synced records:\n%s", export1)
	}

	t.Run("again, -o json: nothing changes", func(t *testing.T) {
		stdout, stderr, code := cli(t, dsn, "", "sync", "aws", "--org", "acme", "--since", "2020-01-01", "-o", "json")
		noSecret(t, stdout, stderr)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var sum ledger.SyncSummary
		if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
			t.Fatalf("%v:\n%s", err, stdout)
		}
		if len(sum.Services) != 4 || sum.Org != "acme" || sum.DryRun || len(sum.Unmatched) != 1 || len(sum.WithoutAWS) != 1 {
			t.Errorf("summary: %+v", sum)
		}
		for _, s := range sum.Services {
			if s.Status != "ok" || s.Written+s.Updated != 0 || s.Unchanged == 0 {
				t.Errorf("%+v", s)
			}
		}
		for _, key := range []string{`"organization": "acme"`, `"services": [`, `"written": 0`, `"unmatched": [`, `"withoutAws": [`, `"skipped": [`} {
			if !strings.Contains(stdout, key) {
				t.Errorf("json lacks %s", key)
			}
		}
		if export2, _, _ := cli(t, dsn, "", "export", "--org", "acme"); export2 != export1 {
			t.Error("a second sync changed the export")
		}
	})

	t.Run("dry run", func(t *testing.T) {
		f.COHRecs[0]["estimatedMonthlySavings"] = 999.0
		stdout, _, code := cli(t, dsn, "", "sync", "aws", "--org", "acme", "--since", "2020-01-01", "--dry-run")
		if code != 0 || !strings.Contains(stdout, "costoptimizationhub   ok              0        1          2") || !strings.Contains(stdout, "dry run: nothing was written") {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
		if export2, _, _ := cli(t, dsn, "", "export", "--org", "acme"); export2 != export1 {
			t.Error("a dry run wrote")
		}
	})

	t.Run("access denied: the others go on, exit 3", func(t *testing.T) {
		f.Deny["trustedadvisor:ListRecommendations"] = true
		f.Deny["wellarchitected:ListMilestones"] = true
		defer func() { f.Deny = map[string]bool{} }()
		stdout, stderr, code := cli(t, dsn, "", "sync", "aws", "--org", "acme", "--since", "2020-01-01")
		noSecret(t, stdout, stderr)
		if code != 3 {
			t.Errorf("exit %d, want 3", code)
		}
		for _, want := range []string{
			"tamledger: wellarchitected: access denied to wellarchitected:ListMilestones (allow this IAM action",
			"tamledger: trustedadvisor: access denied to trustedadvisor:ListRecommendations (allow this IAM action",
			"tamledger: 2 service(s) could not be read (wellarchitected, trustedadvisor); the others were synced\n",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if !strings.Contains(stdout, "trustedadvisor        failed") || !strings.Contains(stdout, "costoptimizationhub   ok              0        1") {
			t.Errorf("summary:\n%s", stdout)
		}
	})
}

// What AWS does not say, the user records with case set; later syncs keep
// it and still update what AWS changes.
func TestSyncAWSCaseSet(t *testing.T) {
	dsn, f := syncCLI(t)
	if _, stderr, code := cli(t, dsn, "", "sync", "aws", "--org", "acme", "-q"); code != 0 {
		t.Fatalf("sync: %d %s", code, stderr)
	}
	const id = "aws-case-111122223333-muen-2026-1a2b3c4d5e6f7a8b" // opened 2026-11-27T03:12:45.001Z
	for _, tt := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--tam-engaged-at", "2026-11-27T03:00:00Z"}, 2, "before case " + id + " was opened at 2026-11-27T03:12:45.001Z"},
		{[]string{"--tam-engaged-at", "yesterday"}, 2, `--tam-engaged-at: bad instant "yesterday"`},
		{[]string{}, 2, "give --tam-engaged-at INSTANT, or --clear-tam-engaged-at"},
		{[]string{"--tam-engaged-at", "2026-11-27T04:40:00+01:00", "--rev", "7"}, 2, "changed after it was read"},
		{[]string{"--tam-engaged-at", "2026-11-27T04:40:00+01:00"}, 0, "updated case " + id + ": TAM engaged at 2026-11-27T03:40:00Z, 27m0s after it was opened\n"},
	} {
		stdout, stderr, code := cli(t, dsn, "", append([]string{"case", "set", id, "--org", "acme"}, tt.args...)...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.out) {
			t.Errorf("case set %v: exit %d, %q%q; want %d and %q", tt.args, code, stdout, stderr, tt.code, tt.out)
		}
	}
	f.Cases[1]["status"] = "resolved"
	f.Cases[1]["recentCommunications"] = map[string]any{"communications": []any{
		map[string]any{"body": "fixed", "submittedBy": "Amazon Web Services", "timeCreated": "2026-11-28T08:00:00.000Z"}}}
	stdout, stderr, code := cli(t, dsn, "", "sync", "aws", "--org", "acme")
	if code != 0 || !strings.Contains(stdout, "support               ok              0        1          2") {
		t.Errorf("sync after case set: %d %s\n%s", code, stderr, stdout)
	}
	doc, _, _ := cli(t, dsn, "", "get", "case", id, "--org", "acme")
	if !strings.Contains(doc, `tamEngagedAt: "2026-11-27T03:40:00Z"`) || !strings.Contains(doc, `resolvedAt: "2026-11-28T08:00:00Z"`) {
		t.Errorf("the case after the sync:\n%s", doc)
	}
	if stdout, _, code := cli(t, dsn, "", "case", "set", id, "--org", "acme", "--clear-tam-engaged-at", "-o", "json"); code != 0 ||
		!strings.Contains(stdout, `"change": "updated"`) || strings.Contains(stdout, "tamEngagedAt") {
		t.Errorf("clear: %d %s", code, stdout)
	}
}

func TestSyncAWSUsage(t *testing.T) {
	dsn, f := syncCLI(t)
	for _, tt := range []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"no --org", nil, []string{"sync", "aws"}, 2, "--org is required"},
		{"unknown organisation", nil, []string{"sync", "aws", "--org", "nope"}, 2, `unknown organization "nope"`},
		{"bad --since", nil, []string{"sync", "aws", "--org", "acme", "--since", "2026-13-01"}, 2, "--since: "},
		{"no region", map[string]string{"AWS_REGION": ""}, []string{"sync", "aws", "--org", "acme"}, 2, "no AWS region: give --region"},
		{"unknown profile", nil, []string{"sync", "aws", "--org", "acme", "--profile", "nope"}, 2, "AWS configuration: "},
		{"bad output", nil, []string{"sync", "aws", "--org", "acme", "-o", "yaml"}, 2, `unknown output format "yaml"`},
		{"no source", nil, []string{"sync"}, 2, "give what to sync from"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			stdout, stderr, code := cli(t, dsn, "", tt.args...)
			noSecret(t, stdout, stderr)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
	for _, a := range []string{"wellarchitected:ListWorkloads", "trustedadvisor:ListRecommendations", "support:DescribeCases"} {
		if n := f.Calls(a); n != 0 {
			t.Errorf("%s called %d times by commands refused before reading AWS", a, n)
		}
	}
	t.Run("no store", func(t *testing.T) {
		_, stderr, code := cli(t, t.TempDir()+"/none.db", "", "sync", "aws", "--org", "acme")
		if code != 3 || !strings.Contains(stderr, "no store at") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("AWS unreachable", func(t *testing.T) {
		for _, k := range []string{"WELLARCHITECTED", "TRUSTEDADVISOR", "COST_OPTIMIZATION_HUB", "SUPPORT"} {
			t.Setenv("AWS_ENDPOINT_URL_"+k, "http://127.0.0.1:9")
		}
		t.Setenv("AWS_MAX_ATTEMPTS", "1")
		stdout, stderr, code := cli(t, dsn, "", "sync", "aws", "--org", "acme")
		noSecret(t, stdout, stderr)
		if code != 3 || !strings.Contains(stderr, "4 service(s) could not be read") || !strings.Contains(stderr, "wellarchitected:ListWorkloads failed") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("help teaches", func(t *testing.T) {
		stdout, _, code := cli(t, dsn, "", "sync", "aws", "--help")
		for _, want := range []string{"Examples:", "tamledger sync aws --org acme", "AWS_ENDPOINT_URL_<SERVICE>", "--dry-run", "--since", "awsWorkloadId", "exit status is then 3"} {
			if code != 0 || !strings.Contains(stdout, want) {
				t.Errorf("help lacks %q", want)
			}
		}
	})
}

// On a terminal the sync shows what it has read so far, at most five times
// a second, and erases the line before the summary.
func TestSyncProgress(t *testing.T) {
	var b strings.Builder
	clock := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	p := &syncProgress{w: &b, now: func() time.Time { return clock }}
	for _, step := range []struct {
		after time.Duration
		svc   string
		n     int
	}{{0, "wellarchitected", 1}, {100 * time.Millisecond, "wellarchitected", 2}, {300 * time.Millisecond, "trustedadvisor", 1200}, {50 * time.Millisecond, "support", 3}} {
		clock = clock.Add(step.after)
		p.update(step.svc, step.n)
	}
	p.clear()
	want := "\r\x1b[Kreading AWS: wellarchitected, 1 read…" + "\r\x1b[Kreading AWS: trustedadvisor, 1,200 read…" + "\r\x1b[K"
	if b.String() != want {
		t.Errorf("progress\n%q\nwant\n%q", b.String(), want)
	}
}
