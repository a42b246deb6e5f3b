package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

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
	fill(v *T) error // sets *v, which may hold an earlier row's value
}

// reader is how one kind is read.
type reader[T any] struct {
	table   *table
	cols    string // select list; the key columns first
	scanner func() rowScanner[T]
	compare func(a, b *T) int // the order within a ledger
}

// sort puts items in r's order, stably; items usually arrive in it.
func (r *reader[T]) sort(items []T) {
	if r.compare == nil {
		return
	}
	for i := 1; i < len(items); i++ {
		if r.compare(&items[i-1], &items[i]) > 0 {
			sort.Stable(sorter[T]{items, r.compare})
			return
		}
	}
}

type sorter[T any] struct {
	items   []T
	compare func(a, b *T) int
}

func (s sorter[T]) Len() int           { return len(s.items) }
func (s sorter[T]) Less(i, j int) bool { return s.compare(&s.items[i], &s.items[j]) < 0 }
func (s sorter[T]) Swap(i, j int)      { s.items[i], s.items[j] = s.items[j], s.items[i] }

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

func (s *specScan[T]) fill(v *T) error {
	var zero T
	*v = zero
	if err := json.Unmarshal([]byte(s.spec), v); err != nil {
		return fmt.Errorf("store: %T %s: stored JSON does not decode: %w", zero, describeKey(s.o, s.id), err)
	}
	tamledger.Record{Org: s.o, ID: s.id, Value: v}.SetKey()
	return nil
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

func (s *engagementScan) fill(v *tamledger.Engagement) error {
	*v = tamledger.Engagement{
		ID: s.id, Org: s.o, Date: s.date.d, Service: s.service, InitiatedBy: s.initiatedBy,
		Workloads: s.workloads.v, Attendees: s.attendees.v, Summary: s.summary.s, Source: s.source.s,
	}
	return nil
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

func (s *recommendationScan) fill(r *tamledger.Recommendation) error {
	*r = tamledger.Recommendation{
		ID: s.id, Org: s.o, RaisedOn: s.raisedOn.d, Engagement: s.engagement.s, Origin: s.origin,
		Pillar: s.pillar.s, Workload: s.workload.s, Title: s.title.s, Risk: s.risk.s,
		EstimatedMonthlySavings: s.estimated.ptr(), Status: s.status, StatusReason: s.statusReason.s,
		ImplementedOn: s.implementedOn.ptr(), RealizedMonthlySavings: s.realized.ptr(),
		ArchitectureValue: s.architecture.ptr(), ContextualizedByTAM: s.contextualized,
	}
	if s.downtimeHours.ok || s.probability.ok {
		r.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: s.downtimeHours.f, Probability: s.probability.f}
	}
	return nil
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

func (s *caseScan) fill(v *tamledger.Case) error {
	*v = tamledger.Case{
		ID: s.id, Org: s.o, Severity: s.severity, Subject: s.subject.s, OpenedAt: s.opened.t,
		TAMEngagedAt: s.tamEngaged.ptr(), ResolvedAt: s.resolved.ptr(),
	}
	return nil
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
		var v T
		if err := sc.fill(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError("read "+r.table.name, err, "")
	}
	r.sort(out)
	return out, nil
}

// snapshot begins n read-only transactions, each on its own connection,
// that all see the same committed state. On PostgreSQL they are
// REPEATABLE READ and share an exported snapshot. On SQLite every write
// transaction bumps store_generation as it commits; the readers read it
// and start again in the rare case that a commit fell between them.
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
	for attempt := 0; ; attempt++ {
		var gen0 int64
		same := true
		for len(txs) < n {
			tx, err := s.db.BeginTx(ctx, ro)
			if err != nil {
				return txs, mapError("begin read", err, "")
			}
			txs = append(txs, tx)
			if n == 1 {
				return txs, nil // SQLite takes the snapshot at the first read
			}
			var gen int64
			if err := tx.QueryRowContext(ctx, "SELECT n FROM store_generation").Scan(&gen); err != nil {
				return txs, mapError("begin read", err, "")
			}
			if len(txs) == 1 {
				gen0 = gen
			} else if gen != gen0 {
				same = false
				break
			}
		}
		if same {
			return txs, nil
		}
		if attempt == 100 {
			return txs, tamledger.Errorf(tamledger.ECONFLICT, "the database changes too often to read a consistent snapshot; try again")
		}
		for _, tx := range txs {
			tx.Rollback()
		}
		txs = txs[:0]
	}
}
