package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
)

// Tx is a write transaction. It is not safe for concurrent use.
//
// On SQLite one write transaction runs at a time (Begin waits for the
// previous one to end); on PostgreSQL a read with Get or GetRev locks the
// row until the transaction ends. So a read-modify-write inside one Tx
// never loses a concurrent update. PutIfRev and DeleteIfRev check a rev
// read in an earlier transaction (optimistic concurrency).
//
// Every write merges by field ownership, as the Tx's Write says (BeginAs):
// see tamledger.Apply and tamledger.Take.
//
// On SQLite, PutBatch returns once its statements are queued; they run on
// another goroutine while the caller goes on (see writer.go), and a write
// error is returned by the next call or by Commit.
//
// Once a statement fails the Tx is unusable: every later call returns that
// error and Commit rolls back. Errors that the Tx finds before writing
// (a bad key, a PutIfRev conflict) leave it usable.
type Tx struct {
	s       *Store
	c       txConn
	now     string            // SQL for updated_at
	known   map[string]bool   // organisations known to exist
	missing map[string]string // organisations written to but not stored -> a record of theirs
	err     error             // the first statement error
	done    bool
	unlock  func()
	w       *writer         // the writer, once started
	gone    map[string]bool // organisations deleted in this Tx
	wr      Write           // who writes, and how
	wrote   bool            // something was written
}

type stmtKey struct {
	table     int
	rows      int
	on        conflict
	returning bool
}

// Write says who writes in a Tx and how their writes merge with what is
// stored (docs/documents.md, "Who changed what").
type Write struct {
	Manager string // tamledger.ManagerImport, tamledger.ManagerCLI, ...
	// Edit: the manager changes some fields on purpose and takes them
	// (tamledger.Take); else it states whole records (tamledger.Apply).
	Edit bool
	// Force: an applier takes the fields another manager set, and creates
	// records another deleted, instead of a conflict.
	Force bool
}

// Begin starts a write transaction of a file import (an applier, not
// forced). End it with Commit or Rollback; on SQLite other writers of this
// process wait until it ends.
func (s *Store) Begin(ctx context.Context) (*Tx, error) {
	return s.BeginAs(ctx, Write{Manager: tamledger.ManagerImport})
}

// BeginAs starts a write transaction whose writes merge as w says.
func (s *Store) BeginAs(ctx context.Context, w Write) (*Tx, error) {
	if w.Manager == "" {
		return nil, fmt.Errorf("store: a write needs a manager")
	}
	c, unlock, err := s.b.begin(ctx)
	if err != nil {
		return nil, err
	}
	return &Tx{
		s: s, c: c, now: s.d.now(time.Now()), unlock: unlock,
		known: map[string]bool{}, missing: map[string]string{}, gone: map[string]bool{}, wr: w,
	}, nil
}

var errTxDone = errors.New("store: the transaction has already been committed or rolled back")

// Commit commits the transaction. If a statement failed earlier it rolls
// back and returns that error.
func (t *Tx) Commit() error {
	if t.done {
		return errTxDone
	}
	t.done = true
	defer t.unlock()
	if t.w != nil {
		t.fail(t.w.stop())
	}
	if t.err != nil {
		t.c.rollback()
		return fmt.Errorf("store: commit: the transaction was rolled back after an earlier error: %w", t.err)
	}
	if err := t.checkMissing(); err != nil {
		t.c.rollback()
		return err
	}
	if err := t.writeAudit(context.Background()); err != nil {
		t.c.rollback()
		return err
	}
	if t.wrote {
		if err := t.s.b.committing(context.Background(), t.c); err != nil {
			t.c.rollback()
			return mapError("commit", err, "")
		}
	}
	return mapError("commit", t.c.commit(), "a record belongs to an organization that is not in the store (was it deleted concurrently?); import the Organization too")
}

// Rollback abandons the transaction. It does nothing after Commit, so it
// can be deferred.
func (t *Tx) Rollback() error {
	if t.done {
		return nil
	}
	t.done = true
	defer t.unlock()
	if t.w != nil {
		t.w.stop()
	}
	return mapError("rollback", t.c.rollback(), "")
}

func (t *Tx) usable() error {
	switch {
	case t.done:
		return errTxDone
	case t.err != nil:
		return fmt.Errorf("store: the transaction failed earlier: %w", t.err)
	case t.w != nil:
		if err := t.w.error(); err != nil {
			return t.fail(err)
		}
	}
	return nil
}

// sync waits for the background writer, so that the Tx's connection is
// free and holds every write.
func (t *Tx) sync() error {
	if err := t.usable(); err != nil {
		return err
	}
	if t.w != nil {
		if err := t.w.flush(); err != nil {
			return t.fail(err)
		}
	}
	return nil
}

// fail records a statement error: the Tx is unusable from now on.
func (t *Tx) fail(err error) error {
	if t.err == nil && err != nil {
		t.err = err
	}
	return err
}

// Put stores one record: Created when its key is new, Updated when its
// canonical JSON changes (rev goes up by one), and Unchanged when it stays
// the same. It returns EINVALID for a bad key and a *ConflictError when the
// write conflicts with another manager's. A record may be written before
// its organisation in the same Tx; Commit returns EINVALID if the
// organisation is still missing.
func (t *Tx) Put(ctx context.Context, rec tamledger.Record) (tamledger.Change, error) {
	ch, err := t.PutBatch(ctx, []tamledger.Record{rec})
	if len(ch) == 0 {
		return tamledger.Unchanged, err
	}
	return ch[0], err
}

// PutBatch stores many records as Put does, with a few multi-row statements
// per kind; changes[i] is what storing recs[i] did. Records are written in
// kind order (price books, organisations, then what belongs to them), so a
// batch may hold an organisation and its records in any order. A key given
// twice is stored twice, in order. Keys and kinds are checked before
// anything is written; if writing then fails, roll back.
//
// Each record is merged with the stored one by field ownership; when the
// merge keeps fields another manager set, recs[i].Value becomes the merged
// record. Records that conflict are not written: PutBatch then returns the
// changes of the others and a *ConflictError, and the Tx stays usable (to
// look for more conflicts; roll it back).
func (t *Tx) PutBatch(ctx context.Context, recs []tamledger.Record) ([]tamledger.Change, error) {
	if err := t.usable(); err != nil {
		return nil, err
	}
	var byTable [nTables][]int32
	var problems []string
	for i, r := range recs {
		tb, err := check(r)
		if err != nil {
			if len(problems) < 10 {
				problems = append(problems, fmt.Sprintf("record %d: %s", i+1, tamledger.ErrorMessage(err)))
			}
			continue
		}
		byTable[tb.pos] = append(byTable[tb.pos], int32(i))
	}
	if problems != nil {
		return nil, tamledger.Errorf(tamledger.EINVALID, "%s", strings.Join(problems, "; "))
	}
	if err := t.checkOrgs(ctx, recs, &byTable); err != nil {
		return nil, err
	}
	changes := make([]tamledger.Change, len(recs))
	conflicts, err := t.startWriter().put(ctx, t.wr, recs, &byTable, changes)
	if err != nil {
		return nil, t.fail(err)
	}
	for _, i := range byTable[tOrganization] {
		t.known[recs[i].ID] = true
		delete(t.missing, recs[i].ID)
		delete(t.gone, recs[i].ID)
	}
	if len(conflicts) > 0 {
		return changes, &ConflictError{Manager: t.wr.Manager, Records: conflicts}
	}
	return changes, nil
}

// checkOrgs notes the organisations that the scoped records belong to and
// that are neither known to be stored nor in the batch: Commit fails unless
// they are written before it. (The foreign keys are checked at commit too;
// this gives the message its names.)
func (t *Tx) checkOrgs(ctx context.Context, recs []tamledger.Record, byTable *[nTables][]int32) error {
	need := map[string]int32{} // organisation -> first record naming it
	for k := tCharter; k < nTables; k++ {
		last := ""
		for _, i := range byTable[k] {
			o := recs[i].Org
			if o == last || t.known[o] {
				continue
			}
			last = o
			if _, ok := need[o]; !ok {
				need[o] = i
			}
		}
	}
	for _, i := range byTable[tOrganization] {
		delete(need, recs[i].ID)
	}
	if len(need) == 0 {
		return nil
	}
	names := make([]string, 0, len(need))
	for o := range need {
		names = append(names, o)
	}
	slices.Sort(names)
	for len(names) > 0 {
		n := min(len(names), 500)
		batch := names[:n]
		names = names[n:]
		var q strings.Builder
		q.WriteString("SELECT id FROM organizations WHERE id IN (")
		args := make([]any, n)
		for j, o := range batch {
			if j > 0 {
				q.WriteByte(',')
			}
			fmt.Fprintf(&q, "$%d", j+1)
			args[j] = o
		}
		q.WriteByte(')')
		if err := t.queryOrgs(ctx, q.String(), args, need); err != nil {
			return t.fail(mapError("check organizations", err, ""))
		}
	}
	for o, i := range need {
		if _, ok := t.missing[o]; !ok {
			r := recs[i]
			t.missing[o] = fmt.Sprintf("%s %q", r.Kind, r.ID)
		}
	}
	return nil
}

func (t *Tx) queryOrgs(ctx context.Context, query string, args []any, need map[string]int32) error {
	// The committed state where the backend has it apart, without waiting
	// for the writer; else the Tx's connection, free once the writer is.
	c, err := t.startWriter().reader(ctx)
	if err != nil {
		return err
	}
	rs, err := c.rows(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.close()
	for rs.next() {
		o := rs.text(0)
		if t.gone[o] {
			continue
		}
		t.known[o] = true
		delete(need, o)
	}
	return rs.err()
}

// checkMissing returns EINVALID naming the organisations that records
// written in this Tx belong to and that are still not in the store.
func (t *Tx) checkMissing() error {
	if len(t.missing) == 0 {
		return nil
	}
	orgs := make([]string, 0, len(t.missing))
	for o := range t.missing {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	var msgs []string
	for j, o := range orgs {
		if j == 5 {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(orgs)-5))
			break
		}
		msgs = append(msgs, fmt.Sprintf("organization %q is not in the store (%s belongs to it)", o, t.missing[o]))
	}
	return tamledger.Errorf(tamledger.EINVALID, "%s; import the Organization too", strings.Join(msgs, "; "))
}

func (t *Tx) fkMessage(table int) string {
	return fmt.Sprintf("a %s belongs to an organization that is not in the store (was it deleted concurrently?); import the Organization first", tables[table].kind)
}

// upsert runs the Tx's upsert k. On SQLite it is called by the writer
// goroutine, or by the caller's once the writer is idle.
func (t *Tx) upsert(ctx context.Context, k stmtKey, args []any) (rows, error) {
	return t.c.upsert(ctx, k, func() string {
		if k.table == auditStmt {
			return auditInsert(t.s.d, k.rows, t.now)
		}
		return tables[k.table].upsert(t.s.d, k.rows, k.on, k.returning, t.now)
	}, args)
}

// Get returns the stored record, with SetKey applied; ok is false when
// there is none. In a Tx on PostgreSQL it locks the row until the Tx ends.
func (t *Tx) Get(ctx context.Context, kind, org, id string) (rec tamledger.Record, ok bool, err error) {
	rec, _, ok, err = t.GetRev(ctx, kind, org, id)
	return rec, ok, err
}

// GetRev is Get that also returns the record's rev, for PutIfRev.
func (t *Tx) GetRev(ctx context.Context, kind, org, id string) (rec tamledger.Record, rev int64, ok bool, err error) {
	if err := t.sync(); err != nil {
		return rec, 0, false, err
	}
	tb, err := lookup(kind, org, id)
	if err != nil {
		return rec, 0, false, err
	}
	rec, rev, ok, err = getRecord(ctx, t.c, t.s.d, tb, org, id, true)
	if err != nil {
		t.fail(err)
	}
	return rec, rev, ok, err
}

func getRecord(ctx context.Context, c conn, d *dialect, tb *table, org, id string, lock bool) (rec tamledger.Record, rev int64, ok bool, err error) {
	query := "SELECT spec, rev FROM " + tb.name + " WHERE " + tb.keyWhere()
	if lock {
		query += d.lockRow
	}
	rs, err := c.rows(ctx, query, tb.keyArgs(org, id)...)
	if err != nil {
		return rec, 0, false, mapError("get "+tb.kind, err, "")
	}
	defer rs.close()
	if !rs.next() {
		return rec, 0, false, mapError("get "+tb.kind, rs.err(), "")
	}
	spec, rev := rs.text(0), rs.integer(1)
	if err := rs.err(); err != nil {
		return rec, 0, false, mapError("get "+tb.kind, err, "")
	}
	rec, err = decodeRecord(tb, org, id, spec)
	return rec, rev, err == nil, err
}

// decodeRecord builds a record from its stored JSON.
func decodeRecord(tb *table, org, id, spec string) (tamledger.Record, error) {
	v := tamledger.NewValue(tb.kind)
	if err := json.Unmarshal([]byte(spec), v); err != nil {
		return tamledger.Record{}, fmt.Errorf("store: %s %s: stored JSON does not decode: %w", tb.kind, describeKey(org, id), err)
	}
	rec := tamledger.Record{Kind: tb.kind, Org: org, ID: id, Value: v}
	rec.SetKey()
	return rec, nil
}

// PutIfRev stores rec as Put does, only if the stored record's rev is
// still rev (0: only if there is no such record yet), and returns ECONFLICT
// otherwise, saying whether the record was changed, deleted or created in
// the meantime.
func (t *Tx) PutIfRev(ctx context.Context, rec tamledger.Record, rev int64) (tamledger.Change, error) {
	tb, err := check(rec)
	if err != nil {
		return tamledger.Unchanged, err
	}
	if err := t.checkRev(ctx, tb, rec.Org, rec.ID, rev, true); err != nil {
		return tamledger.Unchanged, err
	}
	return t.Put(ctx, rec)
}

// checkRev returns ECONFLICT unless the stored record's rev is rev (0:
// there is none; -1: any rev, when one exists); it locks the row on
// PostgreSQL.
func (t *Tx) checkRev(ctx context.Context, tb *table, org, id string, rev int64, put bool) error {
	if err := t.sync(); err != nil {
		return err
	}
	what := tb.kind + " " + describeKey(org, id)
	query := "SELECT rev FROM " + tb.name + " WHERE " + tb.keyWhere() + t.s.d.lockRow
	cur, found, err := t.queryInt(ctx, query, tb.keyArgs(org, id)...)
	switch {
	case err != nil:
		return t.fail(mapError("get "+tb.kind, err, ""))
	case !found && rev == 0 && put:
		return nil
	case !found && rev > 0:
		return tamledger.Errorf(tamledger.ECONFLICT, "%s was deleted after it was read (at rev %d)", what, rev)
	case !found:
		return tamledger.Errorf(tamledger.ENOTFOUND, "%s is not in the store", what)
	case rev == 0 && put:
		return tamledger.Errorf(tamledger.ECONFLICT, "%s already exists (rev %d)", what, cur)
	case rev > 0 && cur != rev:
		return tamledger.Errorf(tamledger.ECONFLICT, "%s was changed after it was read (read at rev %d, now rev %d); read it again", what, rev, cur)
	}
	return nil
}

// queryInt returns the first column of the first row of query.
func (t *Tx) queryInt(ctx context.Context, query string, args ...any) (n int64, found bool, err error) {
	rs, err := t.c.rows(ctx, query, args...)
	if err != nil {
		return 0, false, err
	}
	defer rs.close()
	if rs.next() {
		n, found = rs.integer(0), true
	}
	return n, found, rs.err()
}

// Meta is what the store keeps about a record beside its value.
type Meta struct {
	Rev       int64             // the version: 1 when created, +1 on every change
	UpdatedAt time.Time         // when the transaction that last wrote it began
	Managed   tamledger.Managed // who set which field
}

// GetMeta returns a stored record with its version and field ownership; ok
// is false when there is none. On PostgreSQL it locks the row until the Tx
// ends.
func (t *Tx) GetMeta(ctx context.Context, kind, org, id string) (rec tamledger.Record, meta Meta, ok bool, err error) {
	if err := t.sync(); err != nil {
		return rec, meta, false, err
	}
	tb, err := lookup(kind, org, id)
	if err != nil {
		return rec, meta, false, err
	}
	rs, err := t.c.rows(ctx, "SELECT spec, rev, updated_at, managed FROM "+tb.name+" WHERE "+tb.keyWhere()+t.s.d.lockRow, tb.keyArgs(org, id)...)
	if err != nil {
		return rec, meta, false, t.fail(mapError("get "+kind, err, ""))
	}
	defer rs.close()
	if !rs.next() {
		return rec, meta, false, t.fail(mapError("get "+kind, rs.err(), ""))
	}
	spec := rs.text(0)
	meta.Rev = rs.integer(1)
	meta.UpdatedAt, _ = rs.instant(2)
	managed := rs.text(3)
	if err := rs.err(); err != nil {
		return rec, meta, false, t.fail(mapError("get "+kind, err, ""))
	}
	if meta.Managed, err = storedManaged(managed); err != nil {
		return rec, meta, false, fmt.Errorf("store: %s %s: %w", kind, describeKey(org, id), err)
	}
	rec, err = decodeRecord(tb, org, id, spec)
	return rec, meta, err == nil, err
}

// Delete deletes a record, as DeleteIfRev does whatever its version.
func (t *Tx) Delete(ctx context.Context, kind, org, id string) error {
	return t.DeleteIfRev(ctx, kind, org, id, -1)
}

// DeleteIfRev deletes a record if its version is still rev (-1: any). It
// keeps a tombstone, owned by the Tx's manager, so that a re-import of the
// file the record came from does not bring it back (docs/documents.md). It
// returns ENOTFOUND when there is no such record, ECONFLICT when its version
// changed, and EINVALID for an organisation that still has records.
func (t *Tx) DeleteIfRev(ctx context.Context, kind, org, id string, rev int64) error {
	if err := t.sync(); err != nil {
		return err
	}
	tb, err := lookup(kind, org, id)
	if err != nil {
		return err
	}
	what := kind + " " + describeKey(org, id)
	if tb.kind == tamledger.KindOrganization {
		var parts []string
		for _, child := range tables[tCharter:] {
			parts = append(parts, fmt.Sprintf("SELECT '%s' AS k FROM %s WHERE organization = $1", child.kind, child.name))
		}
		var kinds []string
		rs, err := t.c.rows(ctx, "SELECT k FROM ("+strings.Join(parts, " UNION ALL ")+") AS owned LIMIT 1", id)
		if err != nil {
			return t.fail(mapError("delete "+what, err, ""))
		}
		for rs.next() {
			kinds = append(kinds, rs.text(0))
		}
		err = rs.err()
		rs.close()
		if err != nil {
			return t.fail(mapError("delete "+what, err, ""))
		}
		if len(kinds) > 0 {
			return tamledger.Errorf(tamledger.EINVALID, "%s still has records (a %s at least); delete them first", what, kinds[0])
		}
	}
	if err := t.checkRev(ctx, tb, org, id, rev, false); err != nil {
		return err
	}
	rec, meta, ok, err := t.GetMeta(ctx, kind, org, id)
	if err != nil {
		return err
	}
	if !ok {
		return tamledger.Errorf(tamledger.ENOTFOUND, "%s is not in the store", what)
	}
	spec, err := json.Marshal(rec.Value)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", what, err)
	}
	tomb, err := tamledger.Tombstone(t.wr.Manager, spec, meta.Managed)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", what, err)
	}
	if _, err := t.c.exec(ctx, "DELETE FROM "+tb.name+" WHERE "+tb.keyWhere(), tb.keyArgs(org, id)...); err != nil {
		return t.fail(mapError("delete "+what, err, what+" still has records; delete them first"))
	}
	if _, err := t.c.exec(ctx, "DELETE FROM deleted_records WHERE kind = $1 AND organization = $2 AND id = $3", kind, org, id); err != nil {
		return t.fail(mapError("delete "+what, err, ""))
	}
	if _, err := t.c.exec(ctx, "INSERT INTO deleted_records (kind, organization, id, spec, managed, deleted_at) VALUES ($1, $2, $3, $4, $5, "+t.now+")",
		kind, org, id, string(spec), tomb.String()); err != nil {
		return t.fail(mapError("delete "+what, err, ""))
	}
	t.wrote = true
	if tb.kind == tamledger.KindOrganization {
		// Its calendar feeds go with it: an organisation made again
		// with the same id does not serve the old addresses.
		if _, err := t.c.exec(ctx, "DELETE FROM calendar_feeds WHERE organization = $1", id); err != nil {
			return t.fail(mapError("delete "+what, err, ""))
		}
		delete(t.known, id)
		t.gone[id] = true
	}
	w := t.startWriter()
	w.deleted(tb.pos, org, id)
	w.audit = append(w.audit, auditEntry{table: tb.pos, org: org, id: id, action: auditDeleted, rev: meta.Rev})
	return nil
}

// ConflictError lists the records of a write that conflict with what other
// managers set. Its code is ECONFLICT.
type ConflictError struct {
	Manager string // who wrote
	Records []RecordConflict
}

// RecordConflict is one record of a write that could not be merged.
type RecordConflict struct {
	Index         int // in the PutBatch
	Kind, Org, ID string
	// Fields are the fields the write changes that another manager set
	// since; when DeletedBy is set, the record was deleted by that manager
	// and Fields are what the write would change.
	Fields    []tamledger.Conflict
	DeletedBy string
	Invalid   string // the merge is not a valid record: why
}

func (e *ConflictError) Error() string {
	var b strings.Builder
	for i, r := range e.Records {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(r.Message("this write"))
	}
	return b.String()
}

// Message says what conflicts in one record, naming the writer (such as
// "this file").
func (r RecordConflict) Message(writer string) string {
	what := r.Kind + " " + describeKey(r.Org, r.ID)
	var fields []string
	for _, f := range r.Fields {
		fields = append(fields, f.Describe(writer))
	}
	switch {
	case r.Invalid != "":
		return fmt.Sprintf("%s: merged with the fields others set since, it is not valid: %s", what, r.Invalid)
	case r.DeletedBy != "":
		return fmt.Sprintf("%s was deleted by %s since, and %s changes it: %s", what, r.DeletedBy, writer, strings.Join(fields, "; "))
	}
	return fmt.Sprintf("%s: %s", what, strings.Join(fields, "; "))
}

// Unwrap makes a ConflictError an ECONFLICT for tamledger.ErrorCode.
func (e *ConflictError) Unwrap() error {
	return &tamledger.Error{Code: tamledger.ECONFLICT, Message: e.Error()}
}

// Deleted reports whether a record of that key was deleted and not created
// again: its tombstone is kept (DeleteIfRev).
func (t *Tx) Deleted(ctx context.Context, kind, org, id string) (bool, error) {
	if err := t.sync(); err != nil {
		return false, err
	}
	if _, err := lookup(kind, org, id); err != nil {
		return false, err
	}
	_, found, err := t.queryInt(ctx, "SELECT 1 FROM deleted_records WHERE kind = $1 AND organization = $2 AND id = $3", kind, org, id)
	if err != nil {
		return false, t.fail(mapError("read deleted records", err, ""))
	}
	return found, nil
}
