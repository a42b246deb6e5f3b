package render

import (
	"fmt"
	htmltemplate "html/template"
	"strings"

	"github.com/tamledger/tamledger/internal/svgchart"
)

// The HTML documents draw their charts with package svgchart, the web
// app's drawing, in the PDF's colours: chartCSS writes the classes the
// charts use from the colours pdf.go paints with.

// heatmapSVG draws the delivery heatmap; the table with id describedBy
// lists the same periods.
func heatmapSVG(rows []HeatRow, describedBy string) htmltemplate.HTML {
	m := svgchart.Heatmap{
		Name:        "Delivery heatmap: each obligation's periods on a time axis of months, met, late, missed or due",
		DescribedBy: describedBy,
	}
	for _, st := range statusOrder {
		m.Statuses = append(m.Statuses, svgchart.Status{Status: st, Label: statusKey[st]})
	}
	for _, r := range rows {
		row := svgchart.HeatRow{Label: r.Label, Adherence: r.Adherence}
		for _, c := range r.Cells {
			row.Cells = append(row.Cells, svgchart.HeatCell{Label: c.Label, Status: c.Status, Start: c.Start, End: c.End})
		}
		m.Rows = append(m.Rows, row)
	}
	return m.SVG()
}

// valueSVG draws value delivered against the cost of the TAM; the table
// with id describedBy has the same figures.
func valueSVG(c *ValueChart, describedBy string) htmltemplate.HTML {
	v := svgchart.ValueCost{
		Name:        "Value delivered against the cost of the TAM: " + groupLabels(c),
		DescribedBy: describedBy,
		CostLabel:   "Cost of the TAM",
		ValueWord:   "value",
		CostWord:    "cost of the TAM",
		Key:         true,
	}
	for i, l := range c.Lines {
		v.Lines = append(v.Lines, svgchart.Line{Class: lineClass(i), Label: l})
	}
	for _, g := range c.Groups {
		grp := svgchart.Group{Label: g.Label, ValueText: g.ValueText, Cost: g.Cost.InexactFloat64(), CostText: g.CostText}
		for _, m := range g.Lines {
			grp.Lines = append(grp.Lines, m.InexactFloat64())
		}
		v.Groups = append(v.Groups, grp)
	}
	return v.SVG()
}

func groupLabels(c *ValueChart) string {
	var ls []string
	for _, g := range c.Groups {
		ls = append(ls, g.Label)
	}
	return strings.Join(ls, ", ")
}

// lineClass is the class of the value chart's i-th line: line-1, line-2...
func lineClass(i int) string { return fmt.Sprintf("line-%d", i%len(lineColors)+1) }

// chartCSS is the style of the charts' classes in the PDF's colours.
func chartCSS() htmltemplate.CSS {
	hex := func(c rgb) string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }
	var b strings.Builder
	for _, st := range statusOrder {
		fmt.Fprintf(&b, ".chart .cell-%s { fill: %s; }\n", st, hex(statusColor[st]))
	}
	for i, c := range lineColors {
		fmt.Fprintf(&b, ".chart .line-%d { fill: %s; }\n", i+1, hex(c))
	}
	fmt.Fprintf(&b, ".chart .bar-cost { fill: %s; }\n", hex(costColor))
	// A period's label is white on the strong colours, ink on the light.
	b.WriteString(".chart .cell-label-met, .chart .cell-label-missed { fill: #ffffff; }")
	return htmltemplate.CSS(b.String())
}
