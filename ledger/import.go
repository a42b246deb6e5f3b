// Package ledger holds the ledger's use cases: import, log, set a
// recommendation's status, delete. The CLI (and every other writer) calls
// them, so that no rule is written twice between them.
//
// Import reads documents into the store: every file of one call in
// one transaction, all or nothing, with every error of every file reported
// as FILE:LINE:COL and the store untouched when there is one.
//
// Documents stream through: a file is never held whole, and what is kept per
// document is its key (to refuse duplicates). References to organisations,
// workloads and engagements are resolved at the end against the transaction,
// so a document may refer to one defined later in the same call.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"sort"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/store"
)

// Source is one input: a name for error messages and its bytes.
type Source struct {
	Name   string
	Reader io.Reader
	Format string // "" = from the name's extension or the content
}

// Options tune an import.
type Options struct {
	MaxBytes  int64          // per source; 0 = the document package's default
	MaxErrors int            // stop collecting after this many errors; 0 = 1000
	Progress  func(docs int) // called every few thousand documents, may be nil
	DryRun    bool           // validate and resolve, then roll back
	// Manager is the source the documents come from (default
	// tamledger.ManagerImport): their fields merge with what other sources
	// set by field ownership (docs/documents.md, "Who changed what").
	Manager string
	// Force takes the documents' values where another source set a field
	// since, and brings back records another source deleted, instead of
	// reporting conflicts (--force-conflicts).
	Force bool
}

// Summary counts what an import did, per kind.
type Summary struct {
	Kinds map[string]*Counts
	Docs  int
}

// Counts is created / updated / unchanged for one kind.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

func (s *Summary) add(kind string, c tamledger.Change) {
	if s.Kinds == nil {
		s.Kinds = map[string]*Counts{}
	}
	k := s.Kinds[kind]
	if k == nil {
		k = &Counts{}
		s.Kinds[kind] = k
	}
	switch c {
	case tamledger.Created:
		k.Created++
	case tamledger.Updated:
		k.Updated++
	default:
		k.Unchanged++
	}
}

// Changed reports whether anything was created or updated.
func (s *Summary) Changed() bool {
	for _, k := range s.Kinds {
		if k.Created+k.Updated > 0 {
			return true
		}
	}
	return false
}

// refPositions keeps the first few places a reference was made.
const refPositions = 5

type ref struct {
	pos   []document.Pos
	paths []string
	more  int
}

func (r *ref) note(path string, p func(string) document.Pos) {
	if len(r.pos) < refPositions {
		r.pos = append(r.pos, p(path))
		r.paths = append(r.paths, path)
	} else {
		r.more++
	}
}

type importer struct {
	ctx     context.Context
	tx      *store.Tx
	opt     Options
	errs    document.ErrorList
	full    bool
	seen    map[keyHash]where // every document of this import
	files   []string
	orgs    map[string]*ref // organisation id → where referred to
	wls     map[[2]string]*ref
	engs    map[[2]string]*ref
	eff     map[[2]string]document.Pos // (org, effective) → charter position
	effID   map[[2]string]string
	defined map[string]*tamledger.Organization // organisations of this import
	batch   []tamledger.Record
	at      []document.Pos // where each document of batch starts
	summary Summary
}

// Import reads every source and writes their documents in one transaction.
// On bad input it returns a document.ErrorList (sorted) and leaves the store
// as it was; other errors are the store's.
func Import(ctx context.Context, st *store.Store, sources []Source, opt Options) (*Summary, error) {
	if opt.MaxErrors == 0 {
		opt.MaxErrors = 1000
	}
	if opt.Manager == "" {
		opt.Manager = tamledger.ManagerImport
	}
	tx, err := st.BeginAs(ctx, store.Write{Manager: opt.Manager, Force: opt.Force})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	im := &importer{ctx: ctx, tx: tx, opt: opt,
		seen: map[keyHash]where{}, orgs: map[string]*ref{},
		wls: map[[2]string]*ref{}, engs: map[[2]string]*ref{},
		eff: map[[2]string]document.Pos{}, effID: map[[2]string]string{},
		defined: map[string]*tamledger.Organization{}}
	for _, src := range sources {
		if err := im.read(src); err != nil {
			return nil, err
		}
		if im.full {
			break
		}
	}
	if err := im.flush(); err != nil {
		return nil, err
	}
	if !im.full {
		if err := im.resolve(); err != nil {
			return nil, err
		}
	}
	if len(im.errs) > 0 {
		im.errs.Sort()
		return nil, im.errs
	}
	if opt.DryRun {
		return &im.summary, tx.Rollback()
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return &im.summary, nil
}

func (im *importer) fail(e ...document.Error) {
	if im.full {
		return
	}
	im.errs = append(im.errs, e...)
	if len(im.errs) >= im.opt.MaxErrors {
		im.full = true
		im.errs = append(im.errs, document.Error{Msg: fmt.Sprintf("stopped after %d errors", im.opt.MaxErrors)})
	}
}

func (im *importer) read(src Source) error {
	r := document.NewReader(src.Name, src.Reader, document.Options{MaxBytes: im.opt.MaxBytes, Format: src.Format})
	docs, bad := 0, false
	for !im.full {
		doc, err := r.Next()
		if errors.Is(err, io.EOF) {
			if docs == 0 && !bad {
				im.fail(document.Error{Pos: document.Pos{File: src.Name}, Msg: "no documents: the input is empty or only comments (want at least one document with apiVersion, kind, metadata and spec)"})
			}
			return nil
		}
		var el document.ErrorList
		if errors.As(err, &el) {
			im.fail(el...)
			bad = true
			continue
		}
		if err != nil {
			return err
		}
		docs++
		if err := im.take(r, doc); err != nil {
			return err
		}
	}
	return nil
}

// take checks one document against the others of this import and queues it.
func (im *importer) take(r *document.Reader, doc *document.Doc) error {
	key := hashKey(doc.Kind, doc.Org, doc.ID)
	if prev, dup := im.seen[key]; dup {
		im.fail(document.Error{Pos: doc.Pos, Msg: fmt.Sprintf("duplicate %s %q%s: already defined at %s (give each document once per import)",
			doc.Kind, doc.ID, inOrg(doc.Org), im.pos(prev))})
		return nil
	}
	im.seen[key] = im.where(doc.Pos)
	loc := func(path string) document.Pos { return r.Locate(doc, path) }
	if doc.Org != "" {
		im.refer(im.orgs, doc.Org, "metadata.organization", loc)
	}
	switch v := doc.Value.(type) {
	case *tamledger.Organization:
		im.defined[doc.ID] = v
	case *tamledger.Engagement:
		for i, w := range v.Workloads {
			im.referPair(im.wls, [2]string{doc.Org, w}, fmt.Sprintf("spec.workloads[%d]", i), loc)
		}
	case *tamledger.Recommendation:
		if v.Workload != "" {
			im.referPair(im.wls, [2]string{doc.Org, v.Workload}, "spec.workload", loc)
		}
		if v.Engagement != "" {
			im.referPair(im.engs, [2]string{doc.Org, v.Engagement}, "spec.engagement", loc)
		}
	case *tamledger.Charter:
		k := [2]string{doc.Org, v.Effective.String()}
		if prev, dup := im.eff[k]; dup {
			im.fail(document.Error{Pos: r.Locate(doc, "spec.effective"), Msg: fmt.Sprintf(
				"spec.effective: charter %q takes effect on %s like charter %q at %s (each version needs its own effective date)",
				doc.ID, v.Effective, im.effID[k], prev)})
		}
		im.eff[k] = r.Locate(doc, "spec.effective")
		im.effID[k] = doc.ID
	}
	if len(im.errs) > 0 {
		return nil // keep reading to report every error, but write nothing more
	}
	im.summary.Docs++
	im.batch = append(im.batch, doc.Record)
	im.at = append(im.at, doc.Pos)
	if len(im.batch) >= 500 {
		return im.flush()
	}
	return nil
}

func inOrg(org string) string {
	if org == "" {
		return ""
	}
	return " of organization " + fmt.Sprintf("%q", org)
}

func (im *importer) refer(m map[string]*ref, k, path string, p func(string) document.Pos) {
	r := m[k]
	if r == nil {
		r = &ref{}
		m[k] = r
	}
	r.note(path, p)
}

func (im *importer) referPair(m map[[2]string]*ref, k [2]string, path string, p func(string) document.Pos) {
	r := m[k]
	if r == nil {
		r = &ref{}
		m[k] = r
	}
	r.note(path, p)
}

func (im *importer) flush() error {
	defer func() { im.batch, im.at = im.batch[:0], im.at[:0] }()
	if len(im.batch) == 0 || len(im.errs) > 0 {
		return nil
	}
	changes, err := im.tx.PutBatch(im.ctx, im.batch)
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		for _, c := range ce.Records {
			im.fail(document.Error{Pos: im.at[c.Index], Msg: c.Message("this file") + " (the source that set it keeps it; import with --force-conflicts to take this file's values)"})
		}
		return nil
	}
	if err != nil {
		return err
	}
	for i, c := range changes {
		im.summary.add(im.batch[i].Kind, c)
	}
	if im.opt.Progress != nil {
		im.opt.Progress(im.summary.Docs)
	}
	return nil
}

// resolve checks every reference against the documents of this import and
// the transaction, which holds the store as it will be after this import.
// It runs after errors too (when nothing more was written), so one run
// reports every problem.
func (im *importer) resolve() error {
	orgs := map[string]*tamledger.Organization{}
	for _, id := range sortedKeys(im.orgs) {
		if o := im.defined[id]; o != nil {
			orgs[id] = o
			continue
		}
		rec, ok, err := im.tx.Get(im.ctx, tamledger.KindOrganization, "", id)
		if err != nil {
			return err
		}
		if !ok {
			im.each(im.orgs[id], fmt.Sprintf("unknown organization %q (import its Organization document first, or in the same call)", id))
			continue
		}
		orgs[id] = rec.Value.(*tamledger.Organization)
	}
	for _, k := range sortedPairs(im.wls) {
		org := orgs[k[0]]
		if org == nil {
			continue // already reported
		}
		if org.Workload(k[1]) == nil {
			im.each(im.wls[k], fmt.Sprintf("unknown workload %q of organization %q (want one of: %s)", k[1], k[0], org.WorkloadIDs()))
		}
	}
	for _, k := range sortedPairs(im.engs) {
		if orgs[k[0]] == nil {
			continue
		}
		if _, ok := im.seen[hashKey(tamledger.KindEngagement, k[0], k[1])]; ok {
			continue
		}
		_, ok, err := im.tx.Get(im.ctx, tamledger.KindEngagement, k[0], k[1])
		if err != nil {
			return err
		}
		if !ok {
			im.each(im.engs[k], fmt.Sprintf("unknown engagement %q of organization %q", k[1], k[0]))
		}
	}
	// Charter versions already stored with the same effective date.
	for _, k := range sortedEff(im.eff) {
		if orgs[k[0]] == nil {
			continue
		}
		recs, err := im.tx.List(im.ctx, tamledger.KindCharter, k[0])
		if err != nil {
			return err
		}
		for _, rec := range recs {
			c := rec.Value.(*tamledger.Charter)
			if _, again := im.seen[hashKey(tamledger.KindCharter, k[0], rec.ID)]; again {
				continue // this import redefines it; its new effective date was checked above
			}
			if c.Effective.String() == k[1] && rec.ID != im.effID[k] {
				im.fail(document.Error{Pos: im.eff[k], Msg: fmt.Sprintf(
					"spec.effective: charter %q takes effect on %s like the stored charter %q (each version needs its own effective date)",
					im.effID[k], k[1], rec.ID)})
			}
		}
	}
	return nil
}

func (im *importer) each(r *ref, msg string) {
	for i, p := range r.pos {
		im.fail(document.Error{Pos: p, Msg: r.paths[i] + ": " + msg})
	}
	if r.more > 0 {
		last := r.pos[len(r.pos)-1]
		im.fail(document.Error{Pos: last, Msg: fmt.Sprintf("... and %d more references like the one above", r.more)})
	}
}

func sortedKeys(m map[string]*ref) []string {
	k := make([]string, 0, len(m))
	for id := range m {
		k = append(k, id)
	}
	sort.Strings(k)
	return k
}

func sortedPairs(m map[[2]string]*ref) [][2]string {
	k := make([][2]string, 0, len(m))
	for p := range m {
		k = append(k, p)
	}
	sort.Slice(k, func(i, j int) bool { return k[i][0]+"\x00"+k[i][1] < k[j][0]+"\x00"+k[j][1] })
	return k
}

func sortedEff(m map[[2]string]document.Pos) [][2]string {
	k := make([][2]string, 0, len(m))
	for p := range m {
		k = append(k, p)
	}
	sort.Slice(k, func(i, j int) bool { return k[i][0]+"\x00"+k[i][1] < k[j][0]+"\x00"+k[j][1] })
	return k
}

// keyHash is a 128-bit hash of a document's key: a million documents keep
// 16 bytes each instead of their key strings, with a chance of a false
// "duplicate" far below one in 10^20.
type keyHash [2]uint64

var seeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func hashKey(kind, org, id string) keyHash {
	var k keyHash
	for i, seed := range seeds {
		var h maphash.Hash
		h.SetSeed(seed)
		h.WriteString(kind)
		h.WriteByte(0)
		h.WriteString(org)
		h.WriteByte(0)
		h.WriteString(id)
		k[i] = h.Sum64()
	}
	return k
}

// where is a document's start, packed: file index, line and column.
type where struct {
	file, line, col uint32
}

func (im *importer) where(p document.Pos) where {
	if n := len(im.files); n == 0 || im.files[n-1] != p.File {
		im.files = append(im.files, p.File)
	}
	return where{uint32(len(im.files) - 1), uint32(p.Line), uint32(p.Col)}
}

func (im *importer) pos(w where) document.Pos {
	return document.Pos{File: im.files[w.file], Line: int(w.line), Col: int(w.col)}
}
