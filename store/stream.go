package store

import (
	"context"
	"strings"
	"sync"
)

// Streams: one query per kind over all organisations, ordered by
// (organization, id), read by a goroutine each and merged by organisation
// (Export).

// group is one organisation's rows of one kind.
type group[T any] struct {
	org   string
	items []T
}

// stream runs r's query for all organisations on c and sends each
// organisation's values, ordered, to out, which it closes.
func stream[T any](ctx context.Context, c conn, r *reader[T], out chan<- group[T]) error {
	defer close(out)
	var cur group[T]
	send := func() error {
		r.sort(cur.items)
		select {
		case out <- cur:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	var zero T
	err := each(ctx, c, r, "", nil, func(key string) *T {
		if key != cur.org || cur.items == nil {
			if cur.items != nil {
				if err := send(); err != nil {
					return &zero // each stops at the context's end
				}
			}
			cur = group[T]{org: key, items: make([]T, 0, 8)}
		}
		cur.items = append(cur.items, zero)
		return &cur.items[len(cur.items)-1]
	})
	if err != nil {
		return err
	}
	if cur.items != nil {
		return send()
	}
	return nil
}

// pending is the merge side of a stream.
type pending[T any] struct {
	ch   <-chan group[T]
	head group[T]
	has  bool
}

// take returns the values of org, which must come after the organisations
// asked for before.
func (p *pending[T]) take(org string) []T {
	for {
		if !p.has {
			g, ok := <-p.ch
			if !ok {
				return nil
			}
			p.head, p.has = g, true
		}
		switch c := strings.Compare(p.head.org, org); {
		case c == 0:
			p.has = false
			return p.head.items
		case c > 0:
			return nil
		default: // rows of an organisation that is not there: foreign keys forbid it
			p.has = false
		}
	}
}

// workers runs goroutines and keeps the first error, which cancels the
// rest.
type workers struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

func (w *workers) run(f func() error) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		if err := f(); err != nil {
			w.once.Do(func() {
				w.err = err
				w.cancel()
			})
		}
	}()
}

func (w *workers) wait() error {
	w.wg.Wait()
	return w.err
}

const groupBuffer = 64

// drain reads ch until its writer closes it.
func drain[T any](ch <-chan T) {
	for range ch {
	}
}
