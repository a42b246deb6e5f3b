package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/score"
)

// pdfWords is the text pdftotext (Debian's poppler-utils, which .ci/run
// installs) extracts from a PDF, without white space: what the layout of a
// line or a table cannot change.
func pdfWords(t *testing.T, pdf string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is not installed: apt-get install poppler-utils (.ci/run does)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, []byte(pdf), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var body []string
	for _, ln := range strings.Split(string(out), "\n") {
		if !strings.Contains(ln, " · as of ") { // the footer, which may cut a paragraph in two
			body = append(body, ln)
		}
	}
	return strings.Join(strings.Fields(strings.Join(body, "\n")), "")
}

func jsonOf(t *testing.T, dsn string, v any, args ...string) {
	t.Helper()
	if err := json.Unmarshal([]byte(run1(t, dsn, append(args, "-o", "json")...)), v); err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
}

// The PDFs of the demo's stories (seed 1) and of another generated
// portfolio hold the numbers that scorecard, actions and roi -o json give.
func TestRenderPDFAgainstJSON(t *testing.T) {
	for _, c := range []struct {
		seed int64
		day  string
	}{{1, "2026-11-27"}, {2, "2026-06-30"}} {
		t.Run(fmt.Sprintf("seed %d %s", c.seed, c.day), func(t *testing.T) {
			dsn := testdb.DSN(t)
			run1(t, dsn, "demo", "--no-serve", "--seed", fmt.Sprint(c.seed), "--as-of", c.day)
			asOf := tamledger.MustDate(c.day)
			docs := 0
			for _, rec := range demo.Generate(c.seed, asOf) {
				o, ok := rec.Value.(*tamledger.Organization)
				if !ok {
					continue
				}
				org := rec.ID
				var card score.Card
				jsonOf(t, dsn, &card, "scorecard", "--org", org, "--as-of", c.day)
				var acts struct{ Actions []score.Action }
				jsonOf(t, dsn, &acts, "actions", "--org", org, "--as-of", c.day)
				cur := o.Currency
				pdf := func(doc string) (string, bool) {
					code, out, errOut := runCode(dsn, "render", doc, "--org", org, "--as-of", c.day, "-o", "pdf")
					if code == 2 {
						return "", false
					}
					if code != 0 || !strings.HasPrefix(out, "%PDF-") {
						t.Fatalf("render %s --org %s: exit %d: %s", doc, org, code, errOut)
					}
					docs++
					return pdfWords(t, out), true
				}
				must := func(doc, text string, want ...string) {
					t.Helper()
					for _, w := range want {
						if !strings.Contains(text, strings.Join(strings.Fields(w), "")) {
							t.Errorf("%s: %s.pdf lacks %q", org, doc, w)
						}
					}
				}
				if card.Charter != nil {
					ebr, ok := pdf("ebr")
					if !ok {
						t.Fatalf("%s: no EBR pack with charter %s in force", org, *card.Charter)
					}
					must("ebr", ebr, "charter "+*card.Charter, fmt.Sprintf("Health score %d of 100 (%s)", *card.Health.Score, *card.Health.Band))
					for _, comp := range card.Health.Components {
						must("ebr", ebr, render.Percent(comp.Value))
					}
					for _, ob := range card.Obligations {
						must("ebr", ebr, ob.ID, render.Percent(ob.Adherence))
					}
					q := score.LastQuarters(asOf, 1)[0]
					var qr, ytd roi.Report
					jsonOf(t, dsn, &qr, "roi", "--org", org, "--from", q.From.String(), "--to", q.To.String())
					jsonOf(t, dsn, &ytd, "roi", "--org", org, "--from", fmt.Sprintf("%d-01-01", asOf.Year), "--to", c.day)
					must("ebr", ebr,
						"Value delivered "+render.Money(qr.Value.Total, cur)+" "+render.Money(ytd.Value.Total, cur),
						"Cost of the TAM "+render.Money(qr.Cost.Differential, cur)+" "+render.Money(ytd.Cost.Differential, cur),
						"Net value "+render.Money(qr.NetValue, cur)+" "+render.Money(ytd.NetValue, cur),
						"ROI multiple "+render.Multiple(qr.ROIMultiple)+" "+render.Multiple(ytd.ROIMultiple))
					for _, a := range acts.Actions {
						if a.Severity == score.Critical || a.Severity == score.High {
							must("ebr", ebr, a.Message)
						}
					}
				}
				if letter, ok := pdf("reassignment"); ok {
					must("reassignment", letter, "): "+render.Percent(card.Adherence)+".",
						fmt.Sprintf("Proactive ratio: %s (%d of", render.Percent(card.ProactiveRatio), card.Counts.TAMInitiated),
						fmt.Sprintf("Escalation responsiveness: %s (%d of", render.Percent(card.EscalationResponsiveness), card.Counts.CasesWithinTarget))
					for _, a := range acts.Actions {
						if a.Code == score.ReassignmentSuggested || a.Code == score.ReassignmentEscalate {
							must("reassignment", letter, a.Message)
						}
					}
				}
				if e := o.EDP; e != nil && !e.Start.After(asOf) {
					dossier, ok := pdf("edp")
					if !ok {
						t.Fatalf("%s: no EDP dossier", org)
					}
					end := e.End
					if asOf.Before(end) {
						end = asOf
					}
					var term roi.Report
					jsonOf(t, dsn, &term, "roi", "--org", org, "--from", e.Start.String(), "--to", end.String())
					must("edp", dossier, "Enterprise Support "+render.Money(term.Cost.Enterprise, cur),
						"Cost of the TAM "+render.Money(term.Cost.Differential, cur), "value "+render.Money(term.Value.Total, cur))
					for _, a := range acts.Actions {
						must("edp", dossier, a.Message)
					}
				}
			}
			if docs < 15 {
				t.Errorf("only %d PDFs checked", docs)
			}
		})
	}
}

// A PDF goes to --file or to a standard output that is no terminal, the
// same bytes each time, on the paper asked for.
func TestRenderPDFOutput(t *testing.T) {
	dsn := scoreStore(t)
	args := []string{"render", "ebr", "--org", "acme", "--as-of", "2026-05-20", "-o", "pdf"}
	out := run1(t, dsn, args...)
	if again := run1(t, dsn, args...); again != out {
		t.Error("two runs differ")
	}
	path := filepath.Join(t.TempDir(), "ebr.pdf")
	if got := run1(t, dsn, append(args, "--file", path)...); got != "" {
		t.Errorf("stdout with --file: %d bytes", len(got))
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != out {
		t.Errorf("--file holds other bytes than standard output (%v)", err)
	}
	letter := run1(t, dsn, append(args, "--paper", "letter")...)
	if !strings.Contains(letter, "/MediaBox [0 0 612.00 792.00]") || !strings.Contains(out, "/MediaBox [0 0 595.28 841.89]") {
		t.Error("--paper letter is not US Letter, or the default not A4")
	}
	words := pdfWords(t, out)
	if want := "AcmeCorp(acme)intheSQLitefile" + filepath.Base(dsn); !strings.HasPrefix(dsn, "postgres") && !strings.Contains(words, want) {
		t.Errorf("the PDF does not say which store it comes from (%s)", want)
	}
	// /dev/null is a character device, but no terminal.
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	var errOut strings.Builder
	if code := run(t.Context(), append([]string{"--db", dsn}, args...), strings.NewReader(""), devNull, &errOut); code != 0 {
		t.Errorf("to /dev/null: exit %d: %s", code, errOut.String())
	}
}
