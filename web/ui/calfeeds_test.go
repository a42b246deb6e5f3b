package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// The charter page's "Subscribe in your calendar": an editor makes an
// address, shown once; it is listed (never its token) and revoked; a
// viewer can do neither; another organisation's editor gets 404.
func TestSubscribeSection(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	const org = "kestrel-logistics"
	charter := "/orgs/" + org + "/charter"
	code, doc := s.get(editor, charter)
	if code != 200 || doc.Find("#subscribe form.feedform").Length() != 1 || !strings.Contains(text(doc.Find("#subscribe")), "None yet.") {
		t.Fatalf("the editor's charter page: %d, section %q", code, text(doc.Find("#subscribe")))
	}

	rec := s.post(editor, "/orgs/"+org+"/calendar-feeds", url.Values{"name": {"  Team calendar "}})
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("create = %d %v", rec.Code, rec.Header())
	}
	doc = parse(t, rec.Body.String())
	https, _ := doc.Find("input#feed-https").Attr("value")
	webcal, _ := doc.Find("input#feed-webcal").Attr("value")
	token := strings.TrimSuffix(strings.TrimPrefix(https, "http://example.com/calendar/"), ".ics")
	if !strings.HasPrefix(token, "tlc_") || webcal != "webcal://example.com/calendar/"+token+".ics" {
		t.Fatalf("the new address: %q and %q", https, webcal)
	}
	if doc.Find(`button[data-copy="feed-https"]`).Length() != 1 {
		t.Error("no Copy button for the address")
	}
	feeds, err := s.st.CalendarFeeds(ctx, org)
	if err != nil || len(feeds) != 1 || feeds[0].Name != "Team calendar" || feeds[0].CreatedBy != editor.Email {
		t.Fatalf("stored feeds: %+v, %v", feeds, err)
	}
	// Listed, never shown again.
	_, doc = s.get(editor, charter)
	row := text(doc.Find("#subscribe table.feeds tbody tr"))
	if !strings.Contains(row, "Team calendar") || !strings.Contains(row, editor.Email) {
		t.Errorf("the feed's row: %q", row)
	}
	if html, _ := doc.Html(); strings.Contains(html, token) || doc.Find("input#feed-https").Length() != 0 {
		t.Error("the charter page shows the token again")
	}

	// A viewer sees no feed and no form, and may not create or revoke.
	_, doc = s.get(viewer, charter)
	if sec := doc.Find("#subscribe"); sec.Length() != 1 || sec.Find("form").Length() != 0 || sec.Find("table").Length() != 0 || strings.Contains(text(sec), "Team calendar") {
		t.Errorf("the viewer's section: %q", text(sec))
	}
	revoke := "/orgs/" + org + "/calendar-feeds/" + itoa(feeds[0].ID) + "/revoke"
	for _, p := range []string{"/orgs/" + org + "/calendar-feeds", revoke} {
		if rec := s.post(viewer, p, url.Values{"name": {"Mine"}}); rec.Code != 403 {
			t.Errorf("viewer POST %s = %d, want 403", p, rec.Code)
		}
	}
	// Another organisation's editor: 404, as for one that does not exist.
	other := "/orgs/aurora-health/calendar-feeds"
	for _, p := range []string{other, other + "/" + itoa(feeds[0].ID) + "/revoke", "/orgs/aurora-health/calendar-feeds/" + itoa(feeds[0].ID) + "/revoke"} {
		if rec := s.post(editor, p, url.Values{"name": {"Theirs"}}); rec.Code != 404 {
			t.Errorf("editor of %s: POST %s = %d, want 404", org, p, rec.Code)
		}
	}
	// An admin revoking kestrel's feed under another organisation: 404.
	if rec := s.post(admin, "/orgs/aurora-health/calendar-feeds/"+itoa(feeds[0].ID)+"/revoke", nil); rec.Code != 404 {
		t.Errorf("revoking a feed under another organisation = %d, want 404", rec.Code)
	}
	if feeds, _ := s.st.CalendarFeeds(ctx, org); len(feeds) != 1 || feeds[0].Revoked() {
		t.Fatalf("feeds after the refusals: %+v", feeds)
	}
	if feeds, _ := s.st.CalendarFeeds(ctx, "aurora-health"); len(feeds) != 0 {
		t.Errorf("aurora-health got feeds: %+v", feeds)
	}

	// A bad name comes back in the form.
	rec = s.post(editor, "/orgs/"+org+"/calendar-feeds", url.Values{"name": {"   "}})
	if doc := parse(t, rec.Body.String()); rec.Code != 400 || !strings.Contains(text(doc.Find("#feed-error")), "name") {
		t.Errorf("an empty name = %d: %q", rec.Code, text(doc.Find("#feed-error")))
	}

	// Revoked: gone from the list.
	rec = s.post(editor, revoke, nil)
	if rec.Code != 303 || !strings.HasPrefix(rec.Header().Get("Location"), charter+"?done=") {
		t.Fatalf("revoke = %d to %s", rec.Code, rec.Header().Get("Location"))
	}
	if feeds, _ := s.st.CalendarFeeds(ctx, org); len(feeds) != 1 || feeds[0].RevokedBy != editor.Email {
		t.Errorf("after the revocation: %+v", feeds)
	}
	_, doc = s.get(editor, rec.Header().Get("Location"))
	if doc.Find("#subscribe table.feeds").Length() != 0 || !strings.Contains(text(doc.Find("body")), "Revoked calendar feed") {
		t.Errorf("the section after the revocation: %q", text(doc.Find("#subscribe")))
	}
}
