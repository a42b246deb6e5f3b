package ui_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
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
