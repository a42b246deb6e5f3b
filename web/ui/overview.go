package ui

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/score"
)

// heatCells is how many of an obligation series' latest periods the
// overview's heatmap shows.
const heatCells = 12

type overviewView struct {
	AsOf       tamledger.Date
	Card       *score.Card
	Components []componentView
	Actions    []score.Action
	Heat       []heatRow
	Value      *roi.Report
	ValueErr   string
	Due        []dueItem
	Spark      []*int
	Currency   string
	Documents  []documentView
}

type componentView struct {
	Title   string
	Value   *float64
	Weight  float64
	Explain string
}

// heatRow is one obligation series in the heatmap.
type heatRow struct {
	Obligation string
	Workload   string
	Cadence    string
	Adherence  *float64
	First      bool // the obligation's first row
	Cells      []heatCell
}

type heatCell struct {
	Label  string // 2026-03, 2026-Q1, 2026-H2, 2026
	Status string // met | late | missed | due
	Ref    string // the engagement that met it
}

// dueItem is something due in the next 30 days.
type dueItem struct {
	Date   tamledger.Date
	Days   int
	Kind   string // obligation | event | reassignment
	Title  string
	Detail string
	Href   string
	Tone   string // ok | warn | bad
}

// overview shows an organisation at a glance. It is the page people open
// most, so its content is kept rendered (overviews) and computed again only
// when something it shows may have changed.
func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	ctx, org := r.Context(), r.PathValue("org")
	if p, _ := access.From(ctx); !p.CanRead(org) {
		h.fail(w, r, notFound(org))
		return
	}
	gen, err := h.overviews.generation(ctx, h)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e := h.overviews.get(ctx, h, org, gen)
	if e == nil {
		if e, err = h.computeOverview(r, gen); err != nil {
			h.fail(w, r, err)
			return
		}
		h.overviews.put(org, e)
	}
	h.render(w, r, http.StatusOK, "rendered", page{Title: orgName(e.org), Org: e.org, Section: "overview", Data: e.content})
}

// computeOverview reads the request's organisation and renders its
// overview's content, as of generation gen.
func (h *Handler) computeOverview(r *http.Request, gen int64) (*overviewEntry, error) {
	ctx, org := r.Context(), r.PathValue("org")
	// The stamp before the records: a write in between moves the stamp
	// again, and the entry is computed anew next time.
	stamp, err := h.st.Stamp(ctx, org)
	if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
		return nil, notFound(org)
	}
	if err != nil {
		return nil, err
	}
	books, ver, err := h.overviews.priceBooks(ctx, h, gen)
	if err != nil {
		return nil, err
	}
	l, err := h.readable(r)
	if err != nil {
		return nil, err
	}
	return h.overviewEntry(l, roi.Books(books), gen, stamp, ver)
}

// overviewEntry renders the overview's content of ledger l, computed with
// books (roi.Books) at generation gen, stamp and books version ver.
func (h *Handler) overviewEntry(l *tamledger.Ledger, books []tamledger.PriceBook, gen int64, stamp uint64, ver int64) (*overviewEntry, error) {
	v := h.overviewOf(l, books, stamp)
	var buf bytes.Buffer
	if err := h.pages["overview"].ExecuteTemplate(&buf, "content", page{Title: orgName(l.Org), Org: l.Org, Section: "overview", Data: v}); err != nil {
		return nil, fmt.Errorf("render the overview of %s: %w", l.Org.ID, err)
	}
	return &overviewEntry{org: l.Org, asOf: v.AsOf, gen: gen, stamp: stamp, books: ver, content: template.HTML(buf.String())}, nil
}

// overviewOf is what the overview shows of ledger l, as of today in its
// time zone; stamp is its organisation's, read before l.
func (h *Handler) overviewOf(l *tamledger.Ledger, books []tamledger.PriceBook, stamp uint64) overviewView {
	asOf := h.today(l.Org)
	card := score.Scorecard(l, asOf)
	v := overviewView{AsOf: asOf, Card: card, Actions: score.Actions(l, asOf), Currency: l.Org.Currency}
	for _, c := range card.Health.Components {
		v.Components = append(v.Components, componentView{Title: score.ComponentTitle(c.Name), Value: c.Value, Weight: c.Weight, Explain: card.Explain(c.Name)})
	}
	v.Heat = heatmap(card)
	if rep, err := roi.Compute(l, books, card.Window.From, asOf, roi.Options{}); err != nil {
		v.ValueErr = tamledger.ErrorMessage(err)
	} else {
		v.Value = rep
	}
	v.Due = dueSoon(l, card, asOf)
	v.Documents = documents(l.Org.ID, asOf)
	v.Spark = slices.Clone(h.board.spark(l, asOf, stamp))
	v.Spark[len(v.Spark)-1] = card.Health.Score // today's, as the page shows it
	return v
}

func (h *Handler) books(r *http.Request) ([]tamledger.PriceBook, error) {
	imported, err := h.st.PriceBooks(r.Context())
	if err != nil {
		return nil, err
	}
	return roi.Books(imported), nil
}

func orgName(o *tamledger.Organization) string {
	if o.Name != "" {
		return o.Name
	}
	return o.ID
}

// heatmap lays the card's obligations out as rows of their latest periods.
func heatmap(c *score.Card) []heatRow {
	var rows []heatRow
	for _, ob := range c.Obligations {
		for i, s := range ob.Series {
			row := heatRow{Obligation: ob.ID, Cadence: ob.Cadence, Adherence: ob.Adherence, First: i == 0}
			if s.Workload != nil {
				row.Workload = *s.Workload
			}
			ps := s.Periods
			if len(ps) > heatCells {
				ps = ps[len(ps)-heatCells:]
			}
			for _, p := range ps {
				cell := heatCell{Label: periodLabel(p.Start, ob.Cadence), Status: p.Status}
				if p.Engagement != nil {
					cell.Ref = *p.Engagement
				}
				row.Cells = append(row.Cells, cell)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// periodLabel names the period starting on d: 2026-03, 2026-Q1, 2026-H2, 2026.
func periodLabel(d tamledger.Date, cadence string) string {
	switch cadence {
	case "quarterly":
		return fmt.Sprintf("%04d-Q%d", d.Year, (int(d.Month)-1)/3+1)
	case "semiannual":
		return fmt.Sprintf("%04d-H%d", d.Year, (int(d.Month)-1)/6+1)
	case "annual":
		return fmt.Sprintf("%04d", d.Year)
	}
	return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
}

// dueSoon is what falls due in the 30 days from asOf: obligation periods
// still due whose grace days end by then, events with their IEM lead-time
// status, and open reassignment requests with their 30-day clock.
func dueSoon(l *tamledger.Ledger, c *score.Card, asOf tamledger.Date) []dueItem {
	horizon := asOf.AddDays(30)
	var out []dueItem
	for _, ob := range c.Obligations {
		for _, s := range ob.Series {
			for _, p := range s.Periods {
				if p.Status != score.Due {
					continue
				}
				deadline := p.End.AddDays(ob.GraceDays)
				if deadline.Before(asOf) || deadline.After(horizon) {
					continue
				}
				title := ob.ID + " " + periodLabel(p.Start, ob.Cadence)
				if s.Workload != nil {
					title += " · " + *s.Workload
				}
				detail := fmt.Sprintf("%s expected by %s", ob.Service, p.End)
				if ob.GraceDays > 0 {
					detail += fmt.Sprintf(" (%d grace days to %s)", ob.GraceDays, deadline)
				}
				tone := "warn"
				if asOf.DaysUntil(deadline) > 14 {
					tone = "ok"
				}
				out = append(out, dueItem{Date: deadline, Days: asOf.DaysUntil(deadline), Kind: "obligation", Title: title, Detail: detail, Tone: tone})
			}
		}
	}
	for _, e := range l.Events {
		if e.Date.Before(asOf) || e.Date.After(horizon) {
			continue
		}
		st := iemStatus(l, &e, asOf)
		out = append(out, dueItem{Date: e.Date, Days: asOf.DaysUntil(e.Date), Kind: "event", Title: cmpOr(e.Name, e.ID), Detail: st.Text, Tone: st.Tone, Href: orgPath(l.Org.ID, "events", e.ID)})
	}
	for _, rr := range l.Reassignments {
		if rr.AcknowledgedOn != nil || rr.ResolvedOn != nil || rr.EscalatedOn != nil {
			continue
		}
		deadline := rr.RequestedOn.AddDays(30)
		if deadline.After(horizon) {
			continue
		}
		d := asOf.DaysUntil(deadline)
		it := dueItem{Date: deadline, Days: d, Kind: "reassignment", Title: "Reassignment request " + rr.ID, Href: orgPath(l.Org.ID, "reassignments", rr.ID)}
		if d <= 0 {
			it.Detail, it.Tone = fmt.Sprintf("requested on %s, unanswered for %d days: escalate to AWS account leadership", rr.RequestedOn, rr.RequestedOn.DaysUntil(asOf)), "bad"
		} else {
			it.Detail, it.Tone = fmt.Sprintf("requested on %s: AWS has %d days left to acknowledge it", rr.RequestedOn, d), "warn"
		}
		out = append(out, it)
	}
	sortDue(out)
	return out
}

// leadStatus is an event's IEM lead-time status.
type leadStatus struct {
	Text string
	Tone string
	Code string // requested | request-now | too-late | early | past
}

// iemStatus says where an event stands with Infrastructure Event
// Management, by the lead times of the charter in force (the rules of
// iem-request-now and iem-too-late).
func iemStatus(l *tamledger.Ledger, e *tamledger.Event, asOf tamledger.Date) leadStatus {
	minimum, recommended := chartersInForce(l, asOf).Leads()
	d := asOf.DaysUntil(e.Date)
	switch {
	case e.IEMRequestedOn != nil && !e.IEMRequestedOn.After(asOf):
		return leadStatus{Text: fmt.Sprintf("IEM requested on %s, %d days ahead", e.IEMRequestedOn, e.IEMRequestedOn.DaysUntil(e.Date)), Tone: "ok", Code: "requested"}
	case d < 0:
		return leadStatus{Text: "took place without IEM", Tone: "muted", Code: "past"}
	case d < minimum:
		return leadStatus{Text: fmt.Sprintf("no IEM requested, %d days to go: below AWS's minimum lead of %d days — ask anyway and escalate", d, minimum), Tone: "bad", Code: "too-late"}
	case d <= recommended:
		return leadStatus{Text: fmt.Sprintf("no IEM requested, %d days to go: request it today (%d days is the usual lead)", d, recommended), Tone: "warn", Code: "request-now"}
	}
	return leadStatus{Text: fmt.Sprintf("no IEM requested yet; request it by %s (%d days ahead)", e.Date.AddDays(-recommended), recommended), Tone: "ok", Code: "early"}
}

// chartersInForce is the charter version in force on d, or nil.
func chartersInForce(l *tamledger.Ledger, d tamledger.Date) *tamledger.Charter {
	var cur *tamledger.Charter
	for i := range l.Charters {
		ch := &l.Charters[i]
		if !ch.Effective.After(d) && (cur == nil || ch.Effective.After(cur.Effective)) {
			cur = ch
		}
	}
	return cur
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
