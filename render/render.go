// Package render writes the documents people sign and read — the TAM
// Engagement Charter, the EBR pack, the reassignment request and the EDP
// renewal dossier — in Markdown or self-contained HTML (docs/render.md).
//
// Every figure comes from package score (Scorecard, Actions) and package roi
// (Compute): this package only chooses which results to show and writes them
// out for people. The templates (templates/) are generic: they lay out a
// Document of sections, paragraphs, lists and tables, so Markdown and HTML
// show the same content; HTML and PDF also draw the heatmap and the value
// chart (HTML with package internal/svgchart, as the web app does).
package render

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"io"
	"slices"
	texttemplate "text/template"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/score"
)

// The documents and the formats, in the order help lists them.
var (
	Documents = []string{"charter", "ebr", "reassignment", "edp"}
	Formats   = []string{"md", "html", "pdf"}
)

// Input is what a document is rendered from.
type Input struct {
	Ledger *tamledger.Ledger
	Books  []tamledger.PriceBook // roi.Books of the store's imported books
	AsOf   tamledger.Date
	// Store names what the ledger was read from, for the line that says
	// what the document was generated from ("SQLite file tamledger.db");
	// no password. Empty: not said.
	Store string
	// Paper is the paper size of a PDF: a4 (the default) or letter.
	Paper string
}

// Document is what the templates lay out.
type Document struct {
	Title    string
	Subtitle string
	Source   string   // what the document was generated from
	Box      []string // findings to read first (charter lint)
	Sections []Section
}

// Section is a heading and its content, in this order: paragraphs, list,
// table, chart, heatmap and its key, paragraphs after, signature block.
type Section struct {
	Heading   string
	Paras     []string
	List      []string
	Table     *Table
	Chart     *ValueChart // drawn in PDF and HTML before Table; Markdown shows Table only
	Heatmap   []HeatRow
	Key       string   `pdf:"-"` // the heatmap's symbols (PDF draws coloured swatches)
	After     []string // paragraphs after the table
	Signature []string // one signature column per party
}

// ValueChart is value delivered against the cost of the TAM: one pair of
// bars per column of the value table, the value stacked by its lines.
type ValueChart struct {
	Lines  []string // the value lines, in stacking order
	Groups []ValueGroup
}

// ValueGroup is one period of the chart, with its figures as the table
// writes them.
type ValueGroup struct {
	Label               string
	Lines               []tamledger.Money // one per ValueChart.Lines
	Value, Cost         tamledger.Money
	ValueText, CostText string
}

// Table is a table of text; Right marks the columns aligned right (numbers).
type Table struct {
	Head  []string
	Right []bool
	Rows  [][]string
}

// HeatRow is one row of the delivery heatmap: an obligation (or one
// workload's series) and its periods.
type HeatRow struct {
	Label     string
	Adherence string
	Cells     []HeatCell
}

// HeatCell is one period: its label, its status (met, late, missed, due)
// and the status's symbol, and its first and last days. Fields tagged
// pdf:"-" are not drawn in a PDF (MissingGlyphs skips them).
type HeatCell struct {
	Label, Status string
	Symbol        string `pdf:"-"` // Markdown and HTML; PDF draws a coloured box
	Start, End    tamledger.Date
}

//go:embed templates
var files embed.FS

var (
	mdTemplate   = texttemplate.Must(texttemplate.New("document.md.tmpl").Funcs(texttemplate.FuncMap{"cell": mdCell, "row": mdRow, "sep": mdSep}).ParseFS(files, "templates/document.md.tmpl"))
	htmlTemplate = htmltemplate.Must(htmltemplate.New("document.html.tmpl").Funcs(htmltemplate.FuncMap{"chartcss": chartCSS, "heatsvg": heatmapSVG, "valuesvg": valueSVG}).ParseFS(files, "templates/document.html.tmpl"))
)

// Render writes document doc of in as format (md, html or pdf), and
// nothing when it fails. An unknown document, format or paper is the
// tamledger.EINVALID error of Check; a ledger that lacks what the
// document needs is a *MissingError (EINVALID) that says what is missing
// and how to add it. The same in gives the same bytes.
func Render(w io.Writer, doc, format string, in Input) error {
	_, err := render(w, doc, format, in)
	return err
}

// render is Render, returning the document it wrote.
func render(w io.Writer, doc, format string, in Input) (*Document, error) {
	if err := Check(doc, format, in.Paper); err != nil {
		return nil, err
	}
	d, err := Build(doc, in)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	switch format {
	case "md":
		err = mdTemplate.Execute(&b, d)
	case "html":
		err = htmlTemplate.Execute(&b, d)
	case "pdf":
		var out []byte
		if out, err = writePDF(d, in); err == nil {
			b.Write(out)
		}
	}
	if err != nil {
		return nil, err
	}
	_, err = w.Write(b.Bytes())
	return d, err
}

// Build makes the document doc from in: a *MissingError when in's ledger
// lacks what doc needs.
func Build(doc string, in Input) (*Document, error) {
	if err := Check(doc, Formats[0], ""); err != nil {
		return nil, err
	}
	if in.Ledger == nil || in.Ledger.Org == nil {
		return nil, tamledger.Errorf(tamledger.EINVALID, "no organisation to render")
	}
	r := &results{in: in, l: in.Ledger, org: in.Ledger.Org, asOf: in.AsOf}
	r.card = score.Scorecard(in.Ledger, in.AsOf)
	r.actions = score.Actions(in.Ledger, in.AsOf)
	if r.card.Charter != nil {
		for i := range r.l.Charters {
			if r.l.Charters[i].ID == *r.card.Charter {
				r.charter = &r.l.Charters[i]
			}
		}
	}
	var d *Document
	var err error
	switch doc {
	case "charter":
		d, err = r.charterDoc()
	case "ebr":
		d, err = r.ebrDoc()
	case "reassignment":
		d, err = r.reassignmentDoc()
	case "edp":
		d, err = r.edpDoc()
	}
	if tamledger.ErrorCode(err) == tamledger.EINVALID {
		err = &MissingError{Err: err}
	}
	return d, err
}

// results are the rules' results for one ledger and date.
type results struct {
	in      Input
	l       *tamledger.Ledger
	org     *tamledger.Organization
	asOf    tamledger.Date
	card    *score.Card
	actions []score.Action
	charter *tamledger.Charter // in force at asOf, or nil
}

// roi is roi.Compute over [from, to].
func (r *results) roi(from, to tamledger.Date) (*roi.Report, error) {
	return roi.Compute(r.l, r.in.Books, from, to, roi.Options{})
}

// needCharter is the error of a document that needs a charter in force.
func (r *results) needCharter(doc string) error {
	if r.charter != nil {
		return nil
	}
	return tamledger.Errorf(tamledger.EINVALID, "%s: organization %q has no charter in force on %s: write a Charter document (tamledger init %s writes one to start from) with an effective date on or before %s, and import it with tamledger import FILE",
		doc, r.org.ID, r.asOf, r.org.ID, r.asOf)
}

// source says what the document was generated from.
func (r *results) source() string {
	s := "Generated by tamledger from the ledger of " + r.orgName()
	if r.in.Store != "" {
		s += " in the " + r.in.Store
	}
	s += " as of " + LongDate(r.asOf)
	if r.charter != nil {
		s += ", charter " + r.charter.ID + " (effective " + LongDate(r.charter.Effective) + ")"
	} else {
		s += ", no charter in force"
	}
	return s + "."
}

func (r *results) orgName() string {
	if r.org.Name == "" {
		return r.org.ID
	}
	return r.org.Name + " (" + r.org.ID + ")"
}

func (r *results) displayName() string {
	if r.org.Name == "" {
		return r.org.ID
	}
	return r.org.Name
}

// money is m in the organisation's currency.
func (r *results) money(m tamledger.Money) string { return Money(m, r.org.Currency) }

// actionsOf are the actions with one of the codes, in the order of score.Actions.
func (r *results) actionsOf(codes ...string) []score.Action {
	var out []score.Action
	for _, a := range r.actions {
		if len(codes) == 0 || slices.Contains(codes, a.Code) {
			out = append(out, a)
		}
	}
	return out
}

// MediaType is the media type of a format, for a download: text/markdown,
// text/html or application/pdf.
func MediaType(format string) string {
	switch format {
	case "md":
		return "text/markdown; charset=utf-8"
	case "html":
		return "text/html; charset=utf-8"
	case "pdf":
		return "application/pdf"
	}
	return "application/octet-stream"
}
