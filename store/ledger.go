package store

import (
	"context"
	"database/sql"
	"os"
	"runtime"
	"strconv"

	"github.com/tamledger/tamledger"
)

// Ledgers are read by organisation range: for a range of organisation ids,
// one query per kind (seven), each ordered by (organization, id), merged
// here into the range's ledgers. Ledger reads the range of one
// organisation. EachLedger cuts the organisations into ranges of
// rangeOrgs and has one worker per CPU read them, each on its own
// connection, all in one snapshot of the database: reading and decoding
// rows is most of the cost, and on SQLite it runs on the reading
// goroutine, so it is shared out. The large kinds (Engagement,
// Recommendation, Case) are built from their typed columns; the others
// from their JSON.

// rangeOrgs is how many organisations a worker reads at a time: about
// 50,000 engagements at 200 each.
const rangeOrgs = 256

// orgRange selects organisations: the one with id eq, or those with ids
// in [lo, hi) ("" leaves that end open).
type orgRange struct{ eq, lo, hi string }

// where is the WHERE clause and arguments selecting the range on col.
func (r orgRange) where(col string) (string, []any) {
	switch {
	case r.eq != "":
		return " WHERE " + col + " = $1", []any{r.eq}
	case r.lo != "" && r.hi != "":
		return " WHERE " + col + " >= $1 AND " + col + " < $2", []any{r.lo, r.hi}
	case r.lo != "":
		return " WHERE " + col + " >= $1", []any{r.lo}
	case r.hi != "":
		return " WHERE " + col + " < $1", []any{r.hi}
	}
	return "", nil
}

// readRange reads the ledgers of the organisations in r, by id.
func readRange(ctx context.Context, tx *sql.Tx, r orgRange) ([]*tamledger.Ledger, error) {
	where, args := r.where("id")
	orgs, err := readAll(ctx, tx, organizationReader, where, args...)
	if err != nil || len(orgs) == 0 {
		return nil, err
	}
	ls := make([]*tamledger.Ledger, len(orgs))
	for i := range orgs {
		ls[i] = &tamledger.Ledger{Org: &orgs[i]}
	}
	where, args = r.where("organization")
	if err := readInto(ctx, tx, charterReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Charter { return &l.Charters }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, tx, engagementReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Engagement { return &l.Engagements }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, tx, recommendationReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Recommendation { return &l.Recommendations }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, tx, caseReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Case { return &l.Cases }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, tx, eventReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Event { return &l.Events }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, tx, reassignmentReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.ReassignmentRequest { return &l.Reassignments }); err != nil {
		return nil, err
	}
	return ls, nil
}

// readInto reads a kind's rows for the ledgers ls (ordered by organisation
// id) and gives each ledger its own, in the kind's order. The values of a
// range share one array; each ledger's slice is capped, so appending to it
// copies.
func readInto[T any](ctx context.Context, tx *sql.Tx, r *reader[T], where string, args []any, ls []*tamledger.Ledger, field func(*tamledger.Ledger) *[]T) error {
	rows, err := tx.QueryContext(ctx, r.query(where), args...)
	if err != nil {
		return mapError("read "+r.table.name, err, "")
	}
	defer rows.Close()
	sc := r.scanner()
	dest := sc.dest()
	// Values go into arenas of arenaItems; an organisation's values are
	// contiguous (moved to a new arena when one fills up mid-way).
	const arenaItems = 2048
	var arena []T
	org, start := "", 0
	i := 0 // ledger of org
	finish := func() {
		for i < len(ls) && ls[i].Org.ID < org {
			i++
		}
		if i < len(ls) && ls[i].Org.ID == org { // else rows of a missing organisation: foreign keys forbid it
			items := arena[start:len(arena):len(arena)]
			r.sort(items)
			*field(ls[i]) = items
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return mapError("read "+r.table.name, err, "")
		}
		if o := sc.org(); o != org {
			if len(arena) > start {
				finish()
			}
			org, start = o, len(arena)
		}
		if len(arena) == cap(arena) {
			part := arena[start:]
			arena = append(make([]T, 0, max(arenaItems, 2*len(part))), part...)
			start = 0
		}
		arena = arena[:len(arena)+1]
		if err := sc.fill(&arena[len(arena)-1]); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return mapError("read "+r.table.name, err, "")
	}
	if len(arena) > start {
		finish()
	}
	return nil
}

// Ledger returns everything recorded for one organisation: charters by
// effective date, the other kinds by date then id. It returns ENOTFOUND for
// an organisation that is not in the store.
func (s *Store) Ledger(ctx context.Context, org string) (*tamledger.Ledger, error) {
	if org == "" {
		return nil, tamledger.Errorf(tamledger.ENOTFOUND, "no organization given")
	}
	txs, err := s.snapshot(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer txs[0].Rollback()
	ls, err := readRange(ctx, txs[0], orgRange{eq: org})
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, tamledger.Errorf(tamledger.ENOTFOUND, "organization %q is not in the store", org)
	}
	return ls[0], nil
}

// ranges cuts the organisations into ranges of at most rangeOrgs, and into
// at least one per worker when there are enough.
func (s *Store) ranges(ctx context.Context, tx *sql.Tx, workers int) ([]orgRange, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id FROM organizations ORDER BY id")
	if err != nil {
		return nil, mapError("read organizations", err, "")
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, mapError("read organizations", err, "")
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError("read organizations", err, "")
	}
	if len(ids) == 0 {
		return nil, nil
	}
	per := min(rangeOrgs, (len(ids)+workers-1)/workers)
	var rs []orgRange
	for i := 0; i < len(ids); i += per {
		r := orgRange{lo: ids[i]}
		if i+per < len(ids) {
			r.hi = ids[i+per]
		}
		rs = append(rs, r)
	}
	return rs, nil
}

func readWorkers() int {
	if n, err := strconv.Atoi(os.Getenv("XWORKERS")); err == nil {
		return n
	}
	return min(max(runtime.GOMAXPROCS(0), 1), 8)
}

// EachLedger calls fn with the ledger of every organisation, in id order,
// all read from one snapshot of the database, as Ledger would return them.
// It reads ranges of organisations, seven ordered queries per range, with
// one worker per CPU (at most 8), each on its own connection, while fn
// runs on the calling goroutine; it does not run a query per organisation.
// fn may keep the ledger. An error from fn stops the reading and is
// returned. It does not wait for writers.
func (s *Store) EachLedger(ctx context.Context, fn func(*tamledger.Ledger) error) error {
	return eachRange(ctx, s, readRange, func(ls []*tamledger.Ledger) error {
		for _, l := range ls {
			if err := fn(l); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReadFloor reads the rows and columns EachLedger reads, the same way
// (same ranges, workers and queries), and builds nothing: the time it
// takes is the floor under EachLedger's. It returns the number of rows.
func (s *Store) ReadFloor(ctx context.Context) (rows int, err error) {
	kinds := []struct {
		query func(string) string
		col   string
	}{
		{organizationReader.query, "id"}, {charterReader.query, "organization"},
		{engagementReader.query, "organization"}, {recommendationReader.query, "organization"},
		{caseReader.query, "organization"}, {eventReader.query, "organization"},
		{reassignmentReader.query, "organization"},
	}
	read := func(ctx context.Context, tx *sql.Tx, r orgRange) (int, error) {
		n := 0
		for _, k := range kinds {
			where, args := r.where(k.col)
			c, err := scanAll(ctx, tx, k.query(where), args)
			if err != nil {
				return 0, err
			}
			n += c
		}
		return n, nil
	}
	err = eachRange(ctx, s, read, func(n int) error {
		rows += n
		return nil
	})
	return rows, err
}

// eachRange runs read on every organisation range, on the workers, and
// hands the results to use in range order, on the calling goroutine.
func eachRange[R any](parent context.Context, s *Store, read func(context.Context, *sql.Tx, orgRange) (R, error), use func(R) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	n := readWorkers()
	txs, err := s.snapshot(ctx, n)
	if err != nil {
		return err
	}
	defer func() {
		for _, tx := range txs {
			tx.Rollback()
		}
	}()
	ranges, err := s.ranges(ctx, txs[0], n)
	if err != nil {
		return err
	}
	n = min(n, len(ranges))
	w := &workers{cancel: cancel}
	out := make([]chan R, n)
	for k := range n {
		out[k] = make(chan R, 1)
		w.run(func() error {
			defer close(out[k])
			for i := k; i < len(ranges); i += n {
				res, err := read(ctx, txs[k], ranges[i])
				if err != nil {
					return err
				}
				select {
				case out[k] <- res:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}
	var useErr error
	for i := range ranges {
		res, ok := <-out[i%n]
		if !ok {
			break // the worker failed
		}
		if useErr = use(res); useErr != nil {
			break
		}
	}
	cancel()
	for _, ch := range out {
		drain(ch)
	}
	err = w.wait()
	switch {
	case useErr != nil:
		return useErr
	case parent.Err() != nil:
		return parent.Err()
	case err == context.Canceled:
		return nil // cancelled here, after the last range
	}
	return err
}

// scanAll reads every row of query into untyped values and counts them.
func scanAll(ctx context.Context, tx *sql.Tx, query string, args []any) (int, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, mapError("read", err, "")
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, mapError("read", err, "")
	}
	vals := make([]any, len(cols))
	dest := make([]any, len(cols))
	for j := range vals {
		dest[j] = &vals[j]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, mapError("read", err, "")
		}
		n++
	}
	return n, mapError("read", rows.Err(), "")
}
