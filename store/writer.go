package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/tamledger/tamledger"
)

// The one write path of both drivers. PutBatch works out what each record
// does (created, updated, unchanged, or a conflict) before writing it: it
// reads the stored rows of the keys that may exist, merges by field
// ownership (tamledger.Apply, tamledger.Take) and then writes the records
// that change: a plain insert of those created, an upsert of the others.
//
// The statements are queued to a goroutine that runs them on the Tx's
// connection while the caller goes on (parsing the next documents, encoding
// the next statement), which uses both cores of a small machine. Anything
// else that needs the Tx's connection (Get, Delete, Commit) first waits for
// the queue to drain; a write error is returned by the next call on the Tx.
//
// On SQLite the Tx holds the database's write lock, so the committed state
// cannot change under it: the stored rows of keys this Tx has not written
// are read on a second connection, without waiting for the queue. On
// PostgreSQL they are read in the Tx itself once the queue has drained,
// locked (FOR UPDATE) until it ends, and new keys are inserted directly
// (ON CONFLICT DO NOTHING) so that only the keys that exist are read. A key
// this Tx wrote before is read on the Tx's connection after the queue
// drains.

const queueDepth = 4 // statements queued ahead of the writer

// wkey is a record key in one table.
type wkey struct {
	table   int
	org, id string
}

type job struct {
	ctx   context.Context
	table int
	rows  int
	on    conflict
	args  []any
	flush chan struct{}
}

type writer struct {
	t     *Tx
	async bool // statements run on the goroutine
	queue chan *job
	free  chan *job
	done  chan struct{}

	mu  sync.Mutex
	err error // the first write error

	rd         conn // the committed state, for the look-ups (backend.committed)
	rdRelease  func()
	rdApart    bool                     // rd is not the Tx's connection
	written    map[wkey]map[string]bool // (table, org) -> ids this Tx wrote or deleted
	hasRows    map[wkey]bool            // (table, org) -> whether rows stored before this Tx's writes may exist
	hasDeleted map[string]bool          // organisation -> whether deleted records may exist

	buf      bytes.Buffer
	enc      *json.Encoder
	specs    []string // per position in the part being written
	managed  []string
	write    []bool
	stored   map[string]storedRow // id -> stored row, for the part's organisation
	inserted map[string]bool      // PostgreSQL: ids the look-up inserted, for the part's organisation
	revived  []wkey               // deleted records created again
	audit    []auditEntry         // updates and deletions this Tx made, for audit_log at commit
	created  *job                 // the audit rows of records created, queued every auditRows
}

// storedRow is what the store holds for a key: a live record, or the
// tombstone of a deleted one.
type storedRow struct {
	spec, managed string
	live, deleted bool
}

func (t *Tx) startWriter() *writer {
	if t.w != nil {
		return t.w
	}
	w := &writer{
		t: t, async: true,
		written: map[wkey]map[string]bool{}, hasRows: map[wkey]bool{}, hasDeleted: map[string]bool{},
		stored: map[string]storedRow{}, inserted: map[string]bool{},
	}
	w.enc = json.NewEncoder(&w.buf)
	if w.async {
		w.queue, w.free, w.done = make(chan *job, queueDepth), make(chan *job, queueDepth+2), make(chan struct{})
		go w.run()
	}
	t.w = w
	return w
}

func (w *writer) run() {
	defer close(w.done)
	for j := range w.queue {
		if j.flush != nil {
			close(j.flush)
			continue
		}
		if w.error() == nil {
			w.setErr(w.exec(j))
		}
		clear(j.args)
		j.args = j.args[:0]
		select {
		case w.free <- j:
		default:
		}
	}
}

func (w *writer) setErr(err error) {
	if err == nil {
		return
	}
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

func (w *writer) exec(j *job) error {
	rs, err := w.t.upsert(j.ctx, stmtKey{table: j.table, rows: j.rows, on: j.on}, j.args)
	if rs != nil {
		rs.close()
	}
	if err != nil && j.table == auditStmt {
		return mapError("write the audit trail", err, "")
	}
	if err != nil {
		return mapError("write "+tables[j.table].name, err, w.t.fkMessage(j.table))
	}
	return nil
}

func (w *writer) error() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// flush waits until every queued statement has run and returns the first
// write error.
func (w *writer) flush() error {
	if err := w.error(); err != nil || !w.async {
		return err
	}
	j := &job{flush: make(chan struct{})}
	w.queue <- j
	<-j.flush
	return w.error()
}

// stop ends the goroutine (after the queued statements) and the read
// transaction.
func (w *writer) stop() error {
	if w.async {
		close(w.queue)
		<-w.done
	}
	if w.rdRelease != nil {
		w.rdRelease()
		w.rd, w.rdRelease = nil, nil
	}
	return w.error()
}

// reader is the connection that reads the stored state for a look-up of
// keys this Tx has not written: where the backend has one, a connection
// that sees the state committed before the Tx (SQLite: a second
// connection), read without waiting for the queued statements; else the
// Tx's own, once they have run (one statement at a time on a connection).
func (w *writer) reader(ctx context.Context) (conn, error) {
	if w.rd == nil {
		c, release, err := w.t.s.b.committed()
		if err != nil {
			return nil, err
		}
		if c != nil {
			w.rd, w.rdRelease, w.rdApart = c, release, true
		}
	}
	if w.rdApart {
		return w.rd, nil
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	return w.t.c, nil
}

// put works out and writes the records of byTable, table by table, in
// statements of at most rowsPerStatement rows. Records that conflict are
// not written; they are returned.
func (w *writer) put(ctx context.Context, wr Write, recs []tamledger.Record, byTable *[nTables][]int32, changes []tamledger.Change) ([]RecordConflict, error) {
	d := w.t.s.d
	var conflicts []RecordConflict
	for k := range tables {
		tb := tables[k]
		per := tb.rowsPerStatement(d)
		list := byTable[k]
		for start := 0; start < len(list); start += per {
			part := list[start:min(start+per, len(list))]
			if err := w.encode(recs, part); err != nil {
				return nil, err
			}
			c, err := w.classify(ctx, wr, tb, recs, part, changes)
			if err != nil {
				return nil, err
			}
			conflicts = append(conflicts, c...)
			if err := w.enqueue(ctx, tb, recs, part, changes); err != nil {
				return nil, err
			}
		}
	}
	if len(w.revived) > 0 {
		if err := w.forgetDeleted(ctx); err != nil {
			return nil, err
		}
	}
	return conflicts, nil
}

// encode sets w.specs for part: each record's canonical JSON.
func (w *writer) encode(recs []tamledger.Record, part []int32) error {
	w.specs = w.specs[:0]
	for _, i := range part {
		r := &recs[i]
		spec, err := w.canonical(r)
		if err != nil {
			return err
		}
		w.specs = append(w.specs, spec)
	}
	return nil
}

func (w *writer) canonical(r *tamledger.Record) (string, error) {
	w.buf.Reset()
	if err := w.enc.Encode(r.Value); err != nil {
		return "", tamledger.Errorf(tamledger.EINVALID, "%s %s: cannot encode it as JSON: %v", r.Kind, describeKey(r.Org, r.ID), err)
	}
	b := w.buf.Bytes()
	return string(b[:len(b)-1]), nil // without Encode's newline
}

// classify sets changes for part, and w.specs, w.managed and w.write: what
// to store for each record and whether to write it.
func (w *writer) classify(ctx context.Context, wr Write, tb *table, recs []tamledger.Record, part []int32, changes []tamledger.Change) ([]RecordConflict, error) {
	w.managed, w.write = w.managed[:0], w.write[:0]
	var conflicts []RecordConflict
	created := createdManaged(wr.Manager)
	for from := 0; from < len(part); {
		// The records of one organisation (a batch is mostly one).
		org := recs[part[from]].Org
		to := from + 1
		for to < len(part) && recs[part[to]].Org == org {
			to++
		}
		if err := w.lookup(ctx, wr, tb, org, recs, part[from:to], from, created); err != nil {
			return nil, err
		}
		for n := from; n < to; n++ {
			i := part[n]
			r := &recs[i]
			if w.inserted[r.ID] { // PostgreSQL: created by the look-up itself
				changes[i] = tamledger.Created
				w.managed = append(w.managed, created)
				w.write = append(w.write, false)
				w.wrote(tb.pos, r.Org)[r.ID] = true
				if err := w.auditCreated(ctx, tb, r.Org, r.ID); err != nil {
					return nil, err
				}
				continue
			}
			st := w.stored[r.ID]
			ch, spec, managed, write, c, err := w.decide(wr, tb, r, w.specs[n], st, created)
			if err != nil {
				return nil, err
			}
			if c != nil {
				c.Index = int(i)
				conflicts = append(conflicts, *c)
				ch, write = tamledger.Unchanged, false
			}
			if write && !st.live && st.deleted {
				w.revived = append(w.revived, wkey{tb.pos, r.Org, r.ID})
			}
			changes[i] = ch
			w.specs[n] = spec
			w.managed = append(w.managed, managed)
			w.write = append(w.write, write)
			if write {
				w.wrote(tb.pos, r.Org)[r.ID] = true
			}
			switch {
			case write && ch == tamledger.Created:
				if err := w.auditCreated(ctx, tb, r.Org, r.ID); err != nil {
					return nil, err
				}
			case write && ch == tamledger.Updated:
				fields, err := tamledger.ChangedFields([]byte(st.spec), []byte(spec))
				if err != nil {
					return nil, w.corrupt(tb, r, err)
				}
				w.audit = append(w.audit, auditEntry{table: tb.pos, org: r.Org, id: r.ID, action: auditUpdated, fields: strings.Join(fields, ";")})
			}
		}
		from = to
	}
	return conflicts, nil
}

// wrote is the set of ids this Tx wrote in table for org.
func (w *writer) wrote(table int, org string) map[string]bool {
	k := wkey{table: table, org: org}
	m := w.written[k]
	if m == nil {
		m = map[string]bool{}
		w.written[k] = m
	}
	return m
}

// createdManaged is the stored ownership of a record a manager creates.
func createdManaged(manager string) string {
	return managedText(tamledger.Managed{Owner: manager})
}

// managedText is the stored form of an ownership: NULL ("") when the
// import owns every field, which is how most records stay (and how records
// stored before ownership was recorded read: storedManaged), else its JSON.
func managedText(m tamledger.Managed) string {
	if m.Owner == tamledger.ManagerImport && m.Simple() {
		return ""
	}
	return m.String()
}

// decide merges one record with what is stored for its key.
func (w *writer) decide(wr Write, tb *table, r *tamledger.Record, spec string, st storedRow, created string) (
	ch tamledger.Change, out, managed string, write bool, c *RecordConflict, err error) {
	what := func() *RecordConflict { return &RecordConflict{Kind: r.Kind, Org: r.Org, ID: r.ID} }
	switch {
	case !st.live && !st.deleted:
		return tamledger.Created, spec, created, true, nil, nil
	case !st.live:
		// Deleted: an editor, a forced write or the manager that deleted it
		// creates it again.
		m, err := storedManaged(st.managed)
		if err != nil {
			return 0, "", "", false, nil, w.corrupt(tb, r, err)
		}
		if wr.Edit || wr.Force || m.Owner == wr.Manager {
			return tamledger.Created, spec, created, true, nil, nil
		}
		// The deleter owns every field: whatever the applier changed since
		// its last statement is a conflict.
		_, _, fields, err := tamledger.Apply(wr.Manager, []byte(st.spec), m, []byte(spec), false)
		if err != nil {
			return 0, "", "", false, nil, w.corrupt(tb, r, err)
		}
		if len(fields) == 0 {
			return tamledger.Unchanged, spec, "", false, nil, nil // it stays deleted
		}
		c := what()
		c.DeletedBy, c.Fields = m.Owner, fields
		return 0, "", "", false, c, nil
	}
	m, err := storedManaged(st.managed)
	if err != nil {
		return 0, "", "", false, nil, w.corrupt(tb, r, err)
	}
	if wr.Edit {
		nm := m
		if spec != st.spec {
			if nm, err = tamledger.Take(wr.Manager, []byte(st.spec), m, []byte(spec)); err != nil {
				return 0, "", "", false, nil, w.corrupt(tb, r, err)
			}
		}
		managed = managedText(nm)
		return changeOf(spec, st.spec), spec, managed, spec != st.spec || managed != st.managed, nil, nil
	}
	merged, nm, fields, err := tamledger.Apply(wr.Manager, []byte(st.spec), m, []byte(spec), wr.Force)
	if err != nil {
		return 0, "", "", false, nil, w.corrupt(tb, r, err)
	}
	if len(fields) > 0 {
		c := what()
		c.Fields = fields
		return 0, "", "", false, c, nil
	}
	if string(merged) != spec {
		// Fields others set were kept: the record is the merge.
		v := tamledger.NewValue(tb.kind)
		if err := json.Unmarshal(merged, v); err != nil {
			return 0, "", "", false, nil, w.corrupt(tb, r, err)
		}
		if err := tamledger.ValidateValue(v); err != nil {
			c := what()
			c.Invalid = err.Error()
			return 0, "", "", false, c, nil
		}
		r.Value = v
		r.SetKey()
		if spec, err = w.canonical(r); err != nil {
			return 0, "", "", false, nil, err
		}
	}
	managed = managedText(nm)
	return changeOf(spec, st.spec), spec, managed, spec != st.spec || managed != st.managed, nil, nil
}

// storedManaged reads a stored ownership. A record stored before ownership
// was recorded (NULL) came from an import or from log, which replaced
// records whole: it counts as the import's, which keeps imports working as
// they did and lets the CLI's edits keep the import's view of a field.
func storedManaged(s string) (tamledger.Managed, error) {
	if s == "" {
		return tamledger.Managed{Owner: tamledger.ManagerImport}, nil
	}
	return tamledger.ParseManaged(s)
}

func changeOf(spec, stored string) tamledger.Change {
	if spec == stored {
		return tamledger.Unchanged
	}
	return tamledger.Updated
}

func (w *writer) corrupt(tb *table, r *tamledger.Record, err error) error {
	return fmt.Errorf("store: %s %s: the stored record: %w", tb.kind, describeKey(r.Org, r.ID), err)
}

// lookup fills w.stored with what is stored for the keys of part (all of
// organisation org): live rows, and the tombstones of deleted ones.
func (w *writer) lookup(ctx context.Context, wr Write, tb *table, org string, recs []tamledger.Record, part []int32, at int, created string) error {
	clear(w.stored)
	clear(w.inserted)
	var mine, theirs []string // keys this Tx wrote, others
	wrote := w.written[wkey{table: tb.pos, org: org}]
	for _, i := range part {
		id := recs[i].ID
		if wrote[id] {
			mine = append(mine, id)
		} else {
			theirs = append(theirs, id)
		}
	}
	if len(mine) > 0 { // read on the Tx's connection, once it holds every write
		if err := w.flush(); err != nil {
			return err
		}
		if err := w.read(ctx, w.t.c, tb, org, mine, true); err != nil {
			return err
		}
	}
	if len(theirs) == 0 {
		return nil
	}
	rd, err := w.reader(ctx)
	if err != nil {
		return w.t.fail(mapError("read "+tb.name, err, ""))
	}
	has, err := w.mayHold(ctx, rd, tb, org)
	if err != nil || !has {
		return err
	}
	if w.rdApart {
		return w.read(ctx, rd, tb, org, theirs, false)
	}
	// Reads in the Tx (PostgreSQL): insert the keys that are neither stored nor deleted as
	// they are (what decide would do), and look up only those that are.
	// An import of new records into an organisation that has some then
	// reads nothing, and the look-ups stay off the planner's mercy.
	if w.hasDeleted[org] {
		if err := w.readDeleted(ctx, rd, tb, org, theirs); err != nil {
			return err
		}
	}
	if err := w.insertNew(ctx, wr, tb, org, recs, part, at, created); err != nil {
		return err
	}
	var rest []string
	for _, id := range theirs {
		if _, deleted := w.stored[id]; !deleted && !w.inserted[id] {
			rest = append(rest, id)
		}
	}
	if len(rest) == 0 {
		return nil
	}
	return w.read(ctx, rd, tb, org, rest, false)
}

// insertNew inserts, as created by wr, the records of part (at: their
// position in w.specs) that this Tx has not written, whose keys have no
// tombstone in w.stored, unless a row with the key exists; it notes those
// it inserted in w.inserted.
func (w *writer) insertNew(ctx context.Context, wr Write, tb *table, org string, recs []tamledger.Record, part []int32, at int, created string) error {
	wrote := w.written[wkey{table: tb.pos, org: org}]
	var args []any
	rows := 0
	for n, i := range part {
		r := &recs[i]
		if _, deleted := w.stored[r.ID]; deleted || wrote[r.ID] {
			continue
		}
		if tb.scoped {
			args = append(args, r.Org)
		}
		args = append(args, r.ID)
		args = tb.args(w.t.s.d, r.Value, args)
		args = append(args, w.specs[at+n], nullText(created))
		rows++
	}
	if rows == 0 {
		return nil
	}
	rs, err := w.t.upsert(ctx, stmtKey{table: tb.pos, rows: rows, on: skip, returning: true}, args)
	if err != nil {
		return w.t.fail(mapError("write "+tb.name, err, w.t.fkMessage(tb.pos)))
	}
	defer rs.close()
	k := 0
	if tb.scoped {
		k = 1
	}
	n := 0
	for rs.next() {
		w.inserted[rs.text(k)] = true
		n++
	}
	if err := rs.err(); err != nil {
		return w.t.fail(mapError("write "+tb.name, err, w.t.fkMessage(tb.pos)))
	}
	if n > 0 { // else every key existed: nothing was written
		w.t.wrote = true
	}
	return nil
}

// mayHold reports whether the store may hold rows of org in tb, live or
// deleted: an import of new organisations then needs no look-up per record.
func (w *writer) mayHold(ctx context.Context, rd conn, tb *table, org string) (bool, error) {
	k := wkey{table: tb.pos, org: org}
	has, ok := w.hasRows[k]
	if !ok {
		var err error
		query, args := "SELECT 1 FROM "+tb.name+" LIMIT 1", []any(nil)
		if tb.scoped {
			query, args = "SELECT 1 FROM "+tb.name+" WHERE organization = $1 LIMIT 1", []any{org}
		}
		if has, err = w.exists(ctx, rd, query, args...); err != nil {
			return false, w.t.fail(mapError("read "+tb.name, err, ""))
		}
		w.hasRows[k] = has
	}
	del, ok := w.hasDeleted[org]
	if !ok {
		var err error
		if del, err = w.exists(ctx, rd, "SELECT 1 FROM deleted_records WHERE organization = $1 LIMIT 1", org); err != nil {
			return false, w.t.fail(mapError("read deleted records", err, ""))
		}
		w.hasDeleted[org] = del
	}
	return has || del, nil
}

func (w *writer) exists(ctx context.Context, c conn, query string, args ...any) (bool, error) {
	rs, err := c.rows(ctx, query, args...)
	if err != nil {
		return false, err
	}
	has := rs.next()
	err = rs.err()
	rs.close()
	return has, err
}

// read reads the live rows and tombstones of ids into w.stored; on
// PostgreSQL the live rows are locked until the Tx ends.
func (w *writer) read(ctx context.Context, c conn, tb *table, org string, ids []string, tx bool) error {
	if err := w.scan(ctx, c, keysQuery(w.t.s.d, tb, "spec, managed", ids), keysArgs(w.t.s.d, tb, org, ids), false); err != nil {
		return w.t.fail(mapError("read "+tb.name, err, ""))
	}
	if !tx && !w.hasDeleted[org] {
		return nil
	}
	return w.readDeleted(ctx, c, tb, org, ids)
}

// readDeleted reads the tombstones of ids into w.stored.
func (w *writer) readDeleted(ctx context.Context, c conn, tb *table, org string, ids []string) error {
	args := append([]any{tb.kind}, keysArgs(w.t.s.d, deletedTable, org, ids)...)
	if err := w.scan(ctx, c, keysQuery(w.t.s.d, deletedTable, "spec, managed", ids), args, true); err != nil {
		return w.t.fail(mapError("read deleted records", err, ""))
	}
	return nil
}

// deletedTable is deleted_records as keysQuery sees it: keyed by kind
// ($1), organisation and id.
var deletedTable = &table{name: "deleted_records", kind: "deleted", scoped: true}

// keysQuery selects id and cols of the rows of tb with the given ids (of
// one organisation when tb is scoped; of the kind $1 in deleted_records).
// On PostgreSQL it probes the primary key once per id and locks the rows
// found: written as an IN list, the planner (whose statistics do not move
// inside a transaction) takes a table that a long import is filling for a
// small one and scans the organisation's whole range for each statement.
func keysQuery(d *dialect, tb *table, cols string, ids []string) string {
	var q strings.Builder
	n := 0
	next := func() string { n++; return d.placeholder(n) }
	kind := ""
	if tb == deletedTable {
		kind = "kind = " + next() + " AND "
	}
	if d == postgresDialect {
		org := ""
		if tb.scoped {
			org = "organization = " + next() + " AND "
		}
		fmt.Fprintf(&q, "SELECT r.id, r.%s FROM unnest(%s::text[]) AS k(id) CROSS JOIN LATERAL "+
			"(SELECT id, %s FROM %s WHERE %s%sid = k.id FOR UPDATE) AS r",
			strings.ReplaceAll(cols, ", ", ", r."), next(), cols, tb.name, kind, org)
		return q.String()
	}
	fmt.Fprintf(&q, "SELECT id, %s FROM %s WHERE %s", cols, tb.name, kind)
	if tb.scoped {
		q.WriteString("organization = " + next() + " AND ")
	}
	q.WriteString("id IN (")
	for j := range ids {
		if j > 0 {
			q.WriteByte(',')
		}
		q.WriteString(next())
	}
	q.WriteByte(')')
	return q.String()
}

// keysArgs are the arguments of keysQuery after the kind.
func keysArgs(d *dialect, tb *table, org string, ids []string) []any {
	var args []any
	if tb.scoped {
		args = append(args, org)
	}
	if d == postgresDialect {
		return append(args, ids)
	}
	for _, id := range ids {
		args = append(args, id)
	}
	return args
}

func (w *writer) scan(ctx context.Context, c conn, query string, args []any, deleted bool) error {
	rs, err := c.rows(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.close()
	for rs.next() {
		id := rs.text(0)
		st := w.stored[id]
		if st.live {
			continue // a live row wins over an old tombstone
		}
		st.spec, st.managed = rs.text(1), rs.text(2)
		st.live, st.deleted = !deleted, deleted
		w.stored[id] = st
	}
	return rs.err()
}

// enqueue writes the records of part that change: a plain insert of those
// created, then an upsert of the others. (An upsert makes SQLite keep a
// statement journal, a copy of every page the statement changes; a plain
// INSERT OR FAIL needs none.)
func (w *writer) enqueue(ctx context.Context, tb *table, recs []tamledger.Record, part []int32, changes []tamledger.Change) error {
	for _, on := range []conflict{failing, update} {
		var j *job
		select {
		case j = <-w.free:
		default:
			j = &job{}
		}
		j.ctx, j.table, j.rows, j.on = ctx, tb.pos, 0, on
		for n, i := range part {
			if !w.write[n] || (changes[i] == tamledger.Created) != (on == failing) {
				continue
			}
			r := &recs[i]
			if tb.scoped {
				j.args = append(j.args, r.Org)
			}
			j.args = append(j.args, r.ID)
			j.args = tb.args(w.t.s.d, r.Value, j.args)
			j.args = append(j.args, w.specs[n], nullText(w.managed[n]))
			j.rows++
		}
		if j.rows == 0 {
			continue
		}
		if err := w.error(); err != nil {
			return err
		}
		w.t.wrote = true
		if !w.async {
			if err := w.exec(j); err != nil {
				return w.t.fail(err)
			}
			continue
		}
		select {
		case w.queue <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// forgetDeleted removes the tombstones of the records created again.
func (w *writer) forgetDeleted(ctx context.Context) error {
	if err := w.flush(); err != nil {
		return err
	}
	for _, k := range w.revived {
		if _, err := w.t.c.exec(ctx, "DELETE FROM deleted_records WHERE kind = $1 AND organization = $2 AND id = $3",
			tables[k.table].kind, k.org, k.id); err != nil {
			return w.t.fail(mapError("write deleted records", err, ""))
		}
	}
	w.revived = w.revived[:0]
	return nil
}

// deleted notes a key deleted in this Tx.
func (w *writer) deleted(table int, org, id string) {
	w.wrote(table, org)[id] = true
	w.hasDeleted[org] = true
}
