package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/store"
)

// runCode runs tamledger and returns its exit status, standard output and
// standard error.
func runCode(dsn string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"--db", dsn}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// The command writes what package render makes of the stored ledger, on
// SQLite and (TAMLEDGER_TEST_DB) PostgreSQL alike.
func TestRenderCommand(t *testing.T) {
	dsn := scoreStore(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	l, err := st.Ledger(ctx, "acme")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	d, err := store.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	in := render.Input{Ledger: l, Books: roi.Books(nil), AsOf: tamledger.MustDate("2026-05-20"), Store: d.Title()}
	for _, doc := range []string{"charter", "ebr", "edp"} {
		for _, f := range render.Formats {
			t.Run(doc+" -o "+f, func(t *testing.T) {
				var want bytes.Buffer
				if err := render.Render(&want, doc, f, in); err != nil {
					t.Fatal(err)
				}
				args := []string{"render", doc, "--org", "acme", "--as-of", "2026-05-20"}
				if f != "md" {
					args = append(args, "-o", f)
				}
				got := run1(t, dsn, args...)
				if got != want.String() {
					t.Errorf("render %s -o %s differs from render.Render of the stored ledger:\n%s", doc, f, got)
				}
				if again := run1(t, dsn, args...); again != got {
					t.Error("two runs differ")
				}
			})
		}
	}
	t.Run("the numbers are those of scorecard and roi -o json", func(t *testing.T) {
		var card struct {
			Health struct {
				Score int
				Band  string
			}
		}
		if err := json.Unmarshal([]byte(run1(t, dsn, "scorecard", "--org", "acme", "--as-of", "2026-05-20", "-o", "json")), &card); err != nil {
			t.Fatal(err)
		}
		var r struct {
			Value struct{ Total tamledger.Money }
			Cost  struct{ Differential tamledger.Money }
		}
		if err := json.Unmarshal([]byte(run1(t, dsn, "roi", "--org", "acme", "--from", "2026-01-01", "--to", "2026-05-20", "-o", "json")), &r); err != nil {
			t.Fatal(err)
		}
		ebr := run1(t, dsn, "render", "ebr", "--org", "acme", "--as-of", "2026-05-20")
		for _, want := range []string{fmt.Sprintf("Health score %d of 100 (%s)", card.Health.Score, card.Health.Band),
			"| Value delivered | ", " | " + render.Money(r.Value.Total, "USD") + " |\n",
			" | " + render.Money(r.Cost.Differential, "USD") + " |\n"} {
			if !strings.Contains(ebr, want) {
				t.Errorf("render ebr lacks %q:\n%s", want, ebr)
			}
		}
	})
	t.Run("reassignment uses the open request", func(t *testing.T) {
		out := run1(t, dsn, "render", "reassignment", "--org", "globex", "--as-of", "2026-05-20")
		for _, want := range []string{"We first asked on 20 April 2026", "(request rr-1)", "resolved by 20 May 2026"} {
			if !strings.Contains(out, want) {
				t.Errorf("lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("--file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ebr.html")
		if out := run1(t, dsn, "render", "ebr", "--org", "acme", "--as-of", "2026-05-20", "-o", "html", "--file", path); out != "" {
			t.Errorf("stdout: %q", out)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if want := run1(t, dsn, "render", "ebr", "--org", "acme", "--as-of", "2026-05-20", "-o", "html"); string(b) != want {
			t.Error("--file holds other bytes than standard output")
		}
	})
}

func TestRenderErrors(t *testing.T) {
	dsn := scoreStore(t)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown document", []string{"render", "letter", "--org", "acme"}, 2, `unknown document "letter" (want one of: charter, ebr, reassignment, edp)`},
		{"no document", []string{"render", "--org", "acme"}, 2, "render needs one document: charter, ebr, reassignment, edp"},
		{"unknown format", []string{"render", "ebr", "--org", "acme", "-o", "docx"}, 2, `unknown output format "docx" (want md, html, pdf)`},
		{"--paper without -o pdf", []string{"render", "ebr", "--org", "acme", "--paper", "letter"}, 2, "--paper sets the paper of a PDF: add -o pdf"},
		{"unknown paper", []string{"render", "ebr", "--org", "acme", "-o", "pdf", "--paper", "a3"}, 2, `unknown paper "a3" (want a4 or letter)`},
		{"table is no format here", []string{"render", "ebr", "--org", "acme", "-o", "table"}, 2, `unknown output format "table"`},
		{"unknown organisation", []string{"render", "ebr", "--org", "nope"}, 2, `unknown organization "nope"`},
		{"no --org", []string{"render", "ebr"}, 2, "--org is required"},
		{"bad --as-of", []string{"render", "ebr", "--org", "acme", "--as-of", "2026-13-01"}, 2, "--as-of"},
		{"charter before any is in force", []string{"render", "charter", "--org", "globex", "--as-of", "2026-03-15"}, 2,
			`charter: organization "globex" has no charter in force on 2026-03-15: write a Charter document (tamledger init globex writes one to start from)`},
		{"ebr before any charter is in force", []string{"render", "ebr", "--org", "globex", "--as-of", "2026-03-15"}, 2, "has no charter in force"},
		{"reassignment without evidence", []string{"render", "reassignment", "--org", "initech", "--as-of", "2026-05-20"}, 2,
			`no evidence for organization "initech" as of 2026-05-20`},
		{"edp without an EDP", []string{"render", "edp", "--org", "globex", "--as-of", "2026-05-20"}, 2, "add spec.edp {start, end}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCode(dsn, c.args...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, c.code, c.want)
			}
			if out != "" {
				t.Errorf("stdout: %q", out)
			}
		})
	}
	t.Run("no store", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "none.db")
		code, _, errOut := runCode(missing, "render", "ebr", "--org", "acme")
		if code != 3 {
			t.Errorf("exit %d (%s), want 3", code, errOut)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("render created a store")
		}
	})
}

// A PDF of an organisation whose name the PDF's fonts cannot draw is still
// written, with a warning that names the characters and what to do; the
// other formats and a Latin, Greek or Cyrillic name have no warning.
func TestRenderWarnsOfMissingGlyphs(t *testing.T) {
	dsn := testdb.DSN(t)
	for _, c := range []struct{ org, name, warn string }{
		{"kabushiki", "株式会社アクメ", `no glyph for '株', '式', '会', '社', 'ア', 'ク', 'メ': they show as empty boxes`},
		{"hellas", "Ελληνική Ναυτιλία", ""},
	} {
		path, _, text := initFile(t, dsn, c.org)
		text = regexp.MustCompile(`(?m)^  name: .*$`).ReplaceAllString(text, "  name: "+c.name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		run1(t, dsn, "import", path)
		for _, f := range render.Formats {
			code, out, errOut := runCode(dsn, "render", "charter", "--org", c.org, "-o", f)
			if code != 0 || !strings.Contains(out, c.name) && f != "pdf" {
				t.Fatalf("render %s -o %s: exit %d: %s", c.org, f, code, errOut)
			}
			switch want := f == "pdf" && c.warn != ""; {
			case want && !strings.Contains(errOut, c.warn):
				t.Errorf("render %s -o pdf: stderr %q, want the warning %q", c.org, errOut, c.warn)
			case !want && errOut != "":
				t.Errorf("render %s -o %s: stderr %q, want nothing", c.org, f, errOut)
			}
		}
	}
}
