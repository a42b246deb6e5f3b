package ui

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/score"
)

// portfolioView is the portfolio page.
type portfolioView struct {
	Rows       []template.HTML // the page's lines, as table rows
	Query      string
	Band       string         // "" for all
	Bands      []bandChip     // the band filter, with counts
	Total      int            // organisations matching
	From, To   int            // 1-based, of Total
	Prev, Next string         // links, "" at the ends
	Pages      []pageLink     // numbered links around the current page
	Worst      map[string]int // critical and high actions across the matches
}

type bandChip struct {
	Value, Label string
	Count        int
	Current      bool
	Href         string
}

type pageLink struct {
	N       int
	Href    string
	Current bool
}

func (h *Handler) portfolio(w http.ResponseWriter, r *http.Request) {
	rank, err := h.board.snapshot(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, _ := access.From(r.Context())
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	band := r.URL.Query().Get("band")
	switch band {
	case score.BandProactive, score.BandMixed, score.BandReactive, "none":
	default:
		band = ""
	}
	v := portfolioView{Query: q, Band: band, Worst: map[string]int{}}
	counts := map[string]int{}
	var match []*line
	if p.IsAdmin() && q == "" {
		// Every organisation: the ranking has the lists and the numbers.
		match = rank.all
		if band != "" {
			match = rank.byBand[band]
		}
		for b, ls := range rank.byBand {
			counts[b] = len(ls)
		}
		counts[""] = len(rank.all)
		v.Worst[score.Critical], v.Worst[score.High] = rank.worst[band][0], rank.worst[band][1]
	} else {
		ql := strings.ToLower(q)
		for _, ln := range rank.all {
			if !p.CanRead(ln.Organization) || (ql != "" && !strings.Contains(ln.search, ql)) {
				continue
			}
			counts[ln.band]++
			counts[""]++
			if band != "" && ln.band != band {
				continue
			}
			match = append(match, ln)
			v.Worst[score.Critical] += ln.Critical
			v.Worst[score.High] += ln.High
		}
	}
	link := func(band string, page int) string {
		u := url.Values{}
		if q != "" {
			u.Set("q", q)
		}
		if band != "" {
			u.Set("band", band)
		}
		if page > 1 {
			u.Set("page", strconv.Itoa(page))
		}
		if len(u) == 0 {
			return "/"
		}
		return "/?" + u.Encode()
	}
	for _, b := range []struct{ v, l string }{{"", "All"}, {score.BandReactive, "Reactive"}, {score.BandMixed, "Mixed"}, {score.BandProactive, "Proactive"}, {"none", "No score"}} {
		v.Bands = append(v.Bands, bandChip{Value: b.v, Label: b.l, Count: counts[b.v], Current: band == b.v, Href: link(b.v, 1)})
	}
	size := h.opt.PageSize
	pages := max(1, (len(match)+size-1)/size)
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = min(max(n, 1), pages)
	v.Total = len(match)
	lo, hi := (n-1)*size, min(n*size, len(match))
	for _, ln := range match[lo:hi] {
		row, err := h.rowOf(ln)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Rows = append(v.Rows, row)
	}
	v.From, v.To = lo+1, hi
	if n > 1 {
		v.Prev = link(band, n-1)
	}
	if n < pages {
		v.Next = link(band, n+1)
	}
	for i := max(1, n-3); i <= min(pages, n+3); i++ {
		v.Pages = append(v.Pages, pageLink{N: i, Href: link(band, i), Current: i == n})
	}
	if pages > 1 && v.Pages[len(v.Pages)-1].N != pages {
		v.Pages = append(v.Pages, pageLink{N: pages, Href: link(band, pages)})
	}
	h.render(w, r, http.StatusOK, "portfolio", page{Title: "Portfolio", Data: v})
}

// rowOf is ln's row in the portfolio's table, rendered the first time it
// is shown: a page of the portfolio renders only what changed since.
func (h *Handler) rowOf(ln *line) (template.HTML, error) {
	ln.row.once.Do(func() {
		var buf bytes.Buffer
		ln.row.err = h.pages["portfolio"].ExecuteTemplate(&buf, "row", ln)
		ln.row.html = template.HTML(buf.String())
	})
	return ln.row.html, ln.row.err
}
