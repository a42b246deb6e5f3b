package main

import (
	"bufio"
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
)

func init() {
	register(newUserCmd)
	register(newTokenCmd)
}

func newUserCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "user add|list|remove",
		Short: "Manage the accounts of the web app (tamledger serve)",
		Long: `User manages who may sign in to the web app and what they may do there.

Roles:
  admin    everything, in every organisation, and the accounts
  editor   read and write the records of the organisations granted (--org)
  viewer   read the organisations granted (--org)

An advisory firm grants each client's people their own organisation only:
they see nothing of the others. Passwords are kept as argon2id hashes;
docs/web.md describes the security model.`,
		Example: `  echo 'correct horse battery staple' | tamledger user add ana@example.com --role admin --password-stdin
  tamledger user add cfo@acme.example --role viewer --org acme --password-stdin < pw.txt
  tamledger user list
  tamledger user remove cfo@acme.example`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	c.AddCommand(newUserAddCmd(a), newUserListCmd(a), newUserRemoveCmd(a))
	return c
}

func newUserAddCmd(a *app) *cobra.Command {
	var role string
	var orgs []string
	var passwordStdin bool
	c := &cobra.Command{
		Use:   "add EMAIL --role admin|editor|viewer [--org ID]... [--password-stdin]",
		Short: "Create an account",
		Long: `Add creates an account of the web app. An editor or a viewer needs at least
one --org (each an organisation of the store); an admin sees every
organisation and takes none.

--password-stdin reads the password from the first line of standard input
(at least 12 characters), so that it appears in no command line or shell
history. Without it the account has no password: it signs in by a one-time
link only (tamledger demo prints one).`,
		Example: `  echo 'correct horse battery staple' | tamledger user add ana@example.com --role admin --password-stdin
  tamledger user add sam@acme.example --role editor --org acme --org acme-eu --password-stdin < pw.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			email, err := parseEmail(args[0])
			if err != nil {
				return err
			}
			r, err := access.ParseRole(role)
			if err != nil {
				return usageError(fmt.Errorf("--role: %v", err))
			}
			switch {
			case r == access.Admin && len(orgs) > 0:
				return usageError(fmt.Errorf("--org does not apply to an admin, who sees every organisation: drop --org, or give --role editor or viewer"))
			case r != access.Admin && len(orgs) == 0:
				return usageError(fmt.Errorf("%s needs at least one --org (the organisations they may see; tamledger get organizations lists them)", map[access.Role]string{access.Editor: "an editor", access.Viewer: "a viewer"}[r]))
			}
			u := store.User{Email: email, Role: string(r), Orgs: orgs}
			if passwordStdin {
				pw, err := readPassword(a.in)
				if err != nil {
					return err
				}
				if u.PasswordHash, err = web.HashPassword(pw); err != nil {
					return usageError(fmt.Errorf("--password-stdin: %s", tamledger.ErrorMessage(err)))
				}
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, o := range orgs {
				if !tamledger.ValidID(o) {
					return unknownOrg(o)
				}
				if _, ok, err := st.Get(ctx, tamledger.KindOrganization, "", o); err != nil {
					return err
				} else if !ok {
					return usageError(fmt.Errorf("--org: unknown organization %q (see tamledger get organizations)", o))
				}
			}
			if err := st.AddUser(ctx, u); err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.out, userJSON(u, time.Now()))
			}
			fmt.Fprintf(a.out, "added %s %s%s\n", r, email, grantText(u.Orgs))
			if u.PasswordHash == "" {
				fmt.Fprintln(a.out, "It has no password: give one with --password-stdin to sign in with it.")
			}
			return nil
		},
	}
	c.Flags().StringVar(&role, "role", "", "admin, editor or viewer (required)")
	c.Flags().StringArrayVar(&orgs, "org", nil, "an organisation the user may see (repeat for more; editor and viewer)")
	c.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	c.MarkFlagRequired("role")
	return c
}

// parseEmail checks an account's email and returns it in lower case.
func parseEmail(s string) (string, error) {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", usageError(fmt.Errorf("bad email %q (want an address such as ana@example.com)", s))
	}
	return strings.ToLower(s), nil
}

// readPassword reads the first line of in, without its line ending.
func readPassword(in io.Reader) (string, error) {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("--password-stdin: read standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError(fmt.Errorf("--password-stdin: standard input holds no password (pipe it in: echo '...' | tamledger user add ...)"))
	}
	return line, nil
}

func grantText(orgs []string) string {
	if len(orgs) == 0 {
		return ""
	}
	return " on " + strings.Join(orgs, ", ")
}

type userOut struct {
	Email         string    `json:"email"`
	Role          string    `json:"role"`
	Organizations []string  `json:"organizations"`
	Password      bool      `json:"password"`
	Created       time.Time `json:"created"`
}

func userJSON(u store.User, created time.Time) userOut {
	if !u.CreatedAt.IsZero() {
		created = u.CreatedAt
	}
	return userOut{Email: u.Email, Role: u.Role, Organizations: append([]string{}, u.Orgs...), Password: u.PasswordHash != "", Created: created.UTC().Truncate(time.Second)}
}

func newUserListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list [-o table|json]",
		Short: "List the accounts, their roles and organisations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			users, err := st.Users(ctx)
			if err != nil {
				return err
			}
			if format == "json" {
				out := make([]userOut, len(users))
				for i, u := range users {
					out[i] = userJSON(u, u.CreatedAt)
				}
				return writeJSON(a.out, out)
			}
			if len(users) == 0 {
				_, err := io.WriteString(a.out, "No user yet: tamledger user add EMAIL --role admin --password-stdin creates the first.\n")
				return err
			}
			t := newTable(textCol("EMAIL", 20), fixedCol("ROLE"), fixedCol("PASSWORD"), fixedCol("CREATED"), textCol("ORGANIZATIONS", 20))
			for _, u := range users {
				pw := "no"
				if u.PasswordHash != "" {
					pw = "yes"
				}
				orgs := strings.Join(u.Orgs, ", ")
				if u.Role == string(access.Admin) {
					orgs = "(all)"
				}
				t.add(u.Email, u.Role, pw, u.CreatedAt.UTC().Format("2006-01-02"), orgs)
			}
			return t.write(a.out)
		},
	}
}

func newUserRemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove EMAIL",
		Short: "Delete an account, with its sessions and API tokens; the calendar feeds it made stop",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			email := strings.ToLower(args[0])
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.RemoveUser(ctx, email); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "removed %s (signed out, API tokens and the calendar feeds it made revoked)\n", email)
			return nil
		},
	}
}

func newTokenCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "token create|list|revoke",
		Short: "Manage API tokens for /api/v1 (Authorization: Bearer TOKEN)",
		Long: `Token manages the tokens that programs present to the JSON API of
tamledger serve, as "Authorization: Bearer TOKEN". A token acts as its user,
with the user's role and organisations. It is shown once, when created; the
store keeps only its SHA-256 hash, so a lost token is revoked and replaced,
never recovered. A token may expire (--expires): it then stops working, like
a revoked one, and token list marks it expired.`,
		Example: `  tamledger token create ana@example.com --name ci --expires 90d
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/organizations
  tamledger token list
  tamledger token revoke ana@example.com --name ci`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	var name, expiresFlag string
	create := &cobra.Command{
		Use:   "create EMAIL --name NAME [--expires DURATION|DATE|never]",
		Short: "Create an API token; it is printed once, as the last word of the last line",
		Long: `Create makes an API token of the user EMAIL and prints it once, as the last
word of the last line; the store keeps only its hash.

--expires sets when the token stops working: a number of days (90d), a Go
duration (12h, 1h30m), or a date YYYY-MM-DD, through which the token works:
it stops at the end of that day in UTC (00:00 UTC the next day). The default,
never, keeps the token until it is revoked; an expiry is recommended, so that
a forgotten token does not work for ever.`,
		Example: `  tamledger token create ana@example.com --name ci --expires 90d
  tamledger token create ana@example.com --name grafana --expires 2027-03-31`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			email := strings.ToLower(args[0])
			if err := checkTokenName(name); err != nil {
				return err
			}
			expires, err := parseExpiry(expiresFlag, time.Now())
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			token, hash := web.NewToken()
			if err := st.CreateToken(ctx, email, name, hash, expires); err != nil {
				return err
			}
			lifetime := "It never expires (--expires 90d would end it in 90 days)."
			if !expires.IsZero() {
				lifetime = "It expires at " + expires.Format(time.RFC3339) + "."
			}
			fmt.Fprintf(a.out, "Token %q of %s created. %s It is shown once: keep it in a secret store.\n%s\n", name, email, lifetime, token)
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "what the token is for, such as ci or grafana (required)")
	create.MarkFlagRequired("name")
	create.Flags().StringVar(&expiresFlag, "expires", "never", "when the token stops working: 90d, 12h, a date YYYY-MM-DD (through that day, UTC), or never; an expiry is recommended")

	list := &cobra.Command{
		Use:   "list [-o table|json]",
		Short: "List the API tokens (their names, never their values)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			tokens, err := st.Tokens(ctx)
			if err != nil {
				return err
			}
			now := time.Now()
			if format == "json" {
				type tokenOut struct {
					Email   string     `json:"email"`
					Name    string     `json:"name"`
					Created time.Time  `json:"created"`
					Expires *time.Time `json:"expiresAt"` // null: never
					Expired bool       `json:"expired"`
				}
				out := make([]tokenOut, len(tokens))
				for i, t := range tokens {
					out[i] = tokenOut{Email: t.Email, Name: t.Name, Created: t.CreatedAt.UTC().Truncate(time.Second), Expired: t.Expired(now)}
					if !t.ExpiresAt.IsZero() {
						exp := t.ExpiresAt.UTC()
						out[i].Expires = &exp
					}
				}
				return writeJSON(a.out, out)
			}
			if len(tokens) == 0 {
				_, err := io.WriteString(a.out, "No API token: tamledger token create EMAIL --name NAME creates one.\n")
				return err
			}
			t := newTable(textCol("EMAIL", 20), textCol("NAME", 12), fixedCol("CREATED"), fixedCol("EXPIRES"))
			for _, tk := range tokens {
				expires := "never"
				if !tk.ExpiresAt.IsZero() {
					expires = tk.ExpiresAt.UTC().Format(time.RFC3339)
				}
				if tk.Expired(now) {
					expires += " (expired)"
				}
				t.add(tk.Email, tk.Name, tk.CreatedAt.UTC().Format(time.RFC3339), expires)
			}
			return t.write(a.out)
		},
	}
	var revokeName string
	revoke := &cobra.Command{
		Use:   "revoke EMAIL --name NAME",
		Short: "Revoke an API token: it stops working at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			email := strings.ToLower(args[0])
			ctx := cmd.Context()
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.RevokeToken(ctx, email, revokeName); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "revoked token %q of %s\n", revokeName, email)
			return nil
		},
	}
	revoke.Flags().StringVar(&revokeName, "name", "", "the token's name (required; see tamledger token list)")
	revoke.MarkFlagRequired("name")
	c.AddCommand(create, list, revoke)
	return c
}

// checkTokenName allows names people can type and read back.
func checkTokenName(name string) error {
	if name == "" || len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == ' '
	}) {
		return usageError(fmt.Errorf("--name: bad token name %q (want 1 to 64 characters, no spaces, such as ci or grafana)", name))
	}
	return nil
}

// maxTokenLife is the furthest --expires may be: further is never.
const maxTokenLife = 100 * 365 * 24 * time.Hour

// parseExpiry reads token create's --expires at now: "never" (the zero
// time), a number of days ("90d"), a Go duration ("12h") from now, or a
// date YYYY-MM-DD, through which the token works: it expires at the end
// of that day in UTC, 00:00 UTC the next day. Durations are kept to the
// second. An expiry not after now, or more than 100 years away, is
// refused.
func parseExpiry(v string, now time.Time) (time.Time, error) {
	const want = "want a number of days such as 90d, a duration such as 12h, a date YYYY-MM-DD, or never"
	now = now.UTC()
	var exp time.Time
	if v == "never" {
		return time.Time{}, nil
	} else if d, err := time.Parse(time.DateOnly, v); err == nil {
		exp = d.AddDate(0, 0, 1)
		if !exp.After(now) {
			return time.Time{}, usageError(fmt.Errorf("--expires: %s is over: the token would expire at %s, before now (want a date from today on, UTC, or a duration such as 90d)",
				v, exp.Format(time.RFC3339)))
		}
	} else {
		var dur time.Duration
		if days, ok := strings.CutSuffix(v, "d"); ok && days != "" && strings.Trim(days, "0123456789") == "" {
			n, err := strconv.Atoi(days)
			if err != nil || n > int(maxTokenLife/(24*time.Hour)) {
				return time.Time{}, usageError(fmt.Errorf("--expires: %q is more than 100 years away (want at most %dd, or never)", v, maxTokenLife/(24*time.Hour)))
			}
			dur = time.Duration(n) * 24 * time.Hour
		} else if dur, err = time.ParseDuration(v); err != nil {
			return time.Time{}, usageError(fmt.Errorf("--expires: bad value %q (%s)", v, want))
		}
		if dur <= 0 {
			return time.Time{}, usageError(fmt.Errorf("--expires: %q is not in the future (want a positive duration, such as 90d or 12h)", v))
		}
		exp = now.Add(dur).Truncate(time.Second)
		if !exp.After(now) {
			return time.Time{}, usageError(fmt.Errorf("--expires: %q is less than a second (want a duration such as 90d or 12h)", v))
		}
	}
	if exp.After(now.Add(maxTokenLife)) {
		return time.Time{}, usageError(fmt.Errorf("--expires: %q is more than 100 years away (want a nearer expiry, or never)", v))
	}
	return exp, nil
}
