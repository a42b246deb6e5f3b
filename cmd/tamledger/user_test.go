package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

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
		{[]string{"token", "create", "sam@acme.example", "--name", "ci", "--expires", "3x"}, "", 2, `--expires: bad value "3x" (want a number of days such as 90d`},
		{[]string{"token", "create", "sam@acme.example", "--name", "ci", "--expires", "2020-01-01"}, "", 2, "--expires: 2020-01-01 is over"},
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
	created := time.Now()
	out, errOut, code := cli(t, dsn, "", "token", "create", "sam@acme.example", "--name", "ci", "--expires", "12h")
	if code != 0 {
		t.Fatalf("token create: exit %d\n%s", code, errOut)
	}
	token := lastWord(out)
	if !strings.HasPrefix(token, "tlt_") || len(token) < 40 {
		t.Fatalf("token %q", token)
	}
	st = openTestStore(t, dsn)
	if u, ok, err := st.TokenUser(t.Context(), web.HashSecret(token), time.Now()); err != nil || !ok || u.Email != "sam@acme.example" {
		t.Errorf("the token's hash finds %+v, %v, %v", u, ok, err)
	}
	if _, ok, err := st.TokenUser(t.Context(), web.HashSecret(token), created.Add(12*time.Hour-time.Minute)); err != nil || !ok {
		t.Errorf("the token made --expires 12h no longer works before 12 hours: %v, %v", ok, err)
	}
	if _, ok, err := st.TokenUser(t.Context(), web.HashSecret(token), created.Add(12*time.Hour+time.Minute)); err != nil || ok {
		t.Errorf("the token made --expires 12h still works 12 hours later: %v, %v", ok, err)
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

func TestParseExpiry(t *testing.T) {
	now := time.Date(2026, 12, 5, 8, 30, 15, 500_000_000, time.UTC)
	sec := now.Truncate(time.Second)
	for _, tt := range []struct {
		in   string
		want time.Time
		err  string // in the error; "" for none
	}{
		{"never", time.Time{}, ""},
		{"90d", sec.Add(90 * 24 * time.Hour), ""},
		{"1d", sec.Add(24 * time.Hour), ""},
		{"12h", sec.Add(12 * time.Hour), ""},
		{"1h30m", sec.Add(90 * time.Minute), ""},
		{"36500d", sec.Add(36500 * 24 * time.Hour), ""},
		// A date: through that day, UTC.
		{"2026-12-31", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"2026-12-05", time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), ""},
		{"2026-12-04", time.Time{}, "--expires: 2026-12-04 is over: the token would expire at 2026-12-05T00:00:00Z, before now (want a date from today on"},
		{"2020-02-29", time.Time{}, "2020-02-29 is over"},
		{"0d", time.Time{}, `--expires: "0d" is not in the future (want a positive duration, such as 90d or 12h)`},
		{"-1h", time.Time{}, `"-1h" is not in the future`},
		{"0s", time.Time{}, `"0s" is not in the future`},
		{"100ms", time.Time{}, `"100ms" is less than a second`},
		{"36501d", time.Time{}, `--expires: "36501d" is more than 100 years away (want at most 36500d, or never)`},
		{"99999999999999999999d", time.Time{}, "more than 100 years away"},
		{"9999-12-31", time.Time{}, `"9999-12-31" is more than 100 years away`},
		{"3x", time.Time{}, `--expires: bad value "3x" (want a number of days such as 90d, a duration such as 12h, a date YYYY-MM-DD, or never)`},
		{"", time.Time{}, `bad value ""`},
		{"d", time.Time{}, `bad value "d"`},
		{"1.5d", time.Time{}, `bad value "1.5d"`},
		{"90 days", time.Time{}, `bad value "90 days"`},
		{"Never", time.Time{}, `bad value "Never"`},
		{"2026-13-01", time.Time{}, `bad value "2026-13-01"`},
		{"31/12/2026", time.Time{}, `bad value "31/12/2026"`},
	} {
		got, err := parseExpiry(tt.in, now)
		if tt.err == "" {
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("parseExpiry(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			continue
		}
		var ee *exitError
		if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &ee) || ee.code != exitUsage {
			t.Errorf("parseExpiry(%q) = %v, %v; want a usage error with %q", tt.in, got, err, tt.err)
		}
	}
}

// token list shows when each token expires and marks the expired ones;
// -o json gives expiresAt (null: never) and expired.
func TestTokenListExpiry(t *testing.T) {
	dsn := getStore(t)
	if _, errOut, code := cli(t, dsn, "", "user", "add", "a-rather-long-address-for-an-api-user@acme.example", "--role", "admin"); code != 0 {
		t.Fatalf("user add: exit %d %s", code, errOut)
	}
	const email = "a-rather-long-address-for-an-api-user@acme.example"
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "forever"}, "It never expires (--expires 90d would end it in 90 days)."},
		{[]string{"--name", "dated", "--expires", "2099-12-31"}, "It expires at 2100-01-01T00:00:00Z."},
		{[]string{"--name", "quarter-of-a-year-for-the-dashboard", "--expires", "90d"}, "It expires at "},
	} {
		out, errOut, code := cli(t, dsn, "", append([]string{"token", "create", email}, tt.args...)...)
		if code != 0 || !strings.Contains(out, tt.want) || !strings.HasPrefix(lastWord(out), "tlt_") {
			t.Errorf("token create %v: exit %d\n%s%s", tt.args, code, out, errOut)
		}
	}
	// The store takes an expiry in the past (the CLI does not): a token
	// that has expired since.
	st := openTestStore(t, dsn)
	_, hash := web.NewToken()
	if err := st.CreateToken(context.Background(), email, "old", hash, time.Now().Add(-time.Hour).Truncate(time.Second)); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, errOut, code := cli(t, dsn, "", "token", "list")
	if code != 0 {
		t.Fatalf("token list: exit %d %s", code, errOut)
	}
	t.Logf("token list:\n%s", out)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 || !strings.Contains(lines[0], "CREATED") || !strings.HasSuffix(lines[0], "EXPIRES") {
		t.Fatalf("token list:\n%s", out)
	}
	in90 := time.Now().UTC().Add(90 * 24 * time.Hour)
	for _, l := range lines {
		if w := displayWidth(l); w > tableWidth {
			t.Errorf("a line of %d columns, want at most %d: %q", w, tableWidth, l)
		}
	}
	for i, want := range []string{
		"  2100-01-01T00:00:00Z",            // dated
		"  never",                           // forever
		"(expired)",                         // old
		"  " + in90.Format("2006-01-02T15"), // 90 days from now (to the hour)
	} {
		if l := lines[i+1]; !strings.Contains(l, want) || (i != 2) == strings.Contains(l, "expired") {
			t.Errorf("token list, row %d: want %q and expired only on old:\n%s", i+1, want, out)
		}
	}

	out, _, _ = cli(t, dsn, "", "token", "list", "-o", "json")
	var tokens []struct {
		Name      string     `json:"name"`
		ExpiresAt *time.Time `json:"expiresAt"`
		Expired   bool       `json:"expired"`
	}
	if err := json.Unmarshal([]byte(out), &tokens); err != nil || len(tokens) != 4 {
		t.Fatalf("token list -o json: %v\n%s", err, out)
	}
	if tk := tokens[0]; tk.Name != "dated" || tk.ExpiresAt == nil || !tk.ExpiresAt.Equal(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)) || tk.Expired {
		t.Errorf("dated: %+v", tk)
	}
	if tk := tokens[1]; tk.Name != "forever" || tk.ExpiresAt != nil || tk.Expired || !strings.Contains(out, `"expiresAt": null`) {
		t.Errorf("forever: %+v\n%s", tk, out)
	}
	if tk := tokens[2]; tk.Name != "old" || tk.ExpiresAt == nil || !tk.Expired {
		t.Errorf("old: %+v", tk)
	}
	if tk := tokens[3]; tk.ExpiresAt == nil || tk.ExpiresAt.Sub(in90).Abs() > time.Minute || tk.Expired {
		t.Errorf("90d: %+v, want about %v", tk, in90)
	}
}
