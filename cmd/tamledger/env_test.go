package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
)

// test-exit fails with an error of the code it is given, for the exit
// statuses and messages of run.
func init() {
	register(func(a *app) *cobra.Command {
		return &cobra.Command{
			Use: "test-exit CODE", Hidden: true, Args: cobra.ExactArgs(1),
			Example: "  tamledger test-exit conflict",
			RunE: func(cmd *cobra.Command, args []string) error {
				switch args[0] {
				case "internal":
					return fmt.Errorf("read the thing: %w", errors.New("the message"))
				case "unavailable-as-usage": // the environment wins
					return usageError(tamledger.Errorf(tamledger.EUNAVAILABLE, "the message"))
				}
				return fmt.Errorf("wrapped: %w", tamledger.Errorf(args[0], "the message"))
			},
		}
	})
}

func TestExitStatus(t *testing.T) {
	for _, tt := range []struct {
		code   string
		status int
		stderr string
	}{
		{tamledger.ECONFLICT, 2, "tamledger: the message\n"},
		{tamledger.EINVALID, 2, "tamledger: the message\n"},
		{tamledger.ENOTFOUND, 2, "tamledger: the message\n"},
		{tamledger.EUNAVAILABLE, 3, "tamledger: the message\n"},
		{"unavailable-as-usage", 3, "tamledger: the message\n"},
	} {
		_, stderr, status := cli(t, "unused.db", "", "test-exit", tt.code)
		if status != tt.status || stderr != tt.stderr {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", tt.code, status, stderr, tt.status, tt.stderr)
		}
	}
	// An internal error: one line, from the logger, with the whole chain.
	_, stderr, status := cli(t, "unused.db", "", "test-exit", "internal")
	if status != 1 || strings.Count(stderr, "\n") != 1 || strings.Count(stderr, "the message") != 1 ||
		!strings.Contains(stderr, `level=ERROR msg="internal error" err="read the thing: the message"`) {
		t.Errorf("internal: exit %d, stderr %q; want 1 and one log line", status, stderr)
	}
}

// oneLine checks an environment error: exit status 3 and one line on
// stderr, the line want.
func oneLine(t *testing.T, what string, stderr string, status int, want string) {
	t.Helper()
	if status != 3 || stderr != "tamledger: "+want+"\n" {
		t.Errorf("%s: exit %d, stderr %q; want 3 and %q", what, status, stderr, "tamledger: "+want)
	}
}

func TestEnvironmentErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such")
	db := filepath.Join(missing, "t.db")
	_, stderr, status := cli(t, db, "", "import", sample)
	oneLine(t, "import into a missing directory", stderr, status,
		"cannot create the store "+db+": the directory "+missing+" does not exist (create it, or give another --db)")
	_, stderr, status = cli(t, db, "", "portfolio")
	oneLine(t, "portfolio in a missing directory", stderr, status, "no store at "+db+": import your files (tamledger init ORG writes a starter one) or run tamledger demo")

	_, stderr, status = cli(t, dir, "", "import", sample)
	oneLine(t, "--db a directory", stderr, status, "cannot open the store "+dir+": it is a directory (give a file path with --db)")

	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"import", sample}, {"scorecard", "--org", "acme"}, {"pricebook", "list"}, {"demo", "--force"}} {
		_, stderr, status = cli(t, text, "", args...)
		oneLine(t, strings.Join(args, " ")+" on a text file", stderr, status,
			"cannot open the store "+text+": it is not a SQLite database (give another --db)")
	}
	if b, _ := os.ReadFile(text); string(b) != "not a database\n" {
		t.Errorf("demo --force changed a file that is not a store: %q", b)
	}
}

func TestPostgresRefusedHidesPassword(t *testing.T) {
	// Nothing listens on port 1: no server is needed.
	for _, dsn := range []string{
		"postgres://me:s3cr3t-pw@127.0.0.1:1/tamledger?sslmode=disable",
		"postgresql://me@127.0.0.1:1/tamledger?sslmode=disable&password=s3cr3t-pw",
	} {
		for _, args := range [][]string{
			{"import", sample}, {"portfolio"}, {"scorecard", "--org", "acme"}, {"actions", "--org", "acme"},
			{"roi", "--org", "acme", "--year", "2026"}, {"export"}, {"pricebook", "list"}, {"demo", "--force"},
		} {
			stdout, stderr, status := cli(t, dsn, "", args...)
			oneLine(t, strings.Join(args, " "), stderr, status,
				"cannot connect to PostgreSQL at 127.0.0.1:1: connection refused (is the server running? check --db or TAMLEDGER_DB)")
			if strings.Contains(stdout+stderr, "s3cr3t-pw") {
				t.Errorf("%s: the password is in the output: %q %q", args, stdout, stderr)
			}
		}
	}
	_, stderr, status := cli(t, "postgres://me:s3cr3t-pw@db:notaport/tamledger", "", "portfolio")
	if status != 2 || strings.Contains(stderr, "s3cr3t-pw") || !strings.Contains(stderr, "postgres://me:xxxxx@db:notaport/tamledger") {
		t.Errorf("a bad URL: exit %d, stderr %q", status, stderr)
	}
}

func TestPostgresEnvironment(t *testing.T) {
	pg := testdb.Postgres()
	if pg == "" {
		t.Skip("TAMLEDGER_TEST_DB holds no postgres:// DSN")
	}
	sep := "?"
	if strings.Contains(pg, "?") {
		sep = "&"
	}
	_, stderr, status := cli(t, pg+sep+"search_path=tamledger_no_such_schema", "", "import", sample)
	if status != 3 || !strings.Contains(stderr, "no schema of the search_path exists (create the schema, or fix search_path in --db)") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("import into a missing schema: exit %d, stderr %q", status, stderr)
	}
	u := regexp.MustCompile(`^(postgres(?:ql)?://[^/]*/)[^?]*`).ReplaceAllString(pg, "${1}tamledger_no_such_database")
	_, stderr, status = cli(t, u, "", "portfolio")
	if status != 3 || !strings.Contains(stderr, "the database tamledger_no_such_database does not exist (create it, or check --db)") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("a missing database: exit %d, stderr %q", status, stderr)
	}
}

func TestReadersCreateNothing(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t)
	d, _ := store.ParseDSN(dsn)
	place := d.Path
	if d.Driver == store.Postgres {
		place = d.Redacted()
	}
	for _, args := range [][]string{
		{"portfolio"}, {"scorecard", "--org", "acme"}, {"actions", "--org", "acme"},
		{"roi", "--org", "acme", "--year", "2026"}, {"export"}, {"export", "--org", "acme"},
		{"get", "orgs"}, {"log", "--org", "acme", "strategy-call", "--by", "tam"},
		{"recommendation", "set", "r-1", "--org", "acme", "--status", "accepted"},
		{"delete", "engagement", "e-1", "--org", "acme"},
	} {
		_, stderr, status := cli(t, dsn, "", args...)
		oneLine(t, strings.Join(args, " "), stderr, status, "no store at "+place+": import your files (tamledger init ORG writes a starter one) or run tamledger demo")
	}
	for _, args := range [][]string{{"pricebook", "list"}, {"pricebook", "show", "aws-support-2026"}} {
		if _, stderr, status := cli(t, dsn, "", args...); status != 0 {
			t.Errorf("%s without a store: exit %d: %s", args, status, stderr)
		}
	}
	if ok, err := store.Exists(ctx, dsn); ok || err != nil {
		t.Fatalf("after the readers, Exists = %v, %v: one of them created the store", ok, err)
	}
	if d.Driver == store.SQLite {
		if left, _ := filepath.Glob(d.Path + "*"); len(left) > 0 {
			t.Fatalf("the readers left %v", left)
		}
	}
	// A writer creates it, and then the readers read it.
	if _, stderr, status := cli(t, dsn, "", "import", sample); status != 0 {
		t.Fatalf("import: exit %d: %s", status, stderr)
	}
	if _, stderr, status := cli(t, dsn, "", "scorecard", "--org", "acme"); status != 0 {
		t.Errorf("scorecard after import: exit %d: %s", status, stderr)
	}
}

func TestPriceBookListSeesTheStoreByAnyName(t *testing.T) {
	dsn := testdb.DSN(t)
	if d, _ := store.ParseDSN(dsn); d.Driver == store.SQLite {
		dsn = "file:" + dsn // the same file, as a URI
	}
	if _, stderr, status := cli(t, dsn, "", "import", sample); status != 0 {
		t.Fatalf("import: exit %d: %s", status, stderr)
	}
	stdout, stderr, status := cli(t, dsn, "", "pricebook", "list", "-o", "json")
	var books []struct{ ID, Origin string }
	if err := json.Unmarshal([]byte(stdout), &books); err != nil || status != 0 {
		t.Fatalf("pricebook list: exit %d, %v: %s", status, err, stderr)
	}
	for _, b := range books {
		if b.ID == "aws-support-2026" && b.Origin != "imported, replaces shipped" {
			t.Errorf("pricebook list --db %s: aws-support-2026 is %q, want the imported book", dsn, b.Origin)
		}
	}
}

func TestDemoForce(t *testing.T) {
	dsns := map[string]string{}
	if dsn := testdb.DSN(t); testdb.Postgres() != "" {
		dsns["postgres schema"] = dsn
	} else {
		dsns["path"] = dsn
		dsns["file: URI"] = "file:" + testdb.DSN(t)
	}
	extra := write(t, "extra.yaml", `apiVersion: tamledger/v1
kind: Organization
metadata: {id: extra-org}
spec: {name: Extra}
`)
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			demo := []string{"demo", "--no-serve", "--as-of", "2026-06-30"}
			if _, stderr, status := cli(t, dsn, "", demo...); status != 0 {
				t.Fatalf("demo: exit %d: %s", status, stderr)
			}
			if _, stderr, status := cli(t, dsn, "", "import", extra); status != 0 {
				t.Fatalf("import: exit %d: %s", status, stderr)
			}
			if _, stderr, status := cli(t, dsn, "", demo...); status != 2 || !strings.Contains(stderr, "already holds 13 organisation(s)") {
				t.Errorf("demo on a store with organisations: exit %d: %s", status, stderr)
			}
			if _, stderr, status := cli(t, dsn, "", append(demo, "--force")...); status != 0 {
				t.Fatalf("demo --force: exit %d: %s", status, stderr)
			}
			stdout, _, _ := cli(t, dsn, "", "portfolio", "-o", "json")
			var rows []struct{ Organization string }
			if err := json.Unmarshal([]byte(stdout), &rows); err != nil || len(rows) != 12 || strings.Contains(stdout, "extra-org") {
				t.Errorf("after demo --force the store holds %d organisations (%v), want the demo's 12 alone", len(rows), err)
			}
		})
	}
}

// buildAt compiles tamledger into dir, with the VCS revision when the
// checkout has one.
func buildAt(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "tamledger")
	if out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestPermissionDenied(t *testing.T) {
	// A directory other users can enter: the test's own are private.
	dir, err := os.MkdirTemp("", "tamledger-perm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "ro"), 0o755); os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	bin := buildAt(t, dir)
	body, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "acme.yaml") // where nobody may read it
	if err := os.WriteFile(doc, body, 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "t.db")
	if _, stderr, status := cli(t, db, "", "import", doc); status != 0 {
		t.Fatalf("import: exit %d: %s", status, stderr)
	}
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	// Root may write anything: run tamledger as nobody, who may not
	// write the file root made. Anyone else: take the write bit away.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	} else if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	tamledgerAs := func(args ...string) (string, int) {
		c := exec.Command(bin, args...)
		c.Dir = dir
		c.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		out, err := c.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return string(out), c.ProcessState.ExitCode()
	}
	stderr, status := tamledgerAs("--db", db, "log", "--org", "acme", "strategy-call", "--by", "tam", "a call")
	oneLine(t, "log into a store one may not write", stderr, status, "cannot write the store "+db+": permission denied (check the file's permissions)")
	stderr, status = tamledgerAs("--db", db, "import", doc)
	oneLine(t, "import into a store one may not write", stderr, status, "cannot write the store "+db+": permission denied (check the file's permissions)")
	// Reading needs no more than reading.
	if out, status := tamledgerAs("--db", db, "scorecard", "--org", "acme"); status != 0 {
		t.Errorf("scorecard of a store one may not write: exit %d: %s", status, out)
	}
	db = filepath.Join(ro, "t.db")
	stderr, status = tamledgerAs("--db", db, "import", doc)
	oneLine(t, "import into a directory one may not write", stderr, status,
		"cannot create the store "+db+": permission denied in the directory "+ro+" (check its permissions, or give another --db)")
}

func TestVersion(t *testing.T) {
	for _, tt := range []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{nil, "unknown rev unknown"},
		{&debug.BuildInfo{}, "unknown rev unknown"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "28ce7f0d0e2a5a64c2c5c2f0b1e5c3d1a2b3c4d5"}, {Key: "vcs.modified", Value: "true"}}},
			"(devel) rev 28ce7f0 (modified)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "28ce7f0d0e2a"}, {Key: "vcs.modified", Value: "false"}}},
			"v1.2.0 rev 28ce7f0"},
	} {
		if got := versionOf(tt.bi, tt.bi != nil); got != tt.want {
			t.Errorf("versionOf(%+v) = %q, want %q", tt.bi, got, tt.want)
		}
	}
	want := "tamledger " + version() + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if stdout, stderr, status := cli(t, "unused.db", "", args...); status != 0 || stdout != want {
			t.Errorf("tamledger %s: exit %d, %q %q; want %q", args, status, stdout, stderr, want)
		}
	}
	// A binary built from the checkout names its revision.
	head, err := exec.Command("git", "rev-parse", "--short=7", "HEAD").Output()
	if err != nil {
		t.Skipf("no git checkout here (%v): the binary records no revision", err)
	}
	out, err := exec.Command(buildAt(t, t.TempDir()), "--version").Output()
	if re := `^tamledger \S+ rev ` + strings.TrimSpace(string(head)) + `( \(modified\))?\n$`; err != nil || !regexp.MustCompile(re).Match(out) {
		t.Errorf("tamledger --version = %q, %v; want %s", out, err, re)
	}
}
