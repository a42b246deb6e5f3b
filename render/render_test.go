package render_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/score"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./render -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./render -update rewrites it):\n got:\n%s", path, got)
	}
}

func renderDoc(t *testing.T, doc, format string, in render.Input) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := render.Render(&b, doc, format, in); err != nil {
		t.Fatalf("render %s -o %s: %v", doc, format, err)
	}
	return b.Bytes()
}

// ledgers groups records into one ledger per organisation, as the store
// returns them (charters by effective date).
func ledgers(recs []tamledger.Record) map[string]*tamledger.Ledger {
	out := map[string]*tamledger.Ledger{}
	get := func(org string) *tamledger.Ledger {
		if out[org] == nil {
			out[org] = &tamledger.Ledger{}
		}
		return out[org]
	}
	for _, r := range recs {
		r.SetKey()
		switch v := r.Value.(type) {
		case *tamledger.Organization:
			get(r.ID).Org = v
		case *tamledger.Charter:
			get(r.Org).Charters = append(get(r.Org).Charters, *v)
		case *tamledger.Engagement:
			get(r.Org).Engagements = append(get(r.Org).Engagements, *v)
		case *tamledger.Recommendation:
			get(r.Org).Recommendations = append(get(r.Org).Recommendations, *v)
		case *tamledger.Case:
			get(r.Org).Cases = append(get(r.Org).Cases, *v)
		case *tamledger.Event:
			get(r.Org).Events = append(get(r.Org).Events, *v)
		case *tamledger.ReassignmentRequest:
			get(r.Org).Reassignments = append(get(r.Org).Reassignments, *v)
		}
	}
	for _, l := range out {
		slices.SortStableFunc(l.Charters, func(a, b tamledger.Charter) int { return a.Effective.Compare(b.Effective) })
	}
	return out
}

// acme is a small hand-written ledger: the worked example of
// docs/scorecard.md, with an EDP, contacts, implemented recommendations,
// an event ahead and an open reassignment request.
func acme() *tamledger.Ledger {
	d := tamledger.MustDate
	dp := func(s string) *tamledger.Date { v := d(s); return &v }
	m := func(s string) *tamledger.Money { v := tamledger.MustMoney(s); return &v }
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	atp := func(s string) *time.Time { v := at(s); return &v }
	n52 := 52
	recs := []tamledger.Record{
		{Kind: tamledger.KindOrganization, ID: "acme", Value: &tamledger.Organization{Name: "Acme | Corp", Timezone: "Europe/London", Currency: "USD",
			MonthlySpend: m("250000"), DowntimeCostPerHour: m("20000"),
			EDP: &tamledger.EDP{Start: d("2025-01-01"), End: d("2026-12-31"), AnnualCommit: m("3000000")},
			AccountTeam: &tamledger.AccountTeam{TAM: &tamledger.TAM{Name: "Jane Roe", Email: "jroe@amazon.com", Seniority: "tam", PortfolioSize: &n52},
				AccountManager: &tamledger.Person{Name: "Al Manager", Email: "al@amazon.com"}},
			Contacts:   []tamledger.Contact{{Name: "Cara <CTO>", Email: "cara@acme.example", Role: "CTO", Executive: true}},
			Complexity: &tamledger.Complexity{MultiRegion: true},
			Workloads: []tamledger.Workload{{ID: "payments", Name: "Payments", Primary: true, Services: []string{"EC2", "EKS"}},
				{ID: "web", Name: "Web", Primary: true, Services: []string{"EC2"}}}}},
		{Kind: tamledger.KindCharter, Org: "acme", ID: "acme-2026", Value: &tamledger.Charter{Effective: d("2026-01-01"),
			EscalationPaths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}, {Severity: "urgent", TAMResponseHours: 4, Contact: "duty manager"}},
			Obligations: []tamledger.Obligation{
				{ID: "strategy-call", Service: "strategy-call", Cadence: "monthly", GraceDays: 7},
				{ID: "cost-review", Service: "cost-review", Cadence: "quarterly", Requires: "quantified-recommendations"},
				{ID: "war", Service: "well-architected-review", Cadence: "annual", Scope: "each-primary-workload"},
			}}},
		{Kind: tamledger.KindEngagement, Org: "acme", ID: "sc-jan", Value: &tamledger.Engagement{Date: d("2026-01-14"), Service: "strategy-call", InitiatedBy: "tam"}},
		{Kind: tamledger.KindEngagement, Org: "acme", ID: "esc-feb", Value: &tamledger.Engagement{Date: d("2026-02-10"), Service: "escalation", InitiatedBy: "customer", Workloads: []string{"payments"}}},
		{Kind: tamledger.KindEngagement, Org: "acme", ID: "sc-feb", Value: &tamledger.Engagement{Date: d("2026-03-04"), Service: "strategy-call", InitiatedBy: "tam"}},
		{Kind: tamledger.KindEngagement, Org: "acme", ID: "cr-q1", Value: &tamledger.Engagement{Date: d("2026-03-18"), Service: "cost-review", InitiatedBy: "tam"}},
		{Kind: tamledger.KindEngagement, Org: "acme", ID: "sc-apr", Value: &tamledger.Engagement{Date: d("2026-04-22"), Service: "strategy-call", InitiatedBy: "customer"}},
		{Kind: tamledger.KindRecommendation, Org: "acme", ID: "r-17", Value: &tamledger.Recommendation{RaisedOn: d("2026-03-18"), Engagement: "cr-q1",
			Origin: "tam", Title: "Move batch fleet to Graviton", EstimatedMonthlySavings: m("12000"), Status: "implemented", ImplementedOn: dp("2026-04-01"), RealizedMonthlySavings: m("10500")}},
		{Kind: tamledger.KindRecommendation, Org: "acme", ID: "r-18", Value: &tamledger.Recommendation{RaisedOn: d("2025-06-01"),
			Origin: "well-architected", Title: "Multi-AZ for the payments database", Status: "implemented", ImplementedOn: dp("2025-07-01"),
			IncidentAvoided: &tamledger.IncidentAvoided{DowntimeHours: 4, Probability: 0.25}, ArchitectureValue: m("24000")}},
		{Kind: tamledger.KindCase, Org: "acme", ID: "case-1", Value: &tamledger.Case{Severity: "critical", OpenedAt: at("2026-02-10T09:00:00Z"), TAMEngagedAt: atp("2026-02-10T09:40:00Z")}},
		{Kind: tamledger.KindCase, Org: "acme", ID: "case-2", Value: &tamledger.Case{Severity: "urgent", OpenedAt: at("2026-04-02T09:00:00Z"), TAMEngagedAt: atp("2026-04-02T14:30:00Z")}},
		{Kind: tamledger.KindEvent, Org: "acme", ID: "dc-exit", Value: &tamledger.Event{Name: "Data-centre exit", Type: "migration", Date: d("2026-06-10")}},
		{Kind: tamledger.KindEvent, Org: "acme", ID: "launch", Value: &tamledger.Event{Name: "Spring launch", Date: d("2026-03-20"), IEMRequestedOn: dp("2026-02-01"),
			FailureCost: m("500000"), ProbabilityReduction: 0.1}},
		{Kind: tamledger.KindReassignmentRequest, Org: "acme", ID: "rr-1", Value: &tamledger.ReassignmentRequest{RequestedOn: d("2026-05-02"), Reasons: []string{"infrequent-contact", "slow-escalation"}}},
	}
	return ledgers(recs)["acme"]
}

var acmeAsOf = tamledger.MustDate("2026-05-20")

func TestGoldenHandWritten(t *testing.T) {
	in := render.Input{Ledger: acme(), Books: roi.Books(nil), AsOf: acmeAsOf}
	for _, doc := range render.Documents {
		for _, f := range []string{"md", "html"} { // PDF: pdf_test.go checks its text and its bytes
			t.Run(doc+"."+f, func(t *testing.T) {
				got := renderDoc(t, doc, f, in)
				golden(t, "acme-"+doc+"."+f, got)
				if again := renderDoc(t, doc, f, in); !bytes.Equal(got, again) {
					t.Error("two renderings differ")
				}
			})
		}
	}
}

var demoAsOf = tamledger.MustDate("2026-11-27")

// The demo's stories, each with the document that tells it.
func TestGoldenDemo(t *testing.T) {
	ls := ledgers(demo.Generate(1, demoAsOf))
	for _, c := range []struct{ org, doc string }{
		{"hoshizora-retail", "charter"}, {"hoshizora-retail", "ebr"},
		{"kestrel-logistics", "reassignment"}, {"aurora-health", "edp"},
	} {
		for _, f := range []string{"md", "html"} {
			t.Run(c.org+"-"+c.doc+"."+f, func(t *testing.T) {
				in := render.Input{Ledger: ls[c.org], Books: roi.Books(nil), AsOf: demoAsOf}
				golden(t, "demo-"+c.org+"-"+c.doc+"."+f, renderDoc(t, c.doc, f, in))
			})
		}
	}
}

// The HTML is one self-contained file: nothing fetched, what the store
// holds escaped.
func TestHTMLSelfContained(t *testing.T) {
	in := render.Input{Ledger: acme(), Books: roi.Books(nil), AsOf: acmeAsOf}
	for _, doc := range render.Documents {
		html := string(renderDoc(t, doc, "html", in))
		for _, bad := range []string{"<link", "<script", "src=", "@import", "url(", "http://", "https://", "<CTO>"} {
			if strings.Contains(html, bad) {
				t.Errorf("%s: the HTML contains %q", doc, bad)
			}
		}
		if !strings.Contains(html, "<style>") {
			t.Errorf("%s: no inline style", doc)
		}
	}
	if md := string(renderDoc(t, "charter", "md", in)); !strings.Contains(md, `Acme \| Corp`) {
		t.Errorf("a | in a Markdown table cell is not escaped:\n%s", md)
	}
}

// Every number in the documents is the one the scorecard, the actions and
// roi give, for many varied ledgers: the demo's twelve organisations with
// several seeds and dates.
func TestNumbersAreTheRulesNumbers(t *testing.T) {
	books := roi.Books(nil)
	docs := 0
	for seed := int64(1); seed <= 4; seed++ {
		for _, day := range []string{"2025-08-15", "2026-03-31", "2026-11-27"} {
			asOf := tamledger.MustDate(day)
			for org, l := range ledgers(demo.Generate(seed, asOf)) {
				name := fmt.Sprintf("seed %d %s %s", seed, day, org)
				in := render.Input{Ledger: l, Books: books, AsOf: asOf}
				card := score.Scorecard(l, asOf)
				actions := score.Actions(l, asOf)
				contains := func(doc, text, want string) {
					t.Helper()
					if !strings.Contains(text, want) {
						t.Errorf("%s: %s lacks %q", name, doc, want)
					}
				}
				cur := l.Org.Currency
				if card.Charter != nil {
					md := string(renderDoc(t, "ebr", "md", in))
					docs++
					if card.Health.Score != nil {
						contains("ebr", md, fmt.Sprintf("Health score %d of 100 (%s)", *card.Health.Score, *card.Health.Band))
					}
					for _, c := range card.Health.Components {
						contains("ebr", md, "| "+render.Percent(c.Value)+" |")
						// What drives it, in the words of scorecard --explain.
						contains("ebr", md, " | "+card.Explain(c.Name)+" |")
					}
					for _, ob := range card.Obligations {
						contains("ebr", md, "| "+ob.ID)
						contains("ebr", md, render.Percent(ob.Adherence))
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
					contains("ebr", md, "| Value delivered | "+render.Money(qr.Value.Total, cur)+" | "+render.Money(ytd.Value.Total, cur)+" |")
					contains("ebr", md, "| Cost of the TAM | "+render.Money(qr.Cost.Differential, cur)+" | "+render.Money(ytd.Cost.Differential, cur)+" |")
					contains("ebr", md, "| Net value | "+render.Money(qr.NetValue, cur)+" | "+render.Money(ytd.NetValue, cur)+" |")
					contains("ebr", md, "| ROI multiple | "+render.Multiple(qr.ROIMultiple)+" | "+render.Multiple(ytd.ROIMultiple)+" |")
					for _, a := range actions {
						if a.Severity == score.Critical || a.Severity == score.High {
							contains("ebr", md, a.Message)
						}
					}
					checkHTMLCharts(t, name, string(renderDoc(t, "ebr", "html", in)), card, []*roi.Report{qr, ytd}, cur)
					ch := string(renderDoc(t, "charter", "md", in))
					contains("charter", ch, "charter "+*card.Charter)
				}
				if md, err := build(t, "reassignment", in); err == nil {
					docs++
					contains("reassignment", md, "): "+render.Percent(card.Adherence)+".")
					contains("reassignment", md, "Proactive ratio: "+render.Percent(card.ProactiveRatio))
					contains("reassignment", md, "Escalation responsiveness: "+render.Percent(card.EscalationResponsiveness))
				} else if slices.ContainsFunc(actions, func(a score.Action) bool { return a.Code == score.ReassignmentSuggested }) {
					t.Errorf("%s: reassignment-suggested, but no letter: %v", name, err)
				}
				if e := l.Org.EDP; e != nil && !e.Start.After(asOf) {
					md := string(renderDoc(t, "edp", "md", in))
					docs++
					end := e.End
					if asOf.Before(e.End) {
						end = asOf
					}
					term, err := roi.Compute(l, books, e.Start, end, roi.Options{})
					if err != nil {
						t.Fatal(err)
					}
					contains("edp", md, " "+render.Money(term.Value.Total, cur)+" |\n")
					contains("edp", md, "| Enterprise Support | "+render.Money(term.Cost.Enterprise, cur)+" |")
					contains("edp", md, "| Cost of the TAM | "+render.Money(term.Cost.Differential, cur)+" |")
					for _, a := range actions {
						contains("edp", md, a.Message)
					}
				}
			}
		}
	}
	if docs < 100 {
		t.Errorf("only %d documents checked", docs)
	}
}

// checkHTMLCharts checks the charts of an EBR in HTML against the rules:
// the heatmap has one box per period of the card that ended in the
// trailing year or is current, in its status's class, and nothing else;
// the value chart writes the value and the cost of the TAM of each report;
// both have an accessible name and the table of their figures follows them.
func checkHTMLCharts(t *testing.T, name, html string, card *score.Card, reps []*roi.Report, cur string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"svg.heatmap", "svg.value-cost"} {
		svg := doc.Find(sel)
		if svg.Length() != 1 {
			t.Errorf("%s: the EBR has %d %s, want 1", name, svg.Length(), sel)
			continue
		}
		label, _ := svg.Attr("aria-label")
		if role, _ := svg.Attr("role"); role != "img" || label == "" || svg.ChildrenFiltered("title").First().Text() != label {
			t.Errorf("%s: %s has role %q, aria-label %q and title %q: want img and a name in both", name, sel, role, label, svg.ChildrenFiltered("title").First().Text())
		}
		id, _ := svg.Attr("aria-describedby")
		if table := svg.NextFiltered("table"); id == "" || table.AttrOr("id", "") != id {
			t.Errorf("%s: %s is described by %q, but the table after it is %q", name, sel, id, table.AttrOr("id", ""))
		}
	}
	want := map[string]string{} // the title of each box: its status
	for _, ob := range card.Obligations {
		for _, se := range ob.Series {
			row := ob.ID
			if se.Workload != nil {
				row += " · " + *se.Workload
			}
			for _, p := range se.Periods {
				if !p.End.Before(card.Window.From) {
					want[row+" "+score.PeriodLabel(p.Start, ob.Cadence)] = p.Status
				}
			}
		}
	}
	cells := doc.Find("svg.heatmap rect.cell")
	if cells.Length() != len(want) {
		t.Errorf("%s: the heatmap has %d boxes, the scorecard %d periods", name, cells.Length(), len(want))
	}
	cells.Each(func(_ int, c *goquery.Selection) {
		title := c.Find("title").Text()
		key, status, _ := strings.Cut(title, ": ")
		if want[key] != status || !c.HasClass("cell-"+status) {
			t.Errorf("%s: the heatmap's box %q (class %q): the scorecard says %q", name, title, c.AttrOr("class", ""), want[key])
		}
	})
	amounts := doc.Find("svg.value-cost text.amount").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	var wantAmounts []string
	for _, r := range reps {
		wantAmounts = append(wantAmounts, "value "+render.Money(r.Value.Total, cur), "cost of the TAM "+render.Money(r.Cost.Differential, cur))
	}
	if !slices.Equal(amounts, wantAmounts) {
		t.Errorf("%s: the value chart writes %q, roi gives %q", name, amounts, wantAmounts)
	}
}

func build(t *testing.T, doc string, in render.Input) (string, error) {
	var b bytes.Buffer
	err := render.Render(&b, doc, "md", in)
	return b.String(), err
}

// The EBR explains the health score's components in the words of
// scorecard --explain (score.Card.Explain), a case still pending included.
func TestHealthExplainedAsTheScorecard(t *testing.T) {
	l := *acme()
	// Opened late on the last day, not yet answered: its 4 hours run past
	// the day's end.
	l.Cases = append(slices.Clone(l.Cases), tamledger.Case{ID: "case-3", Org: "acme", Severity: "urgent", OpenedAt: time.Date(2026, 5, 20, 21, 0, 0, 0, time.UTC)})
	card := score.Scorecard(&l, acmeAsOf)
	if card.Counts.CasesPending != 1 {
		t.Fatalf("%d cases pending, want the one opened on the last day", card.Counts.CasesPending)
	}
	md := string(renderDoc(t, "ebr", "md", render.Input{Ledger: &l, Books: roi.Books(nil), AsOf: acmeAsOf}))
	for _, c := range card.Health.Components {
		if want := " | " + card.Explain(c.Name) + " |"; !strings.Contains(md, want) {
			t.Errorf("the EBR lacks %q", want)
		}
	}
	if !strings.Contains(md, "(1 pending)") {
		t.Error("the EBR does not say a case is pending")
	}
}

func TestBadInput(t *testing.T) {
	l := acme()
	books := roi.Books(nil)
	noCharter := render.Input{Ledger: l, Books: books, AsOf: tamledger.MustDate("2025-12-31")}
	healthy := *l
	healthy.Reassignments = nil
	noEDP := *l
	org := *l.Org
	org.EDP = nil
	noEDP.Org = &org
	for _, c := range []struct {
		name, doc, format string
		in                render.Input
		want              string
		missing           bool // a *render.MissingError: the ledger lacks something
	}{
		{"unknown document", "letter", "md", render.Input{Ledger: l, Books: books, AsOf: acmeAsOf}, `unknown document "letter" (want one of: charter, ebr, reassignment, edp)`, false},
		{"unknown format", "ebr", "docx", render.Input{Ledger: l, Books: books, AsOf: acmeAsOf}, `unknown format "docx" (want md, html, pdf)`, false},
		{"unknown paper", "ebr", "pdf", render.Input{Ledger: l, Books: books, AsOf: acmeAsOf, Paper: "a3"}, `unknown paper "a3" (want a4 or letter)`, false},
		{"charter without a charter in force", "charter", "md", noCharter, "has no charter in force on 2025-12-31: write a Charter document", true},
		{"ebr without a charter in force", "ebr", "html", noCharter, "tamledger import FILE", true},
		{"reassignment without evidence", "reassignment", "md", render.Input{Ledger: &healthy, Books: books, AsOf: acmeAsOf}, "no evidence for organization \"acme\"", true},
		{"edp without an EDP", "edp", "md", render.Input{Ledger: &noEDP, Books: books, AsOf: acmeAsOf}, "add spec.edp {start, end}", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			err := render.Render(&b, c.doc, c.format, c.in)
			if tamledger.ErrorCode(err) != tamledger.EINVALID || !strings.Contains(tamledger.ErrorMessage(err), c.want) {
				t.Errorf("err = %v, want EINVALID with %q", err, c.want)
			}
			var me *render.MissingError
			if errors.As(err, &me) != c.missing {
				t.Errorf("err = %#v: a *MissingError is %v, want %v", err, !c.missing, c.missing)
			}
			if b.Len() > 0 {
				t.Errorf("wrote %d bytes", b.Len())
			}
		})
	}
}

// A download's file name is ORG-DOCUMENT-ASOF.EXT, with nothing in it a
// Content-Disposition header or a file system would take for more.
func TestFilename(t *testing.T) {
	day := tamledger.MustDate("2026-09-30")
	for _, c := range []struct{ org, doc, format, want string }{
		{"acme", "ebr", "pdf", "acme-ebr-2026-09-30.pdf"},
		{"kestrel-logistics", "charter", "md", "kestrel-logistics-charter-2026-09-30.md"},
		{`a"b/c\d e;f`, "edp", "html", "a-b-c-d-e-f-edp-2026-09-30.html"},
		{"..", "edp", "html", "-edp-2026-09-30.html"},
		{"ünï", "edp", "pdf", "-n--edp-2026-09-30.pdf"},
	} {
		if got := render.Filename(c.org, c.doc, day, c.format); got != c.want {
			t.Errorf("Filename(%q, %q, %s, %q) = %q, want %q", c.org, c.doc, day, c.format, got, c.want)
		}
	}
}
