package ui

import "context"

// OverviewKept reports whether the overview of org, as seen by a principal
// who may (canWrite) or may not change it, is kept and still good.
func (h *Handler) OverviewKept(org string, canWrite bool) bool {
	ctx := context.Background()
	gen, err := h.overviews.generation(ctx, h)
	return err == nil && h.overviews.get(ctx, h, overviewKey{org, canWrite}, gen) != nil
}

// OverviewsKept is how many overviews are kept, and their bytes.
func (h *Handler) OverviewsKept() (n, bytes int) {
	h.overviews.mu.Lock()
	defer h.overviews.mu.Unlock()
	return len(h.overviews.entries), h.overviews.size
}
