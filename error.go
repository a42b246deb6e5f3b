package tamledger

import (
	"errors"
	"fmt"
)

// Error codes. Service methods document which they return.
const (
	ECONFLICT    = "conflict"    // the action conflicts with what is stored (a concurrent change)
	EINTERNAL    = "internal"    // anything unexpected; the user sees "Internal error."
	EINVALID     = "invalid"     // bad input
	ENOTFOUND    = "not_found"   // no such record
	EUNAVAILABLE = "unavailable" // the environment: the store cannot be opened or written
)

// Error is an error a user may see: a code for programs and a message for
// people.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("tamledger: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode is the code of err's *Error, EINTERNAL for any other error and
// "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage is the message of err's *Error, "Internal error." for any
// other error and "" for nil.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "Internal error."
}

// FieldError is one problem with one field of a document. Path is the
// field's path in the document, such as "spec.obligations[1].cadence"; the
// document package turns it into FILE:LINE:COL.
type FieldError struct {
	Path    string
	Message string
}

func (e FieldError) Error() string { return e.Path + ": " + e.Message }

// Problems collects FieldErrors under a path prefix.
type Problems struct {
	List []FieldError
}

// Add records a problem at path.
func (p *Problems) Add(path, format string, args ...any) {
	p.List = append(p.List, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when nothing was recorded.
func (p *Problems) Err() error {
	if len(p.List) == 0 {
		return nil
	}
	return ProblemsError(p.List)
}

// ProblemsError is a list of FieldErrors as one error.
type ProblemsError []FieldError

func (e ProblemsError) Error() string {
	s := ""
	for i, f := range e {
		if i > 0 {
			s += "; "
		}
		s += f.Error()
	}
	return s
}
