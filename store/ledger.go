package store

import (
	"context"
	"fmt"
	"runtime"

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

// readRange reads the ledgers of the organisations in r, by id, with the
// given fields.
func readRange(ctx context.Context, c conn, r orgRange, f Fields) ([]*tamledger.Ledger, error) {
	rd := f.readers()
	where, args := r.where("id")
	orgs, err := readList(ctx, c, organizationReader, where, args...)
	if err != nil || len(orgs) == 0 {
		return nil, err
	}
	ls := make([]*tamledger.Ledger, len(orgs))
	for i := range orgs {
		ls[i] = &tamledger.Ledger{Org: &orgs[i]}
	}
	where, args = r.where("organization")
	if err := readInto(ctx, c, charterReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Charter { return &l.Charters }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, c, rd.engagement, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Engagement { return &l.Engagements }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, c, rd.recommendation, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Recommendation { return &l.Recommendations }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, c, rd.cases, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Case { return &l.Cases }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, c, eventReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.Event { return &l.Events }); err != nil {
		return nil, err
	}
	if err := readInto(ctx, c, reassignmentReader, where, args, ls, func(l *tamledger.Ledger) *[]tamledger.ReassignmentRequest { return &l.Reassignments }); err != nil {
		return nil, err
	}
	return ls, nil
}

// readInto reads a kind's rows for the ledgers ls (ordered by organisation
// id) and gives each ledger its own, in the kind's order. The values go
// into arenas of arenaItems, an organisation's contiguous (moved to a new
// arena when one fills up mid-way); each ledger's slice is capped, so
// appending to it copies.
func readInto[T any](ctx context.Context, c conn, r *reader[T], where string, args []any, ls []*tamledger.Ledger, field func(*tamledger.Ledger) *[]T) error {
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
	err := each(ctx, c, r, where, args, func(key string) *T {
		if key != org {
			if len(arena) > start {
				finish()
			}
			org, start = key, len(arena)
		}
		if len(arena) == cap(arena) {
			part := arena[start:]
			arena = append(make([]T, 0, max(arenaItems, 2*len(part))), part...)
			start = 0
		}
		arena = arena[:len(arena)+1]
		return &arena[len(arena)-1]
	})
	if err != nil {
		return err
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
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer release()
	ls, err := readRange(ctx, conns[0], orgRange{eq: org}, AllFields)
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
func (s *Store) ranges(ctx context.Context, c conn, workers int) ([]orgRange, error) {
	rs, err := c.rows(ctx, "SELECT id FROM organizations ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rs.close()
	var ids []string
	for rs.next() {
		ids = append(ids, rs.text(0))
	}
	if err := rs.err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	per := min(rangeOrgs, (len(ids)+workers-1)/workers)
	var ranges []orgRange
	for i := 0; i < len(ids); i += per {
		r := orgRange{lo: ids[i]}
		if i+per < len(ids) {
			r.hi = ids[i+per]
		}
		ranges = append(ranges, r)
	}
	return ranges, nil
}

// readWorkers is how many ranges EachLedger reads at once: one per CPU.
func readWorkers() int { return min(max(runtime.GOMAXPROCS(0), 1), 8) }

// EachLedger calls fn with the ledger of every organisation, in id order,
// all read from one snapshot of the database, as Ledger would return them
// (with fields ScoringFields, without their free text). It reads ranges of
// organisations, seven ordered queries per range, with one worker per CPU
// (at most 8), each on its own connection, while fn runs on the calling
// goroutine; it does not run a query per organisation. fn may keep the
// ledger. An error from fn stops the reading and is returned. It does not
// wait for writers.
func (s *Store) EachLedger(ctx context.Context, fields Fields, fn func(*tamledger.Ledger) error) error {
	read := func(ctx context.Context, c conn, r orgRange) ([]*tamledger.Ledger, error) {
		return readRange(ctx, c, r, fields)
	}
	return eachRange(ctx, s, read, func(ls []*tamledger.Ledger) error {
		for _, l := range ls {
			if err := fn(l); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReadFloor reads the rows and columns EachLedger reads with the same
// fields, the same way (same ranges, workers and queries), and builds
// nothing: the time it takes is the floor under EachLedger's. It returns
// the number of rows.
func (s *Store) ReadFloor(ctx context.Context, fields Fields) (rows int, err error) {
	rd := fields.readers()
	kinds := []struct {
		query func(string) string
		col   string
	}{
		{organizationReader.query, "id"}, {charterReader.query, "organization"},
		{rd.engagement.query, "organization"}, {rd.recommendation.query, "organization"},
		{rd.cases.query, "organization"}, {eventReader.query, "organization"},
		{reassignmentReader.query, "organization"},
	}
	read := func(ctx context.Context, c conn, r orgRange) (int, error) {
		n := 0
		for _, k := range kinds {
			where, args := r.where(k.col)
			c, err := scanAll(ctx, c, k.query(where), args)
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
func eachRange[R any](parent context.Context, s *Store, read func(context.Context, conn, orgRange) (R, error), use func(R) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	n := readWorkers()
	conns, release, err := s.readConns(ctx, n)
	if err != nil {
		return err
	}
	defer release()
	ranges, err := s.ranges(ctx, conns[0], n)
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
				res, err := read(ctx, conns[k], ranges[i])
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

// scanAll reads every row of query, fetching every column, and counts
// the rows.
func scanAll(ctx context.Context, c conn, query string, args []any) (int, error) {
	rs, err := c.rows(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rs.close()
	cols := rs.columns()
	n := 0
	for rs.next() {
		for i := range cols {
			rs.touch(i)
		}
		n++
	}
	return n, rs.err()
}

// readConns returns n connections in one snapshot of the database, and
// the function that releases them: every read of the store goes through it
// (backend.read).
func (s *Store) readConns(ctx context.Context, n int) ([]conn, func(), error) {
	return s.b.read(ctx, n)
}

// snapshot returns n raw connections in read transactions that all see one
// committed state: every write transaction bumps store_generation as it
// commits; the readers read it and start again in the rare case that a
// commit fell between them.
func (b *sqliteBackend) snapshot(ctx context.Context, n int) (conns []conn, release func(), err error) {
	raws := make([]*rawConn, 0, n)
	release = func() {
		for _, c := range raws {
			b.raw.put(c)
		}
	}
	defer func() {
		// On an error path release is nil (return nil, nil, err): give the
		// connections back here (put ends their read transactions).
		if err != nil {
			for _, c := range raws {
				b.raw.put(c)
			}
		}
	}()
	for len(raws) < n {
		c, err := b.raw.get()
		if err != nil {
			return nil, nil, fmt.Errorf("store: open SQLite for reading: %w", err)
		}
		raws = append(raws, c)
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		var gen0 int64
		same := true
		for i, c := range raws {
			if err := c.exec("BEGIN"); err != nil {
				return nil, nil, fmt.Errorf("store: begin read: %w", err)
			}
			if n == 1 {
				break // one connection is its own snapshot, from its first read
			}
			rs, err := c.query("SELECT n FROM store_generation")
			if err != nil {
				return nil, nil, fmt.Errorf("store: begin read: %w", err)
			}
			var gen int64
			if rs.Next() {
				gen = rs.Int(0)
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return nil, nil, fmt.Errorf("store: begin read: %w", err)
			}
			if i == 0 {
				gen0 = gen
			} else if gen != gen0 {
				same = false
			}
		}
		if same {
			break
		}
		if attempt == 100 {
			return nil, nil, tamledger.Errorf(tamledger.ECONFLICT, "the database changes too often to read a consistent snapshot; try again")
		}
		for _, c := range raws {
			if err := c.exec("ROLLBACK"); err != nil {
				return nil, nil, fmt.Errorf("store: end read: %w", err)
			}
		}
	}
	conns = make([]conn, n)
	for i, c := range raws {
		conns[i] = c
	}
	return conns, release, nil
}
