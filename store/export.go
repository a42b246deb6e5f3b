package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/tamledger/tamledger"
)

// rawRow is a stored record as it is in its table.
type rawRow struct{ org, id, spec string }

func rawReader(tb *table) *reader[rawRow] {
	cols, spec := "organization, id, spec", 2
	if !tb.scoped {
		cols, spec = "id, spec", 1
	}
	return &reader[rawRow]{
		table: tb, cols: cols,
		fill: func(r rows, key string, v *rawRow) error {
			if tb.scoped {
				*v = rawRow{org: key, id: r.text(1), spec: r.text(spec)}
			} else {
				*v = rawRow{id: key, spec: r.text(spec)}
			}
			return nil
		},
	}
}

var rawReaders = func() []*reader[rawRow] {
	r := make([]*reader[rawRow], len(tables))
	for i, tb := range tables {
		r[i] = rawReader(tb)
	}
	return r
}()

// Export calls fn with every stored record, in a stable order: price books,
// then for each organisation (by id) the Organization and its charters,
// engagements, recommendations, cases, events and reassignment requests,
// each kind by id. With org set it exports that organisation and its
// records only (no price books), and returns ENOTFOUND when it is not in
// the store. Records have SetKey applied; their values encode to the JSON
// that was stored. An error from fn stops the export and is returned.
func (s *Store) Export(parent context.Context, org string, fn func(tamledger.Record) error) error {
	if org != "" {
		return s.exportOrg(parent, org, fn)
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	txs, release, err := s.readConns(ctx, nTables-1)
	if err != nil {
		return err
	}
	defer release()
	books, err := readAll(ctx, txs[0], rawReaders[tPriceBook], "")
	if err != nil {
		return err
	}
	for _, b := range books {
		if err := emit(tables[tPriceBook], b, fn); err != nil {
			return err
		}
	}
	// One stream per table from Organization on; txs[k-1] reads tables[k].
	w := &workers{cancel: cancel}
	chans := make([]chan group[rawRow], nTables)
	for k := tOrganization; k < nTables; k++ {
		chans[k] = make(chan group[rawRow], groupBuffer)
		w.run(func() error { return stream(ctx, txs[k-1], rawReaders[k], chans[k]) })
	}
	pend := make([]*pending[rawRow], nTables)
	for k := tCharter; k < nTables; k++ {
		pend[k] = &pending[rawRow]{ch: chans[k]}
	}
	var fnErr error
orgs:
	for g := range chans[tOrganization] {
		o := g.items[0]
		if fnErr = emit(tables[tOrganization], o, fn); fnErr != nil {
			break
		}
		for k := tCharter; k < nTables; k++ {
			for _, r := range pend[k].take(o.id) {
				if fnErr = emit(tables[k], r, fn); fnErr != nil {
					break orgs
				}
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	if fnErr != nil || ctx.Err() != nil {
		cancel()
	}
	for k := tOrganization; k < nTables; k++ {
		drain(chans[k])
	}
	err = w.wait()
	switch {
	case fnErr != nil:
		return fnErr
	case parent.Err() != nil:
		return parent.Err()
	}
	return err
}

func (s *Store) exportOrg(ctx context.Context, org string, fn func(tamledger.Record) error) error {
	if _, err := lookup(tamledger.KindCharter, org, "x"); err != nil {
		return tamledger.Errorf(tamledger.ENOTFOUND, "organization %q is not in the store", org)
	}
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return err
	}
	defer release()
	tx := conns[0]
	orgs, err := readAll(ctx, tx, rawReaders[tOrganization], " WHERE id = $1", org)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return tamledger.Errorf(tamledger.ENOTFOUND, "organization %q is not in the store", org)
	}
	if err := emit(tables[tOrganization], orgs[0], fn); err != nil {
		return err
	}
	for k := tCharter; k < nTables; k++ {
		rows, err := readAll(ctx, tx, rawReaders[k], " WHERE organization = $1", org)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := emit(tables[k], r, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

func emit(tb *table, r rawRow, fn func(tamledger.Record) error) error {
	rec, err := decodeRecord(tb, r.org, r.id, r.spec)
	if err != nil {
		return err
	}
	return fn(rec)
}

// Get returns a stored record, with SetKey applied; ok is false when there
// is none.
func (s *Store) Get(ctx context.Context, kind, org, id string) (rec tamledger.Record, ok bool, err error) {
	tb, err := lookup(kind, org, id)
	if err != nil {
		return rec, false, err
	}
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return rec, false, err
	}
	defer release()
	rec, _, ok, err = getRecord(ctx, conns[0], s.d, tb, org, id, false)
	return rec, ok, err
}

// Organizations returns every organisation, by id.
func (s *Store) Organizations(ctx context.Context) ([]tamledger.Organization, error) {
	return readOne(ctx, s, organizationReader)
}

// PriceBooks returns every price book, by effective date then id.
func (s *Store) PriceBooks(ctx context.Context) ([]tamledger.PriceBook, error) {
	return readOne(ctx, s, priceBookReader)
}

func readOne[T any](ctx context.Context, s *Store, r *reader[T]) ([]T, error) {
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer release()
	return readAll(ctx, conns[0], r, "")
}

// Counts returns the number of stored records of each kind, keyed by kind
// (every kind is present).
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	parts := make([]string, len(tables))
	for i, tb := range tables {
		parts[i] = fmt.Sprintf("SELECT '%s' AS kind, count(*) AS n FROM %s", tb.kind, tb.name)
	}
	rows, err := s.db.QueryContext(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return nil, mapError("count", err, "")
	}
	defer rows.Close()
	counts := make(map[string]int, len(tables))
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, mapError("count", err, "")
		}
		counts[kind] = n
	}
	return counts, mapError("count", rows.Err(), "")
}
