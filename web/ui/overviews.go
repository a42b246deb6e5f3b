package ui

import (
	"context"
	"errors"
	"html/template"
	"reflect"
	"sync"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/store"
)

// overviews keeps each organisation's overview rendered, so that showing
// it again costs a lookup, not a read of its records and a scorecard. An
// entry is good while its organisation is shown as of the same day, and
// while nothing it was computed from changed: the store's generation is
// the same as when it was computed, or, when the generation moved, the
// organisation's stamp (store.Stamp: its own records) and the price books
// are. The generation is asked at most once per poll interval, like the
// portfolio's; what this web app writes drops the organisation's entries
// at once (forget).
//
// An entry is the overview's content as HTML (about 11 KB), one per
// organisation: the content is the same for everyone who may read the
// organisation (what depends on the viewer belongs in the layout). At most
// max bytes are kept; an entry is dropped at random when a new one would
// pass that. Once the portfolio is loaded, warm computes the overviews of
// every organisation in the background, while they fit.
type overviews struct {
	poll time.Duration
	max  int

	mu      sync.Mutex
	entries map[string]*overviewEntry // by organisation
	size    int

	// The store's generation as last read, and when.
	gen     int64
	checked time.Time
	// The price books' version: it moves when the books read after the
	// generation moved differ from the ones before.
	books      []tamledger.PriceBook
	booksGen   int64 // the generation books were read at; -1 before the first read
	booksVer   int64
	refreshing sync.Mutex // one reader of the generation or the books at a time
}

type overviewEntry struct {
	org     *tamledger.Organization
	asOf    tamledger.Date
	gen     int64  // the generation it is known good at
	stamp   uint64 // the organisation's stamp when computed
	books   int64  // the price books' version when computed
	content template.HTML
}

func newOverviews(poll time.Duration, max int) *overviews {
	return &overviews{poll: poll, max: max, entries: map[string]*overviewEntry{}, booksGen: -1}
}

// generation is the store's generation, read again when the last read is
// older than the poll interval.
func (c *overviews) generation(ctx context.Context, h *Handler) (int64, error) {
	c.mu.Lock()
	gen, fresh := c.gen, time.Since(c.checked) < c.poll && !c.checked.IsZero()
	c.mu.Unlock()
	if fresh {
		return gen, nil
	}
	c.refreshing.Lock()
	defer c.refreshing.Unlock()
	c.mu.Lock()
	gen, fresh = c.gen, time.Since(c.checked) < c.poll && !c.checked.IsZero()
	c.mu.Unlock()
	if fresh { // another request read it meanwhile
		return gen, nil
	}
	gen, err := h.st.Generation(ctx)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	c.gen, c.checked = gen, time.Now()
	c.mu.Unlock()
	return gen, nil
}

// priceBooks returns the price books and their version as of generation
// gen, reading them again when the generation moved since the last read.
func (c *overviews) priceBooks(ctx context.Context, h *Handler, gen int64) ([]tamledger.PriceBook, int64, error) {
	c.mu.Lock()
	books, at, ver := c.books, c.booksGen, c.booksVer
	c.mu.Unlock()
	if at == gen {
		return books, ver, nil
	}
	c.refreshing.Lock()
	defer c.refreshing.Unlock()
	read, err := h.st.PriceBooks(ctx)
	if err != nil {
		return nil, 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.booksGen < 0 || !samePriceBooks(c.books, read) {
		c.booksVer++
	}
	c.books, c.booksGen = read, gen
	return c.books, c.booksVer, nil
}

// samePriceBooks reports whether two reads of the price books hold the
// same books (a false "no" costs only a recomputed overview).
func samePriceBooks(a, b []tamledger.PriceBook) bool {
	return reflect.DeepEqual(a, b)
}

// get returns org's entry if it is good at generation gen and today.
func (c *overviews) get(ctx context.Context, h *Handler, org string, gen int64) *overviewEntry {
	c.mu.Lock()
	e := c.entries[org]
	c.mu.Unlock()
	if e == nil || e.asOf != h.today(e.org) {
		return nil
	}
	if e.gen == gen {
		return e
	}
	// Something was written since: is it this organisation or the books?
	stamp, err := h.st.Stamp(ctx, org)
	if err != nil || stamp != e.stamp {
		return nil
	}
	if _, ver, err := c.priceBooks(ctx, h, gen); err != nil || ver != e.books {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[org] == e {
		cp := *e
		cp.gen = gen
		c.entries[org] = &cp
	}
	return e
}

// put keeps e as org's entry, dropping entries at random to stay within
// max.
func (c *overviews) put(org string, e *overviewEntry) {
	n := len(e.content)
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[org]; old != nil {
		c.size -= len(old.content)
	}
	for kk, old := range c.entries { // map order: a random victim
		if c.size+n <= c.max {
			break
		}
		delete(c.entries, kk)
		c.size -= len(old.content)
	}
	c.entries[org] = e
	c.size += n
}

// forget drops org's entry: this web app has just written to it. The
// generation is read again at the next request, so that an entry computed
// from the records before the write and put after forget is not taken as
// good.
func (c *overviews) forget(org string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checked = time.Time{}
	if e := c.entries[org]; e != nil {
		c.size -= len(e.content)
		delete(c.entries, org)
	}
}

// warm computes the overview of every organisation that has none kept, from
// one read of the store, until the bound would be passed.
func (c *overviews) warm(ctx context.Context, h *Handler) error {
	gen, err := c.generation(ctx, h)
	if err != nil {
		return err
	}
	stamps, err := h.st.Stamps(ctx) // before the records, as computeOverview does
	if err != nil {
		return err
	}
	books, ver, err := c.priceBooks(ctx, h, gen)
	if err != nil {
		return err
	}
	books = roi.Books(books)
	errFull := errors.New("full")
	err = h.st.EachLedger(ctx, store.AllFields, func(l *tamledger.Ledger) error {
		c.mu.Lock()
		_, kept := c.entries[l.Org.ID]
		full := c.size+overviewGuess > c.max
		c.mu.Unlock()
		if full {
			return errFull
		}
		if kept {
			return nil
		}
		e, err := h.overviewEntry(l, books, gen, stamps[l.Org.ID], ver)
		if err != nil {
			return err
		}
		c.mu.Lock()
		if _, kept := c.entries[l.Org.ID]; !kept && c.size+len(e.content) <= c.max {
			c.entries[l.Org.ID] = e
			c.size += len(e.content)
		}
		c.mu.Unlock()
		return nil
	})
	if errors.Is(err, errFull) {
		return nil
	}
	return err
}

// overviewGuess is about the size of an overview's content.
const overviewGuess = 16 << 10
