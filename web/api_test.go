package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/report"
	"github.com/tamledger/tamledger/web"
)

func engagementDoc(org, id, summary string) string {
	return fmt.Sprintf(`{"apiVersion": "tamledger/v1", "kind": "Engagement",
  "metadata": {"id": %q, "organization": %q},
  "spec": {"date": "2026-11-20", "service": "strategy-call", "initiatedBy": "tam", "summary": %q}}`, id, org, summary)
}

func TestAPIRecordLifecycle(t *testing.T) {
	f := newFixture(t, false)
	base := "/api/v1/organizations/" + f.own + "/engagements"
	json := "application/json"

	// Create: 201 with Location, ETag and the stored document.
	r := f.do(nil, "POST", base, "editor", engagementDoc(f.own, "e-web-1", "first"), "Content-Type", json)
	if r.status != http.StatusCreated || r.header.Get("ETag") != `"1"` || r.header.Get("Location") != base+"/e-web-1" || !strings.Contains(r.body, `"summary": "first"`) {
		t.Fatalf("create: %d %v\n%s", r.status, r.header, r.body)
	}
	// The editor's fields are theirs (web:EMAIL).
	it, ok, err := f.st.Item(context.Background(), tamledger.KindEngagement, f.own, "e-web-1")
	if err != nil || !ok || it.Managed.Owner != "web:editor@x.io" {
		t.Errorf("stored owner %+v, %v, %v", it.Managed, ok, err)
	}
	// Create again: 409 with the current version.
	r = f.do(nil, "POST", base, "editor", engagementDoc(f.own, "e-web-1", "again"), "Content-Type", json)
	if p := problemOf(t, r); r.status != http.StatusConflict || p.Code != "conflict" || p.CurrentRev != 1 || !strings.Contains(string(p.Current), `"first"`) {
		t.Errorf("create twice: %d %+v", r.status, p)
	}
	// Get: the document, as the CLI's get -o json writes it.
	r = f.do(nil, "GET", base+"/e-web-1", "viewer", "")
	var want bytes.Buffer
	report.Document(&want, it.Record)
	if r.status != 200 || r.body != want.String() || r.header.Get("ETag") != `"1"` {
		t.Errorf("get: %d %v\n%s\nwant\n%s", r.status, r.header, r.body, want.String())
	}
	// Replace needs If-Match.
	if r := f.do(nil, "PUT", base+"/e-web-1", "editor", engagementDoc(f.own, "e-web-1", "second")); r.status != http.StatusPreconditionRequired || problemOf(t, r).Code != "precondition_required" {
		t.Errorf("replace without If-Match: %d %s", r.status, r.body)
	}
	r = f.do(nil, "PUT", base+"/e-web-1", "editor", engagementDoc(f.own, "e-web-1", "second"), "If-Match", `"1"`)
	if r.status != 200 || r.header.Get("ETag") != `"2"` || !strings.Contains(r.body, `"second"`) {
		t.Fatalf("replace: %d %v %s", r.status, r.header, r.body)
	}
	// Someone who read rev 1 does not overwrite rev 2: 412 with rev 2.
	r = f.do(nil, "PUT", base+"/e-web-1", "admin", engagementDoc(f.own, "e-web-1", "stale"), "If-Match", `"1"`)
	p := problemOf(t, r)
	if r.status != http.StatusPreconditionFailed || p.Code != "precondition_failed" || p.CurrentRev != 2 || !strings.Contains(string(p.Current), `"second"`) ||
		!strings.Contains(p.Detail, "read at rev 1, now rev 2") || r.header.Get("ETag") != `"2"` {
		t.Errorf("stale replace: %d %+v", r.status, p)
	}
	// Bad documents: the problems with their line and column.
	bad := strings.Replace(engagementDoc(f.own, "e-web-1", "x"), `"tam"`, `"someone"`, 1)
	r = f.do(nil, "PUT", base+"/e-web-1", "editor", bad, "If-Match", `"2"`)
	p = problemOf(t, r)
	if r.status != http.StatusBadRequest || p.Code != "invalid" || len(p.Errors) != 1 || p.Errors[0].Line != 3 || !strings.Contains(p.Errors[0].Message, "initiatedBy") {
		t.Errorf("bad initiatedBy: %d %+v", r.status, p)
	}
	r = f.do(nil, "PUT", base+"/e-web-1", "editor", engagementDoc(f.foreign, "e-web-1", "x"), "If-Match", `"2"`)
	if p := problemOf(t, r); r.status != http.StatusBadRequest || !strings.Contains(r.body, "metadata.organization") {
		t.Errorf("another organisation in the body: %d %+v", r.status, p)
	}
	r = f.do(nil, "POST", base, "editor", strings.Replace(engagementDoc(f.own, "e-web-2", "x"), `"date"`, `"workloads": ["no-such-workload"], "date"`, 1))
	if p := problemOf(t, r); r.status != http.StatusBadRequest || !strings.Contains(r.body, "unknown workload") {
		t.Errorf("unknown workload: %d %+v", r.status, p)
	}
	if r := f.do(nil, "PUT", base+"/e-web-1", "editor", engagementDoc(f.own, "e-web-1", "x"), "If-Match", "3"); r.status != http.StatusBadRequest {
		t.Errorf("an unquoted If-Match: %d", r.status)
	}
	// A viewer may read, not write.
	if r := f.do(nil, "PUT", base+"/e-web-1", "viewer", engagementDoc(f.own, "e-web-1", "x"), "If-Match", `"2"`); r.status != http.StatusForbidden || problemOf(t, r).Code != "forbidden" {
		t.Errorf("a viewer's replace: %d %s", r.status, r.body)
	}
	// Delete: stale rev refused, then done; then gone.
	if r := f.do(nil, "DELETE", base+"/e-web-1", "editor", "", "If-Match", `"1"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("stale delete: %d %s", r.status, r.body)
	}
	if r := f.do(nil, "DELETE", base+"/e-web-1", "editor", "", "If-Match", `"2"`); r.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
	if r := f.do(nil, "GET", base+"/e-web-1", "editor", ""); r.status != http.StatusNotFound || problemOf(t, r).Code != "not_found" {
		t.Errorf("after delete: %d", r.status)
	}
	if r := f.do(nil, "DELETE", base+"/e-web-1", "editor", "", "If-Match", "*"); r.status != http.StatusNotFound {
		t.Errorf("delete again: %d", r.status)
	}
	// The history: who did what, the deleted record's too.
	r = f.do(nil, "GET", base+"/e-web-1/history", "viewer", "")
	var h web.History
	if err := jsonUnmarshal(r.body, &h); err != nil || r.status != 200 || len(h.Revisions) != 3 {
		t.Fatalf("history: %d %s", r.status, r.body)
	}
	for i, want := range []web.Revision{
		{Rev: 1, Action: "created", Manager: "web:editor@x.io"},
		{Rev: 2, Action: "updated", Manager: "web:editor@x.io", Fields: []string{"summary"}},
		{Rev: 2, Action: "deleted", Manager: "web:editor@x.io"},
	} {
		g := h.Revisions[i]
		if g.Rev != want.Rev || g.Action != want.Action || g.Manager != want.Manager || strings.Join(g.Fields, ",") != strings.Join(want.Fields, ",") || g.At.IsZero() {
			t.Errorf("revision %d: %+v, want %+v", i, g, want)
		}
	}
	if r := f.do(nil, "GET", base+"/e-never/history", "viewer", ""); r.status != http.StatusNotFound {
		t.Errorf("history of a record never written: %d", r.status)
	}
	// A cross-site write with the session cookie is refused (CSRF).
	c := f.client()
	f.signIn(c, "editor@x.io", password, "/")
	r = f.do(c, "POST", base, "", engagementDoc(f.own, "e-web-3", "csrf"), "Content-Type", json, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if r.status != http.StatusForbidden {
		t.Errorf("cross-site create: %d %s", r.status, r.body)
	}
	if _, ok, _ := f.st.Get(context.Background(), tamledger.KindEngagement, f.own, "e-web-3"); ok {
		t.Error("the cross-site create was written")
	}
	if r := f.do(c, "POST", base, "", engagementDoc(f.own, "e-web-3", "same site"), "Content-Type", json, "Sec-Fetch-Site", "same-origin"); r.status != http.StatusCreated {
		t.Errorf("same-site create: %d %s", r.status, r.body)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func TestAPIRecordKinds(t *testing.T) {
	// Every kind: what GET returns, PUT takes back (If-Match its ETag), and
	// the list is what the CLI's get -o json writes.
	f := newFixture(t, false)
	ctx := context.Background()
	for _, k := range web.APIKinds {
		items, err := f.st.Items(ctx, k.Kind, f.own)
		if err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/organizations/" + f.own + "/" + k.Path
		r := f.do(nil, "GET", base, "viewer", "")
		var want bytes.Buffer
		recs := make([]tamledger.Record, len(items))
		for i, it := range items {
			recs[i] = it.Record
		}
		report.List(&want, recs)
		if r.status != 200 || r.body != want.String() {
			t.Errorf("GET %s: %d, not the CLI's list", base, r.status)
		}
		if len(items) == 0 {
			continue
		}
		id := items[0].ID
		got := f.do(nil, "GET", base+"/"+id, "editor", "")
		put := f.do(nil, "PUT", base+"/"+id, "editor", got.body, "If-Match", got.header.Get("ETag"))
		if put.status != 200 || put.header.Get("ETag") != got.header.Get("ETag") || put.body != got.body {
			t.Errorf("PUT %s/%s of what GET gave: %d %s (want unchanged)", base, id, put.status, put.body)
		}
	}
}

// TestForeignOrganizationRefused walks every API route, as each role that
// is granted one organisation, against another organisation, and as the
// anonymous: every answer is 401, 403 or 404, and no answer holds anything
// of that organisation.
func TestForeignOrganizationRefused(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	// A foreign organisation with records of every kind.
	orgs, err := f.st.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.foreign = ""
	for _, o := range orgs {
		all := o.ID != f.own
		for _, k := range web.APIKinds {
			if items, err := f.st.Items(ctx, k.Kind, o.ID); err != nil || len(items) == 0 {
				all = false
			}
		}
		if all {
			f.foreign = o.ID
			break
		}
	}
	o, _, err := f.st.Get(ctx, tamledger.KindOrganization, "", f.foreign)
	if err != nil {
		t.Fatal(err)
	}
	org := o.Value.(*tamledger.Organization)
	// What must not leak: the organisation's name and id, its people, and
	// the ids of its records (those not also in the granted organisation).
	secrets := []string{org.ID, org.Name}
	if org.AccountTeam != nil && org.AccountTeam.TAM != nil {
		secrets = append(secrets, org.AccountTeam.TAM.Name)
	}
	ids := map[string]string{}
	bodies := map[string]string{}
	for _, k := range web.APIKinds {
		items, err := f.st.Items(ctx, k.Kind, f.foreign)
		if err != nil || len(items) == 0 {
			t.Fatalf("%s of %s: %d, %v", k.Path, f.foreign, len(items), err)
		}
		ids[k.Path] = items[0].ID
		var b bytes.Buffer
		report.Document(&b, items[0].Record)
		bodies[k.Path] = b.String()
		if _, own, _ := f.st.Get(ctx, k.Kind, f.own, items[0].ID); !own {
			secrets = append(secrets, items[0].ID)
		}
	}
	n := 0
	for _, rt := range web.APIRoutes() {
		if !strings.Contains(rt.Pattern, "{org}") {
			continue
		}
		path := strings.NewReplacer("{org}", f.foreign, "{document}", "ebr").Replace(rt.Pattern)
		body := ""
		if rt.Kind != nil {
			path = strings.Replace(path, "{id}", ids[rt.Kind.Path], 1)
			if rt.Method == "POST" || rt.Method == "PUT" {
				body = bodies[rt.Kind.Path]
			}
		}
		if strings.HasSuffix(path, "/roi") {
			path += "?year=2026"
		}
		if strings.Contains(path, "/documents/") {
			path += "?asOf=2026-11-27"
		}
		for _, role := range []string{"editor", "viewer", ""} {
			r := f.do(nil, rt.Method, path, role, body, "If-Match", "*", "Content-Type", "application/json")
			n++
			want := []int{http.StatusForbidden, http.StatusNotFound}
			if role == "" {
				want = []int{http.StatusUnauthorized}
			}
			if !slices.Contains(want, r.status) {
				t.Errorf("%s %s as %q: %d, want %v", rt.Method, path, role, r.status, want)
			}
			for _, s := range secrets {
				if s != "" && strings.Contains(r.body, s) {
					t.Errorf("%s %s as %q: the answer holds %q of the foreign organisation:\n%s", rt.Method, path, role, s, r.body)
				}
			}
		}
		// The admin, as a check that the walk reaches real data.
		if rt.Method == "GET" {
			if r := f.do(nil, rt.Method, path, "admin", ""); r.status != 200 {
				t.Errorf("%s %s as admin: %d %s", rt.Method, path, r.status, r.body)
			}
		}
	}
	// Nothing was written to the foreign organisation.
	for k, id := range ids {
		for _, kind := range web.APIKinds {
			if kind.Path == k {
				it, ok, err := f.st.Item(ctx, kind.Kind, f.foreign, id)
				if err != nil || !ok || it.Rev != 1 {
					t.Errorf("%s %s of %s after the walk: %v rev %d %v", k, id, f.foreign, ok, it.Rev, err)
				}
			}
		}
	}
	// The organisations list shows only the granted one.
	for _, role := range []string{"editor", "viewer"} {
		r := f.do(nil, "GET", "/api/v1/organizations", role, "")
		if r.status != 200 || !strings.Contains(r.body, f.own) || strings.Contains(r.body, f.foreign) {
			t.Errorf("organizations as %s: %d %s", role, r.status, r.body)
		}
	}
	if n < 100 {
		t.Errorf("walked %d requests: too few to be every route", n)
	}
}

func TestAPIReports(t *testing.T) {
	f := newFixture(t, false)
	base := "/api/v1/organizations/" + f.own
	for _, path := range []string{"/scorecard?asOf=2026-11-27", "/actions?asOf=2026-11-27", "/roi?from=2026-01-01&to=2026-06-30", "/roi?year=2026&by=quarter"} {
		r := f.do(nil, "GET", base+path, "viewer", "")
		var v map[string]any
		if r.status != 200 || json.Unmarshal([]byte(r.body), &v) != nil || len(v) == 0 {
			t.Errorf("GET %s: %d %s", path, r.status, r.body)
		}
	}
	for path, want := range map[string]string{
		"/scorecard?asOf=2026-13-01":         "asOf",
		"/roi":                               "give the period",
		"/roi?from=2026-06-01&to=2026-01-01": "is before",
		"/roi?year=2026&by=month":            "by: unknown value",
	} {
		r := f.do(nil, "GET", base+path, "viewer", "")
		if p := problemOf(t, r); r.status != 400 || p.Code != "invalid" || !strings.Contains(p.Detail, want) {
			t.Errorf("GET %s: %d %+v, want 400 with %q", path, r.status, p, want)
		}
	}
	if r := f.do(nil, "GET", "/api/v1/nope", "admin", ""); r.status != 404 || problemOf(t, r).Code != "not_found" {
		t.Errorf("an unknown route: %d", r.status)
	}
}

func TestOpenAPIDescribesTheRoutes(t *testing.T) {
	f := newFixture(t, false)
	r := f.do(nil, "GET", "/api/v1/openapi.json", "viewer", "")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if r.status != 200 || json.Unmarshal([]byte(r.body), &doc) != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi.json: %d %.200s", r.status, r.body)
	}
	// Every route the server has is described, and nothing else: each
	// described operation answers other than "no such route".
	described := 0
	for path, ops := range doc.Paths {
		for method := range ops {
			described++
			m := strings.ToUpper(method)
			concrete := strings.NewReplacer("{org}", f.own, "{id}", "no-such-id", "{document}", "ebr").Replace(path)
			r := f.do(nil, m, concrete, "admin", "{}", "If-Match", "*")
			if strings.Contains(r.body, "no such API route") || r.status == http.StatusMethodNotAllowed {
				t.Errorf("%s %s is described but not served: %d", m, path, r.status)
			}
		}
	}
	routes := web.APIRoutes()
	if described != len(routes) {
		t.Errorf("%d operations described, %d routes", described, len(routes))
	}
	for _, rt := range routes {
		if _, ok := doc.Paths[rt.Pattern][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s is not described", rt.Method, rt.Pattern)
		}
	}
	// Every $ref resolves.
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(r.body, -1) {
		if _, ok := doc.Comps.Schemas[ref[1]]; !ok {
			t.Errorf("$ref to %s, which is not in components.schemas", ref[1])
		}
	}
}

// changedPages records the organisations the API says it wrote to.
type changedPages struct {
	mu   sync.Mutex
	orgs []string
}

func (p *changedPages) ServeHTTP(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }

func (p *changedPages) Changed(org string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.orgs = append(p.orgs, org)
}

// Each write of the API tells the pages which organisation it wrote to (so
// that the portfolio and the overview show it at once); a refused write
// tells them nothing.
func TestAPIWritesTellThePages(t *testing.T) {
	f := newFixture(t, false)
	pages := &changedPages{}
	srv, err := web.New(web.Options{Store: f.st, Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string, header ...string) int {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, path, rd)
		req.Header.Set("Authorization", "Bearer "+f.tokens["editor"])
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code
	}
	base := "/api/v1/organizations/" + f.own + "/engagements"
	steps := []struct {
		status int
		code   int
	}{
		{http.StatusCreated, do("POST", base, engagementDoc(f.own, "e-tell", "first"))},
		{http.StatusConflict, do("POST", base, engagementDoc(f.own, "e-tell", "again"))},
		{http.StatusOK, do("PUT", base+"/e-tell", engagementDoc(f.own, "e-tell", "second"), "If-Match", `"1"`)},
		{http.StatusPreconditionFailed, do("PUT", base+"/e-tell", engagementDoc(f.own, "e-tell", "stale"), "If-Match", `"1"`)},
		{http.StatusNoContent, do("DELETE", base+"/e-tell", "", "If-Match", `"2"`)},
	}
	for i, s := range steps {
		if s.code != s.status {
			t.Errorf("step %d: %d, want %d", i, s.code, s.status)
		}
	}
	if want := []string{f.own, f.own, f.own}; !slices.Equal(pages.orgs, want) {
		t.Errorf("the pages were told %v, want %v (one per write that took)", pages.orgs, want)
	}
}

// A viewer downloads the documents; bad arguments are 400, a ledger that
// lacks what a document needs is 422, with the CLI's words.
func TestAPIDocuments(t *testing.T) {
	f := newFixture(t, false)
	base := "/api/v1/organizations/" + f.own + "/documents/"
	for _, c := range []struct{ query, mediaType, ext, starts string }{
		{"?asOf=2026-11-27", "text/markdown; charset=utf-8", "md", "# "},
		{"?asOf=2026-11-27&format=md", "text/markdown; charset=utf-8", "md", "# "},
		{"?asOf=2026-11-27&format=html", "text/html; charset=utf-8", "html", "<!DOCTYPE html>"},
		{"?asOf=2026-11-27&format=pdf", "application/pdf", "pdf", "%PDF-"},
		{"?asOf=2026-11-27&format=pdf&paper=letter", "application/pdf", "pdf", "%PDF-"},
	} {
		for _, doc := range []string{"charter", "ebr", "edp"} {
			r := f.do(nil, "GET", base+doc+c.query, "viewer", "")
			if r.status != 200 || r.header.Get("Content-Type") != c.mediaType || !strings.HasPrefix(r.body, c.starts) {
				t.Errorf("GET %s%s: %d %s %.80q, want 200 %s starting %q", doc, c.query, r.status, r.header.Get("Content-Type"), r.body, c.mediaType, c.starts)
				continue
			}
			want := fmt.Sprintf(`attachment; filename="%s-%s-2026-11-27.%s"`, f.own, doc, c.ext)
			if got := r.header.Get("Content-Disposition"); got != want {
				t.Errorf("GET %s%s: Content-Disposition %q, want %q", doc, c.query, got, want)
			}
		}
	}
	// Without asOf: today in the organisation's time zone, as the scorecard.
	l, err := f.st.Ledger(context.Background(), f.own)
	if err != nil {
		t.Fatal(err)
	}
	r := f.do(nil, "GET", base+"edp", "viewer", "")
	today := tamledger.Today(l.Org.Location()).String()
	if !strings.Contains(r.header.Get("Content-Disposition"), "-edp-"+today+".md") || !strings.Contains(r.body, "as of ") {
		t.Errorf("GET edp without asOf: %d %q, want the document as of %s", r.status, r.header.Get("Content-Disposition"), today)
	}
	for _, c := range []struct {
		path   string
		status int
		want   string
	}{
		{"letter", 400, `unknown document "letter" (want one of: charter, ebr, reassignment, edp)`},
		{"ebr?format=docx", 400, `unknown format "docx" (want md, html, pdf)`},
		{"ebr?format=pdf&paper=a3", 400, `unknown paper "a3" (want a4 or letter)`},
		{"ebr?paper=letter", 400, "paper sets the paper of a PDF"},
		{"ebr?asOf=2026-02-30", 400, "asOf: "},
		{"charter?asOf=2000-01-01", 422, "has no charter in force on 2000-01-01: write a Charter document"},
		{"ebr?asOf=2000-01-01&format=pdf", 422, "has no charter in force on 2000-01-01"},
	} {
		r := f.do(nil, "GET", base+c.path, "viewer", "")
		if p := problemOf(t, r); r.status != c.status || p.Code != "invalid" || !strings.Contains(p.Detail, c.want) {
			t.Errorf("GET %s: %d %+v, want %d with %q", c.path, r.status, p, c.status, c.want)
		}
	}
	if r := f.do(nil, "GET", "/api/v1/organizations/no-such-org/documents/ebr", "admin", ""); r.status != 404 || problemOf(t, r).Detail != "no such organization, or you may not see it (GET /api/v1/organizations lists yours)" {
		t.Errorf("an unknown organisation: %d %s", r.status, r.body)
	}
}
