package web

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tamledger/tamledger/store"
)

//go:embed templates/signin.html templates/signin.css
var authFiles embed.FS

type signinPage struct {
	t   *template.Template
	css []byte
	sso string // the OIDC provider's name, "" without OIDC
}

func newSigninPage() (*signinPage, error) {
	t, err := template.ParseFS(authFiles, "templates/signin.html")
	if err != nil {
		return nil, err
	}
	css, err := authFiles.ReadFile("templates/signin.css")
	if err != nil {
		return nil, err
	}
	return &signinPage{t: t, css: css}, nil
}

type signinData struct {
	Next, Email, Error string
	SSO                string // "Sign in with SSO" when set
}

// render writes the page with status, whole or not at all.
func (p *signinPage) render(w http.ResponseWriter, status int, d signinData) {
	var b bytes.Buffer
	d.SSO = p.sso
	if err := p.t.Execute(&b, d); err != nil {
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (s *Server) signinCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(s.signin.css)
}

// localPath returns next when it is a path of this site, else "/": a
// sign-in never sends anyone to another site.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if _, ok := s.principalFromCookie(r); ok {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.signin.render(w, http.StatusOK, signinData{Next: next})
}

// principalFromCookie reports whether r carries a valid session.
func (s *Server) principalFromCookie(r *http.Request) (string, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	u, ok, err := s.st.SessionUser(r.Context(), HashSecret(c.Value), s.now())
	return u.Email, err == nil && ok
}

// signinPost checks an email and password. Attempts are limited per
// client address and per email (limiter); a failure says no more than
// that the pair is wrong, and takes as long for an unknown email.
func (s *Server) signinPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Bad form.", http.StatusBadRequest)
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	password := r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("next"))
	d := signinData{Next: next, Email: email}
	if wait := s.limiter.allow("ip:"+clientIP(r), "email:"+email); wait > 0 {
		s.m.signins.WithLabelValues("limited").Inc()
		secs := int(wait.Round(time.Second) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		d.Error = "Too many sign-in attempts. Try again in " + strconv.Itoa(max(secs, 1)) + " seconds."
		s.signin.render(w, http.StatusTooManyRequests, d)
		return
	}
	u, ok, err := s.st.User(r.Context(), email)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hash := u.PasswordHash
	if !ok || hash == "" {
		hash = dummyHash()
	}
	if !CheckPassword(hash, password) || !ok || u.PasswordHash == "" {
		s.m.signins.WithLabelValues("failed").Inc()
		s.log.Warn("sign-in failed", "remote", clientIP(r))
		d.Error = "Wrong email or password."
		s.signin.render(w, http.StatusUnauthorized, d)
		return
	}
	if err := s.startSession(w, r, u.Email); err != nil {
		s.fail(w, r, err)
		return
	}
	s.limiter.reset("email:" + email)
	s.m.signins.WithLabelValues("ok").Inc()
	s.log.Info("signed in", "user", u.Email, "remote", clientIP(r))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// startSession stores a new session of email and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, email string) error {
	id, hash := NewSecret(sessionPrefix)
	if err := s.st.CreateSession(r.Context(), hash, email, s.now().Add(SessionTTL)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: id, Path: "/", MaxAge: int(SessionTTL / time.Second),
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// signinLink signs in by a one-time link (/signin/link?token=...): it
// works once, then the session it set is the way in.
func (s *Server) signinLink(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if wait := s.limiter.allow("ip:" + clientIP(r)); wait > 0 {
		s.m.signins.WithLabelValues("limited").Inc()
		http.Error(w, "Too many sign-in attempts; try again later.", http.StatusTooManyRequests)
		return
	}
	email, ok, err := s.st.UseSignInLink(r.Context(), HashSecret(token), s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.m.signins.WithLabelValues("failed").Inc()
		s.signin.render(w, http.StatusUnauthorized, signinData{Next: "/", Error: "This sign-in link was used already or has expired. Sign in with your password, or ask for a new link."})
		return
	}
	if err := s.startSession(w, r, email); err != nil {
		s.fail(w, r, err)
		return
	}
	s.m.signins.WithLabelValues("ok").Inc()
	s.log.Info("signed in by a one-time link", "user", email, "remote", clientIP(r))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// CreateSignInLink stores a one-time sign-in link of email, valid for
// SignInLinkTTL, and returns its path and query (/signin/link?token=...),
// to put after the server's address (tamledger demo prints it).
func CreateSignInLink(ctx context.Context, st *store.Store, email string) (string, error) {
	token, hash := NewSecret(linkPrefix)
	if err := st.CreateSignInLink(ctx, hash, email, time.Now().Add(SignInLinkTTL)); err != nil {
		return "", err
	}
	return "/signin/link?token=" + token, nil
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.st.DeleteSession(r.Context(), HashSecret(c.Value)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// limiter is a token bucket per key (a client address, an email): burst
// attempts at once, then one every interval. Buckets that filled up again
// are forgotten.
type limiter struct {
	mu      sync.Mutex
	now     func() time.Time
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// The limits: per address 20 attempts, then one every 3 s; per email 5,
// then one every 30 s; per address 20 unknown calendar feed tokens, then
// one every 3 s.
var limits = map[string]struct {
	burst    float64
	interval time.Duration
}{
	"ip":    {20, 3 * time.Second},
	"email": {5, 30 * time.Second},
	"feed":  {20, 3 * time.Second},
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, buckets: map[string]*bucket{}}
}

// allow takes one attempt from each key's bucket and returns 0, or, when
// one is empty, how long until it allows one (taking nothing).
func (l *limiter) allow(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) > time.Minute {
		l.sweep(now)
	}
	var wait time.Duration
	bs := make([]*bucket, len(keys))
	for i, k := range keys {
		lim := limits[k[:strings.IndexByte(k, ':')]]
		b := l.buckets[k]
		if b == nil {
			b = &bucket{tokens: lim.burst, at: now}
			l.buckets[k] = b
		}
		b.tokens = min(lim.burst, b.tokens+now.Sub(b.at).Seconds()/lim.interval.Seconds())
		b.at = now
		if b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)*float64(lim.interval)))
		}
		bs[i] = b
	}
	if wait > 0 {
		return wait
	}
	for _, b := range bs {
		b.tokens--
	}
	return 0
}

// wait returns how long until key's bucket allows an attempt, taking
// nothing: 0 when it allows one now.
func (l *limiter) wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		return 0
	}
	lim := limits[key[:strings.IndexByte(key, ':')]]
	tokens := min(lim.burst, b.tokens+l.now().Sub(b.at).Seconds()/lim.interval.Seconds())
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) * float64(lim.interval))
}

// reset forgets key (a successful sign-in clears its email's failures).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.buckets, key)
	l.mu.Unlock()
}

func (l *limiter) sweep(now time.Time) {
	l.swept = now
	for k, b := range l.buckets {
		lim := limits[k[:strings.IndexByte(k, ':')]]
		if b.tokens+now.Sub(b.at).Seconds()/lim.interval.Seconds() >= lim.burst {
			delete(l.buckets, k)
		}
	}
}
