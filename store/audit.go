package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The audit trail (migration 0004_audit.sql): every write that changes a
// record — created, updated, deleted — leaves a row in audit_log naming the
// Tx's manager, when, the rev and the fields it changed. The writer notes
// the changes as it classifies them (writer.classify, Tx.DeleteIfRev); the
// Tx writes them at commit, in the same transaction, so that the trail has
// exactly the writes that happened.

// Actions of the audit trail.
const (
	auditCreated = "created"
	auditUpdated = "updated"
	auditDeleted = "deleted"
)

type auditEntry struct {
	table   int
	org, id string
	action  string
	fields  string // ';'-joined paths, for an update
	rev     int64  // for a deletion: the rev deleted
}

// auditStmt is the stmtKey table of the audit trail's insert of created
// records (beyond the kinds' tables).
const auditStmt = nTables

// auditRows is how many created records one statement records: about the
// rows of one engagements upsert.
const auditRows = 500

// Revision is one write of a record, as the audit trail keeps it.
type Revision struct {
	Rev     int64     // the record's rev after the write (a deletion: the rev deleted)
	Action  string    // created, updated, deleted
	Manager string    // who wrote: import, cli, web:EMAIL, ...
	At      time.Time // when the transaction began
	// Fields are the paths into the spec that the write changed
	// ("status", "accountTeam.tam.name"); nil for a creation or a
	// deletion, which concern every field.
	Fields []string
}

// auditInsert is the statement that records rows created records.
func auditInsert(d *dialect, rows int, now string) string {
	var q strings.Builder
	q.WriteString("INSERT INTO audit_log (kind, organization, id, rev, action, manager, at, fields) VALUES ")
	p := 0
	next := func() string { p++; return d.placeholder(p) }
	for r := range rows {
		if r > 0 {
			q.WriteByte(',')
		}
		fmt.Fprintf(&q, "(%s, %s, %s, 1, '%s', %s, %s, NULL)", next(), next(), next(), auditCreated, next(), now)
	}
	return q.String()
}

// auditCreated notes a record created; every auditRows of them are queued
// to the writer as one statement, like the records themselves.
func (w *writer) auditCreated(ctx context.Context, tb *table, org, id string) error {
	if w.created == nil {
		w.created = &job{table: auditStmt}
	}
	j := w.created
	j.args = append(j.args, tb.kind, org, id, w.t.wr.Manager)
	if j.rows++; j.rows < auditRows {
		return nil
	}
	return w.queueCreated(ctx)
}

// queueCreated queues the audit rows noted so far.
func (w *writer) queueCreated(ctx context.Context) error {
	j := w.created
	if j == nil || j.rows == 0 {
		return nil
	}
	w.created = nil
	j.ctx = ctx
	if !w.async {
		return w.t.fail(w.exec(j))
	}
	select {
	case w.queue <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// writeAudit records the rest of the Tx's changes at commit: the created
// records not yet queued, then the updates (with the rev they wrote) and
// deletions in the order they happened. The writer has stopped: the Tx's
// connection is free and holds every write.
func (t *Tx) writeAudit(ctx context.Context) error {
	if t.w == nil {
		return nil
	}
	if j := t.w.created; j != nil && j.rows > 0 {
		t.w.created = nil
		if _, err := t.upsert(ctx, stmtKey{table: auditStmt, rows: j.rows}, j.args); err != nil {
			return mapError("write the audit trail", err, "")
		}
	}
	for _, e := range t.w.audit {
		tb := tables[e.table]
		var err error
		if e.action == auditDeleted {
			_, err = t.c.exec(ctx, "INSERT INTO audit_log (kind, organization, id, rev, action, manager, at, fields) VALUES ($1, $2, $3, $4, '"+auditDeleted+"', $5, "+t.now+", NULL)",
				tb.kind, e.org, e.id, e.rev, t.wr.Manager)
		} else {
			where, args := "id = $5", []any{tb.kind, e.org, t.wr.Manager, e.fields, e.id}
			if tb.scoped {
				where, args = "organization = $5 AND id = $6", []any{tb.kind, e.org, t.wr.Manager, e.fields, e.org, e.id}
			}
			_, err = t.c.exec(ctx, "INSERT INTO audit_log (kind, organization, id, rev, action, manager, at, fields) SELECT $1, $2, id, rev, '"+auditUpdated+"', $3, "+t.now+", $4 FROM "+tb.name+" WHERE "+where, args...)
		}
		if err != nil {
			return mapError("write the audit trail", err, "")
		}
	}
	t.w.audit = t.w.audit[:0]
	return nil
}

// History returns the writes of a record recorded in the audit trail,
// oldest first (none for a record written before the trail was kept, or
// never written).
func (s *Store) History(ctx context.Context, kind, org, id string) ([]Revision, error) {
	tb, err := lookup(kind, org, id)
	if err != nil {
		return nil, err
	}
	conns, release, err := s.readConns(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer release()
	rs, err := conns[0].rows(ctx, "SELECT rev, action, manager, at, fields FROM audit_log WHERE kind = $1 AND organization = $2 AND id = $3 ORDER BY seq",
		tb.kind, org, id)
	if err != nil {
		return nil, mapError("read the audit trail", err, "")
	}
	defer rs.close()
	var out []Revision
	for rs.next() {
		r := Revision{Rev: rs.integer(0), Action: rs.text(1), Manager: rs.text(2)}
		r.At, _ = rs.instant(3)
		if f := rs.text(4); f != "" {
			r.Fields = strings.Split(f, ";")
		}
		out = append(out, r)
	}
	return out, mapError("read the audit trail", rs.err(), "")
}
