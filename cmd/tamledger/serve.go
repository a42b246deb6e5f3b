package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
	"github.com/tamledger/tamledger/web/ui"
)

func init() { register(newServeCmd) }

// serveFlags are the flags of serve, which demo shares.
type serveFlags struct {
	addr, metricsAddr, tlsCert, tlsKey, publicURL    string
	oidcIssuer, oidcClientID, oidcRedirect, oidcName string
}

func (f *serveFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.addr, "addr", "127.0.0.1:8080", "the address to serve on, host:port (0.0.0.0:8080 for every interface)")
	c.Flags().StringVar(&f.metricsAddr, "metrics-addr", "", "also serve /metrics to anyone on this address (on --addr it is for admins only)")
	c.Flags().StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (and --tls-key); cookies are then Secure")
	c.Flags().StringVar(&f.tlsKey, "tls-key", "", "the PEM private key of --tls-cert")
	c.Flags().StringVar(&f.publicURL, "public-url", "", "the address people and calendar apps reach this server at, behind a proxy that ends TLS (https://tam.example.com): calendar addresses use it, and with https cookies are Secure")
	c.Flags().StringVar(&f.oidcIssuer, "oidc-issuer", "", "also sign in through this OpenID Connect provider (its issuer URL; the client secret in env TAMLEDGER_OIDC_CLIENT_SECRET)")
	c.Flags().StringVar(&f.oidcClientID, "oidc-client-id", "", "tamledger's client id at the --oidc-issuer")
	c.Flags().StringVar(&f.oidcRedirect, "oidc-redirect-url", "", "this server's callback as registered with the provider: https://HOST/signin/oidc/callback")
	c.Flags().StringVar(&f.oidcName, "oidc-name", "", `the provider's name on the sign-in page ("Sign in with NAME")`)
}

// check refuses flags that do not go together, before anything is done.
func (f *serveFlags) check() error {
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usageError(fmt.Errorf("give both --tls-cert and --tls-key, or neither"))
	}
	_, err := f.oidc()
	return err
}

// oidc is the OIDC configuration of the flags, nil without --oidc-issuer.
func (f *serveFlags) oidc() (*web.OIDC, error) {
	if f.oidcIssuer == "" {
		if f.oidcClientID != "" || f.oidcRedirect != "" {
			return nil, usageError(fmt.Errorf("--oidc-client-id and --oidc-redirect-url need --oidc-issuer"))
		}
		return nil, nil
	}
	if f.oidcClientID == "" || f.oidcRedirect == "" {
		return nil, usageError(fmt.Errorf("--oidc-issuer needs --oidc-client-id and --oidc-redirect-url (https://HOST/signin/oidc/callback)"))
	}
	return &web.OIDC{Issuer: f.oidcIssuer, ClientID: f.oidcClientID, ClientSecret: os.Getenv("TAMLEDGER_OIDC_CLIENT_SECRET"),
		RedirectURL: f.oidcRedirect, Name: f.oidcName}, nil
}

func newServeCmd(a *app) *cobra.Command {
	var f serveFlags
	c := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--metrics-addr ADDR]",
		Short: "Serve the web app and the JSON API",
		Long: `Serve runs the web app over the store: the pages for people, the JSON API
under /api/v1 for programs (described at /api/v1/openapi.json), /healthz, and
Prometheus metrics at /metrics (for admins, or for anyone on --metrics-addr).
Everything is in the binary; nothing is loaded from the internet.

Nothing is served to anyone not signed in but the sign-in page: accounts are
made with tamledger user add, API tokens with tamledger token create. An
editor or a viewer sees only the organisations granted to them
(docs/web.md describes the security model).

With --oidc-issuer, people may also sign in through an OpenID Connect
provider (single sign-on): the provider vouches for a verified email, which
must be an account's (tamledger user add; it may have no password).

Ctrl-C or SIGTERM stops it gracefully: requests in flight finish first.`,
		Example: `  echo 'correct horse battery staple' | tamledger user add ana@example.com --role admin --password-stdin
  tamledger serve
  tamledger serve --addr 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem --metrics-addr 127.0.0.1:9090`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
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
			if len(users) == 0 {
				fmt.Fprintln(a.errOut, "tamledger: no account yet: no one can sign in (tamledger user add EMAIL --role admin --password-stdin makes one)")
			}
			return a.serve(ctx, st, f, nil)
		},
	}
	f.add(c)
	return c
}

// serve serves st until ctx ends; ready, if not nil, runs once the server
// listens, with its base URL.
func (a *app) serve(ctx context.Context, st *store.Store, f serveFlags, ready func(base string)) error {
	oidc, err := f.oidc()
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(a.errOut, &slog.HandlerOptions{Level: slog.LevelInfo}))
	pg := pages(st, log)
	defer pg.Close() // before the store closes: the pages' work in the background ends first
	srv, err := web.New(web.Options{Store: st, Pages: pg, Logger: log, OIDC: oidc, PublicURL: f.publicURL})
	if err != nil {
		if oidc != nil {
			return unavailableError(err) // the provider does not answer
		}
		return err
	}
	scheme := "http"
	if f.tlsCert != "" {
		scheme = "https"
	}
	err = web.Serve(ctx, srv, web.Config{
		Addr: f.addr, MetricsAddr: f.metricsAddr, TLSCert: f.tlsCert, TLSKey: f.tlsKey,
		Ready: func(addr net.Addr) {
			base := scheme + "://" + hostPort(addr)
			fmt.Fprintf(a.out, "Serving %s (Ctrl-C stops)\n", base)
			if f.metricsAddr != "" {
				fmt.Fprintf(a.out, "Metrics at http://%s/metrics\n", f.metricsAddr)
			}
			if ready != nil {
				ready(base)
			}
		},
	})
	if err != nil {
		return unavailableError(err)
	}
	return nil
}

// pages is the handler of the HTML pages (package web/ui): the
// portfolio starts computing at once, in the background.
func pages(st *store.Store, log *slog.Logger) *ui.Handler {
	return ui.New(st, ui.Options{Logger: log})
}

// hostPort is addr as a browser would use it (localhost for every
// interface).
func hostPort(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// unavailableError makes err exit with status 3 (the environment: a port
// in use, a certificate that cannot be read).
func unavailableError(err error) error { return &exitError{exitUnavailable, err} }
