package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Acme Corp", "Acme Corp"},
		{"Hoshizora ほしぞら — ● ◐ ✗ …", "Hoshizora ほしぞら — ● ◐ ✗ …"},
		{"a\tb", `a\tb`},
		{"nul\x00", `nul\x00`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"bell\a, cr\r, lf\n", `bell\x07, cr\x0d, lf\x0a`},
		{"del\x7f", `del\x7f`},
		{"c1 \u0085 \u009b", `c1 \x85 \x9b`},
		{"bad \xff\xfe utf-8", `bad \xff\xfe utf-8`},
		{"cut \xe3\x81", `cut \xe3\x81`},
		{"rtl \u202egnp.exe", `rtl \u202egnp.exe`},
		{"isolate \u2066x\u2069, line\u2028sep", `isolate \u2066x\u2069, line\u2028sep`},
		{`a backslash \ stays`, `a backslash \ stays`},
	}
	for _, tt := range tests {
		got := printable(tt.in)
		if got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if printable(got) != got {
			t.Errorf("printable is not idempotent on %q", got)
		}
		for _, r := range got {
			if r < 0x20 || r >= 0x7f && r <= 0x9f || r == utf8.RuneError {
				t.Errorf("printable(%q) keeps %U", tt.in, r)
			}
		}
	}
}

func TestDisplayWidthClipWrap(t *testing.T) {
	for s, want := range map[string]int{
		"": 0, "acme": 4, "● ◐ ✗ · – … ×": 13, "ほしぞら": 8, "한국": 4, "e\u0301": 1, "ＡＢ": 4, "🚀": 2,
	} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"Harbour & Vale Insurance", 30, "Harbour & Vale Insurance"},
		{"Harbour & Vale Insurance", 18, "Harbour & Vale In…"},
		{"ほしぞらリテール", 9, "ほしぞら…"}, // 8 columns and the ellipsis
		{"ほしぞらリテール", 8, "ほしぞ…"},  // a wide character does not fit half
		{"abc", 0, ""},
	} {
		got := clip(tt.in, tt.n)
		if got != tt.want || displayWidth(got) > tt.n {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
	if got, want := padRight("ほし", 6)+"|", "ほし  |"; got != want {
		t.Errorf("padRight = %q, want %q", got, want)
	}
	if got, want := padLeft("1.00", 6), "  1.00"; got != want {
		t.Errorf("padLeft = %q, want %q", got, want)
	}
	lines := wrap("a rather long sentence with a word-that-is-far-too-long-for-any-line in it", 12)
	want := []string{"a rather", "long", "sentence", "with a", "word-that-is", "-far-too-lon", "g-for-any-li", "ne in it"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", lines, want)
	}
}

func TestTable(t *testing.T) {
	tab := newTable(fixedCol("KIND"), textCol("REF", 6), numCol("AMOUNT"), textCol("TITLE", 10))
	tab.add("cost savings", "r-1", "1,000.00", "Short")
	tab.add("IEM", "an-event-id-that-is-rather-long-2026", "12.00", strings.Repeat("A long title ", 10))
	tab.add("IEM", "x\ty", "0.00", "")
	var b strings.Builder
	tab.render(&b)
	want := "KIND          REF                                     AMOUNT  TITLE\n" +
		"cost savings  r-1                                   1,000.00  Short\n" +
		"IEM           an-event-id-that-is-rather-long-2026     12.00  A long title A long title A long titl…\n" +
		"IEM           x\\ty                                      0.00\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	checkLines(t, "table", b.String())

	// the free-text columns give way, last first, down to their minimum,
	// then further rather than overflow
	tab = newTable(textCol("A", 30), proseCol("B", 30))
	tab.indent = "  "
	tab.add(strings.Repeat("a", 80), strings.Repeat("word ", 30))
	b.Reset()
	tab.render(&b)
	checkLines(t, "narrowed table", b.String())
	if !strings.Contains(b.String(), "…") || strings.Count(b.String(), "\n") < 4 {
		t.Errorf("A not clipped or B not wrapped:\n%s", b.String())
	}
}

// checkLines fails the test for a line wider than tableWidth columns or
// ending in a space, and for a control character.
func checkLines(t *testing.T, what, out string) {
	t.Helper()
	for i, line := range strings.Split(out, "\n") {
		if w := displayWidth(line); w > tableWidth {
			t.Errorf("%s: line %d is %d columns wide (max %d):\n%s", what, i+1, w, tableWidth, line)
		}
		if strings.HasSuffix(line, " ") {
			t.Errorf("%s: line %d ends in a space: %q", what, i+1, line)
		}
	}
	checkPrintable(t, what, out)
}

// checkPrintable fails the test for a control character other than the
// newline, or invalid UTF-8.
func checkPrintable(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8 in the output", what)
	}
	for i, r := range out {
		if r != '\n' && (r < 0x20 || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e) {
			t.Errorf("%s: raw %U at byte %d: %q", what, r, i, out[max(i-20, 0):min(i+20, len(out))])
			return
		}
	}
}

// demoStore returns the DSN of a store holding the demo portfolio as of
// 2026-11-27.
func demoStore(t *testing.T) string {
	t.Helper()
	dsn := testdb.DSN(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs := demo.Generate(1, tamledger.MustDate("2026-11-27"))
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := 0; i < len(recs); i += 500 {
		if _, err := tx.PutBatch(ctx, recs[i:min(i+500, len(recs))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// TestEveryLineFits runs every command of this package's tables on the demo
// portfolio: every line fits in 100 columns, none ends in a space. The
// findings of charter lint start FILE:LINE:COL, as long as the path given;
// the rest of their lines fits.
func TestEveryLineFits(t *testing.T) {
	dsn := demoStore(t)
	dir := t.TempDir()
	t.Chdir(dir) // charter lint gets relative paths
	asOf := "2026-11-27"
	runs := [][]string{
		{"portfolio", "--as-of", asOf},
		{"portfolio"},
		{"pricebook", "list"},
		{"pricebook", "show", "aws-support-2026"},
		{"pricebook", "show", "aws-support-legacy"},
		{"fee", "--plan", "enterprise", "--spend", "420000"},
		{"fee", "--plan", "business", "--accounts", "300000,120000,2500", "--as-of", "2025-06-01"},
		{"fee", "--plan", "unified-operations", "--spend", "123456789012.34", "--book", "aws-support-2026"},
		{"charter", "lint", "--strict", writeExport(t, dsn, "wattle-bank")},
		{"charter", "lint", writeExport(t, dsn, "cobalt-payments"), writeExport(t, dsn, "tiberius-media")},
		{"charter", "lint", "--strict", writeExport(t, dsn, "tiberius-media")},
	}
	for _, s := range demo.Stories() {
		runs = append(runs,
			[]string{"scorecard", "--org", s.Org, "--as-of", asOf},
			[]string{"actions", "--org", s.Org, "--as-of", asOf},
			[]string{"roi", "--org", s.Org, "--year", "2026", "--explain", "--by", "quarter"},
			[]string{"roi", "--org", s.Org, "--from", "2024-12-15", "--to", "2025-02-10", "--explain"},
		)
	}
	for _, args := range runs {
		out, errOut, code := roiCLI(t, dsn, args...)
		what := "tamledger " + strings.Join(args, " ")
		if code != 0 && !(args[0] == "charter" && code == 1) {
			t.Fatalf("%s: exit %d: %s", what, code, errOut)
		}
		if out == "" {
			t.Errorf("%s: no output", what)
		}
		if args[0] == "charter" {
			out = lintLocation.ReplaceAllString(out, "$1")
		}
		checkLines(t, what, out)
		checkLines(t, what+" (stderr)", errOut)
	}
}

// lintLocation is the FILE:LINE:COL of a charter lint finding.
var lintLocation = regexp.MustCompile(`(?m)^(warning: |error: )[^ ]+:[0-9]+:[0-9]+: `)

// writeExport exports one organisation to the working directory and returns
// the file's name.
func writeExport(t *testing.T, dsn, org string) string {
	t.Helper()
	path := org + ".yaml"
	if _, errOut, code := roiCLI(t, dsn, "export", "--org", org, "--file", path); code != 0 {
		t.Fatalf("export %s: exit %d: %s", org, code, errOut)
	}
	return path
}

// hostile is text that would drive a terminal if echoed.
const hostile = "Evil\tCorp \x1b[2J\x1b[31mred\a \u009b31m \u202eexe.txt\x7f"

// hostileStore returns the DSN of a store whose free text is hostile: names,
// titles, a price book's source.
func hostileStore(t *testing.T) string {
	t.Helper()
	m := func(s string) *tamledger.Money { v := tamledger.MustMoney(s); return &v }
	d := func(s string) *tamledger.Date { v := tamledger.MustDate(s); return &v }
	book := tamledger.Plan{Minimum: tamledger.MustMoney("0"), Tiers: []tamledger.Tier{{Rate: tamledger.MustMoney("0.05")}}}
	return roiStore(t,
		tamledger.Record{Kind: tamledger.KindOrganization, ID: "evil", Value: &tamledger.Organization{Name: hostile, Currency: "USD",
			MonthlySpend: m("100000"), AccountTeam: &tamledger.AccountTeam{TAM: &tamledger.TAM{Name: hostile, Seniority: "tam"}},
			Workloads: []tamledger.Workload{{ID: "w", Name: hostile, Primary: true, Services: []string{"SageMaker"}}}}},
		tamledger.Record{Kind: tamledger.KindRecommendation, Org: "evil", ID: "r-1", Value: &tamledger.Recommendation{
			RaisedOn: tamledger.MustDate("2026-01-10"), Origin: "tam", Title: hostile, EstimatedMonthlySavings: m("100"),
			Status: "implemented", ImplementedOn: d("2026-02-01")}},
		tamledger.Record{Kind: tamledger.KindEvent, Org: "evil", ID: "launch", Value: &tamledger.Event{Name: hostile,
			Date: tamledger.MustDate("2026-06-01"), IEMRequestedOn: d("2026-05-01"), FailureCost: m("1000"), ProbabilityReduction: 0.5}},
		tamledger.Record{Kind: tamledger.KindEvent, Org: "evil", ID: "soon", Value: &tamledger.Event{Name: hostile,
			Date: tamledger.MustDate("2026-05-25")}},
		tamledger.Record{Kind: tamledger.KindPriceBook, ID: "evil-book", Value: &tamledger.PriceBook{
			Effective: tamledger.MustDate("2027-01-01"), Source: hostile,
			Plans: map[string]tamledger.Plan{"enterprise": book, "business-plus": book}}},
	)
}

func TestControlCharactersEscaped(t *testing.T) {
	dsn := hostileStore(t)
	for _, args := range [][]string{
		{"portfolio", "--as-of", "2026-05-20"},
		{"scorecard", "--org", "evil", "--as-of", "2026-05-20"},
		{"actions", "--org", "evil", "--as-of", "2026-05-20"},
		{"roi", "--org", "evil", "--year", "2026", "--explain", "--by", "quarter"},
		{"pricebook", "list"},
		{"pricebook", "show", "evil-book"},
		{"fee", "--spend", "1000", "--book", "evil-book"},
	} {
		what := "tamledger " + strings.Join(args, " ")
		out, errOut, code := roiCLI(t, dsn, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", what, code, errOut)
		}
		checkLines(t, what, out)
		if !strings.Contains(out, `Evil\tCorp \x1b[2J`) && !strings.Contains(out, `Evil\tCo…`) && !strings.Contains(out, `Evil\t…`) {
			t.Errorf("%s: the hostile text is not shown escaped:\n%s", what, out)
		}
	}
	// whole where there is room
	out, _, _ := roiCLI(t, dsn, "pricebook", "show", "evil-book")
	if want := `Evil\tCorp \x1b[2J\x1b[31mred\x07 \x9b31m \u202eexe.txt\x7f`; !strings.Contains(out, want) {
		t.Errorf("pricebook show lacks %s:\n%s", want, out)
	}
	// JSON keeps the text as it is (JSON escapes it)
	out, _, _ = roiCLI(t, dsn, "portfolio", "--as-of", "2026-05-20", "-o", "json")
	var rows []struct{ Name string }
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		found = found || r.Name == hostile
	}
	if !found {
		t.Errorf("portfolio -o json does not keep the name whole: %+v", rows)
	}
	checkPrintable(t, "portfolio -o json", out)

	// messages: ids and file names from the command line
	for _, args := range [][]string{
		{"charter", "lint", "no\x1b[2Jsuch\t.yaml"},
		{"charter", "lint", "-o", "json", "no\x1b[2Jsuch\t.yaml"},
		{"pricebook", "show", "no\x1bsuch"},
		{"fee", "--spend", "1", "--book", "no\x1bsuch"},
		{"export", "--org", "evil", "--file", filepath.Join(t.TempDir(), "no\x1bdir", "x.yaml")},
	} {
		out, errOut, code := roiCLI(t, dsn, args...)
		if code == 0 {
			t.Errorf("%q: exit 0", args)
		}
		checkPrintable(t, fmt.Sprintf("%q (stdout)", args), out)
		checkPrintable(t, fmt.Sprintf("%q (stderr)", args), errOut)
		if !strings.Contains(out+errOut, `no\x1b`) && !strings.Contains(out+errOut, `no\u001b`) {
			t.Errorf("%q: the name is not shown escaped:\n%s%s", args, out, errOut)
		}
	}
}

func TestOutputFormats(t *testing.T) {
	dsn := scoreStore(t)
	dir := t.TempDir()
	charter := filepath.Join(dir, "charter.yaml")
	if err := os.WriteFile(charter, []byte(starterCharter), 0o644); err != nil {
		t.Fatal(err)
	}
	org := []string{"--org", "acme"}
	commands := []struct {
		args      []string
		supported []string // -o values accepted; any other is refused
	}{
		{[]string{"scorecard", "--org", "acme", "--as-of", "2026-05-20"}, []string{"table", "json"}},
		{[]string{"actions", "--org", "acme", "--as-of", "2026-05-20"}, []string{"table", "json"}},
		{[]string{"portfolio", "--as-of", "2026-05-20"}, []string{"table", "json", "csv"}},
		{append([]string{"roi", "--year", "2026"}, org...), []string{"table", "json"}},
		{[]string{"fee", "--spend", "420000"}, []string{"table", "json"}},
		{[]string{"pricebook", "list"}, []string{"table", "json"}},
		{[]string{"pricebook", "show", "aws-support-2026"}, []string{"table", "json", "yaml"}},
		{[]string{"charter", "lint", charter}, []string{"table", "json"}},
		{append([]string{"export"}, org...), []string{"yaml", "json"}},
		{[]string{"schema"}, []string{"json"}},
	}
	for _, c := range commands {
		what := strings.Join(c.args[:1], " ")
		for _, format := range []string{"table", "json", "yaml", "csv", "xml", "JSON", ""} {
			out, errOut, code := roiCLI(t, dsn, append(c.args, "-o", format)...)
			ok := false
			for _, s := range c.supported {
				ok = ok || s == format
			}
			switch {
			case ok && code != 0:
				t.Errorf("%s -o %q: exit %d: %s", what, format, code, errOut)
			case !ok && code != 2:
				t.Errorf("%s -o %q: exit %d, want 2 (an unsupported format)", what, format, code)
			case !ok && (!strings.Contains(errOut, "unknown output format") || !strings.Contains(errOut, c.supported[len(c.supported)-1])):
				t.Errorf("%s -o %q: the message does not name the formats: %s", what, format, errOut)
			case !ok && out != "":
				t.Errorf("%s -o %q: printed %q before refusing", what, format, out)
			case format == "json" && !json.Valid([]byte(out)):
				t.Errorf("%s -o json: not JSON:\n%s", what, out)
			}
		}
		// without -o, every command prints something
		if out, errOut, code := roiCLI(t, dsn, c.args...); code != 0 || out == "" {
			t.Errorf("%s: exit %d, %d bytes: %s", what, code, len(out), errOut)
		}
	}
}

// starterCharter has every minimum term.
const starterCharter = `apiVersion: tamledger/v1
kind: Charter
metadata: {id: acme-2026, organization: acme}
spec:
  effective: 2026-01-01
  backupTam: true
  escalationPaths:
    - {severity: critical, tamResponseHours: 1}
  obligations:
    - {id: strategy-call, service: strategy-call, cadence: monthly, graceDays: 7}
    - {id: cost-review, service: cost-review, cadence: quarterly, requires: quantified-recommendations}
    - {id: war, service: well-architected-review, cadence: annual, scope: each-primary-workload}
    - {id: security-review, service: security-review, cadence: semiannual}
`

// lintJSON is charter lint -o json, as a user's program would read it.
type lintJSON struct {
	Files []struct {
		File     string
		Charters int
		Findings []struct {
			Severity, Code, Term, Charter, Path, Message string
			Line, Col                                    int
		}
	}
	Charters, Errors, Warnings int
	Strict                     bool
}

func TestCharterLintJSON(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", starterCharter)
	thin := write("thin.yaml", strings.Replace(strings.Replace(starterCharter, "  backupTam: true\n", "", 1),
		"    - {id: security-review, service: security-review, cadence: semiannual}\n", "", 1))
	bad := write("bad.yaml", starterCharter+"---\n"+strings.Replace(strings.Replace(starterCharter, "acme-2026", "acme-2026b", 1),
		"cadence: monthly", "cadence: weekly", 1))
	dup := write("dup.yaml", starterCharter+"---\n"+strings.Replace(starterCharter, "acme-2026", "acme-2026b", 1))
	missing := filepath.Join(dir, "missing.yaml")

	lint := func(args ...string) (lintJSON, string, int) {
		t.Helper()
		out, errOut, code := roiCLI(t, testdb.DSN(t), append([]string{"charter", "lint", "-o", "json"}, args...)...)
		var r lintJSON
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v: %v:\n%s%s", args, err, out, errOut)
		}
		return r, errOut, code
	}

	r, _, code := lint(good)
	if code != 0 || r.Charters != 1 || r.Errors != 0 || r.Warnings != 0 || len(r.Files) != 1 || r.Files[0].File != good ||
		r.Files[0].Findings == nil || len(r.Files[0].Findings) != 0 {
		t.Errorf("good: exit %d, %+v", code, r)
	}

	for _, strict := range []bool{false, true} {
		args := []string{thin}
		severity, wantCode := "warning", 0
		if strict {
			args, severity, wantCode = []string{"--strict", thin}, "error", 1
		}
		r, errOut, code := lint(args...)
		if code != wantCode || r.Strict != strict || r.Errors+r.Warnings != 2 || len(r.Files[0].Findings) != 2 {
			t.Fatalf("thin, strict %v: exit %d, %+v %s", strict, code, r, errOut)
		}
		for i, term := range []string{"semiannual-security-review", "backup-tam"} {
			f := r.Files[0].Findings[i]
			if f.Severity != severity || f.Code != "charter-missing-term" || f.Term != term || f.Charter != "acme-2026" ||
				f.Line != 1 || f.Col != 1 || !strings.Contains(f.Message, "lacks the term "+term) {
				t.Errorf("thin finding %d: %+v", i, f)
			}
		}
		if f := r.Files[0].Findings[1]; f.Path != "spec.backupTam" {
			t.Errorf("backup-tam path %q", f.Path)
		}
		if strict && !strings.Contains(errOut, "2 missing term(s)") {
			t.Errorf("strict: stderr %q", errOut)
		}
	}

	r, errOut, code := lint(good, bad, missing, dup)
	if code != 2 || len(r.Files) != 4 || r.Charters != 4 || r.Errors != 3 || !strings.Contains(errOut, "3 error(s)") {
		t.Fatalf("bad: exit %d, %+v %s", code, r, errOut)
	}
	if f := r.Files[1].Findings; len(f) != 1 || f[0].Severity != "error" || f[0].Code != "" || f[0].Line != 24 ||
		f[0].Path != "spec.obligations[0].cadence" || !strings.HasPrefix(f[0].Message, `unknown value "weekly"`) {
		t.Errorf("invalid document: %+v", f)
	}
	if f := r.Files[2].Findings; len(f) != 1 || f[0].Code != "unreadable" || f[0].Line != 0 || f[0].Message != "no such file or directory" {
		t.Errorf("missing file: %+v", f)
	}
	if f := r.Files[3].Findings; len(f) != 1 || f[0].Code != "duplicate-effective" || f[0].Charter != "acme-2026b" ||
		f[0].Path != "spec.effective" || f[0].Line != 19 {
		t.Errorf("duplicate effective: %+v", f)
	}

	// the table says the same, with the exit statuses it always had
	out, errOut, code := roiCLI(t, testdb.DSN(t), "charter", "lint", good, bad, missing)
	if code != 2 || out != "" || !strings.Contains(errOut, "bad.yaml:24:") || !strings.Contains(errOut, "missing.yaml: no such file") ||
		!strings.Contains(errOut, "2 error(s)") {
		t.Errorf("table, invalid: exit %d:\n%s%s", code, out, errOut)
	}
	out, _, code = roiCLI(t, testdb.DSN(t), "charter", "lint", "--strict", thin)
	if code != 1 || !strings.Contains(out, "error: "+thin+":1:1: charter \"acme-2026\" lacks the term backup-tam\n"+
		"  agree backup TAM coverage: backupTam: true\n") {
		t.Errorf("table, strict: exit %d:\n%s", code, out)
	}
}

func TestExportFile(t *testing.T) {
	dsn := scoreStore(t)
	dir := t.TempDir()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)

	path := filepath.Join(dir, "acme.yaml")
	out, errOut, code := roiCLI(t, dsn, "export", "--org", "acme", "--file", path)
	if code != 0 || out != "" {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v with umask 022, want -rw-r--r--", fi.Mode())
	}
	stdout, _, _ := roiCLI(t, dsn, "export", "--org", "acme")
	if b, _ := os.ReadFile(path); string(b) != stdout || !strings.Contains(stdout, "kind: Charter") {
		t.Errorf("the file differs from standard output")
	}

	// the umask decides, not a fixed mode
	syscall.Umask(0o077)
	private := filepath.Join(dir, "private.json")
	if _, errOut, code := roiCLI(t, dsn, "export", "-o", "json", "--file", private); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if fi, err := os.Stat(private); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("umask 077: %v %v", fi.Mode(), err)
	}
	syscall.Umask(0o022)

	// a file it replaces keeps its mode
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := roiCLI(t, dsn, "export", "--org", "globex", "--file", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("replaced file: %v %v", fi.Mode(), err)
	}

	// a failed write leaves the old file whole and nothing beside it
	before, _ := os.ReadFile(path)
	err = writeFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "half a fi")
		return errors.New("disk on fire")
	})
	if err == nil || err.Error() != "disk on fire" {
		t.Errorf("err = %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("the file changed after a failed write")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left in the directory: %v", names)
	}

	// an unknown organisation writes nothing
	none := filepath.Join(dir, "none.yaml")
	if _, _, code := roiCLI(t, dsn, "export", "--org", "nope", "--file", none); code != 2 {
		t.Errorf("unknown org: exit %d", code)
	}
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Errorf("unknown org: %s exists (%v)", none, err)
	}
	// a directory that does not exist is named
	_, errOut, code = roiCLI(t, dsn, "export", "--file", filepath.Join(dir, "no", "x.yaml"))
	if code == 0 || !strings.Contains(errOut, "--file") || !strings.Contains(errOut, "no such file or directory") {
		t.Errorf("missing directory: exit %d: %s", code, errOut)
	}
}
