// Package web serves tamledger over HTTP: the sign-in, the sessions and API
// tokens of the accounts, the JSON API under /api/v1, /healthz and the
// Prometheus metrics; the HTML pages come from a handler given in Options
// (package web/ui). docs/web.md describes the security model.
//
// Every request goes through the same chain: an access log (method, path,
// status, duration, user: never a query string, a cookie, a header or a
// calendar feed's token), the
// security headers (a strict Content-Security-Policy with no inline script,
// no framing, nosniff, no referrer to other sites), metrics, Go's
// http.CrossOriginProtection on every state-changing request, then
// authentication: a session cookie or an "Authorization: Bearer" API token
// puts an access.Principal in the request's context. Nothing but the
// sign-in page, /healthz, /static/ and the calendar feeds (whose secret
// address is their credential: calendar.go) is served without one: pages
// redirect to /signin, the API answers 401.
package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/store"
)

// SessionTTL is how long a session lasts from sign-in.
const SessionTTL = 12 * time.Hour

// SignInLinkTTL is how long a one-time sign-in link may wait to be used.
const SignInLinkTTL = 15 * time.Minute

// SessionCookie is the name of the session cookie.
const SessionCookie = "tamledger_session"

// Options configure a Server.
type Options struct {
	Store *store.Store
	// Pages serves every path the server does not own: /static/ to
	// anyone, the rest to signed-in users only (the principal is in the
	// request's context: access.From). Nil serves a plain list of the
	// organisations the user may see. If it has a method Changed(org
	// string), the API calls it after each of its writes.
	Pages  http.Handler
	Logger *slog.Logger // the access log and errors; nil discards
	// Registry receives the server's metrics; nil makes a registry of
	// the server's own (with the Go and process collectors).
	Registry *prometheus.Registry
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
	// OIDC, if not nil, adds sign-in through an OpenID Connect provider;
	// New reads its discovery document.
	OIDC *OIDC
	// PublicURL is the address people and calendar apps reach the server
	// at, when a proxy in front of it ends TLS or changes the address
	// ("https://tam.example.com": scheme and host only). The calendar
	// feeds' addresses are made from it, and with https the cookies are
	// Secure. Empty: the address each request reached the server at.
	PublicURL string
}

// Server is the web app's HTTP handler.
type Server struct {
	st      *store.Store
	pages   http.Handler
	log     *slog.Logger
	now     func() time.Time
	reg     *prometheus.Registry
	m       *metrics
	limiter *limiter
	handler http.Handler
	mux     *http.ServeMux
	oidc    *oidcFlow // nil: no OIDC
	signin  *signinPage
	public  *url.URL // Options.PublicURL; nil when not given
}

// New returns a Server.
func New(o Options) (*Server, error) {
	if o.Store == nil {
		return nil, errors.New("web: no store")
	}
	s := &Server{st: o.Store, pages: o.Pages, log: o.Logger, now: o.Now, reg: o.Registry}
	if o.PublicURL != "" {
		u, err := url.Parse(o.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return nil, tamledger.Errorf(tamledger.EINVALID, "public URL %q: want the address people reach this server at, scheme and host only, such as https://tam.example.com", o.PublicURL)
		}
		s.public = &url.URL{Scheme: u.Scheme, Host: u.Host}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.pages == nil {
		s.pages = orgList(s.st)
	}
	var err error
	if s.m, s.reg, err = newMetrics(s.reg); err != nil {
		return nil, err
	}
	if s.signin, err = newSigninPage(); err != nil {
		return nil, err
	}
	if o.OIDC != nil {
		if s.oidc, err = newOIDCFlow(*o.OIDC); err != nil {
			return nil, err
		}
		s.signin.sso = s.oidc.name
	}
	s.limiter = newLimiter(s.now)
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves a request through the whole chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Metrics serves the Prometheus metrics to anyone: for a listener of its
// own (--metrics-addr), apart from the app's.
func (s *Server) Metrics() http.Handler { return s.metricsHandler() }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.mux = mux
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /signin", s.signinForm)
	mux.HandleFunc("POST /signin", s.signinPost)
	mux.HandleFunc("GET /signin/link", s.signinLink)
	mux.HandleFunc("GET /signin.css", s.signinCSS)
	mux.HandleFunc("GET /calendar/{file}", s.calendarFeed)
	if s.oidc != nil {
		mux.HandleFunc("GET /signin/oidc", s.oidcStart)
		mux.HandleFunc("GET /signin/oidc/callback", s.oidcCallback)
	}
	mux.Handle("POST /signout", s.requirePage(http.HandlerFunc(s.signout)))
	mux.Handle("GET /metrics", s.requireAdmin(s.metricsHandler()))
	s.apiRoutes(mux)
	mux.Handle("/static/", s.pages)
	mux.Handle("/", s.requirePage(s.pages))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.m.refused.WithLabelValues("cross-origin").Inc()
		if isAPI(r) {
			problem(w, r, http.StatusForbidden, "forbidden", "cross-origin request refused: a state-changing request must come from this site's own pages, or from a program that sends no Origin or Sec-Fetch-Site header")
			return
		}
		http.Error(w, "Cross-origin request refused.", http.StatusForbidden)
	}))
	return s.accessLog(securityHeaders(s.instrument(cop.Handler(s.authenticate(s.withPublicURL(mux))))))
}

type publicURLKey struct{}

// withPublicURL puts the public URL, when there is one, in the request's
// context, for BaseURL.
func (s *Server) withPublicURL(next http.Handler) http.Handler {
	if s.public == nil {
		return next
	}
	base := s.public.String()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), publicURLKey{}, base)))
	})
}

// secure reports whether cookies set in answer to r are Secure: served
// over TLS, here or (PublicURL https) by a proxy in front.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.public != nil && s.public.Scheme == "https")
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.st.Organizations(ctx); err != nil {
		s.log.Error("healthz: the store does not answer", "err", err)
		http.Error(w, "the store does not answer", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logged is what the access log learns from inside the chain.
type logged struct{ user string }

type loggedKey struct{}

// accessLog logs one line per request: method, path (never the query
// string, which may carry a sign-in link), status, bytes, duration and the
// user, if any. Panics are logged and answered 500.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		lg := &logged{}
		r = r.WithContext(context.WithValue(r.Context(), loggedKey{}, lg))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving a request", "method", r.Method, "path", logPath(r), "panic", fmt.Sprint(v))
				if sw.status == 0 {
					http.Error(sw, "Internal error.", http.StatusInternalServerError)
				}
			}
			s.log.Info("request", "method", r.Method, "path", logPath(r), "status", sw.status, "bytes", sw.bytes,
				"duration", time.Since(start).Round(time.Microsecond), "user", lg.user, "remote", clientIP(r))
		}()
		next.ServeHTTP(sw, r)
	})
}

// logPath is the request's path as the logs show it: a calendar feed's
// address holds its secret token, so any path under /calendar/, or
// holding a feed token's prefix anywhere, is logged as
// /calendar/[redacted].
func logPath(r *http.Request) string {
	p := r.URL.Path
	if strings.HasPrefix(path.Clean("/"+p), "/calendar/") || strings.Contains(p, calendarPrefix) || strings.Contains(r.URL.RawPath, calendarPrefix) {
		return "/calendar/[redacted]"
	}
	return p
}

// clientIP is the address the request came from (the proxy's, behind
// one: tamledger trusts no forwarding header).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate puts the principal of a valid session cookie or bearer
// token in the request's context. A request with neither, or with one
// that is not valid, goes on anonymous: the handlers that need a
// principal refuse it. A bearer token that is not valid is refused here,
// so that a program learns at once that its token is wrong.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.principal(r)
		switch {
		case errors.Is(err, errBadToken):
			s.m.refused.WithLabelValues("bad-token").Inc()
			problem(w, r, http.StatusUnauthorized, "unauthorized", "the API token is not valid (revoked, expired or mistyped): tamledger token list shows the tokens and when they expire, token create makes a new one")
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
		if p != nil {
			r = r.WithContext(access.With(r.Context(), p))
			if lg, ok := r.Context().Value(loggedKey{}).(*logged); ok {
				lg.user = p.Email
			}
		}
		next.ServeHTTP(w, r)
	})
}

var errBadToken = errors.New("bad token")

// principal finds who makes r: nil for no one.
func (s *Server) principal(r *http.Request) (*access.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return nil, errBadToken
		}
		u, ok, err := s.st.TokenUser(r.Context(), HashSecret(strings.TrimSpace(token)), s.now())
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errBadToken
		}
		return principalOf(u), nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	u, ok, err := s.st.SessionUser(r.Context(), HashSecret(c.Value), s.now())
	if err != nil || !ok {
		return nil, err
	}
	return principalOf(u), nil
}

func principalOf(u store.User) *access.Principal {
	return &access.Principal{Email: u.Email, Role: access.Role(u.Role), Orgs: u.Orgs}
}

// requirePage lets signed-in users through and sends others to sign in,
// back to where they were going.
func (s *Server) requirePage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := access.From(r.Context()); !ok {
			target := "/signin"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + urlQueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireAPI answers 401 to anonymous API calls.
func (s *Server) requireAPI(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := access.From(r.Context()); !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tamledger"`)
			problem(w, r, http.StatusUnauthorized, "unauthorized", "sign in, or send an API token as Authorization: Bearer TOKEN (tamledger token create)")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireAdmin lets admins through; others get 403, anonymous users are
// sent to sign in.
func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return s.requirePage(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, _ := access.From(r.Context()); !p.IsAdmin() {
			http.Error(w, "Forbidden: admins only.", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// fail answers an unexpected error: logged whole, shown as "Internal
// error." (or the store's own message when it is the environment's).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.problemOf(w, r, err)
		return
	}
	s.log.Error("request failed", "method", r.Method, "path", logPath(r), "err", err)
	http.Error(w, "Internal error.", http.StatusInternalServerError)
}

// Config is how Serve listens.
type Config struct {
	Addr        string // host:port of the app
	MetricsAddr string // host:port of /metrics for anyone ("" for none)
	TLSCert     string // PEM files: serve HTTPS (cookies are then Secure)
	TLSKey      string
	// Ready is called once the listeners are open, with the app's
	// address (tests and the demo print it).
	Ready func(addr net.Addr)
}

// Serve serves s until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight finish for up to 10 s, and returns.
func Serve(ctx context.Context, s *Server, c Config) error {
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	servers := []*http.Server{newHTTPServer(s, s.log)}
	lns := []net.Listener{ln}
	if c.MetricsAddr != "" {
		mln, err := net.Listen("tcp", c.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (--metrics-addr): %w", c.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", s.Metrics())
		servers = append(servers, newHTTPServer(securityHeaders(mux), s.log))
		lns = append(lns, mln)
	}
	if c.TLSCert != "" || c.TLSKey != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return fmt.Errorf("--tls-cert, --tls-key: %w", err)
		}
		cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		lns[0] = tls.NewListener(ln, cfg)
	}
	if c.Ready != nil {
		c.Ready(ln.Addr())
	}
	errs := make(chan error, len(servers))
	for i, srv := range servers {
		go func() {
			if err := srv.Serve(lns[i]); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- err
			}
		}()
	}
	select {
	case <-ctx.Done():
	case err := <-errs:
		for _, srv := range servers {
			srv.Close()
		}
		return err
	}
	s.log.Info("shutting down: finishing the requests in flight")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var first error
	for _, srv := range servers {
		if err := srv.Shutdown(shut); err != nil && first == nil {
			first = fmt.Errorf("shutdown: %w", err)
		}
	}
	return first
}

func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
