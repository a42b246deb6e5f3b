package store

import (
	"bytes"
	"context"
	"encoding/json"
	"hash/maphash"
	"strings"
	"sync"

	"github.com/tamledger/tamledger"
)

// On SQLite a Tx writes in the background. PutBatch works out what each
// record does (created, updated, unchanged) before writing it, from what
// this Tx wrote so far and from the committed database, which no one else
// can change while the Tx holds the write lock; it reads the latter on a
// second connection. It encodes the rows and queues their statements; a
// goroutine runs them on the Tx's connection. The caller's goroutine is
// thus free to parse the next documents while SQLite writes, which uses
// both cores of a small machine. Anything else that needs the Tx's
// connection (Get, Delete, PutIfRev, Commit) first waits for the queue to
// drain. A write error is returned by the next call on the Tx.

const queueDepth = 4 // statements queued ahead of the writer

// wkey is a record key in one table; id "" stands for the organisation's
// rows as a whole.
type wkey struct {
	table   int
	org, id string
}

// tombstone marks a key deleted in this Tx.
const tombstone = 0

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
	queue chan *job
	free  chan *job
	done  chan struct{}

	mu  sync.Mutex
	err error // the first write error

	rd      *rawConn                   // committed state, for the checks
	written map[wkey]map[string]uint64 // (table, org) -> id -> hash of the spec this Tx wrote, or tombstone
	hasRows map[wkey]bool              // (table, org) -> whether committed rows exist
	seed    maphash.Seed
	buf     bytes.Buffer
	enc     *json.Encoder
	specs   []string
	hashes  []uint64
	need    map[recKey]string // stored specs looked up for a chunk
}

func (t *Tx) startWriter() *writer {
	if t.w != nil {
		return t.w
	}
	w := &writer{
		t: t, queue: make(chan *job, queueDepth), free: make(chan *job, queueDepth+2), done: make(chan struct{}),
		written: map[wkey]map[string]uint64{}, hasRows: map[wkey]bool{}, seed: maphash.MakeSeed(), need: map[recKey]string{},
	}
	w.enc = json.NewEncoder(&w.buf)
	t.w = w
	go w.run()
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
			if err := w.exec(j); err != nil {
				w.mu.Lock()
				if w.err == nil {
					w.err = err
				}
				w.mu.Unlock()
			}
		}
		clear(j.args)
		j.args = j.args[:0]
		select {
		case w.free <- j:
		default:
		}
	}
}

func (w *writer) exec(j *job) error {
	if _, err := w.t.upsert(j.ctx, stmtKey{table: j.table, rows: j.rows, on: j.on}, j.args); err != nil {
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
	if err := w.error(); err != nil {
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
	close(w.queue)
	<-w.done
	if w.rd != nil {
		w.t.s.raw.put(w.rd)
		w.rd = nil
	}
	return w.error()
}

// reader is a connection reading the committed state (in a read
// transaction begun after the Tx took the write lock).
func (w *writer) reader(ctx context.Context) (conn, error) {
	if w.rd == nil {
		c, err := w.t.s.raw.get()
		if err != nil {
			return nil, err
		}
		if err := c.exec("BEGIN"); err != nil {
			w.t.s.raw.put(c)
			return nil, err
		}
		w.rd = c
	}
	return w.rd, nil
}

func (w *writer) hash(spec string) uint64 {
	h := maphash.String(w.seed, spec)
	if h == tombstone {
		h = 1
	}
	return h
}

// put classifies and queues the records of byTable.
func (w *writer) put(ctx context.Context, recs []tamledger.Record, byTable *[nTables][]int32, changes []tamledger.Change) error {
	d := w.t.s.d
	for k := range tables {
		tb := tables[k]
		per := tb.rowsPerStatement(d)
		list := byTable[k]
		for start := 0; start < len(list); start += per {
			part := list[start:min(start+per, len(list))]
			if err := w.encode(recs, part); err != nil {
				return err
			}
			if err := w.classify(ctx, tb, recs, part, changes); err != nil {
				return err
			}
			if err := w.enqueue(ctx, tb, recs, part, changes); err != nil {
				return err
			}
		}
	}
	return nil
}

// encode sets w.specs and w.hashes for part.
func (w *writer) encode(recs []tamledger.Record, part []int32) error {
	w.specs, w.hashes = w.specs[:0], w.hashes[:0]
	for _, i := range part {
		r := &recs[i]
		w.buf.Reset()
		if err := w.enc.Encode(r.Value); err != nil {
			return tamledger.Errorf(tamledger.EINVALID, "%s %s: cannot encode it as JSON: %v", r.Kind, describeKey(r.Org, r.ID), err)
		}
		b := w.buf.Bytes()
		spec := string(b[:len(b)-1]) // without Encode's newline
		w.specs = append(w.specs, spec)
		w.hashes = append(w.hashes, w.hash(spec))
	}
	return nil
}

// ids is what this Tx wrote in table for org.
func (w *writer) ids(table int, org string) map[string]uint64 {
	k := wkey{table: table, org: org}
	m := w.written[k]
	if m == nil {
		m = map[string]uint64{}
		w.written[k] = m
	}
	return m
}

// classify sets changes for part, in order, and notes what this Tx now
// holds for each key: what this Tx wrote decides; else what is committed.
func (w *writer) classify(ctx context.Context, tb *table, recs []tamledger.Record, part []int32, changes []tamledger.Change) error {
	clear(w.need)
	org, has := "", !tb.scoped
	for n, i := range part {
		r := &recs[i]
		if tb.scoped && (n == 0 || r.Org != org) {
			org = r.Org
			var err error
			if has, err = w.orgHasRows(ctx, tb, org); err != nil {
				return err
			}
		}
		if has { // committed rows may hold it (or this Tx's: checked below)
			w.need[recKey{r.Org, r.ID}] = ""
		}
	}
	if len(w.need) > 0 {
		if err := w.lookup(ctx, tb); err != nil {
			return err
		}
	}
	var ids map[string]uint64
	for j, i := range part {
		r := &recs[i]
		if j == 0 || r.Org != org {
			org, ids = r.Org, w.ids(tb.pos, r.Org)
		}
		ch := tamledger.Created
		if h, ok := ids[r.ID]; ok {
			switch h {
			case tombstone:
			case w.hashes[j]:
				ch = tamledger.Unchanged
			default:
				ch = tamledger.Updated
			}
		} else if len(w.need) > 0 {
			if spec := w.need[recKey{r.Org, r.ID}]; spec != "" {
				ch = tamledger.Updated
				if spec == w.specs[j] {
					ch = tamledger.Unchanged
				}
			}
		}
		changes[i] = ch
		ids[r.ID] = w.hashes[j]
	}
	return nil
}

// orgHasRows reports whether tb holds committed rows of org. An import of
// new organisations then needs no look-up per record.
func (w *writer) orgHasRows(ctx context.Context, tb *table, org string) (bool, error) {
	k := wkey{table: tb.pos, org: org}
	if has, ok := w.hasRows[k]; ok {
		return has, nil
	}
	rd, err := w.reader(ctx)
	if err != nil {
		return false, w.t.fail(mapError("read "+tb.name, err, ""))
	}
	rs, err := rd.rows(ctx, "SELECT 1 FROM "+tb.name+" WHERE organization = $1 LIMIT 1", org)
	if err != nil {
		return false, w.t.fail(mapError("read "+tb.name, err, ""))
	}
	has := rs.next()
	err = rs.err()
	rs.close()
	if err != nil {
		return false, w.t.fail(mapError("read "+tb.name, err, ""))
	}
	w.hasRows[k] = has
	return has, nil
}

// lookup fills w.need with the committed specs of its keys ("" for none).
func (w *writer) lookup(ctx context.Context, tb *table) error {
	rd, err := w.reader(ctx)
	if err != nil {
		return w.t.fail(mapError("read "+tb.name, err, ""))
	}
	byOrg := map[string][]any{}
	for k := range w.need {
		byOrg[k.org] = append(byOrg[k.org], k.id)
	}
	d := w.t.s.d
	for org, ids := range byOrg {
		var q strings.Builder
		q.WriteString("SELECT id, spec FROM " + tb.name + " WHERE ")
		args := ids
		n := 0
		if tb.scoped {
			n++
			q.WriteString("organization = " + d.placeholder(n) + " AND ")
			args = append([]any{org}, ids...)
		}
		q.WriteString("id IN (")
		for j := range ids {
			if j > 0 {
				q.WriteByte(',')
			}
			n++
			q.WriteString(d.placeholder(n))
		}
		q.WriteByte(')')
		if err := w.scanSpecs(ctx, rd, q.String(), args, org); err != nil {
			return w.t.fail(mapError("read "+tb.name, err, ""))
		}
	}
	return nil
}

func (w *writer) scanSpecs(ctx context.Context, rd conn, query string, args []any, org string) error {
	rs, err := rd.rows(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.close()
	for rs.next() {
		w.need[recKey{org, rs.text(0)}] = rs.text(1)
	}
	return rs.err()
}

// enqueue queues the statements for the records of part that change: a
// plain insert of those created, then an upsert of those updated. (An
// upsert makes SQLite keep a statement journal, a copy of every page the
// statement changes; a plain INSERT OR FAIL needs none.)
func (w *writer) enqueue(ctx context.Context, tb *table, recs []tamledger.Record, part []int32, changes []tamledger.Change) error {
	for _, on := range []conflict{failing, update} {
		want := tamledger.Created
		if on == update {
			want = tamledger.Updated
		}
		var j *job
		select {
		case j = <-w.free:
		default:
			j = &job{}
		}
		j.ctx, j.table, j.rows, j.on = ctx, tb.pos, 0, on
		for n, i := range part {
			if changes[i] != want {
				continue
			}
			r := &recs[i]
			if tb.scoped {
				j.args = append(j.args, r.Org)
			}
			j.args = append(j.args, r.ID)
			j.args = tb.args(w.t.s.d, r.Value, j.args)
			j.args = append(j.args, w.specs[n])
			j.rows++
		}
		if j.rows == 0 {
			continue
		}
		if err := w.error(); err != nil {
			return err
		}
		select {
		case w.queue <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// forget marks a key as deleted in this Tx.
func (w *writer) forget(table int, org, id string) {
	w.ids(table, org)[id] = tombstone
}

// remember notes the spec this Tx wrote for a key outside put.
func (w *writer) remember(table int, org, id string, v any) {
	w.buf.Reset()
	if err := w.enc.Encode(v); err != nil {
		delete(w.ids(table, org), id)
		return
	}
	b := w.buf.Bytes()
	w.ids(table, org)[id] = w.hash(string(b[:len(b)-1]))
}
