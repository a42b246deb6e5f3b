package store_test

import (
	"context"
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
		if err := s.CreateToken(ctx, "cfo@acme.example", "ci", "th1"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateToken(ctx, "cfo@acme.example", "ci", "th2"); tamledger.ErrorCode(err) != tamledger.ECONFLICT {
			t.Errorf("a second token named ci: %v", err)
		}
		if err := s.CreateToken(ctx, "nobody@x.io", "ci", "th3"); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
			t.Errorf("a token of nobody: %v", err)
		}
		if u, ok, err := s.TokenUser(ctx, "th1"); err != nil || !ok || u.Email != "cfo@acme.example" {
			t.Errorf("TokenUser = %+v, %v, %v", u, ok, err)
		}
		if ts, err := s.Tokens(ctx); err != nil || len(ts) != 1 || ts[0].Name != "ci" {
			t.Errorf("Tokens = %+v, %v", ts, err)
		}
		if err := s.RevokeToken(ctx, "cfo@acme.example", "ci"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.TokenUser(ctx, "th1"); ok {
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
		s.CreateToken(ctx, "cfo@acme.example", "ci", "th4")
		if err := s.RemoveUser(ctx, "cfo@acme.example"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.SessionUser(ctx, "h3", now); ok {
			t.Error("a removed user's session still signs in")
		}
		if _, ok, _ := s.TokenUser(ctx, "th4"); ok {
			t.Error("a removed user's token still works")
		}
		if err := s.RemoveUser(ctx, "cfo@acme.example"); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
			t.Errorf("removing again: %v", err)
		}
	})
}
