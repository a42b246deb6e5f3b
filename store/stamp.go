package store

import (
	"context"
	"hash/fnv"
	"strconv"

	"github.com/tamledger/tamledger"
)

// Generation is a number that changes whenever a write transaction commits
// something, in this process or another: a reader that keeps results
// computed from the records (the web app's portfolio) compares it to know
// whether anything may have changed since, at the cost of one small query.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return 0, err
	}
	defer release()
	rs, err := conns[0].rows(ctx, "SELECT n FROM store_generation")
	if err != nil {
		return 0, mapError("read the generation", err, "")
	}
	defer rs.close()
	var n int64
	if rs.next() {
		n = rs.integer(0)
	}
	return n, mapError("read the generation", rs.err(), "")
}

// Stamps returns, for every organisation, a stamp of its records: a number
// that changes when any of its records (the organisation itself, charters,
// engagements, recommendations, cases, events, reassignment requests) is
// created, changed or deleted. Results computed from one organisation's
// records stay valid while its stamp does, so a reader that keeps them
// (the web app's portfolio) recomputes only the organisations whose stamp
// moved. It reads the version, the update time and the count of every
// kind's rows per organisation, from one snapshot; it costs a scan of
// those columns, so call it when Generation has moved.
func (s *Store) Stamps(ctx context.Context) (map[string]uint64, error) {
	return s.stamps(ctx, "")
}

// Stamp is organisation org's stamp, the one Stamps gives it, read from
// that organisation's rows only (an index range per kind). An organisation
// that does not exist is an ENOTFOUND error.
func (s *Store) Stamp(ctx context.Context, org string) (uint64, error) {
	m, err := s.stamps(ctx, org)
	if err != nil {
		return 0, err
	}
	st, ok := m[org]
	if !ok {
		return 0, tamledger.Errorf(tamledger.ENOTFOUND, "no organization %q", org)
	}
	return st, nil
}

// stamps computes the stamps of every organisation, or of org only.
func (s *Store) stamps(ctx context.Context, org string) (map[string]uint64, error) {
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer release()
	c := conns[0]
	parts := map[string][]byte{}
	add := func(kind, query string) error {
		var args []any
		if org != "" {
			args = []any{org}
		}
		rs, err := c.rows(ctx, query, args...)
		if err != nil {
			return mapError("read stamps", err, "")
		}
		defer rs.close()
		for rs.next() {
			org := rs.text(0)
			at, _ := rs.instant(3)
			b := append(parts[org], kind...)
			b = strconv.AppendInt(b, rs.integer(1), 10)
			b = append(b, ':')
			b = strconv.AppendInt(b, rs.integer(2), 10)
			b = append(b, ':')
			b = strconv.AppendInt(b, at.UnixNano(), 10)
			parts[org] = append(b, ';')
		}
		return mapError("read stamps", rs.err(), "")
	}
	orgs, scoped := "", ""
	if org != "" {
		orgs, scoped = " WHERE id = $1", " WHERE organization = $1"
	}
	if err := add("o", "SELECT id, 1, rev, updated_at FROM organizations"+orgs); err != nil {
		return nil, err
	}
	if org != "" && len(parts) == 0 {
		return hashStamps(parts), nil // no such organisation
	}
	for _, tb := range tables {
		if !tb.scoped {
			continue
		}
		if err := add(tb.name, "SELECT organization, count(*), CAST(sum(rev) AS BIGINT), max(updated_at) FROM "+tb.name+scoped+" GROUP BY organization"); err != nil {
			return nil, err
		}
	}
	return hashStamps(parts), nil
}

func hashStamps(parts map[string][]byte) map[string]uint64 {
	out := make(map[string]uint64, len(parts))
	for org, b := range parts {
		h := fnv.New64a()
		h.Write(b)
		out[org] = h.Sum64()
	}
	return out
}
