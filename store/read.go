package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/tamledger/tamledger"
)

// How each kind is read. Every query selects the key columns first and is
// ordered by them: (organization, id), or id for organisations and price
// books. The large kinds (Engagement, Recommendation, Case) are built from
// their typed columns; the others from their JSON.

// reader is how one kind is read.
type reader[T any] struct {
	table *table
	cols  string // select list; the key columns first
	// fill sets *v from the current row; key is column 0 (the
	// organisation, or the id of an organisation or price book).
	fill    func(r rows, key string, v *T) error
	compare func(a, b *T) int // the order within a ledger
}

func (r *reader[T]) query(where string) string {
	order := "organization, id"
	if !r.table.scoped {
		order = "id"
	}
	return "SELECT " + r.cols + " FROM " + r.table.name + where + " ORDER BY " + order
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

// specReader reads a kind from its JSON.
func specReader[T any](tb *table, compare func(a, b *T) int) *reader[T] {
	cols, spec := "organization, id, spec", 2
	if !tb.scoped {
		cols, spec = "id, spec", 1
	}
	return &reader[T]{
		table: tb, cols: cols, compare: compare,
		fill: func(r rows, key string, v *T) error {
			var zero T
			*v = zero
			org, id := key, key
			if tb.scoped {
				id = r.text(1)
			} else {
				org = ""
			}
			if err := json.Unmarshal(r.bytes(spec), v); err != nil {
				return fmt.Errorf("store: %s %s: stored JSON does not decode: %w", tb.kind, describeKey(org, id), err)
			}
			tamledger.Record{Org: org, ID: id, Value: v}.SetKey()
			return nil
		},
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

var engagementReader = &reader[tamledger.Engagement]{
	table: tables[tEngagement],
	cols:  "organization, id, date, service, initiated_by, workloads, source, attendees, summary",
	fill: func(r rows, org string, v *tamledger.Engagement) error {
		*v = tamledger.Engagement{
			Org: org, ID: r.text(1), Date: r.date(2), Service: r.enum(3), InitiatedBy: r.enum(4),
			Workloads: r.list(5), Source: r.enum(6), Attendees: r.list(7), Summary: r.text(8),
		}
		return nil
	},
	compare: compareEngagements,
}

// engagementScoring reads what the rules read: no attendees or summary.
var engagementScoring = &reader[tamledger.Engagement]{
	table: tables[tEngagement],
	cols:  "organization, id, date, service, initiated_by, workloads, source",
	fill: func(r rows, org string, v *tamledger.Engagement) error {
		*v = tamledger.Engagement{
			Org: org, ID: r.text(1), Date: r.date(2), Service: r.enum(3), InitiatedBy: r.enum(4),
			Workloads: r.list(5), Source: r.enum(6),
		}
		return nil
	},
	compare: compareEngagements,
}

func compareEngagements(a, b *tamledger.Engagement) int {
	return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.ID, b.ID))
}

func optDate(r rows, i int) *tamledger.Date {
	if r.null(i) {
		return nil
	}
	d := r.date(i)
	return &d
}

var recommendationReader = recommendationReaderOf(AllFields)

// recommendationReaderOf reads recommendations; ScoringFields leaves out
// the title and the status reason.
func recommendationReaderOf(f Fields) *reader[tamledger.Recommendation] {
	cols := "organization, id, raised_on, engagement, origin, pillar, workload, risk, " +
		"estimated_monthly_savings, status, implemented_on, realized_monthly_savings, " +
		"downtime_hours, probability, architecture_value, contextualized_by_tam"
	prose := f == AllFields
	if prose {
		cols += ", title, status_reason"
	}
	return &reader[tamledger.Recommendation]{
		table: tables[tRecommendation],
		cols:  cols,
		fill: func(r rows, org string, v *tamledger.Recommendation) error {
			*v = tamledger.Recommendation{
				Org: org, ID: r.text(1), RaisedOn: r.date(2), Engagement: r.text(3), Origin: r.enum(4),
				Pillar: r.enum(5), Workload: r.enum(6), Risk: r.enum(7),
				EstimatedMonthlySavings: r.money(8), Status: r.enum(9),
				ImplementedOn: optDate(r, 10), RealizedMonthlySavings: r.money(11),
				ArchitectureValue: r.money(14), ContextualizedByTAM: r.boolean(15),
			}
			hours, ok1 := r.float(12)
			prob, ok2 := r.float(13)
			if ok1 || ok2 {
				v.IncidentAvoided = &tamledger.IncidentAvoided{DowntimeHours: hours, Probability: prob}
			}
			if prose {
				v.Title, v.StatusReason = r.text(16), r.text(17)
			}
			return nil
		},
		compare: func(a, b *tamledger.Recommendation) int {
			return cmp.Or(a.RaisedOn.Compare(b.RaisedOn), strings.Compare(a.ID, b.ID))
		},
	}
}

var recommendationScoring = recommendationReaderOf(ScoringFields)

var caseReader = caseReaderOf(AllFields)

var caseScoring = caseReaderOf(ScoringFields)

// caseReaderOf reads cases; ScoringFields leaves out the subject.
func caseReaderOf(f Fields) *reader[tamledger.Case] {
	cols := "organization, id, severity, opened_at, tam_engaged_at, resolved_at"
	prose := f == AllFields
	if prose {
		cols += ", subject"
	}
	return &reader[tamledger.Case]{
		table: tables[tCase],
		cols:  cols,
		fill: func(r rows, org string, v *tamledger.Case) error {
			opened, _ := r.instant(3)
			*v = tamledger.Case{Org: org, ID: r.text(1), Severity: r.enum(2), OpenedAt: opened}
			if t, ok := r.instant(4); ok {
				v.TAMEngagedAt = &t
			}
			if t, ok := r.instant(5); ok {
				v.ResolvedAt = &t
			}
			if prose {
				v.Subject = r.text(6)
			}
			return nil
		},
		compare: func(a, b *tamledger.Case) int {
			return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), strings.Compare(a.ID, b.ID))
		},
	}
}

// Fields says which fields of the records a bulk read fills.
type Fields int

const (
	// AllFields fills every field.
	AllFields Fields = iota
	// ScoringFields fills what the rules of package score read, and
	// leaves out free text: engagement attendees and summaries,
	// recommendation titles and status reasons, case subjects. It is what
	// the portfolio reads (a quarter less work on engagements). Package
	// roi reads titles: give it AllFields.
	ScoringFields
)

// kindReaders are the readers of the kinds read by organisation, for a
// choice of Fields.
type kindReaders struct {
	engagement     *reader[tamledger.Engagement]
	recommendation *reader[tamledger.Recommendation]
	cases          *reader[tamledger.Case]
}

var readersFor = [...]kindReaders{
	AllFields:     {engagementReader, recommendationReader, caseReader},
	ScoringFields: {engagementScoring, recommendationScoring, caseScoring},
}

func (f Fields) readers() kindReaders {
	if f < 0 || int(f) >= len(readersFor) {
		return readersFor[AllFields]
	}
	return readersFor[f]
}

// each reads every row of r's query on c: at returns where to build the
// row's value, given its key (column 0; shared between the rows of one
// organisation).
func each[T any](ctx context.Context, c conn, r *reader[T], where string, args []any, at func(key string) *T) error {
	rs, err := c.rows(ctx, r.query(where), args...)
	if err != nil {
		return err
	}
	defer rs.close()
	key := ""
	for n := 0; rs.next(); n++ {
		if n&1023 == 1023 && ctx.Err() != nil {
			return ctx.Err()
		}
		if n == 0 || !rs.same(0, key) {
			key = rs.text(0)
		}
		if err := r.fill(rs, key, at(key)); err != nil {
			return err
		}
	}
	return rs.err()
}

// readAll reads every row of r's query into a slice, in r's order.
func readAll[T any](ctx context.Context, c conn, r *reader[T], where string, args ...any) ([]T, error) {
	out, err := readList(ctx, c, r, where, args...)
	if err != nil {
		return nil, err
	}
	r.sort(out)
	return out, nil
}

// readList reads every row of r's query into a slice, in query order.
func readList[T any](ctx context.Context, c conn, r *reader[T], where string, args ...any) ([]T, error) {
	var out []T
	var zero T
	err := each(ctx, c, r, where, args, func(string) *T {
		out = append(out, zero)
		return &out[len(out)-1]
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
