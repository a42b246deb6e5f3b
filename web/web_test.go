package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
)

const password = "correct horse battery staple"

// fixture is a server over a store holding the demo portfolio, with an
// admin, an editor and a viewer of one organisation (own), and an API
// token of each.
type fixture struct {
	t       *testing.T
	st      *store.Store
	srv     *httptest.Server
	web     *web.Server
	own     string // the organisation granted to the editor and the viewer
	foreign string // another one
	tokens  map[string]string
	logs    *bytes.Buffer
}

var asOf = tamledger.NewDate(2026, 11, 27)

func newFixture(t *testing.T, tlsServer bool) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	recs := demo.Generate(1, asOf)
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(recs); i += 500 {
		if _, err := tx.PutBatch(ctx, recs[i:min(i+500, len(recs))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	orgs, err := st.Organizations(ctx)
	if err != nil || len(orgs) < 2 {
		t.Fatalf("organizations: %v, %v", orgs, err)
	}
	f := &fixture{t: t, st: st, own: orgs[0].ID, foreign: orgs[1].ID, tokens: map[string]string{}, logs: &bytes.Buffer{}}
	hash, err := web.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.User{
		{Email: "admin@x.io", Role: "admin", PasswordHash: hash},
		{Email: "editor@x.io", Role: "editor", Orgs: []string{f.own}, PasswordHash: hash},
		{Email: "viewer@x.io", Role: "viewer", Orgs: []string{f.own}, PasswordHash: hash},
	} {
		if err := st.AddUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		token, th := web.NewToken()
		if err := st.CreateToken(ctx, u.Email, "test", th, time.Time{}); err != nil {
			t.Fatal(err)
		}
		f.tokens[u.Role] = token
	}
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: f.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.web, err = web.New(web.Options{Store: st, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if tlsServer {
		f.srv = httptest.NewTLSServer(f.web)
	} else {
		f.srv = httptest.NewServer(f.web)
	}
	t.Cleanup(f.srv.Close)
	return f
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// client returns an HTTP client that keeps cookies and does not follow
// redirects.
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := f.srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request; token is a role's API token ("" for none).
func (f *fixture) do(c *http.Client, method, path, role string, body string, header ...string) response {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c == nil {
		c = f.client()
	}
	res, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b)}
}

func (f *fixture) signIn(c *http.Client, email, pw, next string) response {
	f.t.Helper()
	form := url.Values{"email": {email}, "password": {pw}, "next": {next}}
	return f.do(c, "POST", "/signin", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	f := newFixture(t, false)
	for _, path := range []string{"/", "/signin", "/healthz", "/api/v1/organizations", "/nope", "/static/app.css", "/signin.css"} {
		r := f.do(nil, "GET", path, "", "")
		h := r.header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") ||
			h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("GET %s (%d): headers %v", path, r.status, h)
		}
	}
	// The sign-in page has no inline script or style: the CSP would refuse them.
	page := f.do(nil, "GET", "/signin", "", "").body
	if strings.Contains(page, "<script") || strings.Contains(page, "<style") || strings.Contains(page, " style=") || strings.Contains(page, " on") && strings.Contains(page, "onclick") {
		t.Errorf("the sign-in page has inline script or style:\n%s", page)
	}
}

func TestAnonymousGetsNothing(t *testing.T) {
	f := newFixture(t, false)
	for _, path := range []string{"/", "/organizations/" + f.foreign, "/metrics"} {
		r := f.do(nil, "GET", path, "", "")
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
			t.Errorf("GET %s: %d to %q, want a redirect to /signin", path, r.status, loc)
		}
		if path != "/" && loc != "/signin?next="+url.QueryEscape(path) {
			t.Errorf("GET %s: redirect to %q, want it to come back", path, loc)
		}
	}
	for _, rt := range web.APIRoutes() {
		path := strings.NewReplacer("{org}", f.foreign, "{id}", "x", "{document}", "ebr").Replace(rt.Pattern)
		r := f.do(nil, rt.Method, path, "", "")
		if r.status != http.StatusUnauthorized || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s anonymous: %d %s, want 401 problem+json", rt.Method, path, r.status, r.header.Get("Content-Type"))
		}
	}
	if r := f.do(nil, "GET", "/healthz", "", ""); r.status != 200 || r.body != "ok\n" {
		t.Errorf("healthz: %d %q", r.status, r.body)
	}
	// A bad token is refused, not taken as anonymous.
	r := f.do(nil, "GET", "/api/v1/organizations", "", "", "Authorization", "Bearer tlt_nope")
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "token is not valid") {
		t.Errorf("bad token: %d %s", r.status, r.body)
	}
}

func TestSignIn(t *testing.T) {
	f := newFixture(t, false)
	c := f.client()
	r := f.signIn(c, "editor@x.io", "wrong password!!", "/x")
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong email or password.") || r.header.Get("Set-Cookie") != "" {
		t.Errorf("wrong password: %d %v", r.status, r.header)
	}
	if r := f.signIn(c, "nobody@x.io", password, "/"); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong email or password.") {
		t.Errorf("unknown email: %d", r.status)
	}
	r = f.signIn(c, "Editor@x.io", password, "https://evil.example/")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Errorf("sign in with an outside next: %d to %q, want / (no open redirect)", r.status, r.header.Get("Location"))
	}
	cookie := r.header.Get("Set-Cookie")
	if !strings.Contains(cookie, web.SessionCookie+"=") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") || strings.Contains(cookie, "Secure") {
		t.Errorf("session cookie %q", cookie)
	}
	page := f.do(c, "GET", "/", "", "")
	if page.status != 200 || !strings.Contains(page.body, f.own) || strings.Contains(page.body, f.foreign) {
		t.Errorf("the editor's page (%d) should list %s and not %s:\n%s", page.status, f.own, f.foreign, page.body)
	}
	if r := f.do(c, "GET", "/api/v1/organizations/"+f.own, "", ""); r.status != 200 || r.header.Get("ETag") != `"1"` {
		t.Errorf("the API by session: %d %v", r.status, r.header)
	}
	// The session is stored hashed: the cookie's value is not in the store.
	var n int
	id := strings.TrimPrefix(strings.Split(cookie, ";")[0], web.SessionCookie+"=")
	f.st.DB().QueryRow("SELECT count(*) FROM sessions WHERE id_hash = $1", id).Scan(&n)
	if n != 0 {
		t.Error("the session id is stored in the clear")
	}
	// A sign-out from another site is refused; from this one it ends the session.
	if r := f.do(c, "POST", "/signout", "", "", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
		t.Errorf("cross-site sign-out: %d", r.status)
	}
	if r := f.do(c, "POST", "/signout", "", "", "Sec-Fetch-Site", "same-origin"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin" {
		t.Errorf("sign-out: %d", r.status)
	}
	if r := f.do(c, "GET", "/", "", ""); r.status != http.StatusSeeOther {
		t.Errorf("after sign-out: %d", r.status)
	}
	// The old cookie, replayed, no longer works.
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/organizations", nil)
	req.Header.Set("Cookie", web.SessionCookie+"="+id)
	res, _ := http.DefaultClient.Do(req)
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a signed-out session: %d", res.StatusCode)
	}
	res.Body.Close()
	// Nothing secret reaches the log.
	logs := f.logs.String()
	if strings.Contains(logs, password) || strings.Contains(logs, id) || strings.Contains(logs, f.tokens["admin"]) || !strings.Contains(logs, "user=editor@x.io") {
		t.Errorf("the log holds a secret, or no user:\n%s", logs)
	}
}

func TestSessionCookieSecureUnderTLS(t *testing.T) {
	f := newFixture(t, true)
	r := f.signIn(f.client(), "viewer@x.io", password, "/")
	if c := r.header.Get("Set-Cookie"); r.status != http.StatusSeeOther || !strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("sign-in over TLS: %d, cookie %q", r.status, c)
	}
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over TLS")
	}
}

func TestSignInRateLimited(t *testing.T) {
	f := newFixture(t, false)
	c := f.client()
	for i := range 5 {
		if r := f.signIn(c, "viewer@x.io", "wrong password "+string(rune('a'+i)), "/"); r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.status)
		}
	}
	r := f.signIn(c, "viewer@x.io", password, "/")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || r.header.Get("Set-Cookie") != "" {
		t.Errorf("the 6th attempt, right password: %d %v, want 429 with Retry-After", r.status, r.header)
	}
	// Another account from the same address is still let in.
	if r := f.signIn(c, "editor@x.io", password, "/"); r.status != http.StatusSeeOther {
		t.Errorf("another account: %d", r.status)
	}
}

func TestSignInLink(t *testing.T) {
	f := newFixture(t, false)
	path, err := web.CreateSignInLink(context.Background(), f.st, "admin@x.io")
	if err != nil {
		t.Fatal(err)
	}
	c := f.client()
	r := f.do(c, "GET", path, "", "")
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Set-Cookie"), web.SessionCookie) {
		t.Fatalf("the link: %d %v", r.status, r.header)
	}
	if r := f.do(c, "GET", "/metrics", "", ""); r.status != 200 || !strings.Contains(r.body, "tamledger_http_requests_total") {
		t.Errorf("metrics for the admin: %d", r.status)
	}
	if r := f.do(f.client(), "GET", path, "", ""); r.status != http.StatusUnauthorized || strings.Contains(r.header.Get("Set-Cookie"), web.SessionCookie) {
		t.Errorf("the link used twice: %d", r.status)
	}
	if strings.Contains(f.logs.String(), strings.TrimPrefix(path, "/signin/link?token=")) {
		t.Error("the sign-in link is in the log")
	}
}

func TestMetricsForAdminsOnly(t *testing.T) {
	f := newFixture(t, false)
	c := f.client()
	f.signIn(c, "editor@x.io", password, "/")
	if r := f.do(c, "GET", "/metrics", "", ""); r.status != http.StatusForbidden {
		t.Errorf("metrics for an editor: %d", r.status)
	}
	rec := httptest.NewRecorder()
	f.web.Metrics().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `route="GET /signin"`) && !strings.Contains(rec.Body.String(), `route="POST /signin"`) {
		t.Errorf("the metrics listener: %d\n%s", rec.Code, rec.Body.String())
	}
}

// problemOf decodes a problem+json answer.
func problemOf(t *testing.T, r response) web.Problem {
	t.Helper()
	var p web.Problem
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json (%d %s)", ct, r.status, r.body)
	}
	if err := json.Unmarshal([]byte(r.body), &p); err != nil {
		t.Errorf("problem: %v\n%s", err, r.body)
	}
	return p
}

// A token works until its expiry by the server's clock; from then on it
// gets the bad token's 401, counted as bad-token. A token with no expiry
// goes on working.
func TestExpiredToken(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.AddUser(ctx, store.User{Email: "ci@x.io", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	expires := start.Add(90 * 24 * time.Hour)
	short, hash := web.NewToken()
	if err := st.CreateToken(ctx, "ci@x.io", "short", hash, expires); err != nil {
		t.Fatal(err)
	}
	forever, hash := web.NewToken()
	if err := st.CreateToken(ctx, "ci@x.io", "forever", hash, time.Time{}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := start
	clock := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	srv, err := web.New(web.Options{Store: st, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	get := func(path, token string) response {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return response{res.StatusCode, res.Header, string(b)}
	}

	for _, at := range []time.Time{start, expires.Add(-time.Second)} {
		clock(at)
		if r := get("/api/v1/organizations", short); r.status != http.StatusOK {
			t.Errorf("the token before its expiry, at %s: %d %s", at.Format(time.RFC3339), r.status, r.body)
		}
	}
	for _, at := range []time.Time{expires, expires.Add(365 * 24 * time.Hour)} {
		clock(at)
		r := get("/api/v1/organizations", short)
		var p struct {
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		json.Unmarshal([]byte(r.body), &p)
		if r.status != http.StatusUnauthorized || r.header.Get("Content-Type") != "application/problem+json" || p.Status != http.StatusUnauthorized ||
			!strings.HasPrefix(p.Detail, "the API token is not valid (revoked, expired or mistyped)") {
			t.Errorf("the token at %s, from its expiry on: %d %s, want 401 with the bad token's problem", at.Format(time.RFC3339), r.status, r.body)
		}
		// The same answer as a token that never was.
		if bad := get("/api/v1/organizations", "tlt_nope"); bad.status != r.status || bad.body != r.body {
			t.Errorf("an expired token: %d %s; a mistyped one: %d %s; want the same", r.status, r.body, bad.status, bad.body)
		}
		if r := get("/api/v1/organizations", forever); r.status != http.StatusOK {
			t.Errorf("the token with no expiry at %s: %d %s", at.Format(time.RFC3339), r.status, r.body)
		}
	}
	// Two expired and two mistyped requests, all counted as bad-token.
	if r := get("/metrics", forever); !strings.Contains(r.body, `tamledger_http_refused_total{reason="bad-token"} 4`) {
		t.Errorf("metrics: want 4 bad-token refusals:\n%s", r.body)
	}
}
