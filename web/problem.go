package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

// Problem is an error of the API as application/problem+json (RFC 9457).
// Code is the CLI's error code (invalid, not_found, conflict, unavailable,
// internal) or one of HTTP's own (unauthorized, forbidden,
// precondition_failed, precondition_required, method_not_allowed).
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
	// Errors lists the problems of a document sent, each with its place
	// (line and column of the request body) and field.
	Errors []FieldProblem `json:"errors,omitempty"`
	// Current is the record as stored, with CurrentRev its version, when
	// an If-Match no longer holds (412) or a write conflicts (409).
	Current    json.RawMessage `json:"current,omitempty"`
	CurrentRev int64           `json:"currentRev,omitempty"`
}

// FieldProblem is one problem of a document sent to the API.
type FieldProblem struct {
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func problemType(code string) string { return "urn:tamledger:problem:" + code }

// problem writes a problem with status, code and detail.
func problem(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
	writeProblem(w, Problem{Type: problemType(code), Title: http.StatusText(status), Status: status, Detail: detail, Code: code})
}

func writeProblem(w http.ResponseWriter, p Problem) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

// statusOf is the HTTP status of an error code.
var statusOf = map[string]int{
	tamledger.EINVALID:     http.StatusBadRequest,
	tamledger.ENOTFOUND:    http.StatusNotFound,
	tamledger.ECONFLICT:    http.StatusConflict,
	tamledger.EUNAVAILABLE: http.StatusServiceUnavailable,
	tamledger.EINTERNAL:    http.StatusInternalServerError,
}

// problemOf answers err: a tamledger.Error by its code and message, a
// document's problems as a list, anything else as "Internal error."
// (logged whole).
func (s *Server) problemOf(w http.ResponseWriter, r *http.Request, err error) {
	var list document.ErrorList
	if errors.As(err, &list) {
		p := Problem{Type: problemType(tamledger.EINVALID), Title: "Bad Request", Status: http.StatusBadRequest, Code: tamledger.EINVALID,
			Detail: "the document sent has problems: see errors"}
		for _, e := range list {
			p.Errors = append(p.Errors, FieldProblem{Line: e.Line, Column: e.Col, Field: e.Path, Message: e.Msg})
		}
		writeProblem(w, p)
		return
	}
	var pe tamledger.ProblemsError
	if errors.As(err, &pe) {
		p := Problem{Type: problemType(tamledger.EINVALID), Title: "Bad Request", Status: http.StatusBadRequest, Code: tamledger.EINVALID,
			Detail: pe.Error()}
		for _, e := range pe {
			p.Errors = append(p.Errors, FieldProblem{Field: "spec." + e.Path, Message: e.Message})
		}
		writeProblem(w, p)
		return
	}
	code := tamledger.ErrorCode(err)
	if code == tamledger.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	problem(w, r, status, code, tamledger.ErrorMessage(err))
}
