package store

import (
	"context"

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
