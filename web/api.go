package web

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/report"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/store"
)

// APIKind is a kind of record the API serves under an organisation.
type APIKind struct {
	Path string // the URL segment: "engagements", "reassignment-requests"
	Kind string // tamledger.KindEngagement, ...
}

// APIKinds are the records of an organisation the API lists, gets,
// creates, replaces and deletes, in the order the docs list them.
var APIKinds = []APIKind{
	{"charters", tamledger.KindCharter},
	{"engagements", tamledger.KindEngagement},
	{"recommendations", tamledger.KindRecommendation},
	{"cases", tamledger.KindCase},
	{"events", tamledger.KindEvent},
	{"reassignment-requests", tamledger.KindReassignmentRequest},
}

// maxBody is the largest document the API takes.
const maxBody = 1 << 20

// apiRoutes registers the JSON API on mux: every route answers 401 to
// anonymous requests, 404 for an organisation the principal may not see
// (as for one that does not exist: nothing of it is told), 403 for a
// write the principal's role does not allow.
func (s *Server) apiRoutes(mux *http.ServeMux) {
	for _, rt := range APIRoutes() {
		mux.Handle(rt.Method+" "+rt.Pattern, s.requireAPI(s.apiHandler(rt)))
	}
	mux.Handle("/api/", s.requireAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, "no such API route: GET /api/v1/openapi.json describes them")
	})))
}

// Route is one route of the API.
type Route struct {
	Method, Pattern string // "GET", "/api/v1/organizations/{org}/engagements/{id}"
	Kind            *APIKind
	op              string // list, get, create, replace, delete, history, or the report's name
}

// APIRoutes lists every route of the API, as the server registers them
// and the OpenAPI document describes them.
func APIRoutes() []Route {
	rs := []Route{
		{Method: "GET", Pattern: "/api/v1/openapi.json", op: "openapi"},
		{Method: "GET", Pattern: "/api/v1/organizations", op: "organizations"},
		{Method: "GET", Pattern: "/api/v1/organizations/{org}", op: "organization"},
		{Method: "GET", Pattern: "/api/v1/organizations/{org}/scorecard", op: "scorecard"},
		{Method: "GET", Pattern: "/api/v1/organizations/{org}/actions", op: "actions"},
		{Method: "GET", Pattern: "/api/v1/organizations/{org}/roi", op: "roi"},
		{Method: "GET", Pattern: "/api/v1/organizations/{org}/documents/{document}", op: "document"},
	}
	for i := range APIKinds {
		k := &APIKinds[i]
		base := "/api/v1/organizations/{org}/" + k.Path
		rs = append(rs,
			Route{Method: "GET", Pattern: base, Kind: k, op: "list"},
			Route{Method: "POST", Pattern: base, Kind: k, op: "create"},
			Route{Method: "GET", Pattern: base + "/{id}", Kind: k, op: "get"},
			Route{Method: "PUT", Pattern: base + "/{id}", Kind: k, op: "replace"},
			Route{Method: "DELETE", Pattern: base + "/{id}", Kind: k, op: "delete"},
			Route{Method: "GET", Pattern: base + "/{id}/history", Kind: k, op: "history"},
		)
	}
	rs = append(rs, calendarFeedRoutes()...)
	return rs
}

func (s *Server) apiHandler(rt Route) http.Handler {
	if h := s.calendarFeedHandler(rt.op); h != nil {
		return h
	}
	switch rt.op {
	case "openapi":
		return http.HandlerFunc(s.openAPI)
	case "organizations":
		return http.HandlerFunc(s.listOrganizations)
	case "organization":
		return http.HandlerFunc(s.getOrganization)
	case "scorecard":
		return http.HandlerFunc(s.scorecard)
	case "actions":
		return http.HandlerFunc(s.actions)
	case "roi":
		return http.HandlerFunc(s.roi)
	case "document":
		return http.HandlerFunc(s.document)
	case "list":
		return s.listRecords(*rt.Kind)
	case "create":
		return s.createRecord(*rt.Kind)
	case "get":
		return s.getRecord(*rt.Kind)
	case "replace":
		return s.replaceRecord(*rt.Kind)
	case "delete":
		return s.deleteRecord(*rt.Kind)
	case "history":
		return s.history(*rt.Kind)
	}
	panic("web: no handler for " + rt.op)
}

// errHidden is the answer for an organisation the principal may not see,
// the same as for one that does not exist.
const hiddenOrg = "no such organization, or you may not see it (GET /api/v1/organizations lists yours)"

// readable returns the principal and the organisation of the request when
// the principal may read it; otherwise it answers 404 and returns false.
func readable(w http.ResponseWriter, r *http.Request) (*access.Principal, string, bool) {
	p, _ := access.From(r.Context())
	org := r.PathValue("org")
	if !p.CanRead(org) {
		problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, hiddenOrg)
		return nil, "", false
	}
	return p, org, true
}

// writable is readable for a write: a principal who may read but not
// write gets 403.
func writable(w http.ResponseWriter, r *http.Request) (*access.Principal, string, bool) {
	p, org, ok := readable(w, r)
	if !ok {
		return nil, "", false
	}
	if !p.CanWrite(org) {
		problem(w, r, http.StatusForbidden, "forbidden", fmt.Sprintf("a %s may not change the records of this organization (an editor granted it, or an admin, may)", p.Role))
		return nil, "", false
	}
	return p, org, true
}

// writeJSON answers with the bytes write produces, or with the problem of
// its error: rendered whole before a byte is sent.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, write func(io.Writer) error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		s.problemOf(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func etag(rev int64) string { return `"` + strconv.FormatInt(rev, 10) + `"` }

func (s *Server) listOrganizations(w http.ResponseWriter, r *http.Request) {
	p, _ := access.From(r.Context())
	items, err := s.st.Items(r.Context(), tamledger.KindOrganization, "")
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	var recs []tamledger.Record
	for _, it := range items {
		if p.CanRead(it.ID) {
			recs = append(recs, it.Record)
		}
	}
	s.writeJSON(w, r, http.StatusOK, func(out io.Writer) error { return report.List(out, recs) })
}

func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request) {
	_, org, ok := readable(w, r)
	if !ok {
		return
	}
	it, found, err := s.st.Item(r.Context(), tamledger.KindOrganization, "", org)
	s.answerItem(w, r, http.StatusOK, it, found, err, hiddenOrg)
}

// answerItem answers one stored record with its ETag.
func (s *Server) answerItem(w http.ResponseWriter, r *http.Request, status int, it store.Item, found bool, err error, missing string) {
	switch {
	case err != nil:
		s.problemOf(w, r, err)
	case !found:
		problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, missing)
	default:
		w.Header().Set("ETag", etag(it.Rev))
		s.writeJSON(w, r, status, func(out io.Writer) error { return report.Document(out, it.Record) })
	}
}

// ledgerOf reads the organisation's ledger; a missing one is 404.
func (s *Server) ledgerOf(w http.ResponseWriter, r *http.Request) (*tamledger.Ledger, bool) {
	_, org, ok := readable(w, r)
	if !ok {
		return nil, false
	}
	l, err := s.st.Ledger(r.Context(), org)
	if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
		problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, hiddenOrg)
		return nil, false
	}
	if err != nil {
		s.problemOf(w, r, err)
		return nil, false
	}
	return l, true
}

// dateParam reads a YYYY-MM-DD query parameter; def when it is absent.
func dateParam(r *http.Request, name string, def tamledger.Date) (tamledger.Date, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	d, err := tamledger.ParseDate(v)
	if err != nil {
		return d, tamledger.Errorf(tamledger.EINVALID, "%s: %v", name, err)
	}
	return d, nil
}

func (s *Server) scorecard(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledgerOf(w, r)
	if !ok {
		return
	}
	day, err := dateParam(r, "asOf", tamledger.Today(l.Org.Location()))
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, func(out io.Writer) error { return report.JSON(out, report.Scorecard(l, day)) })
}

func (s *Server) actions(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledgerOf(w, r)
	if !ok {
		return
	}
	day, err := dateParam(r, "asOf", tamledger.Today(l.Org.Location()))
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, func(out io.Writer) error { return report.JSON(out, report.Actions(l, day)) })
}

func (s *Server) roi(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledgerOf(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	var start, end tamledger.Date
	var err error
	switch {
	case q.Get("year") != "" && (q.Get("from") != "" || q.Get("to") != ""):
		err = tamledger.Errorf(tamledger.EINVALID, "give either year or from and to, not both")
	case q.Get("year") != "":
		y, yerr := strconv.Atoi(q.Get("year"))
		if yerr != nil || y < 1 || y > 9999 {
			err = tamledger.Errorf(tamledger.EINVALID, "year: %q is not a year (want one such as 2026)", q.Get("year"))
		}
		start, end = tamledger.NewDate(y, 1, 1), tamledger.NewDate(y, 12, 31)
	case q.Get("from") == "" || q.Get("to") == "":
		err = tamledger.Errorf(tamledger.EINVALID, "give the period: from=YYYY-MM-DD&to=YYYY-MM-DD (both included), or year=YYYY")
	default:
		if start, err = dateParam(r, "from", start); err == nil {
			if end, err = dateParam(r, "to", end); err == nil && end.Before(start) {
				err = tamledger.Errorf(tamledger.EINVALID, "to %s is before from %s (the period is [from, to], both included)", end, start)
			}
		}
	}
	by := q.Get("by")
	if err == nil && by != "" && by != "quarter" {
		err = tamledger.Errorf(tamledger.EINVALID, "by: unknown value %q (want quarter)", by)
	}
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	books, err := s.st.PriceBooks(r.Context())
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	v, err := report.ROI(l, books, start, end, roi.Options{ReferenceSavingsRate: roi.DefaultReferenceSavingsRate}, by == "quarter")
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, func(out io.Writer) error { return report.JSON(out, v) })
}

// document answers a document as tamledger render writes it
// (render.Download), as an attachment: 400 for an unknown document, format
// or paper, 422 when the organisation lacks what the document needs.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	_, org, ok := readable(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	format, paper := cmp.Or(q.Get("format"), "md"), q.Get("paper")
	day, err := dateParam(r, "asOf", tamledger.Date{}) // zero: today in the organisation's time zone
	if err == nil && paper != "" && format != "pdf" {
		err = tamledger.Errorf(tamledger.EINVALID, "paper sets the paper of a PDF: add format=pdf, or leave paper out")
	}
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	f, err := render.Download(r.Context(), s.st, org, r.PathValue("document"), format, day, paper)
	var missing *render.MissingError
	switch {
	case errors.As(err, &missing):
		problem(w, r, http.StatusUnprocessableEntity, tamledger.EINVALID, tamledger.ErrorMessage(err))
		return
	case tamledger.ErrorCode(err) == tamledger.ENOTFOUND:
		problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, hiddenOrg)
		return
	case err != nil:
		s.problemOf(w, r, err)
		return
	}
	f.Serve(w)
}

func (s *Server) listRecords(k APIKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, org, ok := readable(w, r)
		if !ok {
			return
		}
		items, err := s.st.Items(r.Context(), k.Kind, org)
		if err != nil {
			s.problemOf(w, r, err)
			return
		}
		if len(items) == 0 {
			if _, known, err := s.st.Get(r.Context(), tamledger.KindOrganization, "", org); err != nil {
				s.problemOf(w, r, err)
				return
			} else if !known {
				problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, hiddenOrg)
				return
			}
		}
		recs := make([]tamledger.Record, len(items))
		for i, it := range items {
			recs[i] = it.Record
		}
		s.writeJSON(w, r, http.StatusOK, func(out io.Writer) error { return report.List(out, recs) })
	}
}

func (s *Server) getRecord(k APIKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, org, ok := readable(w, r)
		if !ok {
			return
		}
		it, found, err := s.st.Item(r.Context(), k.Kind, org, r.PathValue("id"))
		s.answerItem(w, r, http.StatusOK, it, found, err, s.missing(r, k, org))
	}
}

// missing says what is not there: the record, or (told as hidden) the
// organisation.
func (s *Server) missing(r *http.Request, k APIKind, org string) string {
	if _, known, err := s.st.Get(r.Context(), tamledger.KindOrganization, "", org); err == nil && !known {
		return hiddenOrg
	}
	info, _ := tamledger.LookupKind(k.Kind)
	return fmt.Sprintf("no %s %q in this organization (GET /api/v1/organizations/%s/%s lists them)", info.Noun, r.PathValue("id"), org, k.Path)
}

// readDocument reads the one document of a request's body (JSON, or YAML
// with Content-Type application/yaml), of kind k, of organisation org
// and, when id is not "", with that id.
func readDocument(w http.ResponseWriter, r *http.Request, k APIKind, org, id string) (tamledger.Record, error) {
	format := "json"
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/yaml" || ct == "application/x-yaml" || ct == "text/yaml" {
		format = "yaml"
	}
	rd := document.NewReader("request body", http.MaxBytesReader(w, r.Body, maxBody), document.Options{Format: format, MaxBytes: maxBody})
	doc, err := rd.Next()
	if errors.Is(err, io.EOF) {
		return tamledger.Record{}, tamledger.Errorf(tamledger.EINVALID, "the request body holds no document (send the record as GET returns it: apiVersion, kind, metadata, spec)")
	}
	if err != nil {
		return tamledger.Record{}, err
	}
	if _, err := rd.Next(); !errors.Is(err, io.EOF) {
		return tamledger.Record{}, tamledger.Errorf(tamledger.EINVALID, "the request body holds more than one document (send one record per request)")
	}
	var p tamledger.Problems
	if doc.Kind != k.Kind {
		p.Add("kind", "is %s, but %s takes a %s", doc.Kind, r.URL.Path, k.Kind)
	}
	if doc.Org != org {
		p.Add("metadata.organization", "is %q, but the URL names organization %q", doc.Org, org)
	}
	if id != "" && doc.ID != id {
		p.Add("metadata.id", "is %q, but the URL names %q (an id is not changed: create the record under its new id and delete the old one)", doc.ID, id)
	}
	if err := p.Err(); err != nil {
		var list document.ErrorList
		for _, f := range err.(tamledger.ProblemsError) {
			list = append(list, document.Error{Pos: doc.Pos, Path: f.Path, Msg: f.Path + ": " + f.Message})
		}
		return tamledger.Record{}, list
	}
	return doc.Record, nil
}

func (s *Server) createRecord(k APIKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, org, ok := writable(w, r)
		if !ok {
			return
		}
		rec, err := readDocument(w, r, k, org, "")
		if err != nil {
			s.problemOf(w, r, err)
			return
		}
		_, err = ledger.Put(r.Context(), s.st, ledger.PutRequest{Record: rec, Rev: ledger.Create, Manager: p.Manager()})
		if err != nil {
			s.writeFailed(w, r, k, org, rec.ID, err, http.StatusConflict)
			return
		}
		s.wrote(org)
		w.Header().Set("Location", r.URL.Path+"/"+rec.ID)
		it, found, err := s.st.Item(r.Context(), k.Kind, org, rec.ID)
		s.answerItem(w, r, http.StatusCreated, it, found, err, s.missing(r, k, org))
	}
}

// wrote tells the pages that the API has just written to org, when they
// keep what they show (web/ui's Handler.Changed): they show it at once
// instead of at their next poll of the store.
func (s *Server) wrote(org string) {
	if c, ok := s.pages.(interface{ Changed(org string) }); ok {
		c.Changed(org)
	}
}

// ifMatch reads If-Match: the rev of a strong or weak ETag ("3", W/"3"),
// or ledger.AnyExists for *. A request without one gets 428: a write
// names the version it replaces, so that no one overwrites a change they
// have not seen.
func ifMatch(w http.ResponseWriter, r *http.Request) (int64, bool) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	switch {
	case h == "":
		problem(w, r, http.StatusPreconditionRequired, "precondition_required", `send If-Match with the ETag you read (If-Match: "3"), or If-Match: * to change whatever version is stored`)
		return 0, false
	case h == "*":
		return ledger.AnyExists, true
	}
	v := strings.TrimPrefix(h, "W/")
	rev, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
	if err != nil || rev < 1 || len(v) < 3 || v[0] != '"' || v[len(v)-1] != '"' {
		problem(w, r, http.StatusBadRequest, tamledger.EINVALID, fmt.Sprintf("If-Match: %q is not an ETag of this API (want a rev in quotes, such as \"3\", or *)", h))
		return 0, false
	}
	return rev, true
}

// writeFailed answers a write's error. A conflict of versions (the record
// changed, was deleted, or exists already) is conflictStatus (412 for
// If-Match, 409 for a create) with the record as it is now.
func (s *Server) writeFailed(w http.ResponseWriter, r *http.Request, k APIKind, org, id string, err error, conflictStatus int) {
	var ce *store.ConflictError
	if tamledger.ErrorCode(err) != tamledger.ECONFLICT || errors.As(err, &ce) {
		s.problemOf(w, r, err)
		return
	}
	p := Problem{Type: problemType(tamledger.ECONFLICT), Title: http.StatusText(conflictStatus), Status: conflictStatus,
		Code: tamledger.ECONFLICT, Detail: tamledger.ErrorMessage(err)}
	if conflictStatus == http.StatusPreconditionFailed {
		p.Type, p.Code = problemType("precondition_failed"), "precondition_failed"
	}
	if it, found, rerr := s.st.Item(r.Context(), k.Kind, org, id); rerr == nil && found {
		var b bytes.Buffer
		if report.Document(&b, it.Record) == nil {
			p.Current, p.CurrentRev = bytes.TrimSpace(b.Bytes()), it.Rev
			w.Header().Set("ETag", etag(it.Rev))
		}
	}
	writeProblem(w, p)
}

func (s *Server) replaceRecord(k APIKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, org, ok := writable(w, r)
		if !ok {
			return
		}
		rev, ok := ifMatch(w, r)
		if !ok {
			return
		}
		id := r.PathValue("id")
		rec, err := readDocument(w, r, k, org, id)
		if err != nil {
			s.problemOf(w, r, err)
			return
		}
		if _, err := ledger.Put(r.Context(), s.st, ledger.PutRequest{Record: rec, Rev: rev, Manager: p.Manager()}); err != nil {
			if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
				problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, s.missing(r, k, org))
				return
			}
			s.writeFailed(w, r, k, org, id, err, http.StatusPreconditionFailed)
			return
		}
		s.wrote(org)
		it, found, err := s.st.Item(r.Context(), k.Kind, org, id)
		s.answerItem(w, r, http.StatusOK, it, found, err, s.missing(r, k, org))
	}
}

func (s *Server) deleteRecord(k APIKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, org, ok := writable(w, r)
		if !ok {
			return
		}
		rev, ok := ifMatch(w, r)
		if !ok {
			return
		}
		if rev == ledger.AnyExists {
			rev = 0 // DeleteAs: any rev
		}
		id := r.PathValue("id")
		if err := ledger.DeleteAs(r.Context(), s.st, p.Manager(), k.Kind, org, id, rev); err != nil {
			if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
				problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, s.missing(r, k, org))
				return
			}
			s.writeFailed(w, r, k, org, id, err, http.StatusPreconditionFailed)
			return
		}
		s.wrote(org)
		w.WriteHeader(http.StatusNoContent)
	}
}

// History is a record's audit trail as the API returns it.
type History struct {
	Kind         string     `json:"kind"`
	Organization string     `json:"organization"`
	ID           string     `json:"id"`
	Revisions    []Revision `json:"revisions"`
}

// Revision is one write of a record (store.Revision).
type Revision struct {
	Rev     int64     `json:"rev"`
	Action  string    `json:"action"` // created, updated, deleted
	Manager string    `json:"manager"`
	At      time.Time `json:"at"`
	Fields  []string  `json:"fields,omitempty"` // absent: every field
}

// history answers a record's audit trail, oldest first; a deleted record
// keeps its history.
func (s *Server) history(k APIKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, org, ok := readable(w, r)
		if !ok {
			return
		}
		id := r.PathValue("id")
		revs, err := s.st.History(r.Context(), k.Kind, org, id)
		if err != nil {
			s.problemOf(w, r, err)
			return
		}
		if len(revs) == 0 {
			if _, found, err := s.st.Get(r.Context(), k.Kind, org, id); err != nil || !found {
				if err != nil {
					s.problemOf(w, r, err)
				} else {
					problem(w, r, http.StatusNotFound, tamledger.ENOTFOUND, s.missing(r, k, org))
				}
				return
			}
		}
		h := History{Kind: k.Kind, Organization: org, ID: id, Revisions: []Revision{}}
		for _, v := range revs {
			h.Revisions = append(h.Revisions, Revision{Rev: v.Rev, Action: v.Action, Manager: v.Manager, At: v.At.UTC(), Fields: v.Fields})
		}
		s.writeJSON(w, r, http.StatusOK, func(out io.Writer) error { return report.JSON(out, h) })
	}
}
