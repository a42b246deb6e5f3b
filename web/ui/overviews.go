package ui

import (
	"context"
	"html/template"
	"reflect"
	"sync"
	"time"

	"github.com/tamledger/tamledger"
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
// organisation and kind of viewer (who may change it, who may only read
// it); at most max bytes are kept, and an entry is dropped at random when a
// new one would pass that.
type overviews struct {
	poll time.Duration
	max  int

	mu      sync.Mutex
	entries map[overviewKey]*overviewEntry
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

type overviewKey struct {
	org      string
	canWrite bool
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
	return &overviews{poll: poll, max: max, entries: map[overviewKey]*overviewEntry{}, booksGen: -1}
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

// get returns the entry of k if it is good at generation gen for an
// organisation whose today is today(org).
func (c *overviews) get(ctx context.Context, h *Handler, k overviewKey, gen int64) *overviewEntry {
	c.mu.Lock()
	e := c.entries[k]
	c.mu.Unlock()
	if e == nil || e.asOf != h.today(e.org) {
		return nil
	}
	if e.gen == gen {
		return e
	}
	// Something was written since: is it this organisation or the books?
	stamp, err := h.st.Stamp(ctx, k.org)
	if err != nil || stamp != e.stamp {
		return nil
	}
	if _, ver, err := c.priceBooks(ctx, h, gen); err != nil || ver != e.books {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[k] == e {
		cp := *e
		cp.gen = gen
		c.entries[k] = &cp
	}
	return e
}

// put keeps e under k, dropping entries at random to stay within max.
func (c *overviews) put(k overviewKey, e *overviewEntry) {
	n := len(e.content)
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[k]; old != nil {
		c.size -= len(old.content)
	}
	for kk, old := range c.entries { // map order: a random victim
		if c.size+n <= c.max {
			break
		}
		delete(c.entries, kk)
		c.size -= len(old.content)
	}
	c.entries[k] = e
	c.size += n
}

// forget drops org's entries: this web app has just written to it.
func (c *overviews) forget(org string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range []bool{false, true} {
		k := overviewKey{org, w}
		if e := c.entries[k]; e != nil {
			c.size -= len(e.content)
			delete(c.entries, k)
		}
	}
}
