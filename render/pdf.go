package render

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/tamledger/tamledger"
)

// Papers are the paper sizes of -o pdf, the first the default.
var Papers = []string{"a4", "letter"}

var paperSize = map[string]string{"a4": "A4", "letter": "Letter"}

// The layout, in millimetres and points.
const (
	margin     = 18.0 // left, right and top
	footRoom   = 18.0 // the bottom margin, where the footer goes
	bodySize   = 10.0
	smallSize  = 8.5
	lineHeight = 5.0
	smallLine  = 4.2
)

type rgb struct{ r, g, b int }

var (
	ink       = rgb{26, 26, 26}
	grey      = rgb{90, 90, 90}
	rule      = rgb{200, 200, 200}
	headFill  = rgb{238, 238, 238}
	boxLine   = rgb{199, 119, 0}
	boxFill   = rgb{255, 246, 229}
	costColor = rgb{120, 120, 120}
	// The statuses of the heatmap, as the HTML colours them but stronger
	// (they must read on paper and in grey).
	statusColor = map[string]rgb{"met": {46, 139, 87}, "late": {232, 168, 40}, "missed": {200, 55, 45}, "due": {225, 225, 225}}
	statusOrder = []string{"met", "late", "missed", "due"}
	statusKey   = map[string]string{"met": "met", "late": "late (within the grace days)", "missed": "missed", "due": "due"}
	// The value lines of the chart, stacked.
	lineColors = []rgb{{38, 110, 170}, {95, 160, 210}, {60, 150, 120}, {150, 120, 190}}
)

// writePDF lays d out on paper as a PDF. It renders twice: the first pass
// counts the pages the footer's "page N of M" needs.
func writePDF(d *Document, in Input) ([]byte, error) {
	paper := in.Paper
	if paper == "" {
		paper = Papers[0]
	}
	if _, ok := paperSize[paper]; !ok {
		return nil, tamledger.Errorf(tamledger.EINVALID, "unknown paper %q (want %s)", paper, strings.Join(Papers, " or "))
	}
	pages, err := layoutPDF(d, in, paper, 0)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	f, err := layoutPDF(d, in, paper, pages.PageNo())
	if err != nil {
		return nil, err
	}
	if err := f.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// pdfDoc is one pass of the layout.
type pdfDoc struct {
	f     *fpdf.Fpdf
	width float64 // between the margins
}

func layoutPDF(d *Document, in Input, paper string, total int) (*fpdf.Fpdf, error) {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: paperSize[paper]})
	// Nothing of the clock: the dates are those of --as-of, and the
	// catalogue is written in a fixed order.
	day := time.Date(in.AsOf.Year, in.AsOf.Month, in.AsOf.Day, 0, 0, 0, 0, time.UTC)
	f.SetCreationDate(day)
	f.SetModificationDate(day)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetTitle(d.Title, true)
	f.SetSubject(d.Subtitle, true)
	f.SetCreator("tamledger", true)
	f.SetProducer("tamledger", true)
	f.SetLang("en")
	f.AddUTF8FontFromBytes("go", "", goregular.TTF)
	f.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, footRoom)
	f.SetCellMargin(0)
	pw, ph := f.GetPageSize()
	p := &pdfDoc{f: f, width: pw - 2*margin}

	org := in.Ledger.Org.Name
	if org == "" {
		org = in.Ledger.Org.ID
	}
	footer := org + " · as of " + LongDate(in.AsOf)
	f.SetFooterFunc(func() {
		f.SetDrawColor(rule.r, rule.g, rule.b)
		f.SetLineWidth(0.2)
		f.Line(margin, ph-footRoom+5, pw-margin, ph-footRoom+5)
		f.SetFont("go", "", smallSize)
		f.SetTextColor(grey.r, grey.g, grey.b)
		f.SetXY(margin, ph-footRoom+6.5)
		page := fmt.Sprintf("Page %d", f.PageNo())
		if total > 0 {
			page += fmt.Sprintf(" of %d", total)
		}
		pageW := f.GetStringWidth(page) + 1
		f.CellFormat(p.width-pageW, smallLine, fit(f, footer, p.width-pageW-4), "", 0, "L", false, 0, "")
		f.CellFormat(pageW, smallLine, page, "", 0, "R", false, 0, "")
	})
	f.AddPage()

	p.text(d.Title, 18, "B", ink, 8)
	if d.Subtitle != "" {
		p.text(d.Subtitle, 11.5, "", ink, 5.8)
	}
	f.Ln(1)
	p.text(d.Source, smallSize, "", grey, smallLine)
	if len(d.Box) > 0 {
		p.box("To settle before signing", d.Box)
	}
	for _, s := range d.Sections {
		p.section(s)
	}
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return f, nil
}

// fit is s cut with "…" to fit width w in the current font.
func fit(f *fpdf.Fpdf, s string, w float64) string {
	if f.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && f.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func (p *pdfDoc) color(c rgb) { p.f.SetTextColor(c.r, c.g, c.b) }
func (p *pdfDoc) fill(c rgb)  { p.f.SetFillColor(c.r, c.g, c.b) }
func (p *pdfDoc) draw(c rgb)  { p.f.SetDrawColor(c.r, c.g, c.b) }

// need starts a new page unless h millimetres fit below the current line.
func (p *pdfDoc) need(h float64) {
	_, ph := p.f.GetPageSize()
	if p.f.GetY()+h > ph-footRoom {
		p.f.AddPage()
	}
}

// text is a paragraph across the page.
func (p *pdfDoc) text(s string, size float64, style string, c rgb, lh float64) {
	p.f.SetFont("go", style, size)
	p.color(c)
	p.f.SetX(margin)
	p.f.MultiCell(p.width, lh, s, "", "L", false)
}

func (p *pdfDoc) box(title string, items []string) {
	f := p.f
	f.SetFont("go", "", bodySize)
	h := lineHeight + 4
	for _, it := range items {
		h += float64(len(f.SplitText(it, p.width-10))) * lineHeight
	}
	f.Ln(3)
	p.need(h)
	y := f.GetY()
	p.fill(boxFill)
	p.draw(boxLine)
	f.SetLineWidth(0.6)
	f.Rect(margin, y, p.width, h, "FD")
	f.SetXY(margin+4, y+2)
	f.SetFont("go", "B", bodySize)
	p.color(ink)
	f.CellFormat(p.width-8, lineHeight, title, "", 1, "L", false, 0, "")
	f.SetFont("go", "", bodySize)
	for _, it := range items {
		f.SetX(margin + 4)
		f.CellFormat(4, lineHeight, "•", "", 0, "L", false, 0, "")
		f.MultiCell(p.width-10, lineHeight, it, "", "L", false)
	}
	f.SetY(y + h)
}

func (p *pdfDoc) section(s Section) {
	f := p.f
	if s.Heading != "" {
		f.Ln(4)
		p.need(lineHeight * 4) // a heading is not left alone at the foot of a page
		f.SetFont("go", "B", 13)
		p.color(ink)
		f.SetX(margin)
		f.MultiCell(p.width, 6.5, s.Heading, "", "L", false)
		y := f.GetY()
		p.draw(rule)
		f.SetLineWidth(0.3)
		f.Line(margin, y+0.5, margin+p.width, y+0.5)
		f.Ln(2.5)
	} else {
		f.Ln(3)
	}
	for _, para := range s.Paras {
		p.text(para, bodySize, "", ink, lineHeight)
		f.Ln(1.5)
	}
	if len(s.List) > 0 {
		f.SetFont("go", "", bodySize)
		p.color(ink)
		for _, it := range s.List {
			p.need(lineHeight)
			f.SetX(margin + 1)
			f.CellFormat(4, lineHeight, "•", "", 0, "L", false, 0, "")
			f.MultiCell(p.width-5, lineHeight, it, "", "L", false)
			f.Ln(0.8)
		}
	}
	if s.Chart != nil {
		p.valueChart(s.Chart)
	}
	if s.Table != nil {
		p.table(s.Table)
	}
	if len(s.Heatmap) > 0 {
		p.heatmap(s.Heatmap)
	}
	for _, para := range s.After {
		p.text(para, smallSize, "", grey, smallLine)
	}
	if len(s.Signature) > 0 {
		p.signatures(s.Signature)
	}
}

// table draws t with a header row, its text columns wrapped to fit the
// page and its number columns kept on one line; the header repeats on a new
// page.
func (p *pdfDoc) table(t *Table) {
	f := p.f
	const pad = 1.5
	right := func(i int) bool { return i < len(t.Right) && t.Right[i] }
	n := len(t.Head)
	natural := make([]float64, n)
	f.SetFont("go", "B", 9)
	for i, h := range t.Head {
		natural[i] = f.GetStringWidth(h) + 2*pad
	}
	f.SetFont("go", "", 9)
	for _, row := range t.Rows {
		for i := 0; i < n && i < len(row); i++ {
			natural[i] = max(natural[i], f.GetStringWidth(row[i])+2*pad)
		}
	}
	widths := columnWidths(natural, longestWords(f, t), right, p.width)

	lines := func(row []string, bold bool) ([][]string, float64) {
		style := ""
		if bold {
			style = "B"
		}
		f.SetFont("go", style, 9)
		out := make([][]string, n)
		most := 1
		for i := range n {
			cell := ""
			if i < len(row) {
				cell = row[i]
			}
			if right(i) {
				out[i] = []string{cell}
			} else {
				out[i] = f.SplitText(cell, widths[i]-2*pad)
				if len(out[i]) == 0 {
					out[i] = []string{""}
				}
			}
			most = max(most, len(out[i]))
		}
		return out, float64(most)*smallLine + 2
	}
	drawRow := func(cells [][]string, h float64, head bool) {
		y := f.GetY()
		x := margin
		if head {
			p.fill(headFill)
			f.Rect(margin, y, p.width, h, "F")
			f.SetFont("go", "B", 9)
		} else {
			f.SetFont("go", "", 9)
		}
		p.color(ink)
		for i, cl := range cells {
			align := "L"
			if right(i) {
				align = "R"
			}
			for k, ln := range cl {
				f.SetXY(x+pad, y+1+float64(k)*smallLine)
				f.CellFormat(widths[i]-2*pad, smallLine, ln, "", 0, align, false, 0, "")
			}
			x += widths[i]
		}
		p.draw(rule)
		f.SetLineWidth(0.2)
		f.Line(margin, y+h, margin+p.width, y+h)
		f.SetXY(margin, y+h)
	}
	head, hh := lines(t.Head, true)
	f.Ln(1)
	first := true
	for _, row := range t.Rows {
		cells, h := lines(row, false)
		_, ph := f.GetPageSize()
		if first || f.GetY()+h > ph-footRoom {
			if !first || f.GetY()+hh+h > ph-footRoom {
				f.AddPage()
			}
			drawRow(head, hh, true)
			first = false
		}
		drawRow(cells, h, false)
	}
	if first { // a table without rows
		p.need(hh)
		drawRow(head, hh, true)
	}
	f.Ln(2)
}

// longestWords is, for each column, the width of its longest word (header
// in bold): a text column narrower than that would break words.
func longestWords(f *fpdf.Fpdf, t *Table) []float64 {
	out := make([]float64, len(t.Head))
	measure := func(i int, s string) {
		for _, w := range strings.Fields(s) {
			out[i] = max(out[i], f.GetStringWidth(w))
		}
	}
	f.SetFont("go", "B", 9)
	for i, h := range t.Head {
		measure(i, h)
	}
	f.SetFont("go", "", 9)
	for _, row := range t.Rows {
		for i := 0; i < len(out) && i < len(row); i++ {
			measure(i, row[i])
		}
	}
	return out
}

// columnWidths shares width between columns of natural (one-line) widths:
// all of them when they fit, the spare room to the text columns. Otherwise
// number columns and short text columns (up to 34 mm) keep their width and
// the long text columns wrap, each at least as wide as its longest word.
func columnWidths(natural, words []float64, right func(int) bool, width float64) []float64 {
	const pad, short = 3.0, 34.0
	n := len(natural)
	widths := make([]float64, n)
	sum, flex := 0.0, 0.0
	for i, w := range natural {
		sum += w
		if !right(i) {
			flex += w
		}
	}
	if sum <= width {
		copy(widths, natural)
		for i := range widths {
			if !right(i) && flex > 0 {
				widths[i] += (width - sum) * natural[i] / flex
			}
		}
		if flex == 0 {
			widths[n-1] += width - sum
		}
		return widths
	}
	keep := func(i int) bool { return right(i) || natural[i] <= short }
	fixed, wrapNatural, wrapMin := 0.0, 0.0, 0.0
	for i := range natural {
		if keep(i) {
			fixed += natural[i]
		} else {
			wrapNatural += natural[i]
			wrapMin += words[i] + pad
		}
	}
	if fixed+wrapMin > width { // even so it does not fit: every text column wraps
		keep = right
		fixed, wrapNatural, wrapMin = 0, 0, 0
		for i := range natural {
			if keep(i) {
				fixed += natural[i]
			} else {
				wrapNatural += natural[i]
				wrapMin += words[i] + pad
			}
		}
	}
	room := width - fixed
	for i := range widths {
		switch {
		case keep(i):
			widths[i] = natural[i]
		case room >= wrapMin && wrapNatural > wrapMin:
			// Each long column gets its longest word, and the rest of the
			// room in proportion to what it lacks of one line.
			lack := natural[i] - (words[i] + pad)
			widths[i] = words[i] + pad + (room-wrapMin)*lack/(wrapNatural-wrapMin)
		default:
			widths[i] = room * natural[i] / wrapNatural
		}
	}
	return widths
}

// valueChart draws, for each group, a bar of the value delivered stacked by
// its lines and a bar of the cost of the TAM, on one scale, with the amounts
// written at their ends; a key of the lines follows.
func (p *pdfDoc) valueChart(c *ValueChart) {
	f := p.f
	const barH, gap, labelW = 5.0, 1.2, 28.0
	scale, textW := 0.0, 0.0
	f.SetFont("go", "", 8.5)
	for _, g := range c.Groups {
		scale = max(scale, g.Value.InexactFloat64(), g.Cost.InexactFloat64())
		textW = max(textW, f.GetStringWidth("value "+g.ValueText)+3, f.GetStringWidth("cost of the TAM "+g.CostText)+3)
	}
	h := float64(len(c.Groups))*(2*barH+gap+4) + 12
	f.Ln(2)
	p.need(h)
	barMax := p.width - labelW - textW
	f.SetFont("go", "B", 9)
	p.color(ink)
	f.SetX(margin)
	f.CellFormat(p.width, smallLine, "Value delivered against the cost of the TAM", "", 1, "L", false, 0, "")
	f.Ln(1)
	width := func(m tamledger.Money) float64 {
		if scale <= 0 || !m.IsPositive() {
			return 0
		}
		return m.InexactFloat64() / scale * barMax
	}
	for _, g := range c.Groups {
		y := f.GetY()
		f.SetFont("go", "B", 8.5)
		p.color(ink)
		f.SetXY(margin, y)
		f.CellFormat(labelW-2, barH, fit(f, g.Label, labelW-2), "", 0, "L", false, 0, "")
		x := margin + labelW
		for i, m := range g.Lines {
			w := width(m)
			if w <= 0 {
				continue
			}
			col := lineColors[i%len(lineColors)]
			p.fill(col)
			f.Rect(x, y, w, barH, "F")
			x += w
		}
		f.SetFont("go", "", 8.5)
		f.SetXY(x+1.5, y)
		f.CellFormat(textW+barMax-(x-margin-labelW), barH, "value "+g.ValueText, "", 0, "L", false, 0, "")
		y += barH + gap
		f.SetXY(margin, y)
		w := width(g.Cost)
		if w > 0 {
			p.fill(costColor)
			f.Rect(margin+labelW, y, w, barH, "F")
		}
		f.SetXY(margin+labelW+w+1.5, y)
		f.CellFormat(textW+barMax-w, barH, "cost of the TAM "+g.CostText, "", 0, "L", false, 0, "")
		f.SetY(y + barH + 4)
	}
	// The key.
	f.SetFont("go", "", 8)
	p.color(grey)
	x := margin + labelW
	y := f.GetY()
	key := func(col rgb, label string) {
		w := f.GetStringWidth(label) + 6
		if x+w > margin+p.width {
			x, y = margin+labelW, y+smallLine
		}
		p.fill(col)
		f.Rect(x, y+0.9, 3, 2.6, "F")
		f.SetXY(x+3.8, y)
		f.CellFormat(w-3.8, smallLine, label, "", 0, "L", false, 0, "")
		x += w + 2
	}
	for i, l := range c.Lines {
		key(lineColors[i%len(lineColors)], l)
	}
	key(costColor, "Cost of the TAM")
	f.SetXY(margin, y+smallLine+2)
}

// heatmap draws the obligations × periods chart on a time axis of months:
// each period is a box from its first month to its last, coloured by its
// status, its label written inside when it fits.
func (p *pdfDoc) heatmap(rows []HeatRow) {
	f := p.f
	var from, to tamledger.Date
	set := false
	for _, r := range rows {
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
	f.SetFont("go", "", 8.5)
	labelW := 0.0
	for _, r := range rows {
		labelW = max(labelW, f.GetStringWidth(r.Label)+3)
	}
	labelW = min(labelW, 55)
	const adhW, rowH, axisH = 15.0, 7.0, 9.0
	area := p.width - labelW - adhW
	months := 1
	if set {
		months = (to.Year-from.Year)*12 + int(to.Month) - int(from.Month) + 1
	}
	mw := area / float64(months)
	monthIndex := func(d tamledger.Date) int { return (d.Year-from.Year)*12 + int(d.Month) - int(from.Month) }
	x0 := margin + labelW + adhW

	drawAxis := func() {
		y := f.GetY()
		f.SetFont("go", "B", 8)
		p.color(ink)
		f.SetXY(margin, y+axisH-smallLine)
		f.CellFormat(labelW, smallLine, "Obligation", "", 0, "L", false, 0, "")
		f.CellFormat(adhW-1.5, smallLine, "Adherence", "", 0, "R", false, 0, "")
		f.SetFont("go", "", 7)
		p.color(grey)
		if set {
			for i := range months {
				d := tamledger.NewDate(from.Year, from.Month+time.Month(i), 1)
				if i == 0 || d.Month == time.January {
					f.SetXY(x0+float64(i)*mw, y)
					f.CellFormat(mw*3, smallLine-0.6, fmt.Sprint(d.Year), "", 0, "L", false, 0, "")
				}
				f.SetXY(x0+float64(i)*mw, y+axisH-smallLine)
				f.CellFormat(mw, smallLine, d.Time().Format("Jan")[:1], "", 0, "C", false, 0, "")
			}
		}
		f.SetY(y + axisH + 0.5)
	}
	f.Ln(1)
	p.need(axisH + rowH*float64(min(len(rows), 3)))
	drawAxis()
	_, ph := f.GetPageSize()
	for _, r := range rows {
		if f.GetY()+rowH > ph-footRoom {
			f.AddPage()
			drawAxis()
		}
		y := f.GetY()
		f.SetFont("go", "", 8.5)
		p.color(ink)
		f.SetXY(margin, y)
		f.CellFormat(labelW, rowH, fit(f, r.Label, labelW-1), "", 0, "L", false, 0, "")
		f.CellFormat(adhW-1.5, rowH, r.Adherence, "", 0, "R", false, 0, "")
		for _, c := range r.Cells {
			x := x0 + float64(monthIndex(c.Start))*mw
			w := float64(monthIndex(c.End)-monthIndex(c.Start)+1) * mw
			p.fill(statusColor[c.Status])
			p.draw(rgb{255, 255, 255})
			f.SetLineWidth(0.5)
			f.Rect(x, y+0.6, w, rowH-1.2, "FD")
			f.SetFont("go", "", 6.5)
			if f.GetStringWidth(c.Label)+1 < w {
				if c.Status == "due" || c.Status == "late" {
					p.color(ink)
				} else {
					f.SetTextColor(255, 255, 255)
				}
				f.SetXY(x, y)
				f.CellFormat(w, rowH, c.Label, "", 0, "C", false, 0, "")
			}
		}
		f.SetY(y + rowH)
	}
	// The key.
	f.Ln(1.5)
	f.SetFont("go", "", 8)
	p.color(grey)
	x := x0
	y := f.GetY()
	for _, st := range statusOrder {
		label := statusKey[st]
		p.fill(statusColor[st])
		f.Rect(x, y+0.9, 3, 2.6, "F")
		f.SetXY(x+3.8, y)
		w := f.GetStringWidth(label) + 1
		f.CellFormat(w, smallLine, label, "", 0, "L", false, 0, "")
		x += w + 8
	}
	f.SetXY(margin, y+smallLine+1)
}

// signatures draws a column per party: name, title, signature and date on
// lines to write on.
func (p *pdfDoc) signatures(parties []string) {
	f := p.f
	const gap = 10.0
	n := float64(len(parties))
	colW := (p.width - gap*(n-1)) / n
	fields := []string{"Name", "Title", "Signature", "Date"}
	f.Ln(2)
	p.need(8 + float64(len(fields))*11)
	y := f.GetY()
	for i, party := range parties {
		x := margin + float64(i)*(colW+gap)
		f.SetFont("go", "B", bodySize)
		p.color(ink)
		f.SetXY(x, y)
		f.CellFormat(colW, lineHeight, fit(f, party, colW), "", 0, "L", false, 0, "")
		f.SetFont("go", "", smallSize)
		p.color(grey)
		p.draw(grey)
		f.SetLineWidth(0.25)
		for k, fl := range fields {
			ly := y + 8 + float64(k+1)*11
			f.Line(x, ly, x+colW, ly)
			f.SetXY(x, ly+0.3)
			f.CellFormat(colW, smallLine, fl, "", 0, "L", false, 0, "")
		}
	}
	f.SetXY(margin, y+8+float64(len(fields))*11+smallLine+2)
}
