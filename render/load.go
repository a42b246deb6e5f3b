package render

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
)

// Store is what the input of a document is read from; *store.Store is one.
type Store interface {
	Ledger(ctx context.Context, org string) (*tamledger.Ledger, error)
	PriceBooks(ctx context.Context) ([]tamledger.PriceBook, error)
	// Title names the store for the document's reader, with no password.
	Title() string
}

// load reads the input of organisation org's documents from st, as of asOf:
// the zero date is today in the organisation's time zone. paper is the
// paper of a PDF ("" for A4). An unknown organisation is
// tamledger.ENOTFOUND.
func load(ctx context.Context, st Store, org string, asOf tamledger.Date, paper string) (Input, error) {
	l, err := st.Ledger(ctx, org)
	if err != nil {
		return Input{}, err
	}
	imported, err := st.PriceBooks(ctx)
	if err != nil {
		return Input{}, err
	}
	if asOf.IsZero() {
		asOf = tamledger.Today(l.Org.Location())
	}
	return Input{Ledger: l, Books: roi.Books(imported), AsOf: asOf, Store: st.Title(), Paper: paper}, nil
}

// Check says whether doc, format and paper ("" for the default) are ones
// Render knows, with a tamledger.EINVALID error naming what it wants
// when one is not.
func Check(doc, format, paper string) error {
	switch {
	case !slices.Contains(Documents, doc):
		return tamledger.Errorf(tamledger.EINVALID, "unknown document %q (want one of: %s)", doc, strings.Join(Documents, ", "))
	case !slices.Contains(Formats, format):
		return tamledger.Errorf(tamledger.EINVALID, "unknown format %q (want %s)", format, strings.Join(Formats, ", "))
	case paper != "" && !slices.Contains(Papers, paper):
		return tamledger.Errorf(tamledger.EINVALID, "unknown paper %q (want %s)", paper, strings.Join(Papers, " or "))
	}
	return nil
}

// MissingError is the error of a document whose ledger lacks what it
// needs: a charter in force (charter, ebr), evidence (reassignment), an
// EDP (edp). Its tamledger.EINVALID error says what is missing and how to
// add it. The API answers it 422, where an unknown document is 400.
type MissingError struct{ Err error }

func (e *MissingError) Error() string { return e.Err.Error() }
func (e *MissingError) Unwrap() error { return e.Err }

// File is a document rendered for a download.
type File struct {
	Name      string // ORG-DOCUMENT-ASOF.EXT (Filename)
	MediaType string // MediaType of the format
	Body      []byte
	// Missing are the characters of a PDF's text that its fonts have no
	// glyph for (MissingGlyphs): they show as empty boxes.
	Missing []rune
}

// Serve answers f as a download: its media type, as an attachment named
// f.Name, not to be cached.
func (f *File) Serve(w http.ResponseWriter) {
	w.Header().Set("Content-Type", f.MediaType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+f.Name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(f.Body)
}

// Download renders document doc of organisation org from st as format,
// as of asOf (the zero date: today in the organisation's time zone), on
// paper ("" for A4). tamledger render writes its bytes and the API and
// the pages serve them, so that all three give the same bytes for the
// same store and arguments. Its errors are those of Check (bad arguments), of reading the store (an
// unknown organisation is tamledger.ENOTFOUND) and Render (a
// *MissingError when the ledger lacks what the document needs).
func Download(ctx context.Context, st Store, org, doc, format string, asOf tamledger.Date, paper string) (*File, error) {
	if err := Check(doc, format, paper); err != nil {
		return nil, err
	}
	in, err := load(ctx, st, org, asOf, paper)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	d, err := render(&b, doc, format, in)
	if err != nil {
		return nil, err
	}
	f := &File{Name: Filename(org, doc, in.AsOf, format), MediaType: MediaType(format), Body: b.Bytes()}
	if format == "pdf" {
		f.Missing = MissingGlyphs(d)
	}
	return f, nil
}

// Filename is the name of a download of document doc of organisation org
// as of asOf in format: ORG-DOCUMENT-ASOF.EXT ("acme-ebr-2026-09-30.pdf"),
// with every character of org and doc but ASCII letters, digits, '.', '_'
// and '-' written as '-', so that it is safe in a Content-Disposition
// header and on any file system.
func Filename(org, doc string, asOf tamledger.Date, format string) string {
	safe := func(s string) string {
		s = strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
				return r
			}
			return '-'
		}, s)
		return strings.TrimLeft(s, ".")
	}
	return safe(org) + "-" + safe(doc) + "-" + asOf.String() + "." + safe(format)
}
