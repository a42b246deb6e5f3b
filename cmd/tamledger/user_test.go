package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
)

func TestUserAndTokenCommands(t *testing.T) {
	dsn := getStore(t)
	const pw = "correct horse battery staple\n"
	for _, tt := range []struct {
		args  []string
		stdin string
		code  int
		want  string // in stdout or stderr
	}{
		{[]string{"user", "add", "Ana@Example.com", "--role", "admin", "--password-stdin"}, pw, 0, "added admin ana@example.com"},
		{[]string{"user", "add", "ana@example.com", "--role", "admin"}, "", 2, "user ana@example.com already exists"},
		{[]string{"user", "add", "sam@acme.example", "--role", "editor", "--org", "acme", "--password-stdin"}, pw, 0, "added editor sam@acme.example on acme"},
		{[]string{"user", "add", "v@acme.example", "--role", "viewer"}, "", 2, "a viewer needs at least one --org"},
		{[]string{"user", "add", "v@acme.example", "--role", "viewer", "--org", "nope"}, "", 2, `unknown organization "nope"`},
		{[]string{"user", "add", "v@acme.example", "--role", "owner", "--org", "acme"}, "", 2, `unknown role "owner"`},
		{[]string{"user", "add", "root@x.io", "--role", "admin", "--org", "acme"}, "", 2, "--org does not apply to an admin"},
		{[]string{"user", "add", "not an email", "--role", "admin"}, "", 2, `bad email "not an email"`},
		{[]string{"user", "add", "short@x.io", "--role", "admin", "--password-stdin"}, "short\n", 2, "want at least 12"},
		{[]string{"user", "add", "nopw@x.io", "--role", "admin"}, "", 0, "It has no password"},
		{[]string{"user", "list"}, "", 0, "sam@acme.example  editor  yes"},
		{[]string{"token", "create", "nobody@x.io", "--name", "ci"}, "", 2, "no user nobody@x.io"},
		{[]string{"token", "create", "sam@acme.example", "--name", "two words"}, "", 2, "bad token name"},
		{[]string{"token", "revoke", "sam@acme.example", "--name", "ci"}, "", 2, `has no token named "ci"`},
		{[]string{"user", "remove", "nobody@x.io"}, "", 2, "no user nobody@x.io"},
	} {
		out, errOut, code := cli(t, dsn, tt.stdin, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%s: exit %d, want %d with %q\n%s%s", strings.Join(tt.args, " "), code, tt.code, tt.want, out, errOut)
		}
	}

	// The password is stored as an argon2id hash that checks.
	out, _, _ := cli(t, dsn, "", "user", "list", "-o", "json")
	var users []struct {
		Email         string   `json:"email"`
		Role          string   `json:"role"`
		Organizations []string `json:"organizations"`
		Password      bool     `json:"password"`
	}
	if err := json.Unmarshal([]byte(out), &users); err != nil || len(users) != 3 {
		t.Fatalf("user list -o json: %v\n%s", err, out)
	}
	if users[2].Email != "sam@acme.example" || users[2].Role != "editor" || len(users[2].Organizations) != 1 || !users[2].Password || users[1].Password {
		t.Errorf("users = %+v", users)
	}
	st := openTestStore(t, dsn)
	u, ok, err := st.User(t.Context(), "sam@acme.example")
	if err != nil || !ok || !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=65536,t=3,p=4$") ||
		!web.CheckPassword(u.PasswordHash, "correct horse battery staple") || web.CheckPassword(u.PasswordHash, "correct horse battery stapler") {
		t.Errorf("sam's hash %q does not check", u.PasswordHash)
	}
	st.Close()

	// A token is printed once, as the last word of the last line, and
	// stored as its hash only.
	out, errOut, code := cli(t, dsn, "", "token", "create", "sam@acme.example", "--name", "ci")
	if code != 0 {
		t.Fatalf("token create: exit %d\n%s", code, errOut)
	}
	token := lastWord(out)
	if !strings.HasPrefix(token, "tlt_") || len(token) < 40 {
		t.Fatalf("token %q", token)
	}
	st = openTestStore(t, dsn)
	if u, ok, err := st.TokenUser(t.Context(), web.HashSecret(token)); err != nil || !ok || u.Email != "sam@acme.example" {
		t.Errorf("the token's hash finds %+v, %v, %v", u, ok, err)
	}
	var n int
	st.DB().QueryRow("SELECT count(*) FROM api_tokens WHERE hash = $1", token).Scan(&n)
	st.Close()
	if n != 0 {
		t.Error("the token is stored in the clear")
	}
	if out, _, _ := cli(t, dsn, "", "token", "list"); !strings.Contains(out, "sam@acme.example") || strings.Contains(out, token) {
		t.Errorf("token list:\n%s", out)
	}
	if _, errOut, code := cli(t, dsn, "", "token", "create", "sam@acme.example", "--name", "ci"); code != 2 || !strings.Contains(errOut, "already has a token") {
		t.Errorf("a second ci token: exit %d %s", code, errOut)
	}
	if out, _, code := cli(t, dsn, "", "token", "revoke", "sam@acme.example", "--name", "ci"); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("revoke: exit %d %s", code, out)
	}
	if out, _, code := cli(t, dsn, "", "user", "remove", "sam@acme.example"); code != 0 || !strings.Contains(out, "removed sam@acme.example") {
		t.Errorf("remove: exit %d %s", code, out)
	}
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

func openTestStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func storeUser(email, role string, orgs ...string) store.User {
	return store.User{Email: email, Role: role, Orgs: orgs}
}
