// Package svgchart draws the charts of the web pages (package web/ui) and of
// the HTML documents (package render) as inline SVG, on the server: the
// health sparkline, value delivered against the cost of the TAM, and the
// delivery heatmap. There is one drawing of each, used by both.
//
// The charts are markup only: no script, no style attribute (the web app's
// Content-Security-Policy forbids both) and nothing fetched. Every shape and
// text carries a class and the page's stylesheet colours it: the web app's
// app.css, or the style element of a rendered document, which takes its
// colours from the PDF's (render.ChartCSS). The classes are listed with each
// chart.
//
// The charts draw numbers they are given: the callers take them from the
// rules (score.Card's periods, roi.Compute, roi.ByQuarter) and write the
// amounts as they write them elsewhere, so no rule is computed here. Every
// chart is an svg element with role="img", an accessible name (aria-label
// and a title element) and, when the caller has the figures as a table,
// aria-describedby naming that table. The output is a function of the input
// alone: the same input gives the same bytes.
package svgchart

import (
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tamledger/tamledger"
)

// esc escapes s for an attribute or text.
func esc(s string) string { return template.HTMLEscapeString(s) }

// textWidth estimates the width of s written at size px in a sans-serif
// font: the server cannot measure it, so the charts leave this much room.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.56
}

// open writes the svg element with its accessible name.
func open(b *strings.Builder, class string, w, h float64, name, describedBy string) {
	fmt.Fprintf(b, `<svg class="%s" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"`, esc(class), w, h, esc(name))
	if describedBy != "" {
		fmt.Fprintf(b, ` aria-describedby="%s"`, esc(describedBy))
	}
	fmt.Fprintf(b, `><title>%s</title>`, esc(name))
}

// Sparkline draws health scores (0–100, nil for none) as a line, with a
// text alternative listing them. Classes: spark, spark-band (the bands'
// thresholds), spark-line, spark-dot and the last score's band (BandClass).
func Sparkline(points []*int) template.HTML {
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
		w, h, w, h, len(points), esc(strings.Join(words, ", ")))
	// The bands' thresholds, faint.
	for _, t := range []float64{50, 80} {
		y := pad + (h-2*pad)*(1-t/100)
		fmt.Fprintf(&b, `<line class="spark-band" x1="0" x2="%.0f" y1="%.1f" y2="%.1f"/>`, w, y, y)
	}
	if path.Len() > 0 {
		fmt.Fprintf(&b, `<path class="spark-line" d="%s"/>`, strings.TrimSpace(path.String()))
		x := pad + float64(last)*step
		y := pad + (h-2*pad)*(1-float64(*points[last])/100)
		fmt.Fprintf(&b, `<circle class="spark-dot %s" cx="%.1f" cy="%.1f" r="2.5"/>`, BandClass(points[last]), x, y)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// BandClass is the class of a health score's band: band-proactive (80 and
// over), band-mixed (50 and over), band-reactive, or band-none.
func BandClass(score *int) string {
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

// ValueCost is value delivered against the cost of the TAM: for each group
// (a quarter, a year, the year to date) a bar of the value, stacked by its
// lines, over a bar of the cost, on one scale, with the amounts written at
// their ends.
type ValueCost struct {
	Name        string // the accessible name: what the chart shows
	DescribedBy string // the id of the table of the same figures, if any
	Lines       []Line // the value's lines, in stacking order
	CostLabel   string // the cost bar's name in the key: "Cost of the TAM"
	// The words before the amounts at the bars' ends: "value", "cost of
	// the TAM".
	ValueWord, CostWord string
	Key                 bool // draw a key of the lines and the cost below the bars
	Groups              []Group
}

// Line is one line of the value: its class (the colour) and its name.
type Line struct{ Class, Label string }

// Group is one period's bars. Lines are the amounts of ValueCost.Lines, in
// the same order; the texts are the amounts as the caller writes them.
// Amounts that are not positive draw no bar.
type Group struct {
	Label     string
	Lines     []float64
	ValueText string
	Cost      float64
	CostText  string
}

// The value chart's geometry, in SVG user units (CSS pixels at full width).
const (
	vcWidth    = 720.0
	vcBarH     = 16.0
	vcGap      = 3.0
	vcGroupGap = 14.0
	vcFont     = 13.0
)

// SVG draws the chart: class "chart value-cost"; a text of class label for
// each group's name, rects of each Line's class, a rect of class bar-cost,
// texts of class amount, and in the key rects of class swatch plus the
// line's class and texts of class key-label.
func (c ValueCost) SVG() template.HTML {
	if len(c.Groups) == 0 {
		return ""
	}
	labelW, textW, scale := 0.0, 0.0, 0.0
	for _, g := range c.Groups {
		labelW = max(labelW, textWidth(g.Label, vcFont)*1.1+14) // the labels are bold
		textW = max(textW, textWidth(c.ValueWord+" "+g.ValueText, vcFont)+10, textWidth(c.CostWord+" "+g.CostText, vcFont)+10)
		total := 0.0
		for _, v := range g.Lines {
			total += max(v, 0)
		}
		scale = max(scale, total, g.Cost)
	}
	labelW = min(max(labelW, 70), 200)
	barMax := max(vcWidth-labelW-textW, 120)
	width := func(v float64) float64 {
		if scale <= 0 || v <= 0 {
			return 0
		}
		return v / scale * barMax
	}
	// The key: swatches and names, wrapped to the width.
	type keyItem struct {
		class, label string
		x, y         float64
	}
	var key []keyItem
	keyH := 0.0
	if c.Key {
		x, y := labelW, 0.0
		add := func(class, label string) {
			w := 16 + textWidth(label, vcFont-1) + 14
			if x+w > vcWidth && x > labelW {
				x, y = labelW, y+18
			}
			key = append(key, keyItem{class, label, x, y})
			x += w
		}
		for _, l := range c.Lines {
			add(l.Class, l.Label)
		}
		add("bar-cost", c.CostLabel)
		keyH = y + 18 + 6
	}
	rowH := 2*vcBarH + vcGap + vcGroupGap
	h := float64(len(c.Groups))*rowH - vcGroupGap + 8 + keyH

	var b strings.Builder
	open(&b, "chart value-cost", vcWidth, h, c.Name, c.DescribedBy)
	y := 4.0
	for _, g := range c.Groups {
		fmt.Fprintf(&b, `<text class="label" x="0" y="%.1f" font-size="%.0f">%s</text>`, y+vcBarH-4, vcFont, esc(g.Label))
		x := labelW
		for i, v := range g.Lines {
			w := width(v)
			if w <= 0 || i >= len(c.Lines) {
				continue
			}
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.0f"><title>%s</title></rect>`,
				esc(c.Lines[i].Class), x, y, w, vcBarH, esc(g.Label+": "+c.Lines[i].Label))
			x += w
		}
		fmt.Fprintf(&b, `<text class="amount" x="%.1f" y="%.1f" font-size="%.0f">%s</text>`, x+5, y+vcBarH-4, vcFont, esc(c.ValueWord+" "+g.ValueText))
		y += vcBarH + vcGap
		w := width(g.Cost)
		if w > 0 {
			fmt.Fprintf(&b, `<rect class="bar-cost" x="%.1f" y="%.1f" width="%.1f" height="%.0f"><title>%s</title></rect>`,
				labelW, y, w, vcBarH, esc(g.Label+": "+c.CostWord+" "+g.CostText))
		}
		fmt.Fprintf(&b, `<text class="amount" x="%.1f" y="%.1f" font-size="%.0f">%s</text>`, labelW+w+5, y+vcBarH-4, vcFont, esc(c.CostWord+" "+g.CostText))
		y += vcBarH + vcGroupGap
	}
	y += 8 - vcGroupGap
	for _, k := range key {
		fmt.Fprintf(&b, `<rect class="swatch %s" x="%.1f" y="%.1f" width="11" height="11"/>`, esc(k.class), k.x, y+k.y+2)
		fmt.Fprintf(&b, `<text class="key-label" x="%.1f" y="%.1f" font-size="%.0f">%s</text>`, k.x+16, y+k.y+12, vcFont-1, esc(k.label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Heatmap is the delivery heatmap: one row per obligation (or per
// workload's series of it) on a time axis of months, each period a box from
// its first month to its last, coloured by its status, its label written
// inside when it fits.
type Heatmap struct {
	Name        string // the accessible name
	DescribedBy string // the id of the table of the same periods, if any
	Rows        []HeatRow
	// Statuses are the statuses in the key's order, each with its words;
	// none: no key.
	Statuses []Status
}

// HeatRow is an obligation (or a workload's series) and its periods; the
// adherence is written as the caller writes it ("" for none).
type HeatRow struct {
	Label, Adherence string
	Cells            []HeatCell
}

// HeatCell is one period: its label (2026-Q3), its status (met, late,
// missed, due) and its first and last days.
type HeatCell struct {
	Label, Status string
	Start, End    tamledger.Date
}

// Status is a status and the words the key says for it.
type Status struct{ Status, Label string }

// The heatmap's geometry.
const (
	hmWidth = 720.0
	hmRowH  = 26.0
	hmAxisH = 32.0
	hmFont  = 12.0
	hmSmall = 10.0
	hmAdhW  = 80.0
)

// SVG draws the heatmap: class "chart heatmap"; texts of class label (the
// rows', the header's with class head), axis (years and months),
// cell-label plus cell-label-STATUS (a period's label), key-label; rects of
// class cell plus cell-STATUS, each with a title "ROW PERIOD: STATUS", and
// in the key of class swatch plus cell-STATUS.
func (m Heatmap) SVG() template.HTML {
	var from, to tamledger.Date
	set := false
	labelW := textWidth("Obligation", hmFont) + 10
	for _, r := range m.Rows {
		labelW = max(labelW, textWidth(r.Label, hmFont)+10)
		for _, c := range r.Cells {
			if !set || c.Start.Before(from) {
				from = c.Start
			}
			if !set || c.End.After(to) {
				to = c.End
			}
			set = true
		}
	}
	if !set {
		return ""
	}
	labelW = min(labelW, 240)
	months := (to.Year-from.Year)*12 + int(to.Month) - int(from.Month) + 1
	x0 := labelW + hmAdhW
	mw := (hmWidth - x0) / float64(months)
	month := func(d tamledger.Date) int { return (d.Year-from.Year)*12 + int(d.Month) - int(from.Month) }
	keyH := 0.0
	if len(m.Statuses) > 0 {
		keyH = 26
	}
	h := hmAxisH + float64(len(m.Rows))*hmRowH + keyH + 4

	var b strings.Builder
	open(&b, "chart heatmap", hmWidth, h, m.Name, m.DescribedBy)
	// The axis: the header, the years (at the first month and at each
	// January) and each month's initial.
	fmt.Fprintf(&b, `<text class="label head" x="0" y="%.1f" font-size="%.0f">Obligation</text>`, hmAxisH-8, hmFont)
	fmt.Fprintf(&b, `<text class="label head" x="%.1f" y="%.1f" font-size="%.0f" text-anchor="end">Adherence</text>`, x0-10, hmAxisH-8, hmFont)
	for i := range months {
		d := tamledger.NewDate(from.Year, from.Month+time.Month(i), 1)
		x := x0 + float64(i)*mw
		if i == 0 || d.Month == time.January {
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.1f" font-size="%.0f">%d</text>`, x+1, hmSmall+1, hmSmall, d.Year)
		}
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.1f" font-size="%.0f" text-anchor="middle">%s</text>`, x+mw/2, hmAxisH-8, hmSmall, d.Time().Format("Jan")[:1])
	}
	y := hmAxisH
	for _, r := range m.Rows {
		fmt.Fprintf(&b, `<text class="label" x="0" y="%.1f" font-size="%.0f">%s</text>`, y+hmRowH/2+4, hmFont, esc(r.Label))
		if r.Adherence != "" {
			fmt.Fprintf(&b, `<text class="label" x="%.1f" y="%.1f" font-size="%.0f" text-anchor="end">%s</text>`, x0-10, y+hmRowH/2+4, hmFont, esc(r.Adherence))
		}
		for _, c := range r.Cells {
			x := x0 + float64(month(c.Start))*mw
			w := float64(month(c.End)-month(c.Start)+1) * mw
			st := esc(c.Status)
			fmt.Fprintf(&b, `<rect class="cell cell-%s" x="%.1f" y="%.1f" width="%.1f" height="%.0f"><title>%s</title></rect>`,
				st, x+1, y+2, w-2, hmRowH-4, esc(r.Label+" "+c.Label+": "+c.Status))
			if textWidth(c.Label, hmSmall)+4 < w-2 {
				fmt.Fprintf(&b, `<text class="cell-label cell-label-%s" x="%.1f" y="%.1f" font-size="%.0f" text-anchor="middle">%s</text>`, st, x+w/2, y+hmRowH/2+3, hmSmall, esc(c.Label))
			}
		}
		y += hmRowH
	}
	x := x0
	for _, s := range m.Statuses {
		fmt.Fprintf(&b, `<rect class="swatch cell-%s" x="%.1f" y="%.1f" width="11" height="11"/>`, esc(s.Status), x, y+8)
		fmt.Fprintf(&b, `<text class="key-label" x="%.1f" y="%.1f" font-size="%.0f">%s</text>`, x+16, y+18, hmFont-1, esc(s.Label))
		x += 16 + textWidth(s.Label, hmFont-1) + 18
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
