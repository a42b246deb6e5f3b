package access

import (
	"context"
	"testing"
)

func TestGrants(t *testing.T) {
	admin := &Principal{Email: "a@x", Role: Admin}
	ed := &Principal{Email: "e@x", Role: Editor, Orgs: []string{"acme"}}
	vw := &Principal{Email: "v@x", Role: Viewer, Orgs: []string{"acme"}}
	var anon *Principal
	cases := []struct {
		p           *Principal
		org         string
		read, write bool
	}{
		{admin, "globex", true, true},
		{ed, "acme", true, true},
		{ed, "globex", false, false},
		{vw, "acme", true, false},
		{vw, "globex", false, false},
		{anon, "acme", false, false},
	}
	for _, c := range cases {
		if got := c.p.CanRead(c.org); got != c.read {
			t.Errorf("%v CanRead(%s) = %v, want %v", c.p, c.org, got, c.read)
		}
		if got := c.p.CanWrite(c.org); got != c.write {
			t.Errorf("%v CanWrite(%s) = %v, want %v", c.p, c.org, got, c.write)
		}
	}
	if ed.Manager() != "web:e@x" {
		t.Errorf("Manager = %q", ed.Manager())
	}
	if _, err := ParseRole("owner"); err == nil {
		t.Error("ParseRole(owner): no error")
	}
	if p, ok := From(With(context.Background(), vw)); !ok || p != vw {
		t.Error("From(With(vw)) lost the principal")
	}
	if _, ok := From(context.Background()); ok {
		t.Error("From(empty) found a principal")
	}
}
