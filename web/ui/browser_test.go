package ui_test

import (
	"context"
	"flag"
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
	h := loaded(ui.New(st, ui.Options{Now: clock, Poll: time.Hour}))
	// The test's stand-in for the server's sign-in: the principal is the
	// one the "as" cookie names.
	people := map[string]*access.Principal{"admin": admin, "editor": editor}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := admin
		if c, err := r.Cookie("as"); err == nil && people[c.Value] != nil {
			p = people[c.Value]
		}
		h.ServeHTTP(w, r.WithContext(access.With(r.Context(), p)))
	}))
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

	// The portfolio, worst first; open the worst.
	do("open the portfolio", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css("table.portfolio")), shot("portfolio"))
	if first := text("table.portfolio tbody tr:first-child th .id"); first != "kestrel-logistics" {
		t.Fatalf("the worst organisation is %q, want kestrel-logistics", first)
	}
	do("open the failing organisation",
		chromedp.Click(css("table.portfolio tbody tr:first-child th a"), chromedp.NodeVisible),
		chromedp.WaitVisible(css("table.heat")),
		shot("overview"),
	)
	const row = "table.heat tbody tr:first-child"
	dueBefore, metBefore := count(row+" .cell-due"), count(row+" .cell-met")
	if dueBefore == 0 {
		t.Fatalf("kestrel-logistics has no due period in its first obligation row (%s): the journey needs one", text(row))
	}

	// Quick-add a strategy call today; the due period of the heatmap turns met.
	do("log an engagement with quick-add",
		chromedp.Click(css(`nav.tabs a[href$="/engagements"]`)),
		chromedp.WaitVisible(css("select#service")),
		chromedp.SetValue(css("select#service"), "strategy-call"),
		chromedp.Click(css(`input[name=initiatedBy][value=tam]`)),
		chromedp.SendKeys(css("input#summary"), "Roadmap call, logged from the browser"),
		shot("engagements"),
		chromedp.Submit(css("input#summary")),
		chromedp.WaitVisible(css(".flash")),
	)
	if flash := text(".flash"); !strings.Contains(flash, "strategy-call") {
		t.Errorf("after quick-add the page says %q", flash)
	}
	do("see the heatmap change", chromedp.Click(css(`nav.tabs a:first-child`)), chromedp.WaitVisible(css("table.heat")))
	if dueAfter, metAfter := count(row+" .cell-due"), count(row+" .cell-met"); dueAfter != dueBefore-1 || metAfter != metBefore+1 {
		t.Errorf("first obligation row: due %d→%d, met %d→%d; want one due period met", dueBefore, dueAfter, metBefore, metAfter)
	}

	// Mark a TAM recommendation implemented; the value on the ROI page rises.
	do("read the value", chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics/roi"), chromedp.WaitVisible(css("#roi-value")))
	valueBefore := text("#roi-value")
	do("mark a recommendation implemented",
		chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics/recommendations?origin=tam&status=open"),
		chromedp.WaitVisible(css("table tbody tr")),
		shot("recommendations"),
		chromedp.Click(css("table tbody tr:first-child th a")),
		chromedp.WaitVisible(css("select#st")),
		chromedp.SetValue(css("select#st"), "implemented"),
		chromedp.SetValue(css("input#implementedOn"), "2026-06-01"),
		chromedp.SendKeys(css("input#realized"), "4000"),
		shot("recommendation"),
		chromedp.Submit(css("input#realized")),
		chromedp.WaitVisible(css(".flash")),
		chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics/roi"),
		chromedp.WaitVisible(css("#roi-value")),
		shot("roi"),
	)
	if valueAfter := text("#roi-value"); valueAfter == valueBefore {
		t.Errorf("the ROI value stayed %s after a recommendation was implemented", valueBefore)
	}
	do("the charter", chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics/charter"), chromedp.WaitVisible(css("#h-lint")), shot("charter"))

	// Another client's organisation: refused, and nothing of it shown.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie = "as=editor; path=/"`)); err != nil {
		t.Fatal(err)
	}
	do("be refused another client's organisation", chromedp.Navigate(srv.URL+"/orgs/aurora-health"), chromedp.WaitVisible(css("h1")))
	if title, body := text("h1"), text("body"); title != "Not found" || strings.Contains(body, "Aurora Health") {
		t.Errorf("another client's organisation: h1 %q, body mentions it: %v", title, strings.Contains(body, "Aurora Health"))
	}

	// A phone.
	do("the overview on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"/orgs/kestrel-logistics"),
		chromedp.WaitVisible(css("table.heat")),
		shot("overview-phone"),
	)
	t.Logf("browser journeys took %s", time.Since(start).Round(time.Millisecond))
}
