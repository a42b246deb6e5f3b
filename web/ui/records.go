package ui

import (
	"cmp"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/score"
	"github.com/tamledger/tamledger/store"
)

func sortDue(items []dueItem) {
	slices.SortStableFunc(items, func(a, b dueItem) int { return a.Date.Compare(b.Date) })
}

// kinds maps the path segment of a record page to its kind.
var kinds = map[string]string{
	"charters":        tamledger.KindCharter,
	"engagements":     tamledger.KindEngagement,
	"recommendations": tamledger.KindRecommendation,
	"cases":           tamledger.KindCase,
	"events":          tamledger.KindEvent,
	"reassignments":   tamledger.KindReassignmentRequest,
}

// sectionOf is the organisation tab a record kind's page belongs to.
var sectionOf = map[string]string{
	tamledger.KindCharter:             "charter",
	tamledger.KindEngagement:          "engagements",
	tamledger.KindRecommendation:      "recommendations",
	tamledger.KindCase:                "cases",
	tamledger.KindEvent:               "events",
	tamledger.KindReassignmentRequest: "reassignments",
}

// engagementsView is the engagements page: the timeline and the quick-add
// form.
type engagementsView struct {
	Months   []monthGroup
	Form     logForm
	Services []string
	CanWrite bool
	Count    int
}

type monthGroup struct {
	Label string
	Items []tamledger.Engagement
}

// logForm is the quick-add form's values and what went wrong.
type logForm struct {
	Service, Date, InitiatedBy, Summary string
	Again                               bool
	Error                               string
	AskAgain                            bool // the error is a duplicate: offer to record it anyway
}

func canWrite(r *http.Request, org string) bool {
	p, _ := access.From(r.Context())
	return p.CanWrite(org)
}

func (h *Handler) engagements(w http.ResponseWriter, r *http.Request) {
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderEngagements(w, r, l, logForm{Date: h.today(l.Org).String(), InitiatedBy: "tam"}, http.StatusOK)
}

func (h *Handler) renderEngagements(w http.ResponseWriter, r *http.Request, l *tamledger.Ledger, f logForm, status int) {
	v := engagementsView{Form: f, Services: tamledger.Services.Values(), CanWrite: canWrite(r, l.Org.ID), Count: len(l.Engagements)}
	es := slices.Clone(l.Engagements)
	slices.SortStableFunc(es, func(a, b tamledger.Engagement) int {
		return cmp.Or(b.Date.Compare(a.Date), strings.Compare(b.ID, a.ID))
	})
	for _, e := range es {
		label := e.Date.Time().Format("January 2006")
		if n := len(v.Months); n == 0 || v.Months[n-1].Label != label {
			v.Months = append(v.Months, monthGroup{Label: label})
		}
		v.Months[len(v.Months)-1].Items = append(v.Months[len(v.Months)-1].Items, e)
	}
	h.render(w, r, status, "engagements", page{Title: "Engagements · " + orgName(l.Org), Org: l.Org, Section: "engagements", Data: v})
}

// logEngagement records an engagement from the quick-add form, through
// ledger.Log, as the signed-in user.
func (h *Handler) logEngagement(w http.ResponseWriter, r *http.Request) {
	p, err := writable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := logForm{
		Service: r.PostFormValue("service"), Date: strings.TrimSpace(r.PostFormValue("date")),
		InitiatedBy: r.PostFormValue("initiatedBy"), Summary: strings.TrimSpace(r.PostFormValue("summary")),
		Again: r.PostFormValue("again") != "",
	}
	e := tamledger.Engagement{Service: f.Service, InitiatedBy: f.InitiatedBy, Summary: f.Summary, Source: "manual"}
	if d, err := tamledger.ParseDate(f.Date); err != nil {
		f.Error = "Date: " + err.Error()
	} else {
		e.Date = d
	}
	var done ledger.Logged
	if f.Error == "" {
		done, err = ledger.Log(r.Context(), h.st, ledger.LogRequest{Org: l.Org.ID, Engagement: e, Again: f.Again, Manager: p.Manager()})
		if err != nil {
			if !userError(err) {
				h.fail(w, r, err)
				return
			}
			f.Error = problemText(err)
			f.AskAgain = strings.Contains(f.Error, "already recorded")
			if f.AskAgain {
				f.Error = strings.Replace(f.Error, "add --again", "tick “record it anyway”", 1)
			}
		}
	}
	if f.Error != "" {
		h.renderEngagements(w, r, l, f, http.StatusBadRequest)
		return
	}
	h.changed(r.Context(), l.Org.ID)
	seeOther(w, r, orgPath(l.Org.ID, "engagements"), "Logged "+done.ID+": "+e.Service+" on "+e.Date.String()+".")
}

// userError reports whether err is the user's to fix (bad input, a
// conflict, something not found), to show in the form.
func userError(err error) bool {
	var pe tamledger.ProblemsError
	if errors.As(err, &pe) {
		return true
	}
	switch tamledger.ErrorCode(err) {
	case tamledger.EINVALID, tamledger.ECONFLICT, tamledger.ENOTFOUND:
		return true
	}
	return false
}

// problemText is an error's message for a form: each field problem on its
// own line.
func problemText(err error) string {
	var pe tamledger.ProblemsError
	if errors.As(err, &pe) {
		var lines []string
		for _, p := range pe {
			lines = append(lines, p.Error())
		}
		return strings.Join(lines, "\n")
	}
	return tamledger.ErrorMessage(err)
}

// recommendationsView is the recommendations page.
type recommendationsView struct {
	Items                   []tamledger.Recommendation
	Pillar, Origin, Status  string
	Pillars, Origins, Stats []string
	Total                   int
	Currency                string
}

func (h *Handler) recommendations(w http.ResponseWriter, r *http.Request) {
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := recommendationsView{
		Pillar: q.Get("pillar"), Origin: q.Get("origin"), Status: q.Get("status"),
		Pillars: tamledger.Pillars.Values(), Origins: tamledger.Origins.Values(), Stats: tamledger.Statuses.Values(),
		Total: len(l.Recommendations), Currency: l.Org.Currency,
	}
	for _, rec := range l.Recommendations {
		if (v.Pillar == "" || rec.Pillar == v.Pillar) && (v.Origin == "" || rec.Origin == v.Origin) && (v.Status == "" || rec.Status == v.Status) {
			v.Items = append(v.Items, rec)
		}
	}
	slices.SortStableFunc(v.Items, func(a, b tamledger.Recommendation) int {
		return cmp.Or(b.RaisedOn.Compare(a.RaisedOn), strings.Compare(a.ID, b.ID))
	})
	h.render(w, r, http.StatusOK, "recommendations", page{Title: "Recommendations · " + orgName(l.Org), Org: l.Org, Section: "recommendations", Data: v})
}

// statusForm is the change-status form of a recommendation.
type statusForm struct {
	Status, On, Realized, Reason string
	Rev                          int64
	Error                        string
	Conflict                     bool
}

// setStatus changes a recommendation's status through ledger.SetStatus,
// with the version the form was read at: when someone changed it
// meanwhile, the form comes back with the conflict and the current
// version.
func (h *Handler) setStatus(w http.ResponseWriter, r *http.Request) {
	p, err := writable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	org, id := r.PathValue("org"), r.PathValue("id")
	f := statusForm{Status: r.PostFormValue("status"), On: strings.TrimSpace(r.PostFormValue("implementedOn")),
		Realized: strings.TrimSpace(r.PostFormValue("realized")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	f.Rev, _ = strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	req := ledger.StatusRequest{Org: org, ID: id, Status: f.Status, Reason: f.Reason, Rev: f.Rev, Manager: p.Manager()}
	if f.On != "" && f.Status == "implemented" {
		d, err := tamledger.ParseDate(f.On)
		if err != nil {
			f.Error = "Implemented on: " + err.Error()
		}
		req.On = &d
	}
	if f.Realized != "" && f.Status == "implemented" {
		m, err := tamledger.NewMoney(f.Realized)
		if err != nil {
			f.Error = "Realized monthly saving: " + err.Error()
		}
		req.Realized = &m
	}
	if f.Error == "" {
		_, err = ledger.SetStatus(r.Context(), h.st, req)
		code := tamledger.ErrorCode(err)
		if userError(err) && code != tamledger.ECONFLICT {
			code = tamledger.EINVALID
		}
		switch code {
		case "":
			h.changed(r.Context(), org)
			seeOther(w, r, orgPath(org, "recommendations", id), "Status set to "+f.Status+".")
			return
		case tamledger.EINVALID:
			f.Error = problemText(err)
		case tamledger.ECONFLICT:
			f.Error, f.Conflict = "Someone changed this recommendation since you opened it: "+tamledger.ErrorMessage(err)+" The current version is shown; check it, then set the status again.", true
		default:
			h.fail(w, r, err)
			return
		}
	}
	status := http.StatusBadRequest
	if f.Conflict {
		status = http.StatusConflict
	}
	h.renderRecord(w, r, tamledger.KindRecommendation, org, id, &f, status)
}

// recordView is one record's page: its fields, who set each, and (for a
// recommendation) the status form.
type recordView struct {
	Kind, ID string
	Heading  string
	Segment  string // the path segment of its kind
	Value    any
	Meta     store.Meta
	Fields   []fieldView
	Status   *statusForm
	Statuses []string
	CanWrite bool
	Currency string
	Today    string
	Extra    any
	History  []store.Revision // the audit trail, latest first
}

type fieldView struct {
	Path, Value, Owner string
}

func (h *Handler) record(w http.ResponseWriter, r *http.Request) {
	kind, ok := kinds[r.PathValue("kind")]
	if !ok {
		h.fail(w, r, tamledger.Errorf(tamledger.ENOTFOUND, "There is no page at %s.", r.URL.Path))
		return
	}
	h.renderRecord(w, r, kind, r.PathValue("org"), r.PathValue("id"), nil, http.StatusOK)
}

func (h *Handler) renderRecord(w http.ResponseWriter, r *http.Request, kind, org, id string, form *statusForm, status int) {
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	it, ok, err := h.st.Item(r.Context(), kind, org, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		h.fail(w, r, tamledger.Errorf(tamledger.ENOTFOUND, "There is no %s %q in %s.", kind, id, orgName(l.Org)))
		return
	}
	v := recordView{Kind: kind, ID: id, Segment: sectionOf[kind], Value: it.Value, Meta: it.Meta, CanWrite: canWrite(r, org), Currency: l.Org.Currency, Today: h.today(l.Org).String()}
	if v.Segment == "charter" {
		v.Segment = "charters"
	}
	spec, err := json.Marshal(it.Value)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fields, err := tamledger.Fields(spec)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for path, val := range fields {
		v.Fields = append(v.Fields, fieldView{Path: path, Value: showJSON(val), Owner: ownerText(it.Managed.OwnerOf(path))})
	}
	slices.SortFunc(v.Fields, func(a, b fieldView) int { return strings.Compare(a.Path, b.Path) })
	if v.History, err = h.st.History(r.Context(), kind, org, id); err != nil {
		h.fail(w, r, err)
		return
	}
	slices.Reverse(v.History)
	if rec, ok := it.Value.(*tamledger.Recommendation); ok {
		if form == nil {
			form = &statusForm{Status: rec.Status, Reason: rec.StatusReason}
			if rec.ImplementedOn != nil {
				form.On = rec.ImplementedOn.String()
			}
			if rec.RealizedMonthlySavings != nil {
				form.Realized = rec.RealizedMonthlySavings.String()
			}
		}
		form.Rev = it.Rev // a conflict shows the current version, to be set again from
		v.Status, v.Statuses = form, tamledger.Statuses.Values()
	}
	if e, ok := it.Value.(*tamledger.Event); ok {
		v.Extra = iemStatus(l, e, h.today(l.Org))
	}
	title := kindTitle[kind] + " " + id
	v.Heading = title
	switch x := it.Value.(type) {
	case *tamledger.Recommendation:
		if x.Title != "" {
			v.Heading = x.Title
		}
	case *tamledger.Event:
		if x.Name != "" {
			v.Heading = x.Name
		}
	}
	h.render(w, r, status, "record", page{Title: title + " · " + orgName(l.Org), Org: l.Org, Section: sectionOf[kind], Data: v})
}

var kindTitle = map[string]string{
	tamledger.KindCharter:             "Charter",
	tamledger.KindEngagement:          "Engagement",
	tamledger.KindRecommendation:      "Recommendation",
	tamledger.KindCase:                "Case",
	tamledger.KindEvent:               "Event",
	tamledger.KindReassignmentRequest: "Reassignment request",
}

// ownerText names a field's manager for people.
func ownerText(m string) string {
	switch {
	case m == "":
		return "not recorded (stored before field ownership)"
	case m == tamledger.ManagerImport:
		return "file import"
	case m == tamledger.ManagerCLI:
		return "command line"
	case strings.HasPrefix(m, "web:"):
		return strings.TrimPrefix(m, "web:") + " (web)"
	}
	return m
}

// showJSON is a field's value for people: strings unquoted, lists joined.
func showJSON(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var list []any
	if json.Unmarshal(v, &list) == nil {
		parts := make([]string, len(list))
		for i, x := range list {
			if str, ok := x.(string); ok {
				parts[i] = str
			} else {
				b, _ := json.Marshal(x)
				parts[i] = string(b)
			}
		}
		return strings.Join(parts, ", ")
	}
	return string(v)
}

// charterView is the charter page.
type charterView struct {
	Current  *tamledger.Charter
	Earlier  []tamledger.Charter
	Later    []tamledger.Charter
	Missing  []termView
	Card     *score.Card
	AsOf     tamledger.Date
	Min, Rec int
	Feeds    feedsView // "Subscribe in your calendar"
}

type termView struct{ Term, What, Why string }

func (h *Handler) charter(w http.ResponseWriter, r *http.Request) {
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, _ := access.From(r.Context())
	feeds, err := h.calendarFeeds(r, p, l.Org.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderCharter(w, r, l, feeds, http.StatusOK)
}

// renderCharter renders the charter page with its subscribe section.
func (h *Handler) renderCharter(w http.ResponseWriter, r *http.Request, l *tamledger.Ledger, feeds feedsView, status int) {
	asOf := h.today(l.Org)
	v := charterView{Current: chartersInForce(l, asOf), AsOf: asOf, Card: score.Scorecard(l, asOf), Feeds: feeds}
	for _, ch := range l.Charters {
		switch {
		case ch.Effective.After(asOf):
			v.Later = append(v.Later, ch)
		case v.Current == nil || ch.ID != v.Current.ID:
			v.Earlier = append(v.Earlier, ch)
		}
	}
	slices.Reverse(v.Earlier)
	if v.Current != nil {
		for _, t := range score.MissingTerms(v.Current) {
			what, why := score.TermText(t)
			v.Missing = append(v.Missing, termView{Term: t, What: what, Why: why})
		}
	}
	v.Min, v.Rec = v.Current.Leads()
	h.render(w, r, status, "charter", page{Title: "Charter · " + orgName(l.Org), Org: l.Org, Section: "charter", Data: v})
}

// casesView is the cases page.
type casesView struct {
	Items []caseRow
}

type caseRow struct {
	tamledger.Case
	Target   *float64 // the charter's TAM response target in hours, nil for none
	Response *float64 // hours from opened to TAM engaged
	Within   string   // yes | no | pending | "" (no target)
}

func (h *Handler) cases(w http.ResponseWriter, r *http.Request) {
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var v casesView
	for _, c := range l.Cases {
		row := caseRow{Case: c}
		if ch := chartersInForce(l, tamledger.DateIn(c.OpenedAt, l.Org.Location())); ch != nil {
			for _, p := range ch.EscalationPaths {
				if p.Severity == c.Severity {
					t := p.TAMResponseHours
					row.Target = &t
				}
			}
		}
		if c.TAMEngagedAt != nil {
			hrs := c.TAMEngagedAt.Sub(c.OpenedAt).Hours()
			row.Response = &hrs
		}
		switch {
		case row.Target == nil:
		case row.Response == nil:
			row.Within = "pending"
		case *row.Response <= *row.Target:
			row.Within = "yes"
		default:
			row.Within = "no"
		}
		v.Items = append(v.Items, row)
	}
	slices.SortStableFunc(v.Items, func(a, b caseRow) int { return b.OpenedAt.Compare(a.OpenedAt) })
	h.render(w, r, http.StatusOK, "cases", page{Title: "Cases · " + orgName(l.Org), Org: l.Org, Section: "cases", Data: v})
}

// eventsView is the events page.
type eventsView struct {
	Upcoming, Past []eventRow
	Currency       string
}

type eventRow struct {
	tamledger.Event
	Days int
	Lead leadStatus
}

func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	asOf := h.today(l.Org)
	v := eventsView{Currency: l.Org.Currency}
	for _, e := range l.Events {
		row := eventRow{Event: e, Days: asOf.DaysUntil(e.Date), Lead: iemStatus(l, &e, asOf)}
		if e.Date.Before(asOf) {
			v.Past = append(v.Past, row)
		} else {
			v.Upcoming = append(v.Upcoming, row)
		}
	}
	slices.SortStableFunc(v.Upcoming, func(a, b eventRow) int { return a.Date.Compare(b.Date) })
	slices.SortStableFunc(v.Past, func(a, b eventRow) int { return b.Date.Compare(a.Date) })
	h.render(w, r, http.StatusOK, "events", page{Title: "Events · " + orgName(l.Org), Org: l.Org, Section: "events", Data: v})
}

// reassignmentsView is the reassignment requests page.
type reassignmentsView struct {
	Items []reassignmentRow
}

type reassignmentRow struct {
	tamledger.ReassignmentRequest
	State    string // open | acknowledged | resolved | escalated
	Deadline tamledger.Date
	Days     int // to the deadline (negative: overdue), open requests only
}

func (h *Handler) reassignments(w http.ResponseWriter, r *http.Request) {
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	asOf := h.today(l.Org)
	var v reassignmentsView
	for _, rr := range l.Reassignments {
		row := reassignmentRow{ReassignmentRequest: rr, Deadline: rr.RequestedOn.AddDays(30)}
		switch {
		case rr.ResolvedOn != nil:
			row.State = "resolved"
		case rr.EscalatedOn != nil:
			row.State = "escalated"
		case rr.AcknowledgedOn != nil:
			row.State = "acknowledged"
		default:
			row.State = "open"
			row.Days = asOf.DaysUntil(row.Deadline)
		}
		v.Items = append(v.Items, row)
	}
	slices.SortStableFunc(v.Items, func(a, b reassignmentRow) int { return b.RequestedOn.Compare(a.RequestedOn) })
	h.render(w, r, http.StatusOK, "reassignments", page{Title: "Reassignment requests · " + orgName(l.Org), Org: l.Org, Section: "reassignments", Data: v})
}

// roiView is the ROI page.
type roiView struct {
	Report   *roi.Report
	Quarters []roi.QuarterRow
	Chart    template.HTML
	From, To string
	Error    string
	Currency string
}

func (h *Handler) roiPage(w http.ResponseWriter, r *http.Request) {
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	asOf := h.today(l.Org)
	from, to := tamledger.NewDate(asOf.Year, 1, 1), tamledger.NewDate(asOf.Year, 12, 31)
	v := roiView{Currency: l.Org.Currency}
	q := r.URL.Query()
	if s := q.Get("from"); s != "" {
		if d, err := tamledger.ParseDate(s); err != nil {
			v.Error = "From: " + err.Error()
		} else {
			from = d
		}
	}
	if s := q.Get("to"); s != "" {
		if d, err := tamledger.ParseDate(s); err != nil {
			v.Error = "To: " + err.Error()
		} else {
			to = d
		}
	}
	v.From, v.To = from.String(), to.String()
	status := http.StatusOK
	if v.Error == "" {
		books, err := h.books(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if v.Report, err = roi.Compute(l, books, from, to, roi.Options{}); err == nil {
			v.Quarters, err = roi.ByQuarter(l, books, from, to, roi.Options{})
		}
		if err != nil {
			if tamledger.ErrorCode(err) != tamledger.EINVALID {
				h.fail(w, r, err)
				return
			}
			v.Report, v.Error = nil, tamledger.ErrorMessage(err)
		}
		v.Chart = quarterChart(v.Quarters, l.Org.Currency)
	}
	if v.Error != "" {
		status = http.StatusBadRequest
	}
	h.render(w, r, status, "roi", page{Title: "Value and ROI · " + orgName(l.Org), Org: l.Org, Section: "roi", Data: v})
}
