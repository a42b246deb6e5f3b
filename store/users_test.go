package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

func TestUsers(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.AddUser(ctx, store.User{Email: "ana@example.com", Role: "admin", PasswordHash: "$argon2id$x"}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddUser(ctx, store.User{Email: "cfo@acme.example", Role: "viewer", Orgs: []string{"globex", "acme", "acme"}}); err != nil {
			t.Fatal(err)
		}
		err := s.AddUser(ctx, store.User{Email: "ana@example.com", Role: "viewer"})
		if tamledger.ErrorCode(err) != tamledger.ECONFLICT {
			t.Errorf("adding ana again: %v, want a conflict", err)
		}
		us, err := s.Users(ctx)
		if err != nil || len(us) != 2 {
			t.Fatalf("Users = %+v, %v", us, err)
		}
		if us[0].Email != "ana@example.com" || us[0].PasswordHash != "$argon2id$x" || len(us[0].Orgs) != 0 || us[0].CreatedAt.IsZero() {
			t.Errorf("ana = %+v", us[0])
		}
		if us[1].Role != "viewer" || !slices.Equal(us[1].Orgs, []string{"acme", "globex"}) || us[1].PasswordHash != "" {
			t.Errorf("cfo = %+v", us[1])
		}

		// Sessions: found by hash until they expire; gone when signed out.
		now := time.Now()
		if err := s.CreateSession(ctx, "h1", "cfo@acme.example", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if u, ok, err := s.SessionUser(ctx, "h1", now); err != nil || !ok || u.Email != "cfo@acme.example" || len(u.Orgs) != 2 {
			t.Errorf("SessionUser(h1) = %+v, %v, %v", u, ok, err)
		}
		if _, ok, _ := s.SessionUser(ctx, "h1", now.Add(2*time.Hour)); ok {
			t.Error("an expired session still signs in")
		}
		if _, ok, _ := s.SessionUser(ctx, "h2", now); ok {
			t.Error("an unknown session signs in")
		}
		if err := s.DeleteSession(ctx, "h1"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.SessionUser(ctx, "h1", now); ok {
			t.Error("a deleted session still signs in")
		}

		// Tokens: one name per user, found by hash, revoked by name.
		if err := s.CreateToken(ctx, "cfo@acme.example", "ci", "th1", time.Time{}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateToken(ctx, "cfo@acme.example", "ci", "th2", time.Time{}); tamledger.ErrorCode(err) != tamledger.ECONFLICT {
			t.Errorf("a second token named ci: %v", err)
		}
		if err := s.CreateToken(ctx, "nobody@x.io", "ci", "th3", time.Time{}); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
			t.Errorf("a token of nobody: %v", err)
		}
		if u, ok, err := s.TokenUser(ctx, "th1", now); err != nil || !ok || u.Email != "cfo@acme.example" {
			t.Errorf("TokenUser = %+v, %v, %v", u, ok, err)
		}
		if ts, err := s.Tokens(ctx); err != nil || len(ts) != 1 || ts[0].Name != "ci" {
			t.Errorf("Tokens = %+v, %v", ts, err)
		}
		if err := s.RevokeToken(ctx, "cfo@acme.example", "ci"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.TokenUser(ctx, "th1", now); ok {
			t.Error("a revoked token still works")
		}
		if err := s.RevokeToken(ctx, "cfo@acme.example", "ci"); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
			t.Errorf("revoking again: %v", err)
		}

		// Sign-in links work once, and not after they expire.
		s.CreateSignInLink(ctx, "l1", "ana@example.com", now.Add(time.Minute))
		s.CreateSignInLink(ctx, "l2", "ana@example.com", now.Add(-time.Minute))
		if email, ok, err := s.UseSignInLink(ctx, "l1", now); err != nil || !ok || email != "ana@example.com" {
			t.Errorf("UseSignInLink(l1) = %q, %v, %v", email, ok, err)
		}
		if _, ok, _ := s.UseSignInLink(ctx, "l1", now); ok {
			t.Error("a sign-in link works twice")
		}
		if _, ok, _ := s.UseSignInLink(ctx, "l2", now); ok {
			t.Error("an expired sign-in link works")
		}

		// Removing a user ends its sessions and tokens.
		s.CreateSession(ctx, "h3", "cfo@acme.example", now.Add(time.Hour))
		s.CreateToken(ctx, "cfo@acme.example", "ci", "th4", time.Time{})
		if err := s.RemoveUser(ctx, "cfo@acme.example"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.SessionUser(ctx, "h3", now); ok {
			t.Error("a removed user's session still signs in")
		}
		if _, ok, _ := s.TokenUser(ctx, "th4", now); ok {
			t.Error("a removed user's token still works")
		}
		if err := s.RemoveUser(ctx, "cfo@acme.example"); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
			t.Errorf("removing again: %v", err)
		}
	})
}

// A token works until its expiry, not at it; one with no expiry (NULL, as
// every token made before migration 0006 has) never expires.
func TestTokenExpiry(t *testing.T) {
	drivers(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.AddUser(ctx, store.User{Email: "ci@x.io", Role: "admin"}); err != nil {
			t.Fatal(err)
		}
		exp := time.Date(2027, 3, 31, 12, 0, 0, 0, time.UTC)
		if err := s.CreateToken(ctx, "ci@x.io", "short", "th-short", exp); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateToken(ctx, "ci@x.io", "forever", "th-forever", time.Time{}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			hash string
			now  time.Time
			ok   bool
		}{
			{"th-short", exp.Add(-time.Second), true},
			{"th-short", exp.Add(-time.Microsecond), true},
			{"th-short", exp, false},
			{"th-short", exp.Add(time.Second), false},
			{"th-forever", exp.AddDate(200, 0, 0), true},
		} {
			u, ok, err := s.TokenUser(ctx, tt.hash, tt.now)
			if err != nil || ok != tt.ok || ok && u.Email != "ci@x.io" {
				t.Errorf("TokenUser(%s, %s) = %+v, %v, %v; want ok %v", tt.hash, tt.now.Format(time.RFC3339Nano), u, ok, err, tt.ok)
			}
		}
		// A NULL expires_at, as the migration leaves the tokens made
		// before it, never expires.
		if _, err := s.DB().Exec("UPDATE api_tokens SET expires_at = NULL WHERE name = $1", "short"); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.TokenUser(ctx, "th-short", exp.AddDate(1, 0, 0)); err != nil || !ok {
			t.Errorf("a token with no expiry: %v, %v; want it to work", ok, err)
		}

		// The listing gives each token's expiry, zero for none, expired
		// ones included.
		if err := s.CreateToken(ctx, "ci@x.io", "old", "th-old", exp.Add(-48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		ts, err := s.Tokens(ctx)
		if err != nil || len(ts) != 3 {
			t.Fatalf("Tokens = %+v, %v", ts, err)
		}
		if ts[0].Name != "forever" || !ts[0].ExpiresAt.IsZero() || ts[0].Expired(exp.AddDate(200, 0, 0)) {
			t.Errorf("forever = %+v", ts[0])
		}
		if ts[1].Name != "old" || !ts[1].ExpiresAt.Equal(exp.Add(-48*time.Hour)) || ts[1].ExpiresAt.Location() != time.UTC ||
			!ts[1].Expired(exp) || ts[1].Expired(exp.Add(-49*time.Hour)) || !ts[1].Expired(ts[1].ExpiresAt) {
			t.Errorf("old = %+v (Expired at its expiry %v)", ts[1], ts[1].Expired(ts[1].ExpiresAt))
		}
		if ts[2].Name != "short" || !ts[2].ExpiresAt.IsZero() {
			t.Errorf("short, its expiry set to NULL = %+v", ts[2])
		}
	})
}

// A store made before migration 0006 keeps its tokens working after it:
// the migration gives them no expiry.
func TestTokenExpiryMigration(t *testing.T) {
	for driver, dsn := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "tamledger.db") },
		"postgres": func(t *testing.T) string { return postgresDSN(t) },
	} {
		t.Run(driver, func(t *testing.T) {
			t.Parallel()
			dsn := dsn(t)
			ctx := context.Background()
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AddUser(ctx, store.User{Email: "ci@x.io", Role: "admin"}); err != nil {
				t.Fatal(err)
			}
			// Back to the schema before 0006, with a token made then.
			for _, q := range []string{
				"ALTER TABLE api_tokens DROP COLUMN expires_at",
				"DELETE FROM schema_migrations WHERE version = '0006_token_expiry'",
			} {
				if _, err := s.DB().Exec(q); err != nil {
					t.Fatal(q, err)
				}
			}
			if _, err := s.DB().Exec("INSERT INTO api_tokens (email, name, hash, created_at) SELECT email, 'old', 'th-old', created_at FROM users"); err != nil {
				t.Fatal(err)
			}
			s.Close()

			s, err = store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if u, ok, err := s.TokenUser(ctx, "th-old", time.Now().AddDate(100, 0, 0)); err != nil || !ok || u.Email != "ci@x.io" {
				t.Errorf("a token made before 0006: %+v, %v, %v; want it to work", u, ok, err)
			}
			if ts, err := s.Tokens(ctx); err != nil || len(ts) != 1 || !ts[0].ExpiresAt.IsZero() {
				t.Errorf("Tokens = %+v, %v; want the old token with no expiry", ts, err)
			}
		})
	}
}
