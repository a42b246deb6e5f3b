package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/web"
)

// TestAPIReturnsTheCLIsJSON: for the same store, the API's scorecard,
// actions, roi and records are the bytes the CLI's -o json prints.
func TestAPIReturnsTheCLIsJSON(t *testing.T) {
	dsn := testdb.DSN(t)
	if out, errOut, code := cli(t, dsn, "", "demo", "--no-serve", "--as-of", "2026-11-27"); code != 0 {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errOut)
	}
	get := apiClient(t, dsn)
	api := func(path string) string {
		res, b := get(path)
		if res.StatusCode != 200 {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, b)
		}
		return string(b)
	}
	for _, org := range []string{"kestrel-logistics", "aurora-health", "harbour-vale"} {
		base := "/api/v1/organizations/" + org
		for _, c := range []struct {
			path string
			args []string
		}{
			{"/scorecard?asOf=2026-11-27", []string{"scorecard", "--org", org, "--as-of", "2026-11-27"}},
			{"/actions?asOf=2026-06-30", []string{"actions", "--org", org, "--as-of", "2026-06-30"}},
			{"/roi?from=2026-01-15&to=2026-09-30", []string{"roi", "--org", org, "--from", "2026-01-15", "--to", "2026-09-30"}},
			{"/roi?year=2025&by=quarter", []string{"roi", "--org", org, "--year", "2025", "--by", "quarter"}},
			{"/engagements", []string{"get", "engagements", "--org", org}},
			{"/recommendations", []string{"get", "recommendations", "--org", org}},
			{"/charters", []string{"get", "charters", "--org", org}},
		} {
			out, errOut, code := cli(t, dsn, "", append(c.args, "-o", "json")...)
			if code != 0 {
				t.Fatalf("%v: exit %d %s", c.args, code, errOut)
			}
			if got := api(base + c.path); got != out {
				t.Errorf("GET %s is not tamledger %v -o json:\n%.400s\nwant\n%.400s", base+c.path, c.args, got, out)
			}
		}
		out, _, _ := cli(t, dsn, "", "get", "org", org, "-o", "json")
		if got := api(base); got != out {
			t.Errorf("GET %s is not tamledger get org %s -o json", base, org)
		}
	}
}

// TestAPIServesTheCLIsDocuments: for the same store, document, date and
// format, the API serves the bytes tamledger render writes, and refuses
// what it refuses with its words.
func TestAPIServesTheCLIsDocuments(t *testing.T) {
	dsn := testdb.DSN(t)
	if out, errOut, code := cli(t, dsn, "", "demo", "--no-serve", "--as-of", "2026-11-27"); code != 0 {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errOut)
	}
	get := apiClient(t, dsn)
	served, refused := 0, 0
	// A failing relationship, a healthy one, one without a charter, one
	// without an EDP.
	for _, org := range []string{"kestrel-logistics", "harbour-vale", "fjordline-energy", "maplestone-foods"} {
		for _, doc := range render.Documents {
			for _, format := range render.Formats {
				args := []string{"render", doc, "--org", org, "--as-of", "2026-11-27", "-o", format}
				path := "/api/v1/organizations/" + org + "/documents/" + doc + "?asOf=2026-11-27&format=" + format
				out, errOut, code := cli(t, dsn, "", args...)
				res, body := get(path)
				switch {
				case code == 0:
					served++
					if res.StatusCode != 200 || !bytes.Equal(body, []byte(out)) {
						t.Errorf("GET %s: %d, %d bytes, not the %d of tamledger %v", path, res.StatusCode, len(body), len(out), args)
					}
					if ct := res.Header.Get("Content-Type"); ct != render.MediaType(format) {
						t.Errorf("GET %s: Content-Type %q", path, ct)
					}
				case code == 2:
					refused++
					var p web.Problem
					json.Unmarshal(body, &p)
					if res.StatusCode != 422 || "tamledger: "+p.Detail+"\n" != errOut {
						t.Errorf("GET %s: %d %q, want 422 with the CLI's %q", path, res.StatusCode, p.Detail, errOut)
					}
				default:
					t.Errorf("tamledger %v: exit %d %s", args, code, errOut)
				}
			}
		}
	}
	if served < 30 || refused < 9 {
		t.Errorf("%d documents served, %d refused: too few to compare", served, refused)
	}
	// The defaults: Markdown as of today in the organisation's time zone.
	out, _, _ := cli(t, dsn, "", "render", "edp", "--org", "harbour-vale")
	if _, body := get("/api/v1/organizations/harbour-vale/documents/edp"); string(body) != out {
		t.Errorf("GET edp without asOf or format is not tamledger render edp:\n%.300s\nwant\n%.300s", body, out)
	}
}

// apiClient serves the store dsn through the web app and returns a GET of
// its API as an admin.
func apiClient(t *testing.T, dsn string) func(path string) (*http.Response, []byte) {
	t.Helper()
	st := openTestStore(t, dsn)
	t.Cleanup(func() { st.Close() })
	token, hash := web.NewToken()
	if err := st.AddUser(context.Background(), storeUser("admin@x.io", "admin")); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateToken(context.Background(), "admin@x.io", "t", hash, time.Time{}); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return func(path string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
}
