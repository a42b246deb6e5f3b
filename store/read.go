package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/tamledger/tamledger"
)

// Reading ledgers. Every kind is read with one query ordered by
// (organization, id); Ledger reads one organisation's rows, EachLedger all
// of them, one goroutine per kind, each on its own connection, all in one
// snapshot, merged in organisation order. The large kinds (Engagement,
// Recommendation, Case) are built from their typed columns; the others from
// their JSON.

// rowScanner scans one row of a kind's query and builds its value.
type rowScanner[T any] interface {
	dest() []any
	org() string
	value() (T, error)
}

// reader is how one kind is read.
type reader[T any] struct {
	table   *table
	cols    string // select list; the key columns first
	scanner func() rowScanner[T]
	compare func(a, b *T) int // the order within a ledger
}

func (r *reader[T]) query(where string) string {
	order := "organization, id"
	if !r.table.scoped {
		order = "id"
	}
	return "SELECT " + r.cols + " FROM " + r.table.name + where + " ORDER BY " + order
}

// Kinds read from their JSON spec.

type specScan[T any] struct {
	o, id, spec string
	scoped      bool
}

func (s *specScan[T]) dest() []any {
	if s.scoped {
		return []any{&s.o, &s.id, &s.spec}
	}
	return []any{&s.id, &s.spec}
}

func (s *specScan[T]) org() string {
	if s.scoped {
		return s.o
	}
	return s.id
}

func (s *specScan[T]) value() (T, error) {
	var v T
	if err := json.Unmarshal([]byte(s.spec), &v); err != nil {
		return v, fmt.Errorf("store: %T %s: stored JSON does not decode: %w", v, describeKey(s.o, s.id), err)
	}
	tamledger.Record{Org: s.o, ID: s.id, Value: &v}.SetKey()
	return v, nil
}

func specReader[T any](tb *table, compare func(a, b *T) int) *reader[T] {
	cols := "organization, id, spec"
	if !tb.scoped {
		cols = "id, spec"
	}
	return &reader[T]{
		table: tb, cols: cols, compare: compare,
		scanner: func() rowScanner[T] { return &specScan[T]{scoped: tb.scoped} },
	}
}

var (
	organizationReader = specReader[tamledger.Organization](tables[tOrganization], nil)
	priceBookReader    = specReader(tables[tPriceBook], func(a, b *tamledger.PriceBook) int {
		return cmp.Or(a.Effective.Compare(b.Effective), strings.Compare(a.ID, b.ID))
	})
	charterReader = specReader(tables[tCharter], func(a, b *tamledger.Charter) int {
		return cmp.Or(a.Effective.Compare(b.Effective), strings.Compare(a.ID, b.ID))
	})
	eventReader = specReader(tables[tEvent], func(a, b *tamledger.Event) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.ID, b.ID))
	})
	reassignmentReader = specReader(tables[tReassignment], func(a, b *tamledger.ReassignmentRequest) int {
		return cmp.Or(a.RequestedOn.Compare(b.RequestedOn), strings.Compare(a.ID, b.ID))
	})
)

// Kinds read from their typed columns.

type engagementScan struct {
	o, id                string
	date                 dateCol
	service, initiatedBy string
	workloads, attendees listCol
	summary, source      textCol
}

func (s *engagementScan) dest() []any {
	return []any{&s.o, &s.id, &s.date, &s.service, &s.initiatedBy, &s.workloads, &s.attendees, &s.summary, &s.source}
}

func (s *engagementScan) org() string { return s.o }

func (s *engagementScan) value() (tamledger.Engagement, error) {
	return tamledger.Engagement{
		ID: s.id, Org: s.o, Date: s.date.d, Service: s.service, InitiatedBy: s.initiatedBy,
		Workloads: s.workloads.v, Attendees: s.attendees.v, Summary: s.summary.s, Source: s.source.s,
	}, nil
}

var engagementReader = &reader[tamledger.Engagement]{
	table:   tables[tEngagement],
	cols:    "organization, id, date, service, initiated_by, workloads, attendees, summary, source",
	scanner: func() rowScanner[tamledger.Engagement] { return new(engagementScan) },
	compare: func(a, b *tamledger.Engagement) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.ID, b.ID))
	},
}

type recommendationScan struct {
	o, id                                     string
	raisedOn, implementedOn                   dateCol
	engagement, pillar, workload, title, risk textCol
	origin, status                            string
	statusReason                              textCol
	estimated, realized, architecture         moneyCol
	downtimeHours, probability                floatCol
	contextualized                            bool
}

func (s *recommendationScan) dest() []any {
	return []any{&s.o, &s.id, &s.raisedOn, &s.engagement, &s.origin, &s.pillar, &s.workload, &s.title,
		&s.risk, &s.estimated, &s.status, &s.statusReason, &s.implementedOn, &s.realized,
		&s.downtimeHours, &s.probability, &s.architecture, &s.contextualized}
}

func (s *recommendationScan) org() string { return s.o }

func (s *recommendationScan) value() (tamledger.Recommendation, error) {
	r := tamledger.Recommendation{
		ID: s.id, Org: s.o, RaisedOn: s.raisedOn.d, Engagement: s.engagement.s, Origin: s.origin,
		Pillar: s.pillar.s, Workload: s.workload.s, Title: s.title.s, Risk: s.risk.s,
		EstimatedMonthlySavings: s.estimated.ptr(), Status: s.status, StatusReason: s.statusReason.s,
		ImplementedOn: s.implementedOn.ptr(), RealizedMonthlySavings: s.realized.ptr(),
		ArchitectureValue: s.architecture.ptr(), ContextualizedByTAM: s.contextualized,
	}
	if s.downtimeHours.ok || s.probability.ok {
		r.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: s.downtimeHours.f, Probability: s.probability.f}
	}
	return r, nil
}

var recommendationReader = &reader[tamledger.Recommendation]{
	table: tables[tRecommendation],
	cols: "organization, id, raised_on, engagement, origin, pillar, workload, title, risk, " +
		"estimated_monthly_savings, status, status_reason, implemented_on, realized_monthly_savings, " +
		"downtime_hours, probability, architecture_value, contextualized_by_tam",
	scanner: func() rowScanner[tamledger.Recommendation] { return new(recommendationScan) },
	compare: func(a, b *tamledger.Recommendation) int {
		return cmp.Or(a.RaisedOn.Compare(b.RaisedOn), strings.Compare(a.ID, b.ID))
	},
}

type caseScan struct {
	o, id, severity              string
	subject                      textCol
	opened, tamEngaged, resolved instantCol
}

func (s *caseScan) dest() []any {
	return []any{&s.o, &s.id, &s.severity, &s.subject, &s.opened, &s.tamEngaged, &s.resolved}
}

func (s *caseScan) org() string { return s.o }

func (s *caseScan) value() (tamledger.Case, error) {
	return tamledger.Case{
		ID: s.id, Org: s.o, Severity: s.severity, Subject: s.subject.s, OpenedAt: s.opened.t,
		TAMEngagedAt: s.tamEngaged.ptr(), ResolvedAt: s.resolved.ptr(),
	}, nil
}

var caseReader = &reader[tamledger.Case]{
	table:   tables[tCase],
	cols:    "organization, id, severity, subject, opened_at, tam_engaged_at, resolved_at",
	scanner: func() rowScanner[tamledger.Case] { return new(caseScan) },
	compare: func(a, b *tamledger.Case) int {
		return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), strings.Compare(a.ID, b.ID))
	},
}

// readAll reads every row of r's query into a slice, in r's order.
func readAll[T any](ctx context.Context, tx *sql.Tx, r *reader[T], where string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(ctx, r.query(where), args...)
	if err != nil {
		return nil, mapError("read "+r.table.name, err, "")
	}
	defer rows.Close()
	sc := r.scanner()
	dest := sc.dest()
	var out []T
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, mapError("read "+r.table.name, err, "")
		}
		v, err := sc.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError("read "+r.table.name, err, "")
	}
	if r.compare != nil {
		slices.SortFunc(out, func(a, b T) int { return r.compare(&a, &b) })
	}
	return out, nil
}

// Ledger returns everything recorded for one organisation: charters by
// effective date, the other kinds by date then id. It returns ENOTFOUND for
// an organisation that is not in the store.
func (s *Store) Ledger(ctx context.Context, org string) (*tamledger.Ledger, error) {
	txs, err := s.snapshot(ctx, 1)
	if err != nil {
		return nil, err
	}
	tx := txs[0]
	defer tx.Rollback()
	orgs, err := readAll(ctx, tx, organizationReader, " WHERE id = $1", org)
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		return nil, tamledger.Errorf(tamledger.ENOTFOUND, "organization %q is not in the store", org)
	}
	l := &tamledger.Ledger{Org: &orgs[0]}
	const where = " WHERE organization = $1"
	if l.Charters, err = readAll(ctx, tx, charterReader, where, org); err != nil {
		return nil, err
	}
	if l.Engagements, err = readAll(ctx, tx, engagementReader, where, org); err != nil {
		return nil, err
	}
	if l.Recommendations, err = readAll(ctx, tx, recommendationReader, where, org); err != nil {
		return nil, err
	}
	if l.Cases, err = readAll(ctx, tx, caseReader, where, org); err != nil {
		return nil, err
	}
	if l.Events, err = readAll(ctx, tx, eventReader, where, org); err != nil {
		return nil, err
	}
	if l.Reassignments, err = readAll(ctx, tx, reassignmentReader, where, org); err != nil {
		return nil, err
	}
	return l, nil
}

// group is one organisation's rows of one kind.
type group[T any] struct {
	org   string
	items []T
}

// stream runs r's query for all organisations on tx and sends each
// organisation's values, ordered, to out, which it closes.
func stream[T any](ctx context.Context, tx *sql.Tx, r *reader[T], out chan<- group[T]) error {
	defer close(out)
	rows, err := tx.QueryContext(ctx, r.query(""))
	if err != nil {
		return mapError("read "+r.table.name, err, "")
	}
	defer rows.Close()
	sc := r.scanner()
	dest := sc.dest()
	var cur group[T]
	send := func() error {
		if r.compare != nil {
			slices.SortFunc(cur.items, func(a, b T) int { return r.compare(&a, &b) })
		}
		select {
		case out <- cur:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return mapError("read "+r.table.name, err, "")
		}
		if o := sc.org(); o != cur.org {
			if cur.items != nil {
				if err := send(); err != nil {
					return err
				}
			}
			cur = group[T]{org: o, items: make([]T, 0, 8)}
		}
		v, err := sc.value()
		if err != nil {
			return err
		}
		cur.items = append(cur.items, v)
	}
	if err := rows.Err(); err != nil {
		return mapError("read "+r.table.name, err, "")
	}
	if cur.items != nil {
		return send()
	}
	return nil
}

// pending is the merge side of a stream.
type pending[T any] struct {
	ch   <-chan group[T]
	head group[T]
	has  bool
}

// take returns the values of org, which must come after the organisations
// asked for before.
func (p *pending[T]) take(org string) []T {
	for {
		if !p.has {
			g, ok := <-p.ch
			if !ok {
				return nil
			}
			p.head, p.has = g, true
		}
		switch c := strings.Compare(p.head.org, org); {
		case c == 0:
			p.has = false
			return p.head.items
		case c > 0:
			return nil
		default: // rows of an organisation that is not there: foreign keys forbid it
			p.has = false
		}
	}
}

// workers runs goroutines and keeps the first error, which cancels the
// rest.
type workers struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

func (w *workers) run(f func() error) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		if err := f(); err != nil {
			w.once.Do(func() {
				w.err = err
				w.cancel()
			})
		}
	}()
}

func (w *workers) wait() error {
	w.wg.Wait()
	return w.err
}

const groupBuffer = 64

// EachLedger calls fn with the ledger of every organisation, in id order,
// all read from one snapshot of the database. Each kind is read by one
// query on its own connection (seven in all), and the rows are merged
// here: it does not run a query per organisation. fn runs on the calling
// goroutine while the next ledgers are read; it may keep the ledger. An
// error from fn stops the reading and is returned. On SQLite, EachLedger
// briefly waits for this process's write transaction, so do not call it
// while holding a Tx.
func (s *Store) EachLedger(parent context.Context, fn func(*tamledger.Ledger) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	txs, err := s.snapshot(ctx, 7)
	if err != nil {
		return err
	}
	defer func() {
		for _, tx := range txs {
			tx.Rollback()
		}
	}()
	w := &workers{cancel: cancel}
	orgs := make(chan group[tamledger.Organization], groupBuffer)
	charters := make(chan group[tamledger.Charter], groupBuffer)
	engagements := make(chan group[tamledger.Engagement], groupBuffer)
	recommendations := make(chan group[tamledger.Recommendation], groupBuffer)
	cases := make(chan group[tamledger.Case], groupBuffer)
	events := make(chan group[tamledger.Event], groupBuffer)
	reassignments := make(chan group[tamledger.ReassignmentRequest], groupBuffer)
	w.run(func() error { return stream(ctx, txs[0], organizationReader, orgs) })
	w.run(func() error { return stream(ctx, txs[1], charterReader, charters) })
	w.run(func() error { return stream(ctx, txs[2], engagementReader, engagements) })
	w.run(func() error { return stream(ctx, txs[3], recommendationReader, recommendations) })
	w.run(func() error { return stream(ctx, txs[4], caseReader, cases) })
	w.run(func() error { return stream(ctx, txs[5], eventReader, events) })
	w.run(func() error { return stream(ctx, txs[6], reassignmentReader, reassignments) })

	pc := &pending[tamledger.Charter]{ch: charters}
	pe := &pending[tamledger.Engagement]{ch: engagements}
	pr := &pending[tamledger.Recommendation]{ch: recommendations}
	pk := &pending[tamledger.Case]{ch: cases}
	pv := &pending[tamledger.Event]{ch: events}
	pa := &pending[tamledger.ReassignmentRequest]{ch: reassignments}
	var fnErr error
	for g := range orgs {
		o := &g.items[0]
		l := &tamledger.Ledger{
			Org:             o,
			Charters:        pc.take(o.ID),
			Engagements:     pe.take(o.ID),
			Recommendations: pr.take(o.ID),
			Cases:           pk.take(o.ID),
			Events:          pv.take(o.ID),
			Reassignments:   pa.take(o.ID),
		}
		if ctx.Err() != nil {
			break // a reader failed: l may be incomplete
		}
		if fnErr = fn(l); fnErr != nil {
			break
		}
	}
	if fnErr != nil || ctx.Err() != nil {
		cancel()
	}
	drain(orgs)
	drain(charters)
	drain(engagements)
	drain(recommendations)
	drain(cases)
	drain(events)
	drain(reassignments)
	err = w.wait()
	switch {
	case fnErr != nil:
		return fnErr
	case parent.Err() != nil:
		return parent.Err()
	}
	return err
}

// drain reads ch until its writer closes it.
func drain[T any](ch <-chan T) {
	for range ch {
	}
}

// ReadFloor reads the rows and columns EachLedger reads, the same way, and
// builds nothing: the time it takes is the floor under EachLedger's. It
// returns the number of rows read.
func (s *Store) ReadFloor(parent context.Context) (rows int, err error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	txs, err := s.snapshot(ctx, 7)
	if err != nil {
		return 0, err
	}
	defer func() {
		for _, tx := range txs {
			tx.Rollback()
		}
	}()
	queries := []string{
		organizationReader.query(""), charterReader.query(""), engagementReader.query(""),
		recommendationReader.query(""), caseReader.query(""), eventReader.query(""), reassignmentReader.query(""),
	}
	counts := make([]int, len(queries))
	w := &workers{cancel: cancel}
	for i, q := range queries {
		w.run(func() error {
			rows, err := txs[i].QueryContext(ctx, q)
			if err != nil {
				return mapError("read", err, "")
			}
			defer rows.Close()
			cols, err := rows.Columns()
			if err != nil {
				return mapError("read", err, "")
			}
			vals := make([]any, len(cols))
			dest := make([]any, len(cols))
			for j := range vals {
				dest[j] = &vals[j]
			}
			for rows.Next() {
				if err := rows.Scan(dest...); err != nil {
					return mapError("read", err, "")
				}
				counts[i]++
			}
			return mapError("read", rows.Err(), "")
		})
	}
	if err := w.wait(); err != nil {
		if ctx.Err() != nil && parent.Err() != nil {
			return 0, parent.Err()
		}
		return 0, err
	}
	for _, n := range counts {
		rows += n
	}
	return rows, nil
}

// snapshot begins n read-only transactions, each on its own connection,
// that all see the same committed state. On PostgreSQL they are
// REPEATABLE READ and share an exported snapshot. On SQLite each takes its
// snapshot while this process's writers wait and the database's write lock
// is held, so that no commit falls between them.
func (s *Store) snapshot(ctx context.Context, n int) (txs []*sql.Tx, err error) {
	defer func() {
		if err != nil {
			for _, tx := range txs {
				tx.Rollback()
			}
			txs = nil
		}
	}()
	ro := &sql.TxOptions{ReadOnly: true}
	if s.d.name == Postgres {
		ro.Isolation = sql.LevelRepeatableRead
		first, err := s.db.BeginTx(ctx, ro)
		if err != nil {
			return nil, mapError("begin read", err, "")
		}
		txs = append(txs, first)
		if n == 1 {
			return txs, nil
		}
		var id string
		if err := first.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&id); err != nil {
			return txs, mapError("export snapshot", err, "")
		}
		for len(txs) < n {
			tx, err := s.db.BeginTx(ctx, ro)
			if err != nil {
				return txs, mapError("begin read", err, "")
			}
			txs = append(txs, tx)
			if _, err := tx.ExecContext(ctx, "SET TRANSACTION SNAPSHOT '"+strings.ReplaceAll(id, "'", "''")+"'"); err != nil {
				return txs, mapError("import snapshot", err, "")
			}
		}
		return txs, nil
	}
	if n == 1 { // SQLite takes the snapshot at the first read
		tx, err := s.db.BeginTx(ctx, ro)
		if err != nil {
			return nil, mapError("begin read", err, "")
		}
		return []*sql.Tx{tx}, nil
	}
	select {
	case s.wmu <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.wmu }()
	lock, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: no other process commits now
	if err != nil {
		return nil, mapError("begin read", err, "")
	}
	defer lock.Rollback()
	for len(txs) < n {
		tx, err := s.db.BeginTx(ctx, ro)
		if err != nil {
			return txs, mapError("begin read", err, "")
		}
		txs = append(txs, tx)
		var x int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&x); err != nil {
			return txs, mapError("begin read", err, "")
		}
	}
	return txs, nil
}
