package ui

import (
	"html/template"

	"github.com/tamledger/tamledger/internal/svgchart"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
)

// The charts are drawn by package svgchart, on the server: no script, no
// style attribute (the CSP forbids both); colours come from classes in
// app.css.

// quarterChart draws the value against the cost of the TAM per quarter, a
// pair of bars a quarter, as roi.ByQuarter gives them; the page's table
// (#roi-quarters) has the same figures.
func quarterChart(qs []roi.QuarterRow, currency string) template.HTML {
	c := svgchart.ValueCost{
		Name:        "Value against the cost of the TAM by quarter",
		DescribedBy: "roi-quarters",
		Lines:       []svgchart.Line{{Class: "bar-value", Label: "Value"}},
		CostLabel:   "Cost of the TAM",
		ValueWord:   "value",
		CostWord:    "cost of the TAM",
	}
	for _, q := range qs {
		c.Groups = append(c.Groups, svgchart.Group{Label: q.Quarter,
			Lines: []float64{q.Value.Total.InexactFloat64()}, ValueText: render.Money(q.Value.Total, currency),
			Cost: q.Cost.Differential.InexactFloat64(), CostText: render.Money(q.Cost.Differential, currency)})
	}
	return c.SVG()
}
