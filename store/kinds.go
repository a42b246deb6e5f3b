package store

import (
	"fmt"
	"strings"

	"github.com/tamledger/tamledger"
)

// table describes where a kind lives and how its typed columns are written.
type table struct {
	pos    int // in tables
	kind   string
	name   string
	scoped bool     // keyed by (organization, id); else by id
	cols   []string // typed columns, in the order args appends them

	// args appends the typed column values of v (a pointer of the kind's
	// type) to dst.
	args func(d *dialect, v any, dst []any) []any
}

// The kinds in write order: what a record refers to is written first.
var tables = []*table{
	{
		kind: tamledger.KindPriceBook, name: "price_books",
		cols: []string{"effective"},
		args: func(d *dialect, v any, dst []any) []any {
			b := v.(*tamledger.PriceBook)
			return append(dst, dateArg(b.Effective))
		},
	},
	{
		kind: tamledger.KindOrganization, name: "organizations",
		args: func(d *dialect, v any, dst []any) []any { return dst },
	},
	{
		kind: tamledger.KindCharter, name: "charters", scoped: true,
		cols: []string{"effective"},
		args: func(d *dialect, v any, dst []any) []any {
			c := v.(*tamledger.Charter)
			return append(dst, dateArg(c.Effective))
		},
	},
	{
		kind: tamledger.KindEngagement, name: "engagements", scoped: true,
		cols: []string{"date", "service", "initiated_by", "workloads", "attendees", "summary", "source"},
		args: func(d *dialect, v any, dst []any) []any {
			e := v.(*tamledger.Engagement)
			return append(dst, dateArg(e.Date), e.Service, e.InitiatedBy, listArg(e.Workloads),
				listArg(e.Attendees), textArg(e.Summary), textArg(e.Source))
		},
	},
	{
		kind: tamledger.KindRecommendation, name: "recommendations", scoped: true,
		cols: []string{"raised_on", "engagement", "origin", "pillar", "workload", "title", "risk",
			"estimated_monthly_savings", "status", "status_reason", "implemented_on",
			"realized_monthly_savings", "downtime_hours", "probability", "architecture_value",
			"contextualized_by_tam"},
		args: func(d *dialect, v any, dst []any) []any {
			r := v.(*tamledger.Recommendation)
			ia := r.IncidentAvoided
			var hours, prob float64
			if ia != nil {
				hours, prob = ia.DowntimeHours, ia.Probability
			}
			return append(dst, dateArg(r.RaisedOn), textArg(r.Engagement), r.Origin, textArg(r.Pillar),
				textArg(r.Workload), textArg(r.Title), textArg(r.Risk), moneyArg(r.EstimatedMonthlySavings),
				r.Status, textArg(r.StatusReason), optDateArg(r.ImplementedOn), moneyArg(r.RealizedMonthlySavings),
				floatArg(ia != nil, hours), floatArg(ia != nil, prob), moneyArg(r.ArchitectureValue),
				r.ContextualizedByTAM)
		},
	},
	{
		kind: tamledger.KindCase, name: "cases", scoped: true,
		cols: []string{"severity", "subject", "opened_at", "tam_engaged_at", "resolved_at"},
		args: func(d *dialect, v any, dst []any) []any {
			c := v.(*tamledger.Case)
			opened := any(nil)
			if !c.OpenedAt.IsZero() {
				opened = d.instant(c.OpenedAt)
			}
			engaged, resolved := any(nil), any(nil)
			if c.TAMEngagedAt != nil {
				engaged = d.instant(*c.TAMEngagedAt)
			}
			if c.ResolvedAt != nil {
				resolved = d.instant(*c.ResolvedAt)
			}
			return append(dst, c.Severity, textArg(c.Subject), opened, engaged, resolved)
		},
	},
	{
		kind: tamledger.KindEvent, name: "events", scoped: true,
		cols: []string{"date"},
		args: func(d *dialect, v any, dst []any) []any {
			return append(dst, dateArg(v.(*tamledger.Event).Date))
		},
	},
	{
		kind: tamledger.KindReassignmentRequest, name: "reassignment_requests", scoped: true,
		cols: []string{"requested_on"},
		args: func(d *dialect, v any, dst []any) []any {
			return append(dst, dateArg(v.(*tamledger.ReassignmentRequest).RequestedOn))
		},
	},
}

// Positions in tables.
const (
	tPriceBook = iota
	tOrganization
	tCharter
	tEngagement
	tRecommendation
	tCase
	tEvent
	tReassignment
	nTables
)

var tableByKind = func() map[string]*table {
	m := map[string]*table{}
	for i, t := range tables {
		t.pos = i
		info, ok := tamledger.LookupKind(t.kind)
		if !ok || info.Scoped != t.scoped {
			panic("store: the table of " + t.kind + " disagrees with tamledger.KindInfo")
		}
		m[t.kind] = t
	}
	return m
}()

// kindOf is the kind of a record value, "" when v is not a non-nil pointer
// to one of the domain types.
func kindOf(v any) string {
	k, _ := tamledger.KindOf(v)
	return k.Name
}

// lookup returns the table of kind and checks the key's shape.
func lookup(kind, org, id string) (*table, error) {
	t := tableByKind[kind]
	if t == nil {
		return nil, tamledger.Errorf(tamledger.EINVALID, "unknown kind %q (want one of: %s)", kind, tamledger.Kinds.String())
	}
	switch {
	case t.scoped && org == "":
		return nil, tamledger.Errorf(tamledger.EINVALID, "%s %q: missing organization", kind, id)
	case t.scoped && !tamledger.ValidID(org):
		return nil, tamledger.Errorf(tamledger.EINVALID, "%s %q: bad organization %q (%s)", kind, id, org, tamledger.IDHint)
	case !t.scoped && org != "":
		return nil, tamledger.Errorf(tamledger.EINVALID, "%s %q: a %s belongs to no organization (got %q)", kind, id, kind, org)
	case !tamledger.ValidID(id):
		return nil, tamledger.Errorf(tamledger.EINVALID, "%s: bad id %q (%s)", kind, id, tamledger.IDHint)
	}
	return t, nil
}

// check returns the table of rec after checking that its kind, key and
// value agree.
func check(rec tamledger.Record) (*table, error) {
	t, err := lookup(rec.Kind, rec.Org, rec.ID)
	if err != nil {
		return nil, err
	}
	if k := kindOf(rec.Value); k != rec.Kind {
		return nil, tamledger.Errorf(tamledger.EINVALID, "%s %s: the value is a %T, not a *tamledger.%s", rec.Kind, describeKey(rec.Org, rec.ID), rec.Value, rec.Kind)
	}
	return t, nil
}

func describeKey(org, id string) string {
	if org == "" {
		return fmt.Sprintf("%q", id)
	}
	return fmt.Sprintf("%q of organization %q", id, org)
}

// keyCols is the key column list of t.
func (t *table) keyCols() string {
	if t.scoped {
		return "organization, id"
	}
	return "id"
}

// keyWhere is the WHERE condition on t's key, with parameters from $1.
func (t *table) keyWhere() string {
	if t.scoped {
		return "organization = $1 AND id = $2"
	}
	return "id = $1"
}

func (t *table) keyArgs(org, id string) []any {
	if t.scoped {
		return []any{org, id}
	}
	return []any{id}
}

// width is the number of parameters of one row of an upsert.
func (t *table) width() int {
	w := 3 + len(t.cols) // id, spec, managed
	if t.scoped {
		w++
	}
	return w
}

// rowsPerStatement is how many rows go in one multi-row upsert.
func (t *table) rowsPerStatement(d *dialect) int {
	const rows = 500
	if n := d.maxParams / t.width(); n < rows {
		return n
	}
	return rows
}

// How an upsert treats a key that is already stored.
type conflict int

const (
	update  conflict = iota // update the row when its spec differs
	skip                    // leave the row (PutIfRev's create with rev 0)
	failing                 // no ON CONFLICT clause: the statement fails
)

// upsert is the statement that writes rows records of t: insert, or on a
// stored key what on says; with returning set, it returns the key and new
// rev of each row written. now is the SQL for updated_at.
func (t *table) upsert(d *dialect, rows int, on conflict, returning bool, now string) string {
	var b strings.Builder
	cols := []string{"id"}
	if t.scoped {
		cols = []string{"organization", "id"}
	}
	cols = append(cols, t.cols...)
	cols = append(cols, "spec", "managed")
	fmt.Fprintf(&b, "%s %s (%s, rev, updated_at) VALUES ", d.insert, t.name, strings.Join(cols, ", "))
	n := 0
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for range cols {
			n++
			b.WriteString(d.placeholder(n))
			b.WriteByte(',')
		}
		b.WriteString("1,")
		b.WriteString(now)
		b.WriteByte(')')
	}
	switch on {
	case skip:
		fmt.Fprintf(&b, " ON CONFLICT (%s) DO NOTHING", t.keyCols())
	case update:
		fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET ", t.keyCols())
		for _, c := range cols[len(cols)-len(t.cols)-2:] {
			fmt.Fprintf(&b, "%s = excluded.%s, ", c, c)
		}
		// A change of ownership alone is written but is no new version.
		fmt.Fprintf(&b, "rev = %[1]s.rev + CASE WHEN %[1]s.spec <> excluded.spec THEN 1 ELSE 0 END, "+
			"updated_at = excluded.updated_at WHERE %[1]s.spec <> excluded.spec OR %[1]s.managed IS DISTINCT FROM excluded.managed", t.name)
	}
	if returning {
		fmt.Fprintf(&b, " RETURNING %s, rev", t.keyCols())
	}
	return b.String()
}
