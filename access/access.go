// Package access says who may see and change what: the principal behind a
// request (a signed-in user or an API token's user) and its grants.
//
// An advisory firm serving many clients grants each client's people their
// own organisations only: an editor or a viewer reads, and an editor
// writes, within the organisations granted to them; an admin does
// everything, users included.
package access

import (
	"context"
	"fmt"
	"slices"

	"github.com/tamledger/tamledger"
)

// Role is what a user may do.
type Role string

const (
	Admin  Role = "admin"  // everything, in every organisation, and the users
	Editor Role = "editor" // read and write within the granted organisations
	Viewer Role = "viewer" // read within the granted organisations
)

// Roles in the order the docs list them.
var Roles = []Role{Admin, Editor, Viewer}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("unknown role %q (want admin, editor or viewer)", s)
	}
	return r, nil
}

// Principal is who makes a request.
type Principal struct {
	Email string
	Role  Role
	Orgs  []string // the organisations granted (an admin needs none)
}

// CanRead reports whether p may see organisation org and its records.
func (p *Principal) CanRead(org string) bool {
	if p == nil {
		return false
	}
	return p.Role == Admin || slices.Contains(p.Orgs, org)
}

// CanWrite reports whether p may change organisation org's records.
func (p *Principal) CanWrite(org string) bool {
	if p == nil {
		return false
	}
	return p.Role == Admin || (p.Role == Editor && slices.Contains(p.Orgs, org))
}

// IsAdmin reports whether p may manage users and every organisation.
func (p *Principal) IsAdmin() bool { return p != nil && p.Role == Admin }

// Manager is the field-ownership manager of p's edits ("web:EMAIL"), so that
// each field remembers who set it.
func (p *Principal) Manager() string { return tamledger.WebManager(p.Email) }

type ctxKey struct{}

// With returns ctx carrying p.
func With(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal ctx carries (nil, false for none: anonymous).
func From(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(*Principal)
	return p, ok && p != nil
}
