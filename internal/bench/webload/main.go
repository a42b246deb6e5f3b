// Command webload measures the web app's pages under load (issue 10): it
// serves a store (by default the cached 10,000-organisation benchmark store
// of internal/bench; -db a SQLite path or a postgres:// DSN) through the
// real server and its pages from a child process of its own on loopback,
// then has N concurrent clients request, each for a while, the
// organisation overview of random organisations, random pages of the
// portfolio, and a static asset, and prints requests per second and
// latency percentiles of each, the times the portfolio and the overviews
// took to be ready, and the server's peak memory (VmHWM).
//
//	go run ./internal/bench/webload                      # 10,000 organisations, 50 clients, 10 s each
//	go run ./internal/bench/webload -orgs 1000 -duration 5s
//	go run ./internal/bench/webload -db postgres://...   # a store genstore -pg built
//
// The server is the child process (webload -serve), so that the clients'
// work does not count in its memory; both share the machine's cores.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/internal/bench"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
	"github.com/tamledger/tamledger/web/ui"
)

func main() {
	serve := flag.String("serve", "", "internal: serve this store and print the address")
	orgs := flag.Int("orgs", 10000, "organisations of the benchmark store")
	db := flag.String("db", "", "the store to serve (default: the cached benchmark store of -orgs organisations)")
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each page is requested")
	asOf := flag.String("as-of", bench.AsOf.String(), "the day the pages are shown as of")
	flag.Parse()
	day, err := tamledger.ParseDate(*asOf)
	if err != nil {
		log.Fatal(err)
	}
	if *serve != "" {
		serveStore(*serve, day)
		return
	}
	ctx := context.Background()
	if *db == "" {
		*db, _, err = bench.EnsureStore(ctx, bench.Config{Orgs: *orgs, Progress: os.Stderr})
		if err != nil {
			log.Fatal(err)
		}
	}
	ids, err := orgIDs(ctx, *db)
	if err != nil {
		log.Fatal(err)
	}

	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	child := exec.Command(self, "-serve", *db, "-as-of", day.String())
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := child.Start(); err != nil {
		log.Fatal(err)
	}
	defer child.Process.Kill()
	childOut := bufio.NewReader(out)
	addr, err := childOut.ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + strings.TrimSpace(addr)
	token, err := childOut.ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}

	tr := &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients}
	client := &http.Client{Transport: bearer{strings.TrimSpace(token), tr}, Timeout: time.Minute}
	t0 := time.Now()
	if err := fetch(client, base+"/"); err != nil { // waits for the portfolio's first load
		log.Fatal(err)
	}
	ready := time.Since(t0)
	if _, err := childOut.ReadString('\n'); err != nil { // "loaded": the sparklines are in
		log.Fatal(err)
	}
	loaded := time.Since(t0)
	if _, err := childOut.ReadString('\n'); err != nil { // "warmed": the overviews are computed ahead
		log.Fatal(err)
	}
	warmed := time.Since(t0)
	anon := &peakAnon{pid: child.Process.Pid}
	go anon.sample()

	if os.Getenv("WEBLOAD_PAUSE") != "" { // profile by hand: go tool pprof BASE/debug/pprof/profile
		fmt.Println(base)
		time.Sleep(time.Hour)
	}
	fmt.Printf("store %s: %d organisations; %d clients, %s each; server pid %d\n", *db, len(ids), *clients, *duration, child.Process.Pid)
	fmt.Printf("load average before: %s\n", loadavg())
	fmt.Printf("portfolio ready (every organisation scored) after %s; its 12-month sparklines after %s; the overviews computed ahead after %s\n\n", ready.Round(time.Millisecond), loaded.Round(time.Millisecond), warmed.Round(time.Millisecond))
	fmt.Printf("| page | requests | requests/s | p50 | p90 | p99 | max | server CPU per request | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	pages := []struct {
		name string
		url  func(r *rand.Rand) string
	}{
		{"organisation overview (random organisation)", func(r *rand.Rand) string { return base + "/orgs/" + ids[r.IntN(len(ids))] }},
		{"portfolio (random page of 50)", func(r *rand.Rand) string {
			return base + "/?page=" + strconv.Itoa(1+r.IntN((len(ids)+49)/50))
		}},
		{"portfolio search (band reactive, page 1)", func(r *rand.Rand) string { return base + "/?band=reactive" }},
		{"static asset (/static/app.css)", func(r *rand.Rand) string { return base + "/static/app.css" }},
	}
	for _, p := range pages {
		cpu0 := cpuTime(child.Process.Pid)
		res := load(client, *clients, *duration, p.url)
		cpu := cpuTime(child.Process.Pid) - cpu0
		fmt.Printf("| %s | %d | %.0f | %s | %s | %s | %s | %s | %d |\n", p.name, res.n, float64(res.n)/res.wall.Seconds(),
			ms(res.pct(50)), ms(res.pct(90)), ms(res.pct(99)), ms(res.pct(100)), ms(cpu/time.Duration(max(res.n, 1))), res.errs)
	}
	fmt.Printf("\nserver peak memory: %s resident in all (VmHWM, with the SQLite file's mapped pages, during the first load); %d MB anonymous at most while serving\n",
		peak(child.Process.Pid), anon.max()/1024)
	fmt.Printf("load average after: %s\n", loadavg())
}

// serveStore is the child: it serves the store at path with the real
// server (package web: access log, security headers, metrics,
// authentication) in front of the pages, on a loopback port, and prints
// the address and an API token of an admin (bench@example.com, added to the
// store if missing), which the clients send as "Authorization: Bearer";
// then "loaded" once the portfolio's sparklines are in, "warmed" once the
// overviews are computed ahead.
func serveStore(path string, day tamledger.Date) {
	ctx := context.Background()
	st, err := store.OpenExisting(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	const email = "bench@example.com"
	if _, found, err := st.User(ctx, email); err != nil {
		log.Fatal(err)
	} else if !found {
		if err := st.AddUser(ctx, store.User{Email: email, Role: string(access.Admin)}); err != nil {
			log.Fatal(err)
		}
	}
	token, hash := web.NewToken()
	if err := st.CreateToken(ctx, email, "webload-"+strconv.Itoa(os.Getpid()), hash, time.Time{}); err != nil {
		log.Fatal(err)
	}
	now := func() time.Time { return time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, time.UTC) }
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := ui.New(st, ui.Options{Now: now, Logger: logger})
	srv, err := web.New(web.Options{Store: st, Pages: h, Logger: logger, Now: now})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ln.Addr().String())
	fmt.Println(token)
	go func() {
		<-h.Loaded()
		fmt.Println("loaded")
		<-h.Warmed()
		fmt.Println("warmed")
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile) // to see where a page's time goes
	mux.Handle("/", srv)
	log.Fatal(http.Serve(ln, mux))
}

func orgIDs(ctx context.Context, path string) ([]string, error) {
	st, err := store.OpenExisting(ctx, path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	os, err := st.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	return ids, nil
}

// bearer sends every request with an API token.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

func fetch(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

type result struct {
	lat  []time.Duration
	n    int
	errs int
	wall time.Duration
}

func (r result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(float64(len(r.lat)-1) * p / 100)
	return r.lat[i]
}

// load has n clients request url() for d and returns the latencies.
func load(c *http.Client, n int, d time.Duration, url func(*rand.Rand) string) result {
	var mu sync.Mutex
	var all result
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(d)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 1))
			var lat []time.Duration
			errs := 0
			for time.Now().Before(end) {
				t := time.Now()
				if err := fetch(c, url(r)); err != nil {
					errs++
					if !errors.Is(err, context.DeadlineExceeded) {
						log.Print(err)
					}
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			all.lat = append(all.lat, lat...)
			all.errs += errs
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.wall = time.Since(start)
	all.n = len(all.lat)
	slices.Sort(all.lat)
	return all
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// peak is the process's peak resident memory, from /proc.
func peak(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return fmt.Sprintf("%d MB", kb/1024)
		}
	}
	return "unknown"
}

// peakAnon samples a process's anonymous resident memory (its heap and
// stacks, not the mapped database file).
type peakAnon struct {
	pid int
	mu  sync.Mutex
	kb  int
}

func (p *peakAnon) sample() {
	for {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "RssAnon:") {
				kb, _ := strconv.Atoi(strings.Fields(line)[1])
				p.mu.Lock()
				p.kb = max(p.kb, kb)
				p.mu.Unlock()
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *peakAnon) max() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.kb
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// cpuTime is the user and system CPU time a process has used.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command's closing parenthesis; utime and stime are
	// the 14th and 15th of the line, in clock ticks (100 a second).
	rest := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.Atoi(rest[11])
	st, _ := strconv.Atoi(rest[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}
