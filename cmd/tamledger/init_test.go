package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/testdb"
)

// initFile runs tamledger init org into a new directory and returns the
// file's path, what init printed, and the file.
func initFile(t *testing.T, dsn, org string, args ...string) (path, out, text string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), org+".yaml")
	out, errOut, code := cli(t, dsn, "", append([]string{"init", org, "--file", path}, args...)...)
	if code != 0 {
		t.Fatalf("init %s: exit %d\n%s", org, code, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, out, string(b)
}

func TestInitStarterFile(t *testing.T) {
	dsn := testdb.DSN(t)
	monthBefore := tamledger.Today(time.UTC)
	path, out, text := initFile(t, dsn, "acme")
	monthAfter := tamledger.Today(time.UTC)

	t.Run("prints the file and the next two commands", func(t *testing.T) {
		for _, want := range []string{"Wrote " + path, "tamledger charter lint --strict " + path, "tamledger import " + path} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if i, j := strings.Index(out, "charter lint"), strings.Index(out, "tamledger import"); i > j {
			t.Errorf("lint should come before import:\n%s", out)
		}
	})

	t.Run("does not touch the store", func(t *testing.T) {
		if testdb.Postgres() == "" {
			if _, err := os.Stat(dsn); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("init created or touched the SQLite store %s: %v", dsn, err)
			}
		} else if n := counts(t, dsn); n["Organization"] != 0 || n["Charter"] != 0 {
			t.Fatalf("init wrote to the store: %v", n)
		}
	})

	t.Run("charter lint --strict accepts it with no finding", func(t *testing.T) {
		out, errOut, code := cli(t, dsn, "", "charter", "lint", "--strict", path)
		if code != 0 || errOut != "" || out != "1 charter(s): valid, with every minimum term\n" {
			t.Errorf("exit %d, want 0 and no finding:\n%s%s", code, out, errOut)
		}
	})

	t.Run("the charter is in force from the first day of this month", func(t *testing.T) {
		m := regexp.MustCompile(`(?m)^  effective: (\S+)$`).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("no effective date in:\n%s", text)
		}
		first := func(d tamledger.Date) string { return tamledger.NewDate(d.Year, d.Month, 1).String() }
		if m[1] != first(monthBefore) && m[1] != first(monthAfter) {
			t.Errorf("effective %s, want %s", m[1], first(monthAfter))
		}
	})

	t.Run("comments say what the fields mean and which rules read them", func(t *testing.T) {
		for _, want := range []string{
			"associate | tam | senior | principal", "business-plus | enterprise | enterprise-on-ramp | unified-operations",
			"monthly | quarterly | semiannual | annual", "low | normal | high | urgent | critical",
			"portfolio-unknown", "portfolio-rebalance", "no-backup-tam", "senior-tam-request", "war-overdue",
			"specialist-intro", "edp-renewal-prep", "iem-request-now", "no-charter", "charter-missing-term",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the starter file does not mention %q", want)
			}
		}
		for i, line := range strings.Split(text, "\n") {
			if displayWidth(line) > tableWidth || strings.TrimRight(line, " ") != line {
				t.Errorf("line %d is %d columns or ends in a space: %q", i+1, displayWidth(line), line)
			}
		}
	})

	out, errOut, code := cli(t, dsn, "", "import", path)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}

	t.Run("imports as written, with placeholder people and the asked-for fields", func(t *testing.T) {
		var doc struct {
			Spec tamledger.Organization `json:"spec"`
		}
		if err := json.Unmarshal([]byte(run1(t, dsn, "get", "organization", "acme", "-o", "json")), &doc); err != nil {
			t.Fatal(err)
		}
		o := doc.Spec
		if o.Timezone == "" || o.Currency == "" || o.SupportPlan == "" || o.MonthlySpend == nil || o.DowntimeCostPerHour == nil {
			t.Errorf("time zone, currency, support plan, spend and downtime cost should all be set: %+v", o)
		}
		team := o.AccountTeam
		if team == nil || team.TAM == nil || team.TAM.Seniority == "" || team.TAM.PortfolioSize == nil ||
			team.BackupTAM == nil || team.AccountManager == nil || len(team.Domains) == 0 {
			t.Fatalf("incomplete account team: %+v", team)
		}
		emails := []string{team.TAM.Email, team.BackupTAM.Email, team.AccountManager.Email}
		for _, c := range o.Contacts {
			emails = append(emails, c.Email)
		}
		for _, e := range emails {
			if !strings.HasSuffix(e, "@example.com") {
				t.Errorf("e-mail %q is not an obvious placeholder (want @example.com)", e)
			}
		}
		if len(o.PrimaryWorkloads()) != 1 {
			t.Errorf("want one primary workload, got %+v", o.Workloads)
		}
	})

	t.Run("actions: no missing term, a charter in force, a backup TAM, a known portfolio", func(t *testing.T) {
		var list struct {
			Actions []struct{ Code, Subject string }
		}
		if err := json.Unmarshal([]byte(run1(t, dsn, "actions", "--org", "acme", "-o", "json")), &list); err != nil {
			t.Fatal(err)
		}
		for _, a := range list.Actions {
			switch a.Code {
			case "charter-missing-term", "no-charter", "no-backup-tam", "portfolio-unknown", "senior-tam-request", "portfolio-rebalance":
				t.Errorf("the starter file raises %s (%s)", a.Code, a.Subject)
			}
		}
	})

	t.Run("importing it again changes nothing", func(t *testing.T) {
		out := run1(t, dsn, "import", path)
		if f := strings.Fields(lastLine(out)); len(f) < 3 || f[1] != "0" || f[2] != "0" {
			t.Errorf("second import created or updated something:\n%s", out)
		}
	})
}

func TestInitRefusesToOverwrite(t *testing.T) {
	dsn := testdb.DSN(t)
	path := write(t, "acme.yaml", "# mine\n")
	_, errOut, code := cli(t, dsn, "", "init", "acme", "--file", path)
	if code != 2 || !strings.Contains(errOut, path) || !strings.Contains(errOut, "--force") {
		t.Errorf("exit %d, want 2 naming %s and --force: %s", code, path, errOut)
	}
	if b, _ := os.ReadFile(path); string(b) != "# mine\n" {
		t.Errorf("the file was changed: %q", b)
	}
	out, errOut, code := cli(t, dsn, "", "init", "acme", "--file", path, "--force")
	if code != 0 {
		t.Fatalf("--force: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "kind: Charter") {
		t.Errorf("--force did not write the starter file:\n%s\n%s", b, out)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("--force left files behind: %v", entries)
	}
}

func TestInitDefaultFileName(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	out := run1(t, testdb.DSN(t), "init", "globex", "-o", "json")
	var got map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(got) != 2 || got["file"] != "globex.yaml" || got["organization"] != "globex" {
		t.Errorf("-o json: %s, want {\"file\": \"globex.yaml\", \"organization\": \"globex\"}", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "globex.yaml")); err != nil {
		t.Error(err)
	}
}

func TestInitUsage(t *testing.T) {
	dsn := testdb.DSN(t)
	dir := t.TempDir()
	for _, org := range []string{"Acme", "-acme", "acme corp", "", "a/b", strings.Repeat("a", 129)} {
		path := filepath.Join(dir, "x.yaml")
		_, errOut, code := cli(t, dsn, "", "init", "--file", path, "--", org)
		if code != 2 || !strings.Contains(errOut, "bad organization id") {
			t.Errorf("init %q: exit %d, want 2 with the id rule: %s", org, code, errOut)
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("init %q wrote a file", org)
		}
	}
	for _, args := range [][]string{{"init"}, {"init", "a", "b"}, {"init", "acme", "-o", "yaml", "--file", filepath.Join(dir, "y.yaml")}} {
		if _, errOut, code := cli(t, dsn, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errOut)
		}
	}
	if _, errOut, code := cli(t, dsn, "", "init", "acme", "--file", filepath.Join(dir, "no", "such", "dir.yaml")); code != 2 || !strings.Contains(errOut, "dir.yaml") {
		t.Errorf("a missing directory: exit %d, want 2 naming the file: %s", code, errOut)
	}
}

// Ids that YAML would read as something else (null, a boolean, a number, a
// date) are quoted, and the longest id still makes a valid charter id.
func TestInitAwkwardIDs(t *testing.T) {
	dsn := testdb.DSN(t)
	for _, org := range []string{"null", "true", "no", "2026-01-01", "1e3", "0x1f", "a.b_c", strings.Repeat("z", 128)} {
		path, _, _ := initFile(t, dsn, org)
		if out, errOut, code := cli(t, dsn, "", "charter", "lint", "--strict", path); code != 0 {
			t.Errorf("%s: lint: exit %d\n%s%s", org, code, out, errOut)
			continue
		}
		if out, errOut, code := cli(t, dsn, "", "import", path); code != 0 {
			t.Errorf("%s: import: exit %d\n%s%s", org, code, out, errOut)
			continue
		}
		var doc struct {
			Metadata struct{ ID string }
		}
		if err := json.Unmarshal([]byte(run1(t, dsn, "get", "org", org, "-o", "json")), &doc); err != nil || doc.Metadata.ID != org {
			t.Errorf("%s: stored as %q (%v)", org, doc.Metadata.ID, err)
		}
		if out := run1(t, dsn, "get", "charters", "--org", org, "-o", "json"); !strings.Contains(out, `"kind": "Charter"`) {
			t.Errorf("%s: no charter:\n%s", org, out)
		}
	}
}
