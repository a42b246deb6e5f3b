package web_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
)

// fakeIssuer is a local OpenID Connect provider: discovery, keys, an
// authorization endpoint that signs in whoever it is told to at once, and
// a token endpoint that checks the code and the PKCE verifier.
type fakeIssuer struct {
	srv *httptest.Server
	key *rsa.PrivateKey

	mu        sync.Mutex
	email     string
	verified  bool
	audience  string          // "" = the client id
	signWith  *rsa.PrivateKey // nil = key
	nonce     string
	challenge string
}

func newFakeIssuer(t *testing.T) *fakeIssuer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeIssuer{key: key, verified: true}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		u := f.srv.URL
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": u, "authorization_endpoint": u + "/auth", "token_endpoint": u + "/token", "jwks_uri": u + "/keys",
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /auth", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f.mu.Lock()
		f.nonce, f.challenge = q.Get("nonce"), q.Get("code_challenge")
		f.mu.Unlock()
		if q.Get("client_id") != "tamledger" || q.Get("code_challenge_method") != "S256" || !strings.Contains(q.Get("scope"), "email") {
			http.Error(w, "bad authorization request", http.StatusBadRequest)
			return
		}
		back, _ := url.Parse(q.Get("redirect_uri"))
		bq := back.Query()
		bq.Set("code", "the-code")
		bq.Set("state", q.Get("state"))
		back.RawQuery = bq.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.mu.Lock()
		defer f.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		id, secret, _ := r.BasicAuth()
		if r.PostForm.Get("code") != "the-code" || base64.RawURLEncoding.EncodeToString(sum[:]) != f.challenge || id != "tamledger" || secret != "s3cret" {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		aud := f.audience
		if aud == "" {
			aud = "tamledger"
		}
		claims, _ := json.Marshal(map[string]any{
			"iss": f.srv.URL, "sub": "user-1", "aud": aud, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
			"nonce": f.nonce, "email": f.email, "email_verified": f.verified,
		})
		k := f.key
		if f.signWith != nil {
			k = f.signWith
		}
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: k, KeyID: "k1"}}, (&jose.SignerOptions{}).WithType("JWT"))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		jws, _ := signer.Sign(claims)
		idToken, _ := jws.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "id_token": idToken})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIssuer) set(fn func(f *fakeIssuer)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func TestOIDCSignIn(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddUser(ctx, store.User{Email: "ana@example.com", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	issuer := newFakeIssuer(t)
	app := httptest.NewUnstartedServer(nil)
	base := "http://" + app.Listener.Addr().String()
	srv, err := web.New(web.Options{Store: st, OIDC: &web.OIDC{
		Issuer: issuer.srv.URL, ClientID: "tamledger", ClientSecret: "s3cret", RedirectURL: base + "/signin/oidc/callback", Name: "Example SSO",
	}})
	if err != nil {
		t.Fatal(err)
	}
	app.Config.Handler = srv
	app.Start()
	defer app.Close()

	if r := get(t, nil, base+"/signin"); !strings.Contains(r.body, "Sign in with Example SSO") {
		t.Errorf("the sign-in page offers no SSO:\n%s", r.body)
	}
	signIn := func() (response, *http.Client) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
		return get(t, c, base+"/signin/oidc?next=/"), c
	}
	issuer.set(func(f *fakeIssuer) { f.email = "Ana@Example.com" })
	r, c := signIn()
	if r.status != 200 || !strings.Contains(r.body, "Signed in as ana@example.com (admin)") {
		t.Fatalf("OIDC sign-in: %d\n%s", r.status, r.body)
	}
	if r := get(t, c, base+"/api/v1/organizations"); r.status != 200 {
		t.Errorf("the API after an OIDC sign-in: %d", r.status)
	}
	for name, tc := range map[string]struct {
		set    func(f *fakeIssuer)
		status int
		want   string
	}{
		"no account":         {func(f *fakeIssuer) { f.email = "bo@example.com" }, http.StatusForbidden, "There is no account for bo@example.com"},
		"email not verified": {func(f *fakeIssuer) { f.verified = false }, http.StatusUnauthorized, "has not verified your email"},
		"another audience":   {func(f *fakeIssuer) { f.audience = "someone-else" }, http.StatusUnauthorized, "answer is not valid"},
		"signed by another key": {func(f *fakeIssuer) {
			k, _ := rsa.GenerateKey(rand.Reader, 2048)
			f.signWith = k
		}, http.StatusUnauthorized, "answer is not valid"},
	} {
		issuer.set(func(f *fakeIssuer) {
			f.email, f.verified, f.audience, f.signWith = "ana@example.com", true, "", nil
			tc.set(f)
		})
		r, c := signIn()
		if r.status != tc.status || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: %d, want %d with %q\n%s", name, r.status, tc.status, tc.want, r.body)
		}
		if r := get(t, c, base+"/api/v1/organizations"); r.status != http.StatusUnauthorized {
			t.Errorf("%s: signed in anyway (%d)", name, r.status)
		}
	}
	// A callback this browser did not start is refused.
	issuer.set(func(f *fakeIssuer) { f.email, f.verified, f.audience, f.signWith = "ana@example.com", true, "", nil })
	if r := get(t, nil, base+"/signin/oidc/callback?code=the-code&state=forged"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "not started here") {
		t.Errorf("a forged callback: %d %s", r.status, r.body)
	}
}

func get(t *testing.T, c *http.Client, u string) response {
	t.Helper()
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b)}
}
