package ui_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
	"github.com/tamledger/tamledger/web/ui"
)

var screenshots = flag.Bool("screenshots", false, "write the pages' screenshots to docs/screenshots")

// chromium is Debian's browser (.ci/run installs it).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium on PATH: apt-get install chromium (the browser journeys need it)")
	return ""
}

// The journeys of issue 10 in a real browser: the portfolio, a failing
// organisation, a quick-add that turns a due period of the heatmap into a
// met one, a recommendation marked implemented that raises the value on
// the ROI page, and another client's organisation refused. With
// -screenshots it saves the main pages under docs/screenshots.
func TestBrowserJourneys(t *testing.T) {
	start := time.Now()
	st := demoStore(t)
	ctx0 := context.Background()
	for _, u := range []struct {
		p    *access.Principal
		pass string
	}{{admin, "admin password 1"}, {editor, "editor password 2"}} {
		hash, err := web.HashPassword(u.pass)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AddUser(ctx0, store.User{Email: u.p.Email, Role: string(u.p.Role), Orgs: u.p.Orgs, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	// The real server in front of the pages: sign-in, sessions, CSRF
	// protection and the Content-Security-Policy.
	pages := loaded(newHandler(t, st, ui.Options{Now: clock, Poll: time.Hour}))
	server, err := web.New(web.Options{Store: st, Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Flag("headless", "new"), chromedp.WindowSize(1280, 800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser: no timeout on this first call
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(ctx, 45*time.Second)
	defer cancel()

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if !*screenshots {
				return nil
			}
			buf, err := chromedp.CaptureScreenshot()(ctx, tg) // the viewport: what a 1280×800 laptop or a phone shows

			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name+".png"), buf, 0o644)
		})
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatalf("count %s: %v", sel, err)
		}
		return n
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	// waitFor waits until a page that has loaded holds sel. It asks the
	// page again and again, so that a form's submission or a link's
	// navigation in between is no error (a query of chromedp may hold a
	// node of the page being left).
	waitFor := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			for {
				ok, err := chromedp.Evaluate[bool](`document.readyState === "complete" && document.querySelector(`+"`"+sel+"`"+`) !== null`)(ctx, tg)
				if err == nil && ok {
					return nil
				}
				select {
				case <-ctx.Done():
					return fmt.Errorf("waiting for %s: %w", sel, ctx.Err())
				case <-time.After(50 * time.Millisecond):
				}
			}
		})
	}

	signIn := func(email, password string) {
		t.Helper()
		do("sign in as "+email,
			chromedp.Navigate(srv.URL+"/"), // redirected to the sign-in page
			waitFor("input#email"),
			chromedp.SendKeys(css("input#email"), email),
			chromedp.SendKeys(css("input#password"), password),
			chromedp.Submit(css("input#password")),
			waitFor("table.portfolio"),
		)
	}

	// Sign in; the portfolio, worst first; open the worst.
	do("size the window", chromedp.EmulateViewport(1280, 800))
	signIn(admin.Email, "admin password 1")
	do("open the portfolio", shot("portfolio"))
	if first := text("table.portfolio tbody tr:first-child th .id"); first != "kestrel-logistics" {
		t.Fatalf("the worst organisation is %q, want kestrel-logistics", first)
	}
	do("open the failing organisation",
		chromedp.Click(css("table.portfolio tbody tr:first-child th a"), chromedp.NodeVisible),
		waitFor("table.heat"),
		shot("overview"),
	)
	// The documents, for the people who never open tamledger: the EBR pack
	// as a PDF, fetched by the page's own link with its session.
	do("the documents panel", chromedp.ScrollIntoView(css("#h-docs")), shot("overview-documents"))
	if n := count("ul.docs a[download]"); n != 12 {
		t.Errorf("the overview offers %d document downloads, want 12 (4 documents × PDF, HTML, Markdown)", n)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('ul.docs a[data-format="pdf"][href*="/ebr"]').href).then(async r => r.status + " " + r.headers.get("content-type") + " " + (await r.text()).slice(0, 5))`, chromedp.EvalAwaitPromise))
	if err != nil || got != "200 application/pdf %PDF-" {
		t.Errorf("the EBR pack's PDF link: %q, %v", got, err)
	}
	do("back to the top", chromedp.ScrollIntoView(css("h1")))
	const row = "table.heat tbody tr:first-child"
	dueBefore, metBefore := count(row+" .cell-due"), count(row+" .cell-met")
	if dueBefore == 0 {
		t.Fatalf("kestrel-logistics has no due period in its first obligation row (%s): the journey needs one", text(row))
	}

	// Quick-add a strategy call today; the due period of the heatmap turns met.
	do("log an engagement with quick-add",
		chromedp.Click(css(`nav.tabs a[href$="/engagements"]`)),
		waitFor("select#service"),
		chromedp.SetValue(css("select#service"), "strategy-call"),
		chromedp.Click(css(`input[name=initiatedBy][value=tam]`)),
		chromedp.SendKeys(css("input#summary"), "Roadmap call, logged from the browser"),
		shot("engagements"),
		chromedp.Submit(css("input#summary")),
		waitFor(".flash"),
	)
	if flash := text(".flash"); !strings.Contains(flash, "strategy-call") {
		t.Errorf("after quick-add the page says %q", flash)
	}
	do("see the heatmap change", chromedp.Click(css(`nav.tabs a:first-child`)), waitFor("table.heat"))
	if dueAfter, metAfter := count(row+" .cell-due"), count(row+" .cell-met"); dueAfter != dueBefore-1 || metAfter != metBefore+1 {
		t.Errorf("first obligation row: due %d→%d, met %d→%d; want one due period met", dueBefore, dueAfter, metBefore, metAfter)
	}

	// Mark a TAM recommendation implemented; the value on the ROI page rises.
	do("read the value", chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics/roi"), waitFor("#roi-value"))
	valueBefore := text("#roi-value")
	do("mark a recommendation implemented",
		chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics/recommendations?origin=tam&status=open"),
		waitFor("table tbody tr"),
		shot("recommendations"),
		chromedp.Click(css("table tbody tr:first-child th a")),
		waitFor("select#st"),
		chromedp.SetValue(css("select#st"), "implemented"),
		chromedp.SetValue(css("input#implementedOn"), "2026-06-01"),
		chromedp.SendKeys(css("input#realized"), "4000"),
		shot("recommendation"),
		chromedp.Submit(css("input#realized")),
		waitFor(".flash"),
		chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics/roi"),
		waitFor("#roi-value"),
		shot("roi"),
	)
	if valueAfter := text("#roi-value"); valueAfter == valueBefore {
		t.Errorf("the ROI value stayed %s after a recommendation was implemented", valueBefore)
	}
	do("the charter", chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics/charter"), waitFor("#h-lint"), shot("charter"))

	// Subscribe a calendar to the charter's schedule: the address is shown
	// once, and answers the calendar to whoever has it, with no session.
	do("subscribe a calendar",
		chromedp.SendKeys(css("input#feed-name"), "Team calendar"),
		chromedp.Submit(css("input#feed-name")),
		waitFor("input#feed-https"),
		chromedp.ScrollIntoView(css("#subscribe")),
		shot("charter-subscribe"),
	)
	feed, err := chromedp.Run(ctx, chromedp.Value(css("input#feed-https")))
	if err != nil || !strings.HasPrefix(feed, srv.URL+"/calendar/tlc_") {
		t.Fatalf("the subscription address: %q, %v", feed, err)
	}
	res, err := http.Get(feed) // a calendar app: no cookie
	if err != nil {
		t.Fatal(err)
	}
	ics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") || !strings.HasPrefix(string(ics), "BEGIN:VCALENDAR") {
		t.Errorf("the calendar app got %d %s: %.40q", res.StatusCode, res.Header.Get("Content-Type"), ics)
	}

	// Sign out; sign in as one client's editor: another client's
	// organisation is refused, and nothing of it shown.
	do("sign out", chromedp.Click(css("form.signout button")), waitFor("input#email"))
	signIn(editor.Email, "editor password 2")
	if n := count("table.portfolio tbody tr"); n != 1 {
		t.Errorf("the editor of one organisation sees %d in the portfolio", n)
	}
	do("be refused another client's organisation", chromedp.Navigate(srv.URL+"/orgs/aurora-health"), waitFor("h1"))
	if title, body := text("h1"), text("body"); title != "Not found" || strings.Contains(body, "Aurora Health") {
		t.Errorf("another client's organisation: h1 %q, body mentions it: %v", title, strings.Contains(body, "Aurora Health"))
	}

	// A phone.
	do("the overview on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics"),
		waitFor("table.heat"),
		shot("overview-phone"),
	)
	t.Logf("browser journeys took %s", time.Since(start).Round(time.Millisecond))
}
