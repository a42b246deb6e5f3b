package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/calendar"
	"github.com/tamledger/tamledger/store"
)

// Calendar feeds: GET /calendar/TOKEN.ics answers an organisation's
// charter schedule (calendar.Feed: the bytes tamledger calendar --org
// writes) to whoever holds the token, with no session, since calendar
// clients cannot sign in. The token is the credential: 256 random bits,
// kept in the store as its SHA-256 only, never logged (the access log
// shows /calendar/[redacted]). An unknown or revoked token, or one whose
// organisation is gone, answers 404 with nothing else; unknown tokens are
// limited per client address like sign-ins. docs/web.md.

// calendarPrefix starts every calendar feed token.
const calendarPrefix = "tlc_"

// CalendarFeedPath is the path that serves the feed of token.
func CalendarFeedPath(token string) string { return "/calendar/" + token + ".ics" }

// CalendarFeedURLs returns the address of the feed of token under base
// (the server's address as people reach it, such as
// https://tamledger.example.com) and its webcal:// form, which opens the
// subscription in the calendar app of the device.
func CalendarFeedURLs(base, token string) (https, webcal string) {
	https = strings.TrimRight(base, "/") + CalendarFeedPath(token)
	_, rest, ok := strings.Cut(https, "://")
	if !ok {
		rest = strings.TrimLeft(https, "/")
	}
	return https, "webcal://" + rest
}

// MaxFeedName is the longest name of a calendar feed, in characters.
const MaxFeedName = 80

// CheckFeedName checks the name of a new feed: what it is for, such as
// "Team calendar" (1 to MaxFeedName printable characters).
func CheckFeedName(name string) error {
	n := len([]rune(name))
	if strings.TrimSpace(name) == "" || n > MaxFeedName || strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return tamledger.Errorf(tamledger.EINVALID, "name: %q is not a feed name (want 1 to %d printable characters saying who subscribes, such as \"Team calendar\")", name, MaxFeedName)
	}
	return nil
}

// CreateCalendarFeed makes a feed of org named name on behalf of by (a
// user's email, or store.CreatedByCLI): it returns the token, to show
// once, and the feed as stored. A bad name is EINVALID, an unknown
// organisation ENOTFOUND.
func CreateCalendarFeed(ctx context.Context, st *store.Store, org, name, by string) (token string, f store.CalendarFeed, err error) {
	name = strings.TrimSpace(name)
	if err := CheckFeedName(name); err != nil {
		return "", f, err
	}
	token, hash := NewSecret(calendarPrefix)
	f, err = st.CreateCalendarFeed(ctx, org, name, by, hash)
	if err != nil {
		return "", f, err
	}
	return token, f, nil
}

// BaseURL is the address of the server as the request reached it:
// scheme (https behind TLS) and Host.
func BaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host}).String()
}

// calendarFeed serves GET /calendar/{file}.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	key := "feed:" + clientIP(r)
	if wait := s.limiter.wait(key); wait > 0 {
		s.m.refused.WithLabelValues("calendar-feed-limited").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(max(int(wait.Round(time.Second)/time.Second), 1)))
		http.Error(w, "Too many requests; try again later.", http.StatusTooManyRequests)
		return
	}
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	var org string
	if ok && strings.HasPrefix(token, calendarPrefix) {
		var err error
		if org, ok, err = s.st.CalendarFeedOrg(r.Context(), HashSecret(token)); err != nil {
			s.fail(w, r, err)
			return
		}
	} else {
		ok = false
	}
	var l *tamledger.Ledger
	if ok {
		var err error
		l, err = s.st.Ledger(r.Context(), org)
		switch {
		case tamledger.ErrorCode(err) == tamledger.ENOTFOUND:
			ok = false
		case err != nil:
			s.fail(w, r, err)
			return
		}
	}
	if !ok {
		s.limiter.allow(key)
		s.m.refused.WithLabelValues("calendar-feed").Inc()
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "Not found.", http.StatusNotFound)
		return
	}
	var b bytes.Buffer
	if err := calendar.Feed(&b, l, tamledger.DateIn(s.now(), l.Org.Location())); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.Write(b.Bytes())
}
