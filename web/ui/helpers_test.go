package ui_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web/ui"
)

func fmtSscan(s string, n *int) (int, error) { return fmt.Sscan(s, n) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func parse(t *testing.T, html string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// fieldOwner is who set field path, from a record page's field table.
func fieldOwner(doc *goquery.Document, path string) string {
	owner := ""
	doc.Find("table.fields tbody tr").Each(func(_ int, r *goquery.Selection) {
		if text(r.Find("th")) == path {
			owner = text(r.Find("td").Last())
		}
	})
	return owner
}

// newHandler is ui.New whose work in the background is stopped when the
// test ends, before the store it reads closes (cleanups run last first).
func newHandler(t testing.TB, st *store.Store, opt ui.Options) *ui.Handler {
	h := ui.New(st, opt)
	t.Cleanup(h.Close)
	return h
}
