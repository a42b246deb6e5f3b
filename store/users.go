package store

import (
	"context"
	"slices"
	"time"

	"github.com/tamledger/tamledger"
)

// The web app's accounts: users with their role and organisation grants,
// their sessions, API tokens and one-time sign-in links (migration
// 0003_users.sql). The store keeps no secret: callers hand it hashes
// (argon2id for passwords, SHA-256 for the random session ids, tokens and
// links), and look a session, token or link up by the hash of what the
// client presents.
//
// These tables are not records: they are written here, with parameterised
// SQL, in write transactions of their own that queue with the records'
// writers on SQLite.

// User is an account of the web app.
type User struct {
	Email     string
	Role      string   // access.Admin, access.Editor, access.Viewer
	Orgs      []string // the organisations granted, sorted
	CreatedAt time.Time
	// PasswordHash is the argon2id hash in PHC form, "" for an account
	// with no password (it signs in by a one-time link or OIDC only).
	PasswordHash string
}

// Token is an API token as listed: never its value.
type Token struct {
	Email, Name string
	CreatedAt   time.Time
	// ExpiresAt is the instant the token stops working; zero for a
	// token that never expires.
	ExpiresAt time.Time
}

// Expired says whether the token no longer works at now: it stops at
// ExpiresAt itself, as TokenUser has it.
func (t Token) Expired(now time.Time) bool {
	return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// aux runs fn in a write transaction of the accounts' tables.
func (s *Store) aux(ctx context.Context, op string, fn func(c txConn) error) error {
	c, unlock, err := s.b.begin(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := fn(c); err != nil {
		c.rollback()
		return mapError(op, err, "")
	}
	return mapError(op, c.commit(), "")
}

// auxRead runs fn on a read connection.
func (s *Store) auxRead(ctx context.Context, op string, fn func(c conn) error) error {
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return err
	}
	defer release()
	return mapError(op, fn(conns[0]), "")
}

// AddUser creates an account; an email already taken is ECONFLICT.
func (s *Store) AddUser(ctx context.Context, u User) error {
	return s.aux(ctx, "add user", func(c txConn) error {
		if _, found, err := queryOne(ctx, c, "SELECT email FROM users WHERE email = $1", u.Email); err != nil {
			return err
		} else if found {
			return tamledger.Errorf(tamledger.ECONFLICT, "user %s already exists (tamledger user remove %s first to start again)", u.Email, u.Email)
		}
		var hash any
		if u.PasswordHash != "" {
			hash = u.PasswordHash
		}
		if _, err := c.exec(ctx, "INSERT INTO users (email, role, password_hash, created_at) VALUES ($1, $2, $3, $4)",
			u.Email, u.Role, hash, s.d.instant(time.Now())); err != nil {
			return err
		}
		for _, o := range slices.Compact(slices.Sorted(slices.Values(u.Orgs))) {
			if _, err := c.exec(ctx, "INSERT INTO user_organizations (email, organization) VALUES ($1, $2)", u.Email, o); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetPassword replaces a user's password hash; an unknown user is
// ENOTFOUND.
func (s *Store) SetPassword(ctx context.Context, email, hash string) error {
	return s.aux(ctx, "set password", func(c txConn) error {
		n, err := c.exec(ctx, "UPDATE users SET password_hash = $1 WHERE email = $2", hash, email)
		if err == nil && n == 0 {
			err = tamledger.Errorf(tamledger.ENOTFOUND, "no user %s (see tamledger user list)", email)
		}
		return err
	})
}

// RemoveUser deletes an account with its grants, sessions, tokens and
// sign-in links, and revokes the calendar feeds it created (revoked_by
// "user-removed:EMAIL"); an unknown user is ENOTFOUND.
func (s *Store) RemoveUser(ctx context.Context, email string) error {
	return s.aux(ctx, "remove user", func(c txConn) error {
		if _, err := c.exec(ctx, "UPDATE calendar_feeds SET revoked_at = $1, revoked_by = $2 WHERE created_by = $3 AND revoked_at IS NULL",
			s.d.instant(time.Now()), "user-removed:"+email, email); err != nil {
			return err
		}
		for _, table := range []string{"user_organizations", "sessions", "api_tokens", "signin_links"} {
			if _, err := c.exec(ctx, "DELETE FROM "+table+" WHERE email = $1", email); err != nil {
				return err
			}
		}
		n, err := c.exec(ctx, "DELETE FROM users WHERE email = $1", email)
		if err == nil && n == 0 {
			err = tamledger.Errorf(tamledger.ENOTFOUND, "no user %s (see tamledger user list)", email)
		}
		return err
	})
}

// Users lists every account, by email.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := s.auxRead(ctx, "list users", func(c conn) error {
		var err error
		out, err = readUsers(ctx, c, "", nil)
		return err
	})
	return out, err
}

// User returns one account; ok is false when there is none.
func (s *Store) User(ctx context.Context, email string) (u User, ok bool, err error) {
	err = s.auxRead(ctx, "read user", func(c conn) error {
		us, err := readUsers(ctx, c, "WHERE u.email = $1", []any{email})
		if len(us) == 1 {
			u, ok = us[0], true
		}
		return err
	})
	return u, ok, err
}

// readUsers reads the users that where selects (on u, the users table),
// with their grants.
func readUsers(ctx context.Context, c conn, where string, args []any) ([]User, error) {
	rs, err := c.rows(ctx, "SELECT u.email, u.role, u.password_hash, u.created_at, g.organization FROM users u LEFT JOIN user_organizations g ON g.email = u.email "+
		where+" ORDER BY u.email, g.organization", args...)
	if err != nil {
		return nil, err
	}
	defer rs.close()
	var out []User
	for rs.next() {
		email := rs.text(0)
		if len(out) == 0 || out[len(out)-1].Email != email {
			u := User{Email: email, Role: rs.text(1), PasswordHash: rs.text(2)}
			u.CreatedAt, _ = rs.instant(3)
			out = append(out, u)
		}
		if !rs.null(4) {
			u := &out[len(out)-1]
			u.Orgs = append(u.Orgs, rs.text(4))
		}
	}
	return out, rs.err()
}

// queryOne returns the first column of the first row of query as text.
func queryOne(ctx context.Context, c conn, query string, args ...any) (string, bool, error) {
	rs, err := c.rows(ctx, query, args...)
	if err != nil {
		return "", false, err
	}
	defer rs.close()
	if !rs.next() {
		return "", false, rs.err()
	}
	v := rs.text(0)
	return v, true, rs.err()
}

// CreateSession stores a session of email, by the hash of its id, valid
// until expires.
func (s *Store) CreateSession(ctx context.Context, idHash, email string, expires time.Time) error {
	return s.aux(ctx, "create session", func(c txConn) error {
		// Expired sessions go when someone signs in.
		if _, err := c.exec(ctx, "DELETE FROM sessions WHERE expires_at <= $1", s.d.instant(time.Now())); err != nil {
			return err
		}
		_, err := c.exec(ctx, "INSERT INTO sessions (id_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)",
			idHash, email, s.d.instant(time.Now()), s.d.instant(expires))
		return err
	})
}

// SessionUser returns the user of the session whose id hashes to idHash,
// if it has not expired at now.
func (s *Store) SessionUser(ctx context.Context, idHash string, now time.Time) (User, bool, error) {
	return s.userBy(ctx, "SELECT email FROM sessions WHERE id_hash = $1 AND expires_at > $2", idHash, s.d.instant(now))
}

// DeleteSession ends a session (signing out); an unknown one is no error.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.aux(ctx, "delete session", func(c txConn) error {
		_, err := c.exec(ctx, "DELETE FROM sessions WHERE id_hash = $1", idHash)
		return err
	})
}

// userBy returns the user whose email query selects.
func (s *Store) userBy(ctx context.Context, query string, args ...any) (u User, ok bool, err error) {
	err = s.auxRead(ctx, "read user", func(c conn) error {
		email, found, err := queryOne(ctx, c, query, args...)
		if err != nil || !found {
			return err
		}
		us, err := readUsers(ctx, c, "WHERE u.email = $1", []any{email})
		if len(us) == 1 {
			u, ok = us[0], true
		}
		return err
	})
	return u, ok, err
}

// CreateToken stores an API token of email named name, by its hash,
// working until expires (the zero time: a token that never expires); a
// name the user already has is ECONFLICT, an unknown user ENOTFOUND.
func (s *Store) CreateToken(ctx context.Context, email, name, hash string, expires time.Time) error {
	return s.aux(ctx, "create token", func(c txConn) error {
		if _, found, err := queryOne(ctx, c, "SELECT email FROM users WHERE email = $1", email); err != nil {
			return err
		} else if !found {
			return tamledger.Errorf(tamledger.ENOTFOUND, "no user %s (tamledger user add %s first)", email, email)
		}
		if _, found, err := queryOne(ctx, c, "SELECT name FROM api_tokens WHERE email = $1 AND name = $2", email, name); err != nil {
			return err
		} else if found {
			return tamledger.Errorf(tamledger.ECONFLICT, "user %s already has a token named %q (revoke it, or give another --name)", email, name)
		}
		var exp any
		if !expires.IsZero() {
			exp = s.d.instant(expires)
		}
		_, err := c.exec(ctx, "INSERT INTO api_tokens (email, name, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
			email, name, hash, s.d.instant(time.Now()), exp)
		return err
	})
}

// TokenUser returns the user of the API token that hashes to hash, if it
// has not expired at now (a token stops working at its expires_at; one
// with none never expires). An expired token is not found, like an
// unknown one.
func (s *Store) TokenUser(ctx context.Context, hash string, now time.Time) (User, bool, error) {
	return s.userBy(ctx, "SELECT email FROM api_tokens WHERE hash = $1 AND (expires_at IS NULL OR expires_at > $2)", hash, s.d.instant(now))
}

// Tokens lists the API tokens (not their values), expired ones included,
// by email and name.
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	var out []Token
	err := s.auxRead(ctx, "list tokens", func(c conn) error {
		rs, err := c.rows(ctx, "SELECT email, name, created_at, expires_at FROM api_tokens ORDER BY email, name")
		if err != nil {
			return err
		}
		defer rs.close()
		for rs.next() {
			t := Token{Email: rs.text(0), Name: rs.text(1)}
			t.CreatedAt, _ = rs.instant(2)
			if !rs.null(3) {
				t.ExpiresAt, _ = rs.instant(3)
			}
			out = append(out, t)
		}
		return rs.err()
	})
	return out, err
}

// RevokeToken deletes the token name of email; an unknown one is
// ENOTFOUND.
func (s *Store) RevokeToken(ctx context.Context, email, name string) error {
	return s.aux(ctx, "revoke token", func(c txConn) error {
		n, err := c.exec(ctx, "DELETE FROM api_tokens WHERE email = $1 AND name = $2", email, name)
		if err == nil && n == 0 {
			err = tamledger.Errorf(tamledger.ENOTFOUND, "user %s has no token named %q (see tamledger token list)", email, name)
		}
		return err
	})
}

// CreateSignInLink stores a one-time sign-in link of email, by its hash,
// valid until expires.
func (s *Store) CreateSignInLink(ctx context.Context, hash, email string, expires time.Time) error {
	return s.aux(ctx, "create sign-in link", func(c txConn) error {
		_, err := c.exec(ctx, "INSERT INTO signin_links (hash, email, expires_at) VALUES ($1, $2, $3)", hash, email, s.d.instant(expires))
		return err
	})
}

// UseSignInLink consumes the link that hashes to hash: it returns its
// user's email when the link exists and has not expired at now, and
// deletes it either way, so that it works once.
func (s *Store) UseSignInLink(ctx context.Context, hash string, now time.Time) (email string, ok bool, err error) {
	err = s.aux(ctx, "use sign-in link", func(c txConn) error {
		// One statement: two requests with the same link cannot both
		// find it.
		rs, err := c.rows(ctx, "DELETE FROM signin_links WHERE hash = $1 RETURNING email, expires_at", hash)
		if err != nil {
			return err
		}
		defer rs.close()
		if rs.next() {
			email = rs.text(0)
			exp, _ := rs.instant(1)
			ok = exp.After(now)
		}
		return rs.err()
	})
	if err != nil || !ok {
		return "", false, err
	}
	return email, true, nil
}
