// Package report builds the JSON that both the CLI's -o json and the web
// app's API return (tamledger scorecard, actions, roi, get), so that the
// two give the same bytes for the same store: one function behind each.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/score"
)

// Scorecard is the scorecard of l as of day (tamledger scorecard -o json).
func Scorecard(l *tamledger.Ledger, day tamledger.Date) *score.Card {
	return score.Scorecard(l, day)
}

// Actions is the list of actions of l as of day (tamledger actions -o json).
func Actions(l *tamledger.Ledger, day tamledger.Date) score.ActionList {
	return score.ActionList{Organization: l.Org.ID, AsOf: day, Actions: score.Actions(l, day)}
}

// ROI is the value of the TAM of l over [start, end] against its cost,
// with the price books imported into the store (beside the shipped ones),
// and by quarter when byQuarter (tamledger roi -o json [--by quarter]).
func ROI(l *tamledger.Ledger, imported []tamledger.PriceBook, start, end tamledger.Date, opt roi.Options, byQuarter bool) (any, error) {
	books := roi.Books(imported)
	r, err := roi.Compute(l, books, start, end, opt)
	if err != nil {
		return nil, err
	}
	if !byQuarter {
		return r, nil
	}
	quarters, err := roi.ByQuarter(l, books, start, end, opt)
	if err != nil {
		return nil, err
	}
	return struct {
		*roi.Report
		Quarters []roi.QuarterRow `json:"quarters"`
	}{r, quarters}, nil
}

// JSON writes v as indented JSON. Text is kept whole; the characters
// encoding/json leaves raw that a terminal would act on (DEL, the C1
// controls, bidirectional overrides and isolates) are written as \u
// escapes, which decode to the same text.
func JSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	out := b.Bytes()
	if bytes.ContainsFunc(out, jsonEscapes) {
		var e bytes.Buffer
		for _, r := range string(out) { // valid UTF-8: encoding/json wrote it
			if jsonEscapes(r) {
				fmt.Fprintf(&e, `\u%04x`, r)
			} else {
				e.WriteRune(r)
			}
		}
		out = e.Bytes()
	}
	_, err := w.Write(out)
	return err
}

// jsonEscapes reports whether JSON escapes r.
func jsonEscapes(r rune) bool {
	return r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// List writes records as one JSON List document, the bytes tamledger
// export and get -o json write for them.
func List(w io.Writer, recs []tamledger.Record) error {
	enc := document.NewEncoder(w, "json")
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return enc.Close()
}

// Document writes one record as one JSON document, formatted as List
// formats its items (tamledger get KIND ID -o json).
func Document(w io.Writer, rec tamledger.Record) error {
	var buf bytes.Buffer
	if err := List(&buf, []tamledger.Record{rec}); err != nil {
		return err
	}
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(buf.Bytes(), &list); err != nil || len(list.Items) != 1 {
		return fmt.Errorf("report: re-reading the JSON of %s %q: %v", rec.Kind, rec.ID, err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, list.Items[0], "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}
