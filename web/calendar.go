package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/calendar"
	"github.com/tamledger/tamledger/report"
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

// BaseURL is the address of the server: its public URL (Options.PublicURL)
// when it has one, else as the request reached it: scheme (https behind
// TLS) and Host.
func BaseURL(r *http.Request) string {
	if base, ok := r.Context().Value(publicURLKey{}).(string); ok {
		return base
	}
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

// FeedJSON is a calendar feed as the API and tamledger calendar feed
// list -o json show it: never its token, but its address when it was
// just made.
type FeedJSON struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	CreatedBy string     `json:"createdBy"`
	Created   time.Time  `json:"created"`
	Revoked   *time.Time `json:"revoked,omitempty"`
	RevokedBy string     `json:"revokedBy,omitempty"`
	URL       string     `json:"url,omitempty"`       // only in the answer that made it
	WebcalURL string     `json:"webcalUrl,omitempty"` // idem
}

// FeedOf is f as JSON.
func FeedOf(f store.CalendarFeed) FeedJSON {
	out := FeedJSON{ID: f.ID, Name: f.Name, CreatedBy: f.CreatedBy, Created: f.CreatedAt.UTC().Truncate(time.Second), RevokedBy: f.RevokedBy}
	if f.Revoked() {
		r := f.RevokedAt.UTC().Truncate(time.Second)
		out.Revoked = &r
	}
	return out
}

// The API's routes of calendar feeds: editors and admins of the
// organisation list, create and revoke them; a viewer gets 403.
func calendarFeedRoutes() []Route {
	base := "/api/v1/organizations/{org}/calendar-feeds"
	return []Route{
		{Method: "GET", Pattern: base, op: "feeds"},
		{Method: "POST", Pattern: base, op: "create-feed"},
		{Method: "DELETE", Pattern: base + "/{id}", op: "revoke-feed"},
	}
}

// calendarFeedHandler is the handler of a route of calendarFeedRoutes,
// nil for another.
func (s *Server) calendarFeedHandler(op string) http.Handler {
	switch op {
	case "feeds":
		return http.HandlerFunc(s.listFeeds)
	case "create-feed":
		return http.HandlerFunc(s.createFeed)
	case "revoke-feed":
		return http.HandlerFunc(s.revokeFeed)
	}
	return nil
}

func (s *Server) listFeeds(w http.ResponseWriter, r *http.Request) {
	_, org, ok := writable(w, r)
	if !ok {
		return
	}
	if !s.orgExists(w, r, org) {
		return
	}
	feeds, err := s.st.CalendarFeeds(r.Context(), org)
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	out := make([]FeedJSON, len(feeds))
	for i, f := range feeds {
		out[i] = FeedOf(f)
	}
	s.writeJSON(w, r, http.StatusOK, func(o io.Writer) error { return report.JSON(o, out) })
}

// createFeed takes {"name": "Team calendar"} and answers 201 with the
// feed and its address: the only time the address is shown.
func (s *Server) createFeed(w http.ResponseWriter, r *http.Request) {
	p, org, ok := writable(w, r)
	if !ok {
		return
	}
	var in struct {
		Name string `json:"name"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		problem(w, r, http.StatusBadRequest, tamledger.EINVALID, `the body is not {"name": "..."}: `+err.Error())
		return
	}
	token, f, err := CreateCalendarFeed(r.Context(), s.st, org, in.Name, p.Email)
	if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
		problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, hiddenOrg)
		return
	}
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	out := FeedOf(f)
	out.URL, out.WebcalURL = CalendarFeedURLs(BaseURL(r), token)
	w.Header().Set("Location", r.URL.Path+"/"+strconv.FormatInt(f.ID, 10))
	s.writeJSON(w, r, http.StatusCreated, func(o io.Writer) error { return report.JSON(o, out) })
}

func (s *Server) revokeFeed(w http.ResponseWriter, r *http.Request) {
	p, org, ok := writable(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		err = tamledger.Errorf(tamledger.ENOTFOUND, "organization %s has no calendar feed %q (GET calendar-feeds lists them)", org, r.PathValue("id"))
	} else {
		err = s.st.RevokeCalendarFeed(r.Context(), org, id, p.Email)
	}
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// orgExists answers 404 for an organisation that is not there (an admin
// may read any id).
func (s *Server) orgExists(w http.ResponseWriter, r *http.Request, org string) bool {
	_, found, err := s.st.Item(r.Context(), tamledger.KindOrganization, "", org)
	switch {
	case err != nil:
		s.problemOf(w, r, err)
	case !found:
		problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, hiddenOrg)
	}
	return err == nil && found
}

// calendarFeedSchema is FeedJSON in the OpenAPI document.
var calendarFeedSchema = map[string]any{
	"type": "object", "required": []string{"id", "name", "createdBy", "created"},
	"properties": map[string]any{
		"id":        map[string]any{"type": "integer"},
		"name":      map[string]any{"type": "string"},
		"createdBy": map[string]any{"type": "string", "description": "a user's email, or cli"},
		"created":   map[string]any{"type": "string", "format": "date-time"},
		"revoked":   map[string]any{"type": "string", "format": "date-time"},
		"revokedBy": map[string]any{"type": "string", "description": "an email, cli, or user-removed:EMAIL"},
		"url":       map[string]any{"type": "string", "description": "the subscription address: only in the answer that made the feed"},
		"webcalUrl": map[string]any{"type": "string", "description": "the same as webcal://"},
	},
}

// describeFeedRoute describes a route of calendarFeedRoutes in the
// OpenAPI document, and returns its parameters from those of its path.
func describeFeedRoute(name string, op, resp map[string]any, params []any, problemResp func(string) map[string]any, jsonOf func(any) map[string]any) []any {
	feed := map[string]any{"$ref": "#/components/schemas/CalendarFeed"}
	op["tags"] = []string{"calendar-feeds"}
	resp["403"] = problemResp("a viewer: only editors and admins of the organisation manage its calendar feeds")
	switch name {
	case "feeds":
		op["summary"] = "The calendar feeds of an organisation, revoked ones too (never their addresses)"
		resp["200"] = map[string]any{"description": "the feeds, oldest first", "content": jsonOf(map[string]any{"type": "array", "items": feed})}
	case "create-feed":
		op["summary"] = "Create a calendar feed: its subscription address is in this answer only"
		op["requestBody"] = map[string]any{"required": true, "content": jsonOf(map[string]any{
			"type": "object", "required": []string{"name"}, "additionalProperties": false,
			"properties": map[string]any{"name": map[string]any{"type": "string", "description": "who subscribes, such as Team calendar"}}})}
		resp["201"] = map[string]any{"description": "created, with url and webcalUrl", "content": jsonOf(feed)}
		resp["400"] = problemResp("no name, or a bad one")
	case "revoke-feed":
		op["summary"] = "Revoke a calendar feed: its address answers 404 from now on"
		params = append(params[:1], map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "integer"}, "description": "the feed's id"})
		resp["204"] = map[string]any{"description": "revoked"}
	}
	return params
}
