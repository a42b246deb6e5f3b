package web

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDC configures sign-in through an OpenID Connect provider (single
// sign-on). The provider vouches for an email; the account must exist
// (tamledger user add, with or without a password): signing in by OIDC
// creates none, and the account's role and organisations apply.
type OIDC struct {
	Issuer       string // the provider's issuer URL (its discovery document is read at start)
	ClientID     string
	ClientSecret string
	RedirectURL  string // this server's /signin/oidc/callback, as registered with the provider
	Name         string // on the sign-in page: "Sign in with NAME" ("" = "single sign-on")
}

// oidcCookie carries the state, nonce, PKCE verifier and destination of a
// sign-in in progress, for 10 minutes, to the callback only.
const oidcCookie = "tamledger_oidc"

type oidcFlow struct {
	name     string
	verifier *oidc.IDTokenVerifier
	config   oauth2.Config
}

// newOIDCFlow reads the provider's discovery document.
func newOIDCFlow(c OIDC) (*oidcFlow, error) {
	if c.Issuer == "" || c.ClientID == "" || c.RedirectURL == "" {
		return nil, errors.New("OIDC needs an issuer, a client id and a redirect URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("OIDC provider %s: %w", c.Issuer, err)
	}
	name := c.Name
	if name == "" {
		name = "single sign-on"
	}
	return &oidcFlow{
		name:     name,
		verifier: p.Verifier(&oidc.Config{ClientID: c.ClientID}),
		config: oauth2.Config{
			ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email"},
		},
	}, nil
}

// oidcStart sends the browser to the provider.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	state, _ := NewSecret("")
	nonce, _ := NewSecret("")
	pkce := oauth2.GenerateVerifier()
	next := localPath(r.URL.Query().Get("next"))
	http.SetCookie(w, &http.Cookie{
		Name:  oidcCookie,
		Value: strings.Join([]string{state, nonce, pkce, base64.RawURLEncoding.EncodeToString([]byte(next))}, "."),
		Path:  "/signin/oidc", MaxAge: 600, HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, s.oidc.config.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(pkce)), http.StatusFound)
}

// oidcCallback checks the provider's answer: the state of this browser's
// sign-in, the code exchanged (with PKCE), the ID token's signature,
// issuer, audience, expiry and nonce, and a verified email of an account.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	refuse := func(status int, msg string) {
		s.m.signins.WithLabelValues("failed").Inc()
		s.log.Warn("OIDC sign-in refused", "reason", msg, "remote", clientIP(r))
		s.signin.render(w, status, signinData{Next: "/", Error: msg, SSO: s.oidc.name})
	}
	c, err := r.Cookie(oidcCookie)
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/signin/oidc", MaxAge: -1, HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	if err != nil {
		refuse(http.StatusBadRequest, "This sign-in was not started here, or took more than 10 minutes. Try again.")
		return
	}
	parts := strings.Split(c.Value, ".")
	q := r.URL.Query()
	if len(parts) != 4 || subtle.ConstantTimeCompare([]byte(parts[0]), []byte(q.Get("state"))) != 1 {
		refuse(http.StatusBadRequest, "This sign-in was not started here, or took more than 10 minutes. Try again.")
		return
	}
	if e := q.Get("error"); e != "" {
		refuse(http.StatusUnauthorized, "The identity provider did not sign you in ("+e+").")
		return
	}
	nonce, pkce := parts[1], parts[2]
	next := "/"
	if b, err := base64.RawURLEncoding.DecodeString(parts[3]); err == nil {
		next = localPath(string(b))
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	tok, err := s.oidc.config.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(pkce))
	if err != nil {
		s.log.Error("OIDC: exchange the code", "err", err)
		refuse(http.StatusBadGateway, "The identity provider did not confirm the sign-in. Try again.")
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := s.oidc.verifier.Verify(ctx, raw)
	if err != nil {
		s.log.Warn("OIDC: ID token refused", "err", err)
		refuse(http.StatusUnauthorized, "The identity provider's answer is not valid. Try again.")
		return
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		refuse(http.StatusUnauthorized, "The identity provider's answer is not for this sign-in. Try again.")
		return
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil || claims.Email == "" {
		refuse(http.StatusUnauthorized, "The identity provider gave no email (tamledger asks for the email scope).")
		return
	}
	if claims.EmailVerified != nil && !*claims.EmailVerified {
		refuse(http.StatusUnauthorized, "The identity provider has not verified your email.")
		return
	}
	email := strings.ToLower(claims.Email)
	u, ok, err := s.st.User(r.Context(), email)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		refuse(http.StatusForbidden, "There is no account for "+email+": ask an administrator (tamledger user add).")
		return
	}
	if err := s.startSession(w, r, u.Email); err != nil {
		s.fail(w, r, err)
		return
	}
	s.m.signins.WithLabelValues("ok").Inc()
	s.log.Info("signed in by OIDC", "user", u.Email, "remote", clientIP(r))
	http.Redirect(w, r, next, http.StatusSeeOther)
}
