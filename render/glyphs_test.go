package render_test

import (
	"slices"
	"testing"

	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
)

// The characters the PDF's fonts cannot draw are found wherever they are
// in a document (here the organisation's name, in the title, the source
// line and the contacts); Latin, Greek and Cyrillic are drawn.
func TestMissingGlyphs(t *testing.T) {
	for _, c := range []struct {
		name    string
		missing []rune
	}{
		{"Acme | Corp — São Paulo, Zürich, Ελλάδα, Россия", nil},
		{"株式会社アクメ Ελλάδα", []rune("株式会社アクメ")},
		{"شركة Acme", []rune("شركة")},
	} {
		l := acme()
		org := *l.Org
		org.Name = c.name
		l.Org = &org
		for _, doc := range render.Documents {
			d, err := render.Build(doc, render.Input{Ledger: l, Books: roi.Books(nil), AsOf: acmeAsOf})
			if err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			if got := render.MissingGlyphs(d); !slices.Equal(got, c.missing) {
				t.Errorf("%s of %q: missing %q, want %q", doc, c.name, string(got), string(c.missing))
			}
		}
	}
}

// What the documents themselves write (symbols, arrows, the ROI's ×) is
// all drawn by the PDF's fonts: the demo's documents miss nothing.
func TestDemoDocumentsMissNoGlyph(t *testing.T) {
	built := 0
	for org, l := range ledgers(demo.Generate(1, demoAsOf)) {
		for _, doc := range render.Documents {
			d, err := render.Build(doc, render.Input{Ledger: l, Books: roi.Books(nil), AsOf: demoAsOf})
			if err != nil {
				continue // a document this organisation lacks what it needs for
			}
			built++
			if got := render.MissingGlyphs(d); len(got) > 0 {
				t.Errorf("%s of %s: the PDF cannot draw %q", doc, org, string(got))
			}
		}
	}
	if built < 30 {
		t.Errorf("only %d demo documents built", built)
	}
}
