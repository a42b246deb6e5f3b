package ui_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tamledger/tamledger/render"
)

// The overview offers the four documents in three formats; each link
// downloads the document, as an attachment of its media type.
func TestOverviewOffersTheDocuments(t *testing.T) {
	s := newSite(t)
	download := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		as(viewer, s.h).ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	code, doc := s.get(viewer, "/orgs/kestrel-logistics")
	if code != 200 {
		t.Fatalf("overview: %d", code)
	}
	panel := doc.Find(`section[aria-labelledby="h-docs"]`)
	if h := text(panel.Find("h2#h-docs")); h != "Documents" {
		t.Fatalf("no Documents panel (heading %q)", h)
	}
	starts := map[string]string{"pdf": "%PDF-", "html": "<!DOCTYPE html>", "md": "# "}
	names := map[string]string{}
	panel.Find("ul.formats").Each(func(_ int, ul *goquery.Selection) {
		// Each list of formats is labelled by its document's title, and
		// each link says which document it is to a screen reader.
		id, _ := ul.Attr("aria-labelledby")
		title := text(panel.Find("#" + id))
		if title == "" {
			t.Errorf("a list of formats labelled by %q, which is not there", id)
		}
		ul.Find("a[download]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			format, _ := a.Attr("data-format")
			if !strings.HasPrefix(text(a), title+", ") {
				t.Errorf("link %q reads %q, want it to start with %q", href, text(a), title+", ")
			}
			names[href] = text(a)
			rec := download(href)
			cd := rec.Header().Get("Content-Disposition")
			if rec.Code != 200 || rec.Header().Get("Content-Type") != render.MediaType(format) || !strings.HasPrefix(rec.Body.String(), starts[format]) ||
				!strings.HasPrefix(cd, `attachment; filename="kestrel-logistics-`) || !strings.HasSuffix(cd, `-2026-11-27.`+format+`"`) {
				t.Errorf("GET %s: %d %s %q %.40q", href, rec.Code, rec.Header().Get("Content-Type"), cd, rec.Body.String())
			}
		})
	})
	for _, d := range render.Documents {
		for _, f := range []string{"pdf", "html", "md"} {
			if href := "/orgs/kestrel-logistics/documents/" + d + "?asOf=2026-11-27&format=" + f; names[href] == "" {
				t.Errorf("no link to %s", href)
			}
		}
	}
	if len(names) != 12 {
		t.Errorf("%d links, want 4 documents × 3 formats", len(names))
	}

	// An organisation the viewer may not see: the same 404 as for none,
	// nothing of it in the answer.
	if rec := download("/orgs/aurora-health/documents/ebr?asOf=2026-11-27&format=md"); rec.Code != 404 || strings.Contains(rec.Body.String(), "Aurora Health") {
		t.Errorf("another organisation's document: %d %.200s", rec.Code, rec.Body.String())
	}
	// What the ledger lacks, and bad arguments: a page in the CLI's words.
	for _, c := range []struct {
		path string
		code int
		want string
	}{
		{"/orgs/kestrel-logistics/documents/charter?asOf=2000-01-01&format=pdf", 422, `has no charter in force on 2000-01-01: write a Charter document`},
		{"/orgs/kestrel-logistics/documents/letter", 400, `unknown document "letter" (want one of: charter, ebr, reassignment, edp)`},
		{"/orgs/kestrel-logistics/documents/ebr?format=docx", 400, `unknown format "docx"`},
		{"/orgs/kestrel-logistics/documents/ebr?asOf=yesterday", 400, `asOf: `},
	} {
		rec := download(c.path)
		page, _ := goquery.NewDocumentFromReader(rec.Body)
		if rec.Code != c.code || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(text(page.Find("main")), c.want) {
			t.Errorf("GET %s: %d %q, want %d with %q", c.path, rec.Code, text(page.Find("main")), c.code, c.want)
		}
	}
}
