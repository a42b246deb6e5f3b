package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/calendar"
	"github.com/tamledger/tamledger/ics"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
)

// feed makes a calendar feed of org on behalf of by and returns its path.
func (f *fixture) feed(org, name, by string) (path string, feed store.CalendarFeed) {
	f.t.Helper()
	token, feed, err := web.CreateCalendarFeed(context.Background(), f.st, org, name, by)
	if err != nil {
		f.t.Fatal(err)
	}
	if !strings.HasPrefix(token, "tlc_") || len(token) < 40 {
		f.t.Fatalf("token %q: want tlc_ and 256 random bits", token)
	}
	return web.CalendarFeedPath(token), feed
}

// wantCalendar checks that r is the calendar of org as calendar.Feed
// writes it today, and that it holds nothing of another organisation.
func (f *fixture) wantCalendar(r response, org string) {
	f.t.Helper()
	if r.status != 200 || r.header.Get("Content-Type") != "text/calendar; charset=utf-8" || r.header.Get("Cache-Control") != "no-store" {
		f.t.Fatalf("the feed of %s: %d %v\n%.300s", org, r.status, r.header, r.body)
	}
	l, err := f.st.Ledger(context.Background(), org)
	if err != nil {
		f.t.Fatal(err)
	}
	today := tamledger.Today(l.Org.Location())
	var want bytes.Buffer
	if err := calendar.Feed(&want, l, today); err != nil {
		f.t.Fatal(err)
	}
	if r.body != want.String() {
		f.t.Errorf("the feed of %s is not calendar.Feed's bytes:\n%.400s\nwant\n%.400s", org, r.body, want.String())
	}
	// Parsed back by the project's reader: every event, each one org's.
	res, err := ics.Read("feed.ics", strings.NewReader(r.body), ics.Options{Loc: l.Org.Location(), To: today.AddYears(2)})
	if err != nil {
		f.t.Fatalf("the feed does not parse: %v", err)
	}
	if n := strings.Count(r.body, "BEGIN:VEVENT"); len(res.Meetings) != n || n == 0 {
		f.t.Errorf("the feed of %s: %d events read back of %d", org, len(res.Meetings), n)
	}
	for _, m := range res.Meetings {
		if !strings.HasPrefix(m.UID, org+"/") {
			f.t.Errorf("the feed of %s holds %s", org, m.UID)
		}
	}
}

// A feed's address serves its organisation's calendar to anyone, with no
// session; the token never reaches the log.
func TestCalendarFeed(t *testing.T) {
	f := newFixture(t, false)
	own, _ := f.feed(f.own, "Team calendar", "editor@x.io")
	foreign, _ := f.feed(f.foreign, "Their calendar", "admin@x.io")
	f.wantCalendar(f.do(nil, "GET", own, "", ""), f.own)
	f.wantCalendar(f.do(nil, "GET", foreign, "", ""), f.foreign)
	// A session or a token changes nothing: the address is the credential.
	f.wantCalendar(f.do(nil, "GET", own, "viewer", ""), f.own)
	if r := f.do(nil, "HEAD", own, "", ""); r.status != 200 || r.body != "" {
		t.Errorf("HEAD: %d %q", r.status, r.body)
	}
	// A path that is cleaned into the feed's is redirected; logged
	// redacted too.
	tok := strings.TrimSuffix(strings.TrimPrefix(own, "/calendar/"), ".ics")
	f.do(nil, "GET", "/x/.."+own, "", "")
	f.do(nil, "GET", "/calendar/"+tok, "", "")
	logs := f.logs.String()
	if strings.Contains(logs, tok) || strings.Contains(logs, "tlc_") {
		t.Errorf("a feed token is in the log:\n%s", logs)
	}
	if !strings.Contains(logs, "path=/calendar/[redacted]") {
		t.Errorf("the log does not show the redacted path:\n%s", logs)
	}
}

// An unknown or revoked address, one whose creator was removed and one
// whose organisation was deleted answer 404, all alike.
func TestCalendarFeedRefused(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	notFound := func(what, path string) {
		t.Helper()
		r := f.do(nil, "GET", path, "", "")
		if r.status != 404 || r.body != "Not found.\n" || r.header.Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("%s: %d %v %q, want a bare 404", what, r.status, r.header, r.body)
		}
	}
	revoked, feed := f.feed(f.own, "Revoked", "editor@x.io")
	f.wantCalendar(f.do(nil, "GET", revoked, "", ""), f.own)
	if err := f.st.RevokeCalendarFeed(ctx, f.foreign, feed.ID, "admin@x.io"); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
		t.Errorf("revoking %s's feed as another organisation's: %v, want ENOTFOUND", f.own, err)
	}
	f.wantCalendar(f.do(nil, "GET", revoked, "", ""), f.own)
	if err := f.st.RevokeCalendarFeed(ctx, f.own, feed.ID, "editor@x.io"); err != nil {
		t.Fatal(err)
	}
	notFound("revoked", revoked)
	notFound("unknown", web.CalendarFeedPath("tlc_"+strings.Repeat("A", 43)))
	notFound("no .ics", strings.TrimSuffix(revoked, ".ics"))
	notFound("an API token", web.CalendarFeedPath(f.tokens["admin"]))

	// The feeds a removed user made stop; the others go on.
	byEditor, _ := f.feed(f.own, "Editor's", "editor@x.io")
	byCLI, _ := f.feed(f.own, "CLI's", store.CreatedByCLI)
	if err := f.st.RemoveUser(ctx, "editor@x.io"); err != nil {
		t.Fatal(err)
	}
	notFound("made by a removed user", byEditor)
	f.wantCalendar(f.do(nil, "GET", byCLI, "", ""), f.own)
	feeds, err := f.st.CalendarFeeds(ctx, f.own)
	if err != nil || len(feeds) != 3 || feeds[1].RevokedBy != "user-removed:editor@x.io" || feeds[0].RevokedBy != "editor@x.io" || feeds[2].Revoked() {
		t.Errorf("feeds after the removal: %+v, %v", feeds, err)
	}

	// A deleted organisation's feeds go with it, and do not come back
	// with an organisation of the same id.
	org := tamledger.Record{Kind: tamledger.KindOrganization, ID: "short-lived", Value: &tamledger.Organization{Name: "Short-lived", Timezone: "UTC"}}
	put := func() {
		tx, err := f.st.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Put(ctx, org); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	put()
	gone, _ := f.feed("short-lived", "Gone", "admin@x.io")
	if r := f.do(nil, "GET", gone, "", ""); r.status != 200 || !strings.Contains(r.body, "X-WR-CALNAME:TAM charter: Short-lived") {
		t.Fatalf("the new organisation's feed: %d %s", r.status, r.body)
	}
	tx, err := f.st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Delete(ctx, tamledger.KindOrganization, "", "short-lived"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	notFound("of a deleted organisation", gone)
	put()
	notFound("of a deleted organisation made again", gone)
	if feeds, err := f.st.CalendarFeeds(ctx, "short-lived"); len(feeds) != 0 || err != nil {
		t.Errorf("the deleted organisation's feeds: %+v, %v", feeds, err)
	}
	if _, _, err := web.CreateCalendarFeed(ctx, f.st, "no-such-org", "x", "admin@x.io"); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
		t.Errorf("a feed of an unknown organisation: %v, want ENOTFOUND", err)
	}
	for _, name := range []string{"", "  ", "tab\there", strings.Repeat("x", web.MaxFeedName+1)} {
		if _, _, err := web.CreateCalendarFeed(ctx, f.st, f.own, name, "admin@x.io"); tamledger.ErrorCode(err) != tamledger.EINVALID {
			t.Errorf("a feed named %q: %v, want EINVALID", name, err)
		}
	}
}

// Unknown addresses are limited per client address: after 20, even a
// good one waits, so that guessing costs time.
func TestCalendarFeedRateLimited(t *testing.T) {
	f := newFixture(t, false)
	good, _ := f.feed(f.own, "Team", "admin@x.io")
	for i := range 20 {
		if r := f.do(nil, "GET", web.CalendarFeedPath("tlc_guess"+strings.Repeat("x", i)), "", ""); r.status != 404 {
			t.Fatalf("guess %d: %d", i+1, r.status)
		}
	}
	for _, path := range []string{web.CalendarFeedPath("tlc_guess"), good} {
		if r := f.do(nil, "GET", path, "", ""); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Errorf("GET after 20 guesses: %d %v, want 429 with Retry-After", r.status, r.header)
		}
	}
}

func TestCalendarFeedURLs(t *testing.T) {
	for _, c := range []struct{ base, https, webcal string }{
		{"https://tl.example.com", "https://tl.example.com/calendar/tlc_x.ics", "webcal://tl.example.com/calendar/tlc_x.ics"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/calendar/tlc_x.ics", "webcal://127.0.0.1:8080/calendar/tlc_x.ics"},
		{"https://example.com/tamledger", "https://example.com/tamledger/calendar/tlc_x.ics", "webcal://example.com/tamledger/calendar/tlc_x.ics"},
	} {
		if h, w := web.CalendarFeedURLs(c.base, "tlc_x"); h != c.https || w != c.webcal {
			t.Errorf("CalendarFeedURLs(%q) = %q, %q; want %q, %q", c.base, h, w, c.https, c.webcal)
		}
	}
}

// The API: editors and admins of the organisation list, create and revoke
// its feeds; a viewer gets 403; the address is in the creation's answer
// only.
func TestCalendarFeedAPI(t *testing.T) {
	f := newFixture(t, false)
	base := "/api/v1/organizations/" + f.own + "/calendar-feeds"
	ctype := []string{"Content-Type", "application/json"}
	r := f.do(nil, "POST", base, "editor", `{"name": "Team calendar"}`, ctype...)
	var made web.FeedJSON
	if r.status != 201 || jsonUnmarshal(r.body, &made) != nil || made.Name != "Team calendar" || made.CreatedBy != "editor@x.io" || made.ID == 0 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if !strings.HasPrefix(made.URL, f.srv.URL+"/calendar/tlc_") || made.WebcalURL != "webcal://"+strings.TrimPrefix(made.URL, "http://") {
		t.Errorf("the addresses: %q, %q", made.URL, made.WebcalURL)
	}
	if loc := r.header.Get("Location"); loc != base+"/"+itoa(made.ID) {
		t.Errorf("Location %q", loc)
	}
	f.wantCalendar(f.do(nil, "GET", strings.TrimPrefix(made.URL, f.srv.URL), "", ""), f.own)
	r = f.do(nil, "GET", base, "admin", "")
	var list []web.FeedJSON
	if r.status != 200 || jsonUnmarshal(r.body, &list) != nil || len(list) != 1 || list[0].ID != made.ID || strings.Contains(r.body, "tlc_") || list[0].URL != "" {
		t.Errorf("list: %d %s", r.status, r.body)
	}
	for _, c := range []struct{ method, path, body string }{{"GET", base, ""}, {"POST", base, `{"name": "mine"}`}, {"DELETE", base + "/" + itoa(made.ID), ""}} {
		if r := f.do(nil, c.method, c.path, "viewer", c.body, ctype...); r.status != 403 || !strings.Contains(r.body, "may not") {
			t.Errorf("%s %s as a viewer: %d %s, want 403", c.method, c.path, r.status, r.body)
		}
	}
	for _, body := range []string{`{"name": ""}`, `{"nom": "x"}`, `not json`} {
		if r := f.do(nil, "POST", base, "editor", body, ctype...); r.status != 400 {
			t.Errorf("create with %s: %d %s, want 400", body, r.status, r.body)
		}
	}
	if r := f.do(nil, "DELETE", base+"/"+itoa(made.ID+100), "editor", ""); r.status != 404 {
		t.Errorf("revoke an unknown feed: %d", r.status)
	}
	if r := f.do(nil, "DELETE", "/api/v1/organizations/"+f.foreign+"/calendar-feeds/"+itoa(made.ID), "admin", ""); r.status != 404 {
		t.Errorf("revoke the feed under another organisation: %d", r.status)
	}
	if r := f.do(nil, "DELETE", base+"/"+itoa(made.ID), "editor", ""); r.status != 204 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := f.do(nil, "GET", strings.TrimPrefix(made.URL, f.srv.URL), "", ""); r.status != 404 {
		t.Errorf("the revoked feed: %d", r.status)
	}
	r = f.do(nil, "GET", base, "editor", "")
	if jsonUnmarshal(r.body, &list) != nil || len(list) != 1 || list[0].Revoked == nil || list[0].RevokedBy != "editor@x.io" {
		t.Errorf("list after the revocation: %s", r.body)
	}
	if r := f.do(nil, "GET", "/api/v1/organizations/no-such-org/calendar-feeds", "admin", ""); r.status != 404 {
		t.Errorf("an unknown organisation's feeds: %d", r.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Behind a proxy that ends TLS, the public URL makes the feeds' addresses
// and the cookies right; a public URL that is not scheme and host is
// refused, naming it.
func TestPublicURL(t *testing.T) {
	f := newFixture(t, false)
	for _, bad := range []string{"tam.example.com", "ftp://tam.example.com", "https://", "https://tam.example.com/app", "https://tam.example.com/?x=1", "https://u:p@tam.example.com"} {
		_, err := web.New(web.Options{Store: f.st, PublicURL: bad})
		if tamledger.ErrorCode(err) != tamledger.EINVALID || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "https://tam.example.com") {
			t.Errorf("public URL %q: %v", bad, err)
		}
	}
	srv, err := web.New(web.Options{Store: f.st, PublicURL: "https://tam.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	proxied := httptest.NewServer(srv) // plain HTTP, as behind the proxy
	defer proxied.Close()
	f.srv = proxied
	r := f.do(nil, "POST", "/api/v1/organizations/"+f.own+"/calendar-feeds", "editor", `{"name": "Team"}`, "Content-Type", "application/json")
	var made web.FeedJSON
	if r.status != 201 || jsonUnmarshal(r.body, &made) != nil {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if !strings.HasPrefix(made.URL, "https://tam.example.com/calendar/tlc_") || made.WebcalURL != "webcal://"+strings.TrimPrefix(made.URL, "https://") {
		t.Errorf("the addresses behind the proxy: %q, %q", made.URL, made.WebcalURL)
	}
	r = f.signIn(f.client(), "editor@x.io", password, "/")
	if c := r.header.Get("Set-Cookie"); r.status != http.StatusSeeOther || !strings.Contains(c, "Secure") {
		t.Errorf("sign-in behind an https proxy: %d, cookie %q; want Secure", r.status, c)
	}
}
