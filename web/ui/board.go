package ui

import (
	"context"
	"html/template"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/svgchart"
	"github.com/tamledger/tamledger/score"
	"github.com/tamledger/tamledger/store"
)

// sparkMonths is how many month-ends the portfolio's sparkline shows.
const sparkMonths = 12

// board keeps the portfolio: one line per organisation, with its sparkline,
// computed once and kept current. A line is recomputed only when its
// organisation's records change (the store's per-organisation Stamps, read
// when the store's Generation moves), when its day changes (each
// organisation is evaluated as of today in its own time zone), or when this
// web app wrote to it (fresh). A request reads the lines under a read lock;
// it never scores.
type board struct {
	st   *store.Store
	now  func() time.Time
	poll time.Duration
	log  *slog.Logger

	mu      sync.RWMutex
	lines   map[string]*line
	order   *ranking // worst first; nil when it must be sorted again
	gen     int64    // the store's generation the stamps were read at
	checked time.Time
	ready   chan struct{} // closed once the first load is done
	sparked chan struct{} // closed once its sparklines are in too
	loadErr error

	refreshing sync.Mutex // one refresh at a time
	zones      sync.Map   // time zone name -> *time.Location

	// The work done in the background: bg is canceled by close, which
	// waits for wg; no work starts once closing is set.
	bg      context.Context
	stop    context.CancelFunc
	bgMu    sync.Mutex
	closing bool
	wg      sync.WaitGroup
}

// background runs fn in a goroutine of its own, with the background
// context, unless the board is closed; what fn returns is logged as what
// failed, unless the work was canceled.
func (b *board) background(what string, fn func(ctx context.Context) error) {
	b.bgMu.Lock()
	defer b.bgMu.Unlock()
	if b.closing {
		return
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		if err := fn(b.bg); err != nil && b.bg.Err() == nil {
			b.log.Error(what, "err", err)
		}
	}()
}

// close cancels the work in the background and waits for it to end.
func (b *board) close() {
	b.bgMu.Lock()
	b.closing = true
	b.bgMu.Unlock()
	b.stop()
	b.wg.Wait()
}

// line is one organisation's portfolio line.
type line struct {
	score.PortfolioRow
	Spark    []*int        // health scores at the last sparkMonths month-ends, the last one as of AsOf
	SparkSVG template.HTML // Spark drawn, once
	Tz       string
	band     string // the band filter's value: proactive, mixed, reactive or none
	search   string // what a search matches: the id and the name, lower case
	stamp    uint64
	row      *rowHTML // the line's row in the portfolio's table, rendered once
}

// rowHTML is a line's row, rendered on its first showing. A line is never
// changed once made (a change makes a new line), so neither is its row.
type rowHTML struct {
	once sync.Once
	html template.HTML
	err  error
}

// ranking is the lines worst first, whole and by band, with the numbers of
// critical and high actions of each band ("" for all): the portfolio's
// usual pages need no pass over every line.
type ranking struct {
	all    []*line
	byBand map[string][]*line
	worst  map[string][2]int
}

func newRanking(lines map[string]*line) *ranking {
	rows := make([]score.PortfolioRow, 0, len(lines))
	for _, ln := range lines {
		rows = append(rows, ln.PortfolioRow)
	}
	score.SortWorstFirst(rows)
	r := &ranking{all: make([]*line, len(rows)), byBand: map[string][]*line{}, worst: map[string][2]int{}}
	for i, row := range rows {
		ln := lines[row.Organization]
		r.all[i] = ln
		r.byBand[ln.band] = append(r.byBand[ln.band], ln)
		for _, b := range []string{"", ln.band} {
			w := r.worst[b]
			w[0] += ln.Critical
			w[1] += ln.High
			r.worst[b] = w
		}
	}
	return r
}

func newBoard(st *store.Store, now func() time.Time, poll time.Duration, log *slog.Logger) *board {
	b := &board{st: st, now: now, poll: poll, log: log, lines: map[string]*line{}, ready: make(chan struct{}), sparked: make(chan struct{})}
	b.bg, b.stop = context.WithCancel(context.Background())
	b.background("portfolio: first load failed", func(ctx context.Context) error {
		defer close(b.ready)
		b.loadErr = b.refresh(ctx, true)
		return b.loadErr
	})
	return b
}

// today is the date in time zone tz.
func (b *board) today(tz string, now time.Time) tamledger.Date {
	if loc, ok := b.zones.Load(tz); ok {
		return tamledger.DateIn(now, loc.(*time.Location))
	}
	loc := (&tamledger.Organization{Timezone: tz}).Location()
	b.zones.Store(tz, loc)
	return tamledger.DateIn(now, loc)
}

// compute is the line of one ledger as of day.
func compute(l *tamledger.Ledger, day tamledger.Date) *line {
	ln := summarize(l, day)
	ln.Spark = sparkOf(l, day, ln.Score)
	ln.SparkSVG = svgchart.Sparkline(ln.Spark)
	return ln
}

// summarize is the line of one ledger as of day, without its sparkline.
func summarize(l *tamledger.Ledger, day tamledger.Date) *line {
	ln := &line{PortfolioRow: score.Summarize(l, day), Tz: l.Org.Timezone, row: new(rowHTML)}
	ln.band = "none"
	if ln.Band != nil {
		ln.band = *ln.Band
	}
	ln.search = strings.ToLower(ln.Organization + " " + ln.Name)
	return ln
}

// sparkOf is the health score at the end of each of the sparkMonths-1
// months before day's, then now (score).
func sparkOf(l *tamledger.Ledger, day tamledger.Date, now *int) []*int {
	sp := make([]*int, sparkMonths)
	sp[sparkMonths-1] = now
	for i := 1; i < sparkMonths; i++ {
		end := tamledger.NewDate(day.Year, day.Month-time.Month(i)+1, 0) // the last day of the i-th month back
		sp[sparkMonths-1-i] = score.Scorecard(l, end).Health.Score
	}
	return sp
}

// snapshot returns the lines worst first, after making sure they are
// current: it waits for the first load; it checks the store's generation
// at most once per poll interval and, when it moved, brings the changed
// organisations up to date in the background (the request is answered from
// the lines as they are); and it recomputes now the lines whose day has
// passed.
func (b *board) snapshot(ctx context.Context) (*ranking, error) {
	select {
	case <-b.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if b.loadErr != nil {
		// Try again: the store may be back.
		if err := b.refresh(ctx, true); err != nil {
			return nil, err
		}
		b.loadErr = nil
	}
	now, wall := b.now(), time.Now() // the pages' clock; the poll's
	b.mu.RLock()
	stale := wall.Sub(b.checked) >= b.poll
	b.mu.RUnlock()
	if stale {
		b.mu.Lock()
		b.checked = wall
		b.mu.Unlock()
		// Days end at midnight in each organisation's zone: the lines
		// whose day has passed are recomputed now, before answering.
		if err := b.rollDays(ctx, now); err != nil {
			return nil, err
		}
		if gen, err := b.st.Generation(ctx); err == nil && gen != b.generation() {
			b.background("portfolio: refresh failed", func(ctx context.Context) error { return b.refresh(ctx, false) })
		}
	}
	b.mu.RLock()
	r := b.order
	b.mu.RUnlock()
	if r != nil {
		return r, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.order == nil {
		b.order = newRanking(b.lines)
	}
	return b.order, nil
}

func (b *board) generation() int64 {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.gen
}

// rollDays recomputes the lines whose organisation's today is not the day
// they were computed for.
func (b *board) rollDays(ctx context.Context, now time.Time) error {
	var due []string
	b.mu.RLock()
	days := map[string]tamledger.Date{}
	for id, ln := range b.lines {
		d, ok := days[ln.Tz]
		if !ok {
			d = b.today(ln.Tz, now)
			days[ln.Tz] = d
		}
		if d != ln.AsOf {
			due = append(due, id)
		}
	}
	b.mu.RUnlock()
	if len(due) == 0 {
		return nil
	}
	b.refreshing.Lock()
	defer b.refreshing.Unlock()
	if len(due) > 64 {
		stamps, err := b.st.Stamps(ctx)
		if err != nil {
			return err
		}
		return b.loadAll(ctx, stamps)
	}
	return b.recompute(ctx, due, nil)
}

// refresh brings the lines up to date with the store: all of them (all),
// or those of the organisations whose stamp moved.
func (b *board) refresh(ctx context.Context, all bool) error {
	b.refreshing.Lock()
	defer b.refreshing.Unlock()
	gen, err := b.st.Generation(ctx)
	if err != nil {
		return err
	}
	if !all && gen == b.generation() {
		return nil
	}
	stamps, err := b.st.Stamps(ctx)
	if err != nil {
		return err
	}
	if all {
		if err := b.loadAll(ctx, stamps); err != nil {
			return err
		}
	} else {
		var changed []string
		b.mu.RLock()
		for id, s := range stamps {
			if ln, ok := b.lines[id]; !ok || ln.stamp != s {
				changed = append(changed, id)
			}
		}
		var gone []string
		for id := range b.lines {
			if _, ok := stamps[id]; !ok {
				gone = append(gone, id)
			}
		}
		b.mu.RUnlock()
		if len(gone) > 0 {
			b.mu.Lock()
			for _, id := range gone {
				delete(b.lines, id)
			}
			b.order = nil
			b.mu.Unlock()
		}
		if len(changed) > 256 {
			err = b.loadAll(ctx, stamps)
		} else {
			err = b.recompute(ctx, changed, stamps)
		}
		if err != nil {
			return err
		}
	}
	b.mu.Lock()
	b.gen = gen
	b.mu.Unlock()
	return nil
}

// loadAll computes every line from one read of the store, made after the
// stamps were read.
func (b *board) loadAll(ctx context.Context, stamps map[string]uint64) error {
	now := b.now()
	lines := map[string]*line{}
	b.mu.RLock()
	first := len(b.lines) == 0
	b.mu.RUnlock()
	err := b.st.EachLedger(ctx, store.ScoringFields, func(l *tamledger.Ledger) error {
		day := b.today(l.Org.Timezone, now)
		if first { // the sparklines come after: the portfolio is ready sooner
			lines[l.Org.ID] = summarize(l, day)
		} else {
			lines[l.Org.ID] = compute(l, day)
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.mu.Lock()
	for id, ln := range lines {
		ln.stamp = stamps[id]
	}
	b.lines, b.order = lines, nil
	b.mu.Unlock()
	if first {
		b.background("portfolio: sparklines failed", func(ctx context.Context) error {
			defer close(b.sparked)
			return b.fillSparks(ctx)
		})
	}
	return nil
}

// fillSparks computes the sparklines the first load left out, from a
// second read of the store, and puts them in by replacing the lines (a
// request may be reading the old ones).
func (b *board) fillSparks(ctx context.Context) error {
	const batch = 256
	type spark struct {
		id  string
		day tamledger.Date
		sp  []*int
	}
	var done []spark
	put := func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, s := range done {
			if ln := b.lines[s.id]; ln != nil && ln.Spark == nil && ln.AsOf == s.day {
				cp := *ln
				cp.Spark, cp.SparkSVG, cp.row = s.sp, svgchart.Sparkline(s.sp), new(rowHTML)
				b.lines[s.id] = &cp
				b.order = nil
			}
		}
		done = done[:0]
	}
	now := b.now()
	err := b.st.EachLedger(ctx, store.ScoringFields, func(l *tamledger.Ledger) error {
		day := b.today(l.Org.Timezone, now)
		b.mu.RLock()
		ln := b.lines[l.Org.ID]
		b.mu.RUnlock()
		if ln == nil || ln.Spark != nil || ln.AsOf != day {
			return nil
		}
		done = append(done, spark{l.Org.ID, day, sparkOf(l, day, ln.Score)})
		if len(done) == batch {
			put()
		}
		return nil
	})
	put()
	return err
}

// recompute computes the lines of the organisations ids, one read each,
// with their stamps from stamps, or read just before their records when
// stamps is nil. A line's stamp is always one read before the records it
// was computed from (the overview trusts its sparkline by it: spark).
func (b *board) recompute(ctx context.Context, ids []string, stamps map[string]uint64) error {
	now := b.now()
	for _, id := range ids {
		var stamp uint64
		var err error
		if stamps != nil {
			stamp = stamps[id]
		} else {
			stamp, err = b.st.Stamp(ctx, id)
		}
		var l *tamledger.Ledger
		if err == nil {
			l, err = b.st.Ledger(ctx, id)
		}
		if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
			b.mu.Lock()
			delete(b.lines, id)
			b.order = nil
			b.mu.Unlock()
			continue
		}
		if err != nil {
			return err
		}
		ln := compute(l, b.today(l.Org.Timezone, now))
		ln.stamp = stamp
		b.mu.Lock()
		b.lines[id], b.order = ln, nil
		b.mu.Unlock()
	}
	return nil
}

// fresh recomputes the line of org now, after this web app wrote to it:
// the next portfolio shows the change without waiting for the poll.
func (b *board) fresh(ctx context.Context, org string) {
	select {
	case <-b.ready:
	default:
		return // the first load will read it
	}
	b.refreshing.Lock()
	defer b.refreshing.Unlock()
	if err := b.recompute(ctx, []string{org}, nil); err != nil {
		b.log.Error("portfolio: recompute failed", "org", org, "err", err)
	}
}

// spark is the sparkline of ledger l, whose records were read after its
// organisation's stamp was stamp: the portfolio's when its line is for day
// and has that stamp, else computed from l.
func (b *board) spark(l *tamledger.Ledger, day tamledger.Date, stamp uint64) []*int {
	b.mu.RLock()
	ln := b.lines[l.Org.ID]
	b.mu.RUnlock()
	if ln == nil || ln.AsOf != day || ln.Spark == nil || ln.stamp != stamp {
		return compute(l, day).Spark
	}
	return ln.Spark
}
