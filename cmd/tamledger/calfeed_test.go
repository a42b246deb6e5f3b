package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tamledger/tamledger/web"
)

// A subscription address serves the bytes tamledger calendar --org writes
// for the same store: made on the command line, or on the charter page of
// the real server (signed in, through its cross-origin protection);
// revoked on the command line, it answers 404.
func TestCalendarFeedServesTheCLIsCalendar(t *testing.T) {
	dsn := calendarStore(t)
	want := run1(t, dsn, "calendar", "--org", "northwind")
	parseICS(t, want)

	out := run1(t, dsn, "calendar", "feed", "create", "--org", "northwind", "--name", "Team calendar", "--base-url", "https://tl.example.com/")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	address := lines[len(lines)-1]
	token := strings.TrimSuffix(strings.TrimPrefix(address, "https://tl.example.com/calendar/"), ".ics")
	if !strings.HasPrefix(token, "tlc_") || lines[len(lines)-2] != "webcal://tl.example.com/calendar/"+token+".ics" {
		t.Fatalf("feed create printed:\n%s", out)
	}
	list := run1(t, dsn, "calendar", "feed", "list", "--org", "northwind")
	if !strings.Contains(list, "Team calendar") || !strings.Contains(list, "cli") || strings.Contains(list, token) {
		t.Errorf("feed list:\n%s", list)
	}
	if _, errOut, code := cli(t, dsn, "", "calendar", "feed", "create", "--org", "northwind", "--name", "x", "--base-url", "tl.example.com"); code != 2 || !strings.Contains(errOut, "--base-url") {
		t.Errorf("a base URL with no scheme: exit %d %s", code, errOut)
	}
	if _, errOut, code := cli(t, dsn, "", "calendar", "feed", "revoke", "1", "--org", "nowhere"); code != 2 || !strings.Contains(errOut, "no calendar feed 1") {
		t.Errorf("revoking under another organisation: exit %d %s", code, errOut)
	}
	if _, _, code := cli(t, dsn, "correct horse battery staple\n", "user", "add", "ed@northwind.example", "--role", "editor", "--org", "northwind", "--password-stdin"); code != 0 {
		t.Fatal("user add")
	}

	st := openTestStore(t, dsn)
	defer st.Close()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	pg := pages(st, log)
	defer pg.Close() // before the store closes
	srv, err := web.New(web.Options{Store: st, Pages: pg, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, form url.Values, header ...string) (int, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, ts.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	feed := "/calendar/" + token + ".ics"
	if code, got := do("GET", feed, nil); code != 200 || got != want {
		t.Errorf("GET the CLI's address: %d, not the bytes of tamledger calendar --org northwind:\n%.400s", code, got)
	}

	// On the charter page, signed in as the organisation's editor.
	if code, _ := do("POST", "/signin", url.Values{"email": {"ed@northwind.example"}, "password": {"correct horse battery staple"}, "next": {"/"}}); code != 303 {
		t.Fatalf("sign-in: %d", code)
	}
	if code, _ := do("POST", "/orgs/northwind/calendar-feeds", url.Values{"name": {"Forged"}}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); code != 403 {
		t.Errorf("a cross-site create: %d, want 403", code)
	}
	code, page := do("POST", "/orgs/northwind/calendar-feeds", url.Values{"name": {"Ops"}}, "Sec-Fetch-Site", "same-origin")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	made, _ := doc.Find("input#feed-https").Attr("value")
	if code != 200 || !strings.HasPrefix(made, ts.URL+"/calendar/tlc_") {
		t.Fatalf("create on the charter page: %d, address %q", code, made)
	}
	if code, got := do("GET", strings.TrimPrefix(made, ts.URL), nil); code != 200 || got != want {
		t.Errorf("GET the page's address: %d, not the CLI's bytes", code)
	}
	list = run1(t, dsn, "calendar", "feed", "list", "--org", "northwind")
	if !strings.Contains(list, "Ops") || !strings.Contains(list, "ed@northwind.example") || strings.Contains(list, "Forged") {
		t.Errorf("feed list after the page:\n%s", list)
	}

	// Removing the editor revokes the feed the editor made.
	if out := run1(t, dsn, "user", "remove", "ed@northwind.example"); !strings.Contains(out, "calendar feeds") {
		t.Errorf("user remove says %q", out)
	}
	if code, _ := do("GET", strings.TrimPrefix(made, ts.URL), nil); code != 404 {
		t.Errorf("the removed editor's feed: %d, want 404", code)
	}
	run1(t, dsn, "calendar", "feed", "revoke", "1", "--org", "northwind")
	if code, body := do("GET", feed, nil); code != 404 || body != "Not found.\n" {
		t.Errorf("a revoked address: %d %q", code, body)
	}
	if strings.Contains(logs.String(), "tlc_") {
		t.Errorf("a feed token is in the server's log:\n%s", logs.String())
	}
}
