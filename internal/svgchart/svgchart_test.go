package svgchart_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/svgchart"
)

func parse(t *testing.T, svg string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(svg))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(t *testing.T, s *goquery.Selection, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s.AttrOr(name, ""), 64)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// The heatmap puts each period on the axis of months: a quarter is three
// months wide and starts where its first month does, in its status's class,
// with what it is in its title; the names are escaped.
func TestHeatmap(t *testing.T) {
	d := tamledger.MustDate
	m := svgchart.Heatmap{Name: "Delivery <of> Acme", DescribedBy: "periods", Statuses: []svgchart.Status{{Status: "met", Label: "met"}, {Status: "missed", Label: "missed"}},
		Rows: []svgchart.HeatRow{
			{Label: "strategy-call", Adherence: "50 %", Cells: []svgchart.HeatCell{
				{Label: "2026-01", Status: "met", Start: d("2026-01-01"), End: d("2026-01-31")},
				{Label: "2026-02", Status: "missed", Start: d("2026-02-01"), End: d("2026-02-28")},
			}},
			{Label: "cost-review <q>", Cells: []svgchart.HeatCell{{Label: "2026-Q2", Status: "due", Start: d("2026-04-01"), End: d("2026-06-30")}}},
		}}
	svg := string(m.SVG())
	if again := string(m.SVG()); again != svg {
		t.Error("two drawings differ")
	}
	if strings.Contains(svg, "<q>") || strings.Contains(svg, "<of>") {
		t.Errorf("a name is not escaped:\n%s", svg)
	}
	doc := parse(t, svg)
	root := doc.Find("svg")
	if root.AttrOr("role", "") != "img" || root.AttrOr("aria-label", "") != "Delivery <of> Acme" || root.AttrOr("aria-describedby", "") != "periods" || root.ChildrenFiltered("title").Text() != "Delivery <of> Acme" {
		t.Errorf("the svg's role, name and description: %s", svg[:strings.Index(svg, "</title>")])
	}
	cells := doc.Find("rect.cell")
	if cells.Length() != 3 {
		t.Fatalf("%d boxes, want 3", cells.Length())
	}
	jan, feb, q2 := cells.Eq(0), cells.Eq(1), cells.Eq(2)
	for i, c := range []struct {
		s            *goquery.Selection
		class, title string
	}{{jan, "cell-met", "strategy-call 2026-01: met"}, {feb, "cell-missed", "strategy-call 2026-02: missed"}, {q2, "cell-due", "cost-review <q> 2026-Q2: due"}} {
		if !c.s.HasClass(c.class) || c.s.Find("title").Text() != c.title {
			t.Errorf("box %d: class %q title %q, want %q and %q", i, c.s.AttrOr("class", ""), c.s.Find("title").Text(), c.class, c.title)
		}
	}
	month := attr(t, feb, "x") - attr(t, jan, "x")
	if month <= 0 {
		t.Fatalf("February starts at %v, January at %v", attr(t, feb, "x"), attr(t, jan, "x"))
	}
	if got := attr(t, q2, "x") - attr(t, jan, "x"); got < 3*month-0.2 || got > 3*month+0.2 {
		t.Errorf("April starts %.1f after January, want three months (%.1f)", got, 3*month)
	}
	if got, want := attr(t, q2, "width")+2, 3*(attr(t, jan, "width")+2); got < want-0.2 || got > want+0.2 {
		t.Errorf("the quarter is %.1f wide, want three months, %.1f", got, want)
	}
	if attr(t, q2, "y") <= attr(t, jan, "y") {
		t.Error("the second row is not below the first")
	}
	if n := doc.Find("rect.swatch").Length(); n != 2 {
		t.Errorf("the key has %d swatches, want 2", n)
	}
	if (svgchart.Heatmap{Name: "none", Rows: []svgchart.HeatRow{{Label: "x"}}}).SVG() != "" {
		t.Error("a heatmap without a period draws something")
	}
}

// Value against cost: the bars are on one scale (the longest, the largest
// amount), the value's lines stacked one after the other; what is not
// positive draws no bar; the amounts are written as given.
func TestValueCost(t *testing.T) {
	c := svgchart.ValueCost{Name: "Value", Lines: []svgchart.Line{{Class: "line-1", Label: "Savings"}, {Class: "line-2", Label: "IEM"}},
		CostLabel: "Cost of the TAM", ValueWord: "value", CostWord: "cost of the TAM", Key: true,
		Groups: []svgchart.Group{
			{Label: "2026-Q1", Lines: []float64{300, 100}, ValueText: "USD 400.00", Cost: 200, CostText: "USD 200.00"},
			{Label: "Year to date", Lines: []float64{800, -5}, ValueText: "USD 795.00", Cost: 0, CostText: "USD 0.00"},
		}}
	doc := parse(t, string(c.SVG()))
	l1, l2, cost := doc.Find("rect.line-1:not(.swatch)"), doc.Find("rect.line-2:not(.swatch)"), doc.Find("rect.bar-cost:not(.swatch)")
	if l1.Length() != 2 || l2.Length() != 1 || cost.Length() != 1 {
		t.Fatalf("bars: %d, %d, %d, want 2 of the first line, 1 of the second (the other is negative), 1 of cost (the other is 0)", l1.Length(), l2.Length(), cost.Length())
	}
	unit := attr(t, l1.Eq(1), "width") / 800
	for _, b := range []struct {
		s      *goquery.Selection
		amount float64
	}{{l1.Eq(0), 300}, {l2, 100}, {cost, 200}} {
		if w := attr(t, b.s, "width"); w < b.amount*unit-0.2 || w > b.amount*unit+0.2 {
			t.Errorf("a bar of %.0f is %.1f wide, want %.1f", b.amount, w, b.amount*unit)
		}
	}
	if got, want := attr(t, l2, "x"), attr(t, l1.Eq(0), "x")+attr(t, l1.Eq(0), "width"); got < want-0.1 || got > want+0.1 {
		t.Errorf("the second line starts at %.1f, want at the end of the first, %.1f", got, want)
	}
	amounts := doc.Find("text.amount").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if want := []string{"value USD 400.00", "cost of the TAM USD 200.00", "value USD 795.00", "cost of the TAM USD 0.00"}; strings.Join(amounts, "|") != strings.Join(want, "|") {
		t.Errorf("amounts %q, want %q", amounts, want)
	}
	if keys := doc.Find("text.key-label").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); strings.Join(keys, "|") != "Savings|IEM|Cost of the TAM" {
		t.Errorf("key %q", keys)
	}
	c.Key = false
	if n := parse(t, string(c.SVG())).Find("rect.swatch").Length(); n != 0 {
		t.Errorf("Key false, and %d swatches", n)
	}
}

func TestSparkline(t *testing.T) {
	a, b := 40, 85
	doc := parse(t, string(svgchart.Sparkline([]*int{&a, nil, &b})))
	if got := doc.Find("svg").AttrOr("aria-label", ""); got != "Health at the last 3 month-ends: 40, none, 85" {
		t.Errorf("aria-label %q", got)
	}
	if !doc.Find("circle.spark-dot").HasClass("band-proactive") {
		t.Error("the last point is not in the proactive band")
	}
}
