package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/web"
)

// TestAPIReturnsTheCLIsJSON: for the same store, the API's scorecard,
// actions, roi and records are the bytes the CLI's -o json prints.
func TestAPIReturnsTheCLIsJSON(t *testing.T) {
	dsn := testdb.DSN(t)
	if out, errOut, code := cli(t, dsn, "", "demo", "--no-serve", "--as-of", "2026-11-27"); code != 0 {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errOut)
	}
	st := openTestStore(t, dsn)
	defer st.Close()
	token, hash := web.NewToken()
	if err := st.AddUser(context.Background(), storeUser("admin@x.io", "admin")); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateToken(context.Background(), "admin@x.io", "t", hash); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	api := func(path string) string {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
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
