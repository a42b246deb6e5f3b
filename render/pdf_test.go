package render_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/score"
)

// poppler runs a poppler-utils tool (Debian's poppler-utils, which .ci/run
// installs) on pdf and returns its standard output.
func poppler(t *testing.T, tool string, pdf []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is not installed: apt-get install poppler-utils (.ci/run does)", tool)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, append(args, path, "-")...).Output()
	if tool == "pdfinfo" {
		out, err = exec.Command(tool, path).Output()
	}
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return string(out)
}

// pdfText is the PDF's text as pdftotext extracts it, with its pages (form
// feeds) counted.
type pdfText struct {
	raw   string
	flat  string // without any white space: what a wrapped line or a table's layout cannot change
	pages int
}

func extract(t *testing.T, pdf []byte) pdfText {
	raw := poppler(t, "pdftotext", pdf, "-layout", "-enc", "UTF-8")
	// The footers leave the body, so that a paragraph that runs on to the
	// next page reads on.
	var body []string
	for _, ln := range strings.Split(raw, "\n") {
		if !footer.MatchString(ln) {
			body = append(body, ln)
		}
	}
	return pdfText{raw: raw, flat: flat(strings.Join(body, "\n")), pages: strings.Count(raw, "\f")}
}

var footer = regexp.MustCompile(`\S.* · as of .*\s+Page \d+ of \d+\s*$`)

func flat(s string) string { return strings.Join(strings.Fields(s), "") }

func (p pdfText) has(s string) bool { return strings.Contains(p.flat, flat(s)) }

// footers are the footer lines, one a page.
func (p pdfText) footers() []string {
	var out []string
	for _, ln := range strings.Split(p.raw, "\n") {
		if footer.MatchString(ln) {
			out = append(out, strings.Join(strings.Fields(ln), " "))
		}
	}
	return out
}

// The PDF holds every number the rules give, as text a reader can select
// and search, for the demo's stories and many generated ledgers, on both
// papers.
func TestPDFNumbers(t *testing.T) {
	books := roi.Books(nil)
	docs := 0
	for di, sc := range []struct {
		seed int64
		day  string
	}{{1, "2026-11-27"}, {1, "2026-03-31"}, {3, "2025-10-15"}} {
		{
			seed, day := sc.seed, sc.day
			asOf := tamledger.MustDate(day)
			for org, l := range ledgers(demo.Generate(seed, asOf)) {
				name := fmt.Sprintf("seed %d %s %s", seed, day, org)
				paper := render.Papers[di%2]
				in := render.Input{Ledger: l, Books: books, AsOf: asOf, Store: "SQLite file demo.db", Paper: paper}
				card := score.Scorecard(l, asOf)
				actions := score.Actions(l, asOf)
				cur := l.Org.Currency
				check := func(doc string) (pdfText, bool) {
					var b bytes.Buffer
					if err := render.Render(&b, doc, "pdf", in); err != nil {
						if tamledger.ErrorCode(err) != tamledger.EINVALID {
							t.Fatalf("%s: %s: %v", name, doc, err)
						}
						return pdfText{}, false
					}
					docs++
					txt := extract(t, b.Bytes())
					fs := txt.footers()
					if len(fs) != txt.pages {
						t.Errorf("%s: %s.pdf has %d pages and %d footers", name, doc, txt.pages, len(fs))
					}
					for i, f := range fs {
						if want := fmt.Sprintf("%s · as of %s Page %d of %d", l.Org.Name, render.LongDate(asOf), i+1, txt.pages); f != want {
							t.Errorf("%s: %s.pdf footer %q, want %q", name, doc, f, want)
						}
					}
					want := []string{"in the SQLite file demo.db as of " + render.LongDate(asOf)}
					if card.Charter != nil {
						want = append(want, "charter "+*card.Charter)
					}
					for _, w := range want {
						if !txt.has(w) {
							t.Errorf("%s: %s.pdf lacks %q", name, doc, w)
						}
					}
					return txt, true
				}
				must := func(doc string, txt pdfText, want ...string) {
					t.Helper()
					for _, w := range want {
						if !txt.has(w) {
							t.Errorf("%s: %s.pdf lacks %q:\n%s", name, doc, w, txt.raw)
						}
					}
				}
				if card.Charter != nil {
					txt, ok := check("ebr")
					if !ok {
						t.Fatalf("%s: no ebr with a charter in force", name)
					}
					if card.Health.Score != nil {
						must("ebr", txt, fmt.Sprintf("Health score %d of 100 (%s)", *card.Health.Score, *card.Health.Band))
					}
					for _, c := range card.Health.Components {
						must("ebr", txt, render.Percent(c.Value))
					}
					for _, ob := range card.Obligations {
						must("ebr", txt, ob.ID, render.Percent(ob.Adherence))
					}
					q := score.LastQuarters(asOf, 1)[0]
					qr, err := roi.Compute(l, books, q.From, q.To, roi.Options{})
					if err != nil {
						t.Fatal(err)
					}
					ytd, err := roi.Compute(l, books, tamledger.NewDate(asOf.Year, 1, 1), asOf, roi.Options{})
					if err != nil {
						t.Fatal(err)
					}
					// The table's rows, and the chart's amounts.
					must("ebr", txt, "Value delivered "+render.Money(qr.Value.Total, cur)+" "+render.Money(ytd.Value.Total, cur),
						"Cost of the TAM "+render.Money(qr.Cost.Differential, cur)+" "+render.Money(ytd.Cost.Differential, cur),
						"Net value "+render.Money(qr.NetValue, cur)+" "+render.Money(ytd.NetValue, cur),
						"ROI multiple "+render.Multiple(qr.ROIMultiple)+" "+render.Multiple(ytd.ROIMultiple),
						"value "+render.Money(ytd.Value.Total, cur), "cost of the TAM "+render.Money(ytd.Cost.Differential, cur))
					for _, a := range actions {
						if a.Severity == score.Critical || a.Severity == score.High {
							must("ebr", txt, a.Message)
						}
					}
					txt, _ = check("charter")
					must("charter", txt, "Charter "+*card.Charter)
				}
				if txt, ok := check("reassignment"); ok {
					must("reassignment", txt, "): "+render.Percent(card.Adherence)+".",
						"Proactive ratio: "+render.Percent(card.ProactiveRatio),
						"Escalation responsiveness: "+render.Percent(card.EscalationResponsiveness))
					for _, q := range score.AdherenceByQuarter(card, 4) {
						must("reassignment", txt, fmt.Sprintf("%s %s %s %s %d %d %d", q.Quarter, render.LongDate(q.From), render.LongDate(q.To), render.Percent(q.Adherence), q.Met, q.Late, q.Missed))
					}
					for _, c := range score.CaseResponses(l, card.Window) {
						if !c.Within {
							must("reassignment", txt, c.Case)
						} else if txt.has(c.Case) {
							t.Errorf("%s: the letter lists case %s, which was within target", name, c.Case)
						}
					}
					for _, a := range actions {
						if a.Code == score.ReassignmentSuggested {
							must("reassignment", txt, a.Message)
						}
					}
				}
				if e := l.Org.EDP; e != nil && !e.Start.After(asOf) {
					txt, ok := check("edp")
					if !ok {
						t.Fatalf("%s: no edp dossier", name)
					}
					end := e.End
					if asOf.Before(end) {
						end = asOf
					}
					term, err := roi.Compute(l, books, e.Start, end, roi.Options{})
					if err != nil {
						t.Fatal(err)
					}
					must("edp", txt, "Enterprise Support "+render.Money(term.Cost.Enterprise, cur),
						"Cost of the TAM "+render.Money(term.Cost.Differential, cur),
						"value "+render.Money(term.Value.Total, cur))
					for _, a := range actions {
						must("edp", txt, a.Message)
					}
				}
			}
		}
	}
	if docs < 60 {
		t.Errorf("only %d PDFs checked", docs)
	}
}

// The same ledger and date give the same bytes, on either paper; the paper
// is the one asked for; the dates inside are --as-of's; nothing is an image.
func TestPDFDeterministic(t *testing.T) {
	for _, doc := range render.Documents {
		for _, paper := range render.Papers {
			t.Run(doc+" "+paper, func(t *testing.T) {
				in := render.Input{Ledger: acme(), Books: roi.Books(nil), AsOf: acmeAsOf, Paper: paper}
				a := renderDoc(t, doc, "pdf", in)
				// A fresh ledger and a later wall clock change nothing.
				in.Ledger = acme()
				if b := renderDoc(t, doc, "pdf", in); !bytes.Equal(a, b) {
					t.Fatal("two renderings differ")
				}
				info := poppler(t, "pdfinfo", a)
				size := map[string]string{"a4": "595.28 x 841.89 pts (A4)", "letter": "612 x 792 pts (letter)"}[paper]
				if !strings.Contains(info, "Page size:       "+size) {
					t.Errorf("pdfinfo:\n%s\nwant page size %s", info, size)
				}
				for _, want := range []string{"/CreationDate (D:20260520000000)", "/ModDate (D:20260520000000)"} {
					if !bytes.Contains(a, []byte(want)) {
						t.Errorf("no %s", want)
					}
				}
				if bytes.Contains(a, []byte("/Subtype /Image")) {
					t.Error("the PDF holds an image")
				}
				txt := extract(t, a)
				if fs := txt.footers(); len(fs) == 0 || fs[0] != fmt.Sprintf("Acme | Corp · as of 20 May 2026 Page 1 of %d", txt.pages) {
					t.Errorf("footers %q:\n%s", fs, txt.raw)
				}
			})
		}
	}
	in := render.Input{Ledger: acme(), Books: roi.Books(nil), AsOf: acmeAsOf}
	a4 := renderDoc(t, "ebr", "pdf", in)
	in.Paper = "a4"
	if !bytes.Equal(a4, renderDoc(t, "ebr", "pdf", in)) {
		t.Error("the default paper is not a4")
	}
}

// What the letter and the dossier of the hand-written ledger say, worked
// out by hand: adherence by quarter, the case past its target, the date the
// request escalates.
func TestPDFHandWorked(t *testing.T) {
	in := render.Input{Ledger: acme(), Books: roi.Books(nil), AsOf: acmeAsOf}
	letter := extract(t, renderDoc(t, "reassignment", "pdf", in))
	for _, want := range []string{
		// Q1 2026: strategy-call met (Jan), late (Feb, delivered 4 March),
		// missed (Mar): (2+1)/6; cost-review met: 1; mean 75 %.
		"2026-Q1 1 January 2026 31 March 2026 75 % 2 1 1",
		// case-2: urgent, 4 hours, TAM engaged after 5.5 hours (BST).
		"case-2 urgent 2 April 2026 10:00 2 April 2026 15:30 4 hours after 5.5 hours, past target",
		// rr-1 made on 2 May 2026: escalates 30 days on.
		"neither acknowledged nor resolved by 1 June 2026",
	} {
		if !letter.has(want) {
			t.Errorf("the letter lacks %q:\n%s", want, letter.raw)
		}
	}
	if letter.has("case-1") {
		t.Error("case-1 (0.7 hours of a 1-hour target) is listed as past its target")
	}
	dossier := extract(t, renderDoc(t, "edp", "pdf", in))
	for _, want := range []string{"case-1 critical 10 February 2026 09:00 10 February 2026 09:40 1 hour after 0.7 hours, within target"} {
		if !dossier.has(want) {
			t.Errorf("the dossier lacks %q:\n%s", want, dossier.raw)
		}
	}
}
