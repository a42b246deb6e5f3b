package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/store"
)

// TestDemoServesWithOneTimeLink runs tamledger demo as the README's first
// command does: it fills the store, serves it, and the link it prints signs
// a browser in, once; the server stops gracefully when the context ends.
func TestDemoServesWithOneTimeLink(t *testing.T) {
	dsn := testdb.DSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var errOut strings.Builder
	go func() {
		done <- run(ctx, []string{"--db", dsn, "demo", "--as-of", "2026-11-27", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, &errOut)
		pw.Close()
	}()
	link := ""
	sc := bufio.NewScanner(pr)
	var out []string
	for sc.Scan() {
		line := sc.Text()
		out = append(out, line)
		if strings.Contains(line, "/signin/link?token=tll_") {
			link = strings.TrimSpace(line)
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if link == "" || !strings.HasPrefix(link, "http://127.0.0.1:") {
		t.Fatalf("no sign-in link in the demo's output:\n%s\n%s", strings.Join(out, "\n"), errOut.String())
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	res, err := c.Get(link) // follows the redirect to / with the session
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "kestrel-logistics") || !strings.Contains(string(b), "demo@tamledger.invalid") {
		t.Errorf("after the link: %d\n%s", res.StatusCode, b)
	}
	// The link works once.
	res, err = (&http.Client{Timeout: 10 * time.Second}).Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the link a second time: %d", res.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("demo exited %d after SIGINT\n%s", code, errOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the demo did not stop")
	}
	if strings.Contains(errOut.String(), "tll_") {
		t.Error("the sign-in link is in the log")
	}
}

func TestServeNeedsAStore(t *testing.T) {
	dsn := testdb.DSN(t)
	_, errOut, code := cli(t, dsn, "", "serve", "--addr", "127.0.0.1:0")
	if code != 3 || !strings.Contains(errOut, "no store at") {
		t.Errorf("serve without a store: exit %d %s", code, errOut)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--tls-cert", "x.pem"}, "give both --tls-cert and --tls-key"},
		{[]string{"serve", "--oidc-issuer", "https://login.example.com"}, "--oidc-issuer needs --oidc-client-id and --oidc-redirect-url"},
		{[]string{"serve", "--oidc-client-id", "x"}, "need --oidc-issuer"},
		{[]string{"demo", "--oidc-issuer", "https://login.example.com"}, "--oidc-issuer needs"},
	} {
		if _, errOut, code := cli(t, dsn, "", tt.args...); code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d %s, want 2 with %q", tt.args, code, errOut, tt.want)
		}
	}
	if ok, _ := store.Exists(context.Background(), dsn); ok {
		t.Error("a refused demo created the store")
	}
}
