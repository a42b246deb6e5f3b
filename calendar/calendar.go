// Package calendar turns an organisation's charter into dates to keep: the
// obligation periods still due, the IEM request deadlines of planned events,
// the escalation date of an open reassignment request and the EDP renewal
// dossier date (Schedule), and writes them as an iCalendar file, RFC 5545
// (Write). Every date comes from the rules of package score and the charter
// in force; nothing here reads a clock.
package calendar

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	ics "github.com/arran4/golang-ical"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

// ProductID is the calendar's PRODID.
const ProductID = "-//tamledger//tamledger calendar//EN"

// Kinds of entry.
const (
	KindObligation   = "obligation"
	KindIEM          = "iem-request"
	KindReassignment = "reassignment-escalation"
	KindEDP          = "edp-renewal-dossier"
)

// Entry is one all-day event of the schedule.
type Entry struct {
	Kind        string
	UID         string // stable: the same period or record gives the same UID
	Date        tamledger.Date
	Summary     string
	Description string
}

// ReassignmentEscalationDays is how long an unanswered reassignment request
// waits before it is escalated (the reassignment-escalate action).
const ReassignmentEscalationDays = score.EscalateAfterDays

// EDPDossierDays is how long before the EDP ends the renewal dossier is due
// (the edp-renewal-prep action).
const EDPDossierDays = 180

// Schedule lists the entries of l dated in w, as of asOf: what is still to
// do on asOf, sorted by date, then UID.
//
//   - an obligation period whose status as of asOf is due (or that starts
//     after asOf), on its last day plus its grace days;
//   - a planned event not yet past with no IEM requested on or before asOf,
//     on its date minus the recommended lead of the charter in force at asOf;
//   - an open reassignment request (neither acknowledged, resolved nor
//     escalated), on requestedOn + 30 days;
//   - the EDP not yet ended, on its end minus 180 days.
//
// A date of the last three that has passed while there is still something
// to do (the event is ahead, the request open, the EDP running) is moved to
// asOf: the entry is overdue, and its description keeps the date it had.
func Schedule(l *tamledger.Ledger, asOf tamledger.Date, w score.Window) []Entry {
	org := l.Org
	var out []Entry
	add := func(e Entry) {
		if w.Contains(e.Date) {
			out = append(out, e)
		}
	}

	// Obligation periods: the statuses as of asOf, and the periods that
	// start later from the scorecard as of the end of the window (its
	// statuses of those are not used: nothing dated after asOf counts).
	charters := sortedCharters(l.Charters)
	now := score.Scorecard(l, asOf)
	statusNow := map[string]string{}
	for _, ob := range now.Obligations {
		for _, s := range ob.Series {
			for _, p := range s.Periods {
				statusNow[periodKey(ob.ID, s.Workload, p.Start)] = p.Status
			}
		}
	}
	later := asOf
	if w.To.After(later) {
		later = w.To
	}
	for _, ob := range score.Scorecard(l, later).Obligations {
		for _, s := range ob.Series {
			for _, p := range s.Periods {
				status, seen := statusNow[periodKey(ob.ID, s.Workload, p.Start)]
				if seen && status != score.Due || !seen && !p.Start.After(asOf) {
					continue
				}
				ch := versionOf(charters, p.Start)
				if ch == nil {
					continue
				}
				i := slices.IndexFunc(ch.Obligations, func(o tamledger.Obligation) bool { return o.ID == ob.ID })
				if i < 0 {
					continue
				}
				add(obligationEntry(org, ch, ch.Obligations[i], s.Workload, p, asOf))
			}
		}
	}

	// IEM request deadlines.
	cur := inForce(charters, asOf)
	minLead, recLead := cur.Leads()
	for _, ev := range l.Events {
		if ev.Date.Before(asOf) || ev.IEMRequestedOn != nil && !ev.IEMRequestedOn.After(asOf) {
			continue
		}
		add(iemEntry(org, cur, ev, minLead, recLead, asOf))
	}

	// Reassignment escalations.
	for _, r := range l.Reassignments {
		if r.AcknowledgedOn != nil || r.ResolvedOn != nil || r.EscalatedOn != nil {
			continue
		}
		add(reassignmentEntry(org, r, asOf))
	}

	// The EDP renewal dossier.
	if edp := org.EDP; edp != nil && !edp.End.IsZero() && !edp.End.Before(asOf) {
		add(edpEntry(org, edp, asOf))
	}

	slices.SortFunc(out, func(a, b Entry) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.UID, b.UID)
	})
	return out
}

func periodKey(ob string, workload *string, start tamledger.Date) string {
	w := ""
	if workload != nil {
		w = *workload
	}
	return ob + "\x00" + w + "\x00" + start.String()
}

func obligationEntry(org *tamledger.Organization, ch *tamledger.Charter, ob tamledger.Obligation, workload *string, p score.Period, asOf tamledger.Date) Entry {
	due := score.GraceEnd(p.End, ob.GraceDays)
	uid := fmt.Sprintf("%s/obligation/%s/%s", org.ID, ob.ID, p.Start)
	what := cadenceTitle[ob.Cadence] + " " + serviceTitle(ob.Service)
	of := ""
	if workload != nil {
		uid = fmt.Sprintf("%s/obligation/%s/workload/%s/%s", org.ID, ob.ID, *workload, p.Start)
		of = " of " + workloadName(org, *workload)
	}
	var d strings.Builder
	fmt.Fprintf(&d, "Obligation %s of charter %s (%s: %s, %s", ob.ID, ch.ID, orgName(org), ob.Service, ob.Cadence)
	if ob.Requires != "" {
		fmt.Fprintf(&d, ", requires %s", ob.Requires)
	}
	fmt.Fprintf(&d, ") for the period %s to %s", p.Start, p.End)
	if workload != nil {
		fmt.Fprintf(&d, " and the workload %s", *workload)
	}
	if ob.GraceDays > 0 {
		fmt.Fprintf(&d, ", with %d grace days", ob.GraceDays)
	}
	fmt.Fprintf(&d, ".\nNo engagement that meets it was recorded as of %s.\nScorecard: tamledger scorecard --org %s", asOf, org.ID)
	return Entry{Kind: KindObligation, UID: uid + "@tamledger", Date: due,
		Summary: fmt.Sprintf("%s%s due by %s", what, of, longDate(due)), Description: d.String()}
}

func iemEntry(org *tamledger.Organization, ch *tamledger.Charter, ev tamledger.Event, minLead, recLead int, asOf tamledger.Date) Entry {
	name := ev.Name
	if name == "" {
		name = ev.ID
	}
	by := ev.Date.AddDays(-recLead)
	summary := fmt.Sprintf("Request IEM for %s (event on %s)", name, longDate(ev.Date))
	var d strings.Builder
	fmt.Fprintf(&d, "Request Infrastructure Event Management for the planned event %s (%s) of %s on %s by %s: %d days ahead, ",
		name, ev.ID, orgName(org), ev.Date, by, recLead)
	if by.Before(asOf) { // late: the entry moves to asOf
		summary = fmt.Sprintf("Request IEM for %s now (event on %s)", name, longDate(ev.Date))
		by = asOf
	}
	if ch != nil {
		fmt.Fprintf(&d, "the lead charter %s recommends", ch.ID)
	} else {
		d.WriteString("the lead AWS recommends (no charter in force)")
	}
	fmt.Fprintf(&d, "; the minimum is %d days (%s).\nNo IEM request was recorded as of %s.", minLead, ev.Date.AddDays(-minLead), asOf)
	return Entry{Kind: KindIEM, UID: fmt.Sprintf("%s/event/%s/iem-request@tamledger", org.ID, ev.ID), Date: by,
		Summary: summary, Description: d.String()}
}

func reassignmentEntry(org *tamledger.Organization, r tamledger.ReassignmentRequest, asOf tamledger.Date) Entry {
	on := score.EscalationDue(r)
	summary := fmt.Sprintf("Escalate TAM reassignment request %s if unanswered", r.ID)
	if on.Before(asOf) { // overdue: the entry moves to asOf
		summary = fmt.Sprintf("Escalate TAM reassignment request %s now (unanswered since %s)", r.ID, longDate(r.RequestedOn))
		on = asOf
	}
	var d strings.Builder
	fmt.Fprintf(&d, "%s asked AWS for another TAM on %s (reassignment request %s", orgName(org), r.RequestedOn, r.ID)
	if len(r.Reasons) > 0 {
		fmt.Fprintf(&d, "; reasons: %s", strings.Join(r.Reasons, ", "))
	}
	fmt.Fprintf(&d, ").\nIf it is still neither acknowledged nor resolved %d days on, on %s, escalate it to AWS account leadership and record escalatedOn.",
		ReassignmentEscalationDays, score.EscalationDue(r))
	return Entry{Kind: KindReassignment, UID: fmt.Sprintf("%s/reassignment/%s/escalation@tamledger", org.ID, r.ID), Date: on,
		Summary: summary, Description: d.String()}
}

func edpEntry(org *tamledger.Organization, edp *tamledger.EDP, asOf tamledger.Date) Entry {
	on := edp.End.AddDays(-EDPDossierDays)
	d := fmt.Sprintf("The Enterprise Discount Program of %s ends on %s: the value dossier for its renewal is due %d days before, on %s.\nValue and ROI: tamledger roi --org %s",
		orgName(org), edp.End, EDPDossierDays, on, org.ID)
	if on.Before(asOf) { // late: the entry moves to asOf
		on = asOf
	}
	return Entry{Kind: KindEDP, UID: fmt.Sprintf("%s/edp/%s/renewal-dossier@tamledger", org.ID, edp.Start), Date: on,
		Summary: fmt.Sprintf("Build the EDP renewal dossier (EDP ends %s)", longDate(edp.End)), Description: d}
}

// Write writes entries as an iCalendar file of all-day events: CRLF line
// endings, lines folded at 75 octets, text escaped. stamp is every event's
// DTSTAMP (midnight UTC), so that the same input gives the same bytes.
func Write(w io.Writer, org *tamledger.Organization, entries []Entry, stamp tamledger.Date) error {
	cal := ics.NewCalendar() // VERSION:2.0
	cal.SetProductId(ProductID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName("TAM charter: " + orgName(org))
	for _, e := range entries {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(stamp.Time())
		ev.SetAllDayStartAt(e.Date.Time())
		ev.SetAllDayEndAt(e.Date.AddDays(1).Time())
		ev.SetSummary(e.Summary)
		ev.SetDescription(e.Description)
		ev.SetProperty(ics.ComponentPropertyCategories, e.Kind)
		ev.SetTimeTransparency(ics.TransparencyTransparent)
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// Feed writes the calendar of l as of asOf over the default window, asOf
// to one year on less a day, with DTSTAMP asOf: what tamledger calendar
// --org writes with no --from, --to or --file, and what a subscription
// address (/calendar/TOKEN.ics of tamledger serve) answers. One function
// behind both, so that they are the same bytes.
func Feed(w io.Writer, l *tamledger.Ledger, asOf tamledger.Date) error {
	entries := Schedule(l, asOf, score.Window{From: asOf, To: asOf.AddYears(1).AddDays(-1)})
	return Write(w, l.Org, entries, asOf)
}

var cadenceTitle = map[string]string{"monthly": "Monthly", "quarterly": "Quarterly", "semiannual": "Semi-annual", "annual": "Annual"}

var serviceTitles = map[string]string{
	"strategy-call":           "strategy call",
	"cost-review":             "cost review",
	"well-architected-review": "Well-Architected Review",
	"security-review":         "security review",
	"iem":                     "Infrastructure Event Management",
	"specialist-deep-dive":    "specialist deep dive",
	"business-review":         "business review",
	"escalation":              "escalation",
	"other":                   "engagement",
}

func serviceTitle(s string) string {
	if t, ok := serviceTitles[s]; ok {
		return t
	}
	return s
}

func orgName(o *tamledger.Organization) string {
	if o.Name == "" {
		return o.ID
	}
	return fmt.Sprintf("%s (%s)", o.Name, o.ID)
}

func workloadName(o *tamledger.Organization, id string) string {
	for _, w := range o.Workloads {
		if w.ID == id && w.Name != "" {
			return w.Name
		}
	}
	return id
}

// longDate is "30 Sep 2026".
func longDate(d tamledger.Date) string { return d.Time().Format("2 Jan 2006") }

// sortedCharters orders the versions by effective date, then id, as package
// score does.
func sortedCharters(cs []tamledger.Charter) []tamledger.Charter {
	s := slices.Clone(cs)
	slices.SortStableFunc(s, func(a, b tamledger.Charter) int {
		if c := a.Effective.Compare(b.Effective); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return s
}

// inForce is the version in force on d (the latest with effective ≤ d), nil
// with none.
func inForce(sorted []tamledger.Charter, d tamledger.Date) *tamledger.Charter {
	var cur *tamledger.Charter
	for i := range sorted {
		if !sorted[i].Effective.After(d) {
			cur = &sorted[i]
		}
	}
	return cur
}

// versionOf is the version a period starting on start belongs to: a
// period lies inside one version's range, so it is the one in force on its
// first day.
func versionOf(sorted []tamledger.Charter, start tamledger.Date) *tamledger.Charter {
	return inForce(sorted, start)
}
