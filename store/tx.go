package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tamledger/tamledger"
)

// Tx is a write transaction. It is not safe for concurrent use.
//
// On SQLite one write transaction runs at a time (Begin waits for the
// previous one to end); on PostgreSQL a read with Get or GetRev locks the
// row until the transaction ends. So a read-modify-write inside one Tx
// never loses a concurrent update. PutIfRev checks a rev read in an earlier
// transaction (optimistic concurrency, for web forms).
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
	w       *writer         // SQLite: the background writer, once started
	gone    map[string]bool // organisations deleted in this Tx
}

type stmtKey struct {
	table     int
	rows      int
	on        conflict
	returning bool
}

// Begin starts a write transaction. End it with Commit or Rollback; on
// SQLite other writers of this process wait until it ends.
func (s *Store) Begin(ctx context.Context) (*Tx, error) {
	unlock := func() {}
	if s.wmu != nil {
		select {
		case s.wmu <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		var once sync.Once
		unlock = func() { once.Do(func() { <-s.wmu }) }
	}
	var c txConn
	if s.wmu != nil {
		wc, err := s.writeConn()
		if err != nil {
			unlock()
			return nil, err
		}
		rt, err := beginRaw(wc)
		if err != nil {
			unlock()
			return nil, mapError("begin", err, "")
		}
		c = rt
	} else {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			unlock()
			return nil, mapError("begin", err, "")
		}
		c = &sqlTx{tx: tx, stmts: map[stmtKey]*sql.Stmt{}}
	}
	return &Tx{
		s: s, c: c, now: s.d.now(time.Now()), unlock: unlock,
		known: map[string]bool{}, missing: map[string]string{}, gone: map[string]bool{},
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
	if t.s.d == sqliteDialect { // for readers on several connections: see snapshot
		if _, err := t.c.exec(context.Background(), "UPDATE store_generation SET n = n + 1"); err != nil {
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
// canonical JSON differs from the stored one (rev goes up by one), and
// Unchanged when it is identical (nothing is written). It returns EINVALID
// for a bad key. A record may be written before its organisation in the
// same Tx; Commit returns EINVALID if the organisation is still missing.
func (t *Tx) Put(ctx context.Context, rec tamledger.Record) (tamledger.Change, error) {
	ch, err := t.PutBatch(ctx, []tamledger.Record{rec})
	if err != nil {
		return tamledger.Unchanged, err
	}
	return ch[0], nil
}

// PutBatch stores many records as Put does, with a few multi-row statements
// per kind; changes[i] is what storing recs[i] did. Records are written in
// kind order (price books, organisations, then what belongs to them), so a
// batch may hold an organisation and its records in any order. A key given
// twice is stored twice, in order. Keys and kinds are checked before
// anything is written; if writing then fails, roll back.
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
	if t.s.d == sqliteDialect {
		if err := t.startWriter().put(ctx, recs, &byTable, changes); err != nil {
			return nil, t.fail(err)
		}
	} else if err := t.write(ctx, recs, &byTable, changes, false); err != nil {
		return nil, err
	}
	for _, i := range byTable[tOrganization] {
		t.known[recs[i].ID] = true
		delete(t.missing, recs[i].ID)
		delete(t.gone, recs[i].ID)
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
	var c conn = t.c
	if t.s.d == sqliteDialect { // the committed state, without waiting for the writer
		rd, err := t.startWriter().reader(ctx)
		if err != nil {
			return err
		}
		c = rd
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

// chunk is the rows of one upsert statement.
type chunk struct {
	table int
	idx   []int32          // positions in recs, in statement order
	pos   map[recKey]int32 // key -> position in recs
	args  []any
	err   error
}

type recKey struct{ org, id string }

// write writes the records of byTable in table order, chunk by chunk. The
// chunks' arguments (the canonical JSON above all) are encoded on another
// goroutine while the previous chunk executes.
func (t *Tx) write(ctx context.Context, recs []tamledger.Record, byTable *[nTables][]int32, changes []tamledger.Change, create bool) error {
	total := 0
	for k := range byTable {
		if len(byTable[k]) > 0 {
			total += (len(byTable[k]) + tables[k].rowsPerStatement(t.s.d) - 1) / tables[k].rowsPerStatement(t.s.d)
		}
	}
	if total == 0 {
		return nil
	}
	if total <= 2 { // not worth a goroutine
		p := newProducer(t.s.d, recs, byTable)
		for {
			c := p.next(nil)
			if c == nil {
				return nil
			}
			if err := t.exec(ctx, c, changes, create); err != nil {
				return err
			}
		}
	}

	stop := make(chan struct{})
	ready := make(chan *chunk, 2)
	free := make(chan *chunk, 4)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(ready)
		p := newProducer(t.s.d, recs, byTable)
		for {
			var reuse *chunk
			select {
			case reuse = <-free:
			default:
			}
			c := p.next(reuse)
			if c == nil {
				return
			}
			select {
			case ready <- c:
			case <-stop:
				return
			}
		}
	}()
	defer wg.Wait()
	defer close(stop)
	for c := range ready {
		if err := t.exec(ctx, c, changes, create); err != nil {
			return err
		}
		select {
		case free <- c:
		default:
		}
	}
	return nil
}

// producer cuts the records into chunks and encodes their arguments.
type producer struct {
	d       *dialect
	recs    []tamledger.Record
	byTable *[nTables][]int32
	k       int // current table
	at      int // next position in byTable[k]
	buf     bytes.Buffer
	enc     *json.Encoder
}

func newProducer(d *dialect, recs []tamledger.Record, byTable *[nTables][]int32) *producer {
	p := &producer{d: d, recs: recs, byTable: byTable}
	p.enc = json.NewEncoder(&p.buf)
	return p
}

// next returns the next chunk (reusing c's memory when c is not nil), or
// nil at the end.
func (p *producer) next(c *chunk) *chunk {
	for p.k < nTables && p.at >= len(p.byTable[p.k]) {
		p.k++
		p.at = 0
	}
	if p.k == nTables {
		return nil
	}
	tb := tables[p.k]
	per := tb.rowsPerStatement(p.d)
	if c == nil {
		c = &chunk{pos: make(map[recKey]int32, per)}
	}
	c.table, c.idx, c.args, c.err = p.k, c.idx[:0], c.args[:0], nil
	clear(c.pos)
	list := p.byTable[p.k]
	for p.at < len(list) && len(c.idx) < per {
		i := list[p.at]
		r := &p.recs[i]
		key := recKey{r.Org, r.ID}
		if _, dup := c.pos[key]; dup {
			break // the same key again: it goes in the next statement
		}
		c.pos[key] = i
		c.idx = append(c.idx, i)
		p.at++
		if tb.scoped {
			c.args = append(c.args, r.Org)
		}
		c.args = append(c.args, r.ID)
		c.args = tb.args(p.d, r.Value, c.args)
		p.buf.Reset()
		if err := p.enc.Encode(r.Value); err != nil {
			c.err = tamledger.Errorf(tamledger.EINVALID, "%s %s: cannot encode it as JSON: %v", r.Kind, describeKey(r.Org, r.ID), err)
			return c
		}
		spec := p.buf.Bytes()
		c.args = append(c.args, string(spec[:len(spec)-1])) // without Encode's newline
	}
	return c
}

// exec runs one chunk's upsert and records what it did to each row.
func (t *Tx) exec(ctx context.Context, c *chunk, changes []tamledger.Change, create bool) error {
	if c.err != nil {
		return c.err
	}
	tb := tables[c.table]
	on := update
	if create {
		on = skip
	}
	rs, err := t.upsert(ctx, stmtKey{table: c.table, rows: len(c.idx), on: on, returning: true}, c.args)
	if err != nil {
		return t.fail(mapError("write "+tb.name, err, t.fkMessage(c.table)))
	}
	defer rs.close()
	for rs.next() {
		var key recKey
		k := 0
		if tb.scoped {
			key.org, k = rs.text(0), 1
		}
		key.id = rs.text(k)
		rev := rs.integer(k + 1)
		i, ok := c.pos[key]
		if !ok {
			return t.fail(fmt.Errorf("store: write %s: the database returned an unexpected key %v", tb.name, key))
		}
		if rev == 1 {
			changes[i] = tamledger.Created
		} else {
			changes[i] = tamledger.Updated
		}
	}
	if err := rs.err(); err != nil {
		return t.fail(mapError("write "+tb.name, err, t.fkMessage(c.table)))
	}
	return nil
}

func (t *Tx) fkMessage(table int) string {
	return fmt.Sprintf("a %s belongs to an organization that is not in the store (was it deleted concurrently?); import the Organization first", tables[table].kind)
}

// upsert runs the Tx's upsert k. On SQLite it is called by the writer
// goroutine, or by the caller's once the writer is idle.
func (t *Tx) upsert(ctx context.Context, k stmtKey, args []any) (rows, error) {
	return t.c.upsert(ctx, k, func() string {
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

// PutIfRev stores rec only if the stored record's rev is still rev (0: only
// if there is no such record yet), and returns ECONFLICT otherwise, saying
// whether the record was changed, deleted or created in the meantime.
func (t *Tx) PutIfRev(ctx context.Context, rec tamledger.Record, rev int64) (tamledger.Change, error) {
	if err := t.sync(); err != nil {
		return tamledger.Unchanged, err
	}
	tb, err := check(rec)
	if err != nil {
		return tamledger.Unchanged, err
	}
	what := rec.Kind + " " + describeKey(rec.Org, rec.ID)
	query := "SELECT rev FROM " + tb.name + " WHERE " + tb.keyWhere() + t.s.d.lockRow
	cur, found, err := t.queryInt(ctx, query, tb.keyArgs(rec.Org, rec.ID)...)
	switch {
	case err != nil:
		return tamledger.Unchanged, t.fail(mapError("get "+rec.Kind, err, ""))
	case !found:
		if rev != 0 {
			return tamledger.Unchanged, tamledger.Errorf(tamledger.ECONFLICT, "%s was deleted after it was read (at rev %d)", what, rev)
		}
	case rev == 0:
		return tamledger.Unchanged, tamledger.Errorf(tamledger.ECONFLICT, "%s already exists (rev %d)", what, cur)
	case cur != rev:
		return tamledger.Unchanged, tamledger.Errorf(tamledger.ECONFLICT, "%s was changed after it was read (read at rev %d, now rev %d)", what, rev, cur)
	}
	recs := []tamledger.Record{rec}
	var byTable [nTables][]int32
	byTable[tb.pos] = []int32{0}
	if err := t.checkOrgs(ctx, recs, &byTable); err != nil {
		return tamledger.Unchanged, err
	}
	changes := make([]tamledger.Change, 1)
	if err := t.write(ctx, recs, &byTable, changes, rev == 0); err != nil {
		return tamledger.Unchanged, err
	}
	if rev == 0 && changes[0] != tamledger.Created { // created concurrently
		return tamledger.Unchanged, tamledger.Errorf(tamledger.ECONFLICT, "%s was created by someone else meanwhile", what)
	}
	if tb.kind == tamledger.KindOrganization {
		t.known[rec.ID] = true
		delete(t.missing, rec.ID)
		delete(t.gone, rec.ID)
	}
	if t.s.d == sqliteDialect {
		t.startWriter().remember(tb.pos, rec.Org, rec.ID, rec.Value)
	}
	return changes[0], nil
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

// Delete deletes a record. It returns ENOTFOUND when there is none, and
// EINVALID for an organisation that still has records.
func (t *Tx) Delete(ctx context.Context, kind, org, id string) error {
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
	n, err := t.c.exec(ctx, "DELETE FROM "+tb.name+" WHERE "+tb.keyWhere(), tb.keyArgs(org, id)...)
	if err != nil {
		return t.fail(mapError("delete "+what, err, what+" still has records; delete them first"))
	}
	if tb.kind == tamledger.KindOrganization {
		delete(t.known, id)
		t.gone[id] = true
	}
	if t.s.d == sqliteDialect {
		t.startWriter().forget(tb.pos, org, id)
	}
	if n == 0 {
		return tamledger.Errorf(tamledger.ENOTFOUND, "%s is not in the store", what)
	}
	return nil
}
