package ui

import "context"

// OverviewKept reports whether the overview of org is kept and still good.
func (h *Handler) OverviewKept(org string) bool {
	ctx := context.Background()
	gen, err := h.overviews.generation(ctx, h)
	return err == nil && h.overviews.get(ctx, h, org, gen) != nil
}

// OverviewsKept is how many overviews are kept, and their bytes.
func (h *Handler) OverviewsKept() (n, bytes int) {
	h.overviews.mu.Lock()
	defer h.overviews.mu.Unlock()
	return len(h.overviews.entries), h.overviews.size
}
