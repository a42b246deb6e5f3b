package ui

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
)

// The charts are SVG drawn here, on the server: no script, no style
// attribute (the CSP forbids both); colours come from classes in app.css.

// sparkline draws health scores (0–100, nil for none) as a line, with a
// text alternative listing them.
func sparkline(points []*int) template.HTML {
	if len(points) == 0 {
		return `<span class="spark-pending">computing…</span>`
	}
	const w, h, pad = 120.0, 28.0, 3.0
	var b strings.Builder
	var words []string
	step := (w - 2*pad) / float64(max(len(points)-1, 1))
	var path strings.Builder
	pen := false
	last := -1
	for i, p := range points {
		if p == nil {
			words = append(words, "none")
			pen = false
			continue
		}
		words = append(words, fmt.Sprint(*p))
		x := pad + float64(i)*step
		y := pad + (h-2*pad)*(1-float64(*p)/100)
		if pen {
			fmt.Fprintf(&path, " L%.1f %.1f", x, y)
		} else {
			fmt.Fprintf(&path, " M%.1f %.1f", x, y)
		}
		pen = true
		last = i
	}
	fmt.Fprintf(&b, `<svg class="spark" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="Health at the last %d month-ends: %s">`,
		w, h, w, h, len(points), template.HTMLEscapeString(strings.Join(words, ", ")))
	// The bands' thresholds, faint.
	for _, t := range []float64{50, 80} {
		y := pad + (h-2*pad)*(1-t/100)
		fmt.Fprintf(&b, `<line class="spark-band" x1="0" x2="%.0f" y1="%.1f" y2="%.1f"/>`, w, y, y)
	}
	if path.Len() > 0 {
		fmt.Fprintf(&b, `<path class="spark-line" d="%s"/>`, strings.TrimSpace(path.String()))
		x := pad + float64(last)*step
		y := pad + (h-2*pad)*(1-float64(*points[last])/100)
		fmt.Fprintf(&b, `<circle class="spark-dot %s" cx="%.1f" cy="%.1f" r="2.5"/>`, bandClass(points[last]), x, y)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func bandClass(score *int) string {
	switch {
	case score == nil:
		return "band-none"
	case *score >= 80:
		return "band-proactive"
	case *score >= 50:
		return "band-mixed"
	}
	return "band-reactive"
}

// chart is a drawn chart and its data as a table for screen readers.
type chart struct {
	SVG template.HTML
}

// quarterChart draws the value against the cost of the TAM per quarter:
// two bars a quarter.
func quarterChart(qs []roi.QuarterRow, currency string) chart {
	if len(qs) == 0 {
		return chart{}
	}
	const h, top, bottom, left = 220.0, 16.0, 28.0, 64.0
	group := 96.0
	w := left + group*float64(len(qs)) + 16
	maxV := 0.0
	val := func(q roi.QuarterRow) (float64, float64) {
		v, _ := q.Value.Total.Float64()
		c, _ := q.Cost.Differential.Float64()
		return v, c
	}
	for _, q := range qs {
		v, c := val(q)
		maxV = max(maxV, v, c)
	}
	if maxV <= 0 {
		maxV = 1
	}
	scale := (h - top - bottom) / maxV
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="Value against the cost of the TAM by quarter (the table below has the numbers)">`, w, h)
	for i := 0; i <= 4; i++ {
		t := maxV * float64(i) / 4
		y := h - bottom - t*scale
		fmt.Fprintf(&b, `<line class="grid" x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f"/>`, left, w-8, y, y)
		fmt.Fprintf(&b, `<text class="axis" x="%.0f" y="%.1f" text-anchor="end">%s</text>`, left-6, y+4, template.HTMLEscapeString(short(t)))
	}
	for i, q := range qs {
		v, c := val(q)
		x := left + group*float64(i) + 14
		bar := func(cls string, amount float64, dx float64, label string) {
			hh := max(amount*scale, 0)
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="30" height="%.1f"><title>%s</title></rect>`,
				cls, x+dx, h-bottom-hh, hh, template.HTMLEscapeString(label))
		}
		bar("bar-value", v, 0, q.Quarter+" value "+render.Money(q.Value.Total, currency))
		bar("bar-cost", c, 34, q.Quarter+" cost of the TAM "+render.Money(q.Cost.Differential, currency))
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.0f" text-anchor="middle">%s</text>`, x+32, h-bottom+18, q.Quarter)
	}
	b.WriteString(`</svg>`)
	return chart{SVG: template.HTML(b.String())}
}

// short is an amount for an axis: 1.2M, 350k, 900.
func short(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.1fM", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.0fk", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}
