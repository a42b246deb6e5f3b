package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/tamledger/tamledger"
)

// List returns the stored records of one kind of one organisation ("" for
// the unscoped kinds), by id, as this transaction sees them.
func (t *Tx) List(ctx context.Context, kind, org string) ([]tamledger.Record, error) {
	if err := t.sync(); err != nil {
		return nil, err
	}
	tb, err := lookup(kind, org, "x")
	if err != nil {
		return nil, err
	}
	query := "SELECT id, spec FROM " + tb.name
	var args []any
	if tb.scoped {
		query += " WHERE organization = $1"
		args = append(args, org)
	}
	rs, err := t.c.rows(ctx, query+" ORDER BY id", args...)
	if err != nil {
		return nil, t.fail(mapError("list "+kind, err, ""))
	}
	defer rs.close()
	var out []tamledger.Record
	for rs.next() {
		rec, err := decodeRecord(tb, org, rs.text(0), rs.text(1))
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	if err := rs.err(); err != nil {
		return nil, t.fail(mapError("list "+kind, err, ""))
	}
	return out, nil
}

// Item is a stored record with what the store keeps beside it.
type Item struct {
	tamledger.Record
	Meta
}

// Items returns the stored records of one kind of one organisation ("" for
// the unscoped kinds), by id, with their versions and field ownership, from
// one snapshot; it takes no lock.
func (s *Store) Items(ctx context.Context, kind, org string) ([]Item, error) {
	return s.items(ctx, kind, org, "")
}

// Item returns one stored record with its version and field ownership; ok
// is false when there is none.
func (s *Store) Item(ctx context.Context, kind, org, id string) (item Item, ok bool, err error) {
	if _, err := lookup(kind, org, id); err != nil {
		return item, false, err
	}
	items, err := s.items(ctx, kind, org, id)
	if err != nil || len(items) == 0 {
		return item, false, err
	}
	return items[0], true, nil
}

func (s *Store) items(ctx context.Context, kind, org, id string) ([]Item, error) {
	tb, err := lookup(kind, org, "x")
	if err != nil {
		return nil, err
	}
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer release()
	query := "SELECT id, spec, rev, updated_at, managed FROM " + tb.name
	var where []string
	var args []any
	if tb.scoped {
		args = append(args, org)
		where = append(where, fmt.Sprintf("organization = $%d", len(args)))
	}
	if id != "" {
		args = append(args, id)
		where = append(where, fmt.Sprintf("id = $%d", len(args)))
	}
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rs, err := conns[0].rows(ctx, query+" ORDER BY id", args...)
	if err != nil {
		return nil, mapError("list "+kind, err, "")
	}
	defer rs.close()
	var out []Item
	for rs.next() {
		rec, err := decodeRecord(tb, org, rs.text(0), rs.text(1))
		if err != nil {
			return nil, err
		}
		it := Item{Record: rec, Meta: Meta{Rev: rs.integer(2)}}
		it.UpdatedAt, _ = rs.instant(3)
		if it.Managed, err = storedManaged(rs.text(4)); err != nil {
			return nil, fmt.Errorf("store: %s %s: %w", kind, describeKey(org, rec.ID), err)
		}
		out = append(out, it)
	}
	if err := rs.err(); err != nil {
		return nil, mapError("list "+kind, err, "")
	}
	return out, nil
}
