// Package ui serves the web app's pages: the portfolio, each
// organisation's overview, its records and the forms that change them,
// server-rendered with html/template from templates embedded in the
// binary, with their styles, script and icons under /static/.
//
// The server in front of it (package web) signs people in and puts the
// principal in the request's context (access.With); every page here asks
// it: an organisation the principal may not read answers 404, with none of
// its data; a change the principal may not make answers 403. Forms post
// back to these handlers; the server's cross-origin protection guards
// them. The pages hold no inline script or style, so that a strict
// Content-Security-Policy can forbid both.
package ui

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the pages.
type Options struct {
	// Now is the clock, time.Now when nil: each organisation is shown as
	// of today in its own time zone.
	Now func() time.Time
	// Poll is how often the portfolio asks the store whether anything
	// changed (one small query); 2 s when zero. What this web app writes
	// shows at once.
	Poll time.Duration
	// PageSize is how many organisations a portfolio page lists; 50 when
	// zero.
	PageSize int
	// Logger receives what goes wrong; slog.Default() when nil.
	Logger *slog.Logger
	// OverviewCacheBytes bounds the organisation overviews kept rendered
	// (about 11 KB each); 128 MiB when zero, none kept when negative.
	OverviewCacheBytes int
}

// Handler serves the pages. It is an http.Handler.
type Handler struct {
	st    *store.Store
	opt   Options
	mux   *http.ServeMux
	pages map[string]*template.Template
	board *board
	// overviews keeps the organisations' overviews rendered.
	overviews *overviews
	warmed    chan struct{} // closed once the overviews are computed ahead
	log       *slog.Logger
}

// Close stops the work the pages do in the background (the portfolio's
// loads, the overviews computed ahead) and waits for it to end: call it
// before closing the store.
func (h *Handler) Close() { h.board.close() }

// New returns the handler of every page and of /static/. It starts
// computing the portfolio in the background at once.
func New(st *store.Store, opt Options) *Handler {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Poll <= 0 {
		opt.Poll = 2 * time.Second
	}
	if opt.PageSize <= 0 {
		opt.PageSize = 50
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.OverviewCacheBytes == 0 {
		opt.OverviewCacheBytes = 128 << 20
	}
	h := &Handler{st: st, opt: opt, mux: http.NewServeMux(), log: opt.Logger}
	h.pages = parsePages()
	h.board = newBoard(st, opt.Now, opt.Poll, opt.Logger)
	h.overviews = newOverviews(opt.Poll, opt.OverviewCacheBytes)
	h.warmed = make(chan struct{})
	h.board.background("overviews: warming failed", func(ctx context.Context) error {
		defer close(h.warmed)
		select {
		case <-h.board.sparked:
		case <-ctx.Done():
			return nil
		}
		if opt.OverviewCacheBytes <= 0 {
			return nil
		}
		return h.overviews.warm(ctx, h)
	})
	h.routes()
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Changed tells the pages that organisation org was written by this
// process (the JSON API): its portfolio line is recomputed and its overview
// dropped now instead of at the next poll.
func (h *Handler) Changed(org string) {
	h.changed(context.Background(), org)
}

// changed brings what the pages keep of org up to date after a write.
func (h *Handler) changed(ctx context.Context, org string) {
	h.overviews.forget(org)
	h.board.fresh(ctx, org)
}

// Loaded is closed once the portfolio's first computation is complete,
// sparklines included (the portfolio answers before, showing the
// sparklines still being computed).
func (h *Handler) Loaded() <-chan struct{} { return h.board.sparked }

// Warmed is closed once the organisations' overviews are computed ahead
// of their first request (as many as the cache holds), after Loaded.
func (h *Handler) Warmed() <-chan struct{} { return h.warmed }

func (h *Handler) routes() {
	static, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(static)
	h.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(files)))
	h.mux.HandleFunc("GET /{$}", h.portfolio)
	h.mux.HandleFunc("GET /orgs/{org}", h.overview)
	h.mux.HandleFunc("GET /orgs/{org}/charter", h.charter)
	h.mux.HandleFunc("POST /orgs/{org}/calendar-feeds", h.createFeed)
	h.mux.HandleFunc("POST /orgs/{org}/calendar-feeds/{id}/revoke", h.revokeFeed)
	h.mux.HandleFunc("GET /orgs/{org}/engagements", h.engagements)
	h.mux.HandleFunc("POST /orgs/{org}/engagements", h.logEngagement)
	h.mux.HandleFunc("GET /orgs/{org}/recommendations", h.recommendations)
	h.mux.HandleFunc("POST /orgs/{org}/recommendations/{id}/status", h.setStatus)
	h.mux.HandleFunc("GET /orgs/{org}/cases", h.cases)
	h.mux.HandleFunc("GET /orgs/{org}/events", h.events)
	h.mux.HandleFunc("GET /orgs/{org}/roi", h.roiPage)
	h.mux.HandleFunc("GET /orgs/{org}/reassignments", h.reassignments)
	h.mux.HandleFunc("GET /orgs/{org}/documents/{document}", h.document)
	h.mux.HandleFunc("GET /orgs/{org}/{kind}/{id}", h.record)
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, tamledger.Errorf(tamledger.ENOTFOUND, "There is no page at %s.", r.URL.Path))
	})
}

// cacheStatic lets browsers keep the embedded assets for a day.
func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		next.ServeHTTP(w, r)
	})
}

// parsePages parses every page with the layout, once.
func parsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		pages[base] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, n))
	}
	return pages
}

// page is what every page's template gets.
type page struct {
	Title   string
	User    *access.Principal
	Org     *tamledger.Organization // the organisation a page is about, nil on the portfolio
	Section string                  // the organisation's tab that is open
	Flash   string                  // what the last form did
	Data    any
}

// render writes the page, rendered into a buffer first so that an error
// shows as an error page, not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.User, _ = access.From(r.Context())
	if p.Flash == "" {
		p.Flash = r.URL.Query().Get("done")
	}
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		h.log.Error("render", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errForbidden is a change the principal may not make.
var errForbidden = errors.New("forbidden")

// fail shows an error page: 404 for what does not exist or may not be
// seen (the same page, so that it tells nothing), 403 for a change that
// may not be made, 400 for bad input, 422 for a document whose ledger
// lacks what it needs (render.MissingError), 409 for a conflict, 503 when the
// store is unavailable, 500 for anything else ("Internal error.").
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, title, msg := http.StatusInternalServerError, "Something went wrong", "Internal error."
	var missing *render.MissingError
	switch {
	case errors.Is(err, errForbidden):
		status, title, msg = http.StatusForbidden, "Not allowed", "Your account may read this organisation but not change it. Ask an admin for the editor role."
	case errors.As(err, &missing):
		status, title, msg = http.StatusUnprocessableEntity, "Not in the ledger yet", tamledger.ErrorMessage(err)
	default:
		switch tamledger.ErrorCode(err) {
		case tamledger.ENOTFOUND:
			status, title, msg = http.StatusNotFound, "Not found", tamledger.ErrorMessage(err)
		case tamledger.EINVALID:
			status, title, msg = http.StatusBadRequest, "That did not work", tamledger.ErrorMessage(err)
		case tamledger.ECONFLICT:
			status, title, msg = http.StatusConflict, "Changed meanwhile", tamledger.ErrorMessage(err)
		case tamledger.EUNAVAILABLE:
			status, title, msg = http.StatusServiceUnavailable, "The store is unavailable", tamledger.ErrorMessage(err)
		default:
			h.log.Error("page", "path", r.URL.Path, "err", err)
		}
	}
	h.render(w, r, status, "error", page{Title: title, Data: msg})
}

// notFound is the answer for an organisation that does not exist or that
// the principal may not read: the same words for both.
func notFound(org string) error {
	return tamledger.Errorf(tamledger.ENOTFOUND, "There is no organisation %q here, or your account may not see it.", org)
}

// readable returns the ledger of the request's organisation, or an error
// when the principal may not read it (as if it did not exist).
func (h *Handler) readable(r *http.Request) (*tamledger.Ledger, error) {
	org := r.PathValue("org")
	p, _ := access.From(r.Context())
	if !p.CanRead(org) {
		return nil, notFound(org)
	}
	l, err := h.st.Ledger(r.Context(), org)
	if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
		return nil, notFound(org)
	}
	return l, err
}

// writable checks that the principal may change the request's
// organisation: 404 when it may not even read it, 403 when it may only read.
func writable(r *http.Request) (*access.Principal, error) {
	org := r.PathValue("org")
	p, _ := access.From(r.Context())
	switch {
	case !p.CanRead(org):
		return nil, notFound(org)
	case !p.CanWrite(org):
		return nil, errForbidden
	}
	return p, nil
}

// seeOther redirects after a successful form, with what was done.
func seeOther(w http.ResponseWriter, r *http.Request, path, done string) {
	http.Redirect(w, r, path+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// today is the organisation's today.
func (h *Handler) today(o *tamledger.Organization) tamledger.Date {
	return tamledger.DateIn(h.opt.Now(), o.Location())
}

func orgPath(org string, parts ...string) string {
	p := "/orgs/" + url.PathEscape(org)
	for _, s := range parts {
		p += "/" + url.PathEscape(s)
	}
	return p
}
