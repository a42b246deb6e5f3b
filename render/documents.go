package render

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
	"github.com/tamledger/tamledger/score"
)

var statusSymbol = map[string]string{score.Met: "●", score.Late: "◐", score.Missed: "✗", score.Due: "·"}

// charterDoc is the charter ready to agree at an EBR.
func (r *results) charterDoc() (*Document, error) {
	if err := r.needCharter("charter"); err != nil {
		return nil, err
	}
	ch := r.charter
	d := &Document{Title: "TAM Engagement Charter: " + r.displayName(), Subtitle: "Charter " + ch.ID + ", effective " + LongDate(ch.Effective), Source: r.source()}
	for _, term := range score.MissingTerms(ch) {
		d.Box = append(d.Box, "charter lint: the charter lacks the term "+term+" (add it at the next EBR).")
	}

	var obs []string
	for _, ob := range ch.Obligations {
		s := serviceSentence(ob.Service) + " " + cadenceText(ob.Cadence)
		if ob.GraceDays > 0 {
			s += fmt.Sprintf(", within %s' grace", plural(ob.GraceDays, "day", "days"))
		}
		if ob.Requires == "quantified-recommendations" {
			s += ", with quantified recommendations (each with an estimated monthly saving)"
		}
		if ob.ScopeOrDefault() == "each-primary-workload" {
			var names []string
			for _, w := range r.org.PrimaryWorkloads() {
				names = append(names, workloadName(w))
			}
			if len(names) == 0 {
				s += ", for each primary workload (none is recorded yet)"
			} else {
				s += ", for each primary workload: " + strings.Join(names, ", ")
			}
		}
		obs = append(obs, s+" ("+ob.ID+").")
	}
	d.Sections = append(d.Sections, Section{Heading: "What the TAM delivers", List: obs})

	backup := "No backup TAM coverage is agreed."
	if ch.BackupTAM {
		backup = "A backup TAM covers the TAM's absences"
		if t := r.org.AccountTeam; t != nil && t.BackupTAM != nil && t.BackupTAM.Name != "" {
			backup += ": " + t.BackupTAM.Name
		}
		backup += "."
	}
	minLead, recLead := ch.Leads()
	d.Sections = append(d.Sections, Section{Heading: "Coverage and events", Paras: []string{backup,
		fmt.Sprintf("Infrastructure Event Management is requested %d days before an event, and no later than %d days before.", recLead, minLead)}})

	esc := &Table{Head: []string{"Severity", "TAM response target", "Contact"}}
	for _, p := range ch.EscalationPaths {
		esc.Rows = append(esc.Rows, []string{p.Severity, hours(p.TAMResponseHours), p.Contact})
	}
	sec := Section{Heading: "Escalation paths"}
	if len(esc.Rows) == 0 {
		sec.Paras = []string{"No escalation path is agreed."}
	} else {
		sec.Table = esc
	}
	d.Sections = append(d.Sections, sec)
	d.Sections = append(d.Sections, Section{Heading: "Contacts", Table: r.contacts(ch)})

	// The year's schedule: the periods of the charter's obligations that the
	// scorecard lists for the year of asOf.
	year := r.asOf.Year
	yearCard := score.Scorecard(r.l, tamledger.NewDate(year, 12, 31))
	sched := &Table{Head: []string{"Obligation", "Workload", "Period", "Grace until"}}
	for _, ob := range yearCard.Obligations {
		if !slices.ContainsFunc(ch.Obligations, func(o tamledger.Obligation) bool { return o.ID == ob.ID }) {
			continue
		}
		for _, s := range ob.Series {
			for _, p := range s.Periods {
				if p.Start.Year != year {
					continue
				}
				w := ""
				if s.Workload != nil {
					w = *s.Workload
				}
				sched.Rows = append(sched.Rows, []string{ob.ID, w, LongDate(p.Start) + " – " + LongDate(p.End), LongDate(score.GraceEnd(p.End, ob.GraceDays))})
			}
		}
	}
	sec = Section{Heading: fmt.Sprintf("Schedule for %d", year)}
	if len(sched.Rows) == 0 {
		sec.Paras = []string{"No period of the charter's obligations falls in this year."}
	} else {
		sec.Table = sched
	}
	d.Sections = append(d.Sections, sec)
	d.Sections = append(d.Sections, Section{Heading: "Agreed", Signature: []string{"For " + r.displayName(), "For Amazon Web Services"}})
	return d, nil
}

func cadenceText(c string) string {
	if w, ok := cadenceWords[c]; ok {
		return w
	}
	return c
}

func workloadName(w tamledger.Workload) string {
	if w.Name == "" {
		return w.ID
	}
	return w.Name + " (" + w.ID + ")"
}

func hours(h float64) string {
	if h == 1 {
		return "1 hour"
	}
	return fmt.Sprintf("%g hours", h)
}

// contacts is the account team and the customer's contacts.
func (r *results) contacts(ch *tamledger.Charter) *Table {
	t := &Table{Head: []string{"Side", "Role", "Name", "Email"}}
	if at := r.org.AccountTeam; at != nil {
		if at.TAM != nil {
			role := "TAM"
			if at.TAM.Seniority != "" {
				role += " (" + at.TAM.Seniority + ")"
			}
			t.Rows = append(t.Rows, []string{"AWS", role, at.TAM.Name, at.TAM.Email})
		}
		person := func(role string, p *tamledger.Person) {
			if p != nil {
				if p.Role != "" {
					role = p.Role
				}
				t.Rows = append(t.Rows, []string{"AWS", role, p.Name, p.Email})
			}
		}
		person("backup TAM", at.BackupTAM)
		person("account manager", at.AccountManager)
		person("solutions architect", at.SolutionsArch)
		for i := range at.Specialists {
			person("specialist", &at.Specialists[i])
		}
	}
	cs := slices.Clone(r.org.Contacts)
	if ch != nil {
		cs = append(cs, ch.Contacts...)
	}
	seen := map[string]bool{}
	for _, row := range t.Rows {
		seen[row[2]+"\x00"+row[3]] = true
	}
	for _, c := range cs {
		if seen[c.Name+"\x00"+c.Email] {
			continue // the charter repeats a contact of the organisation
		}
		seen[c.Name+"\x00"+c.Email] = true
		role := c.Role
		if c.Executive {
			role = strings.TrimSpace(role + " (executive)")
		}
		t.Rows = append(t.Rows, []string{r.displayName(), role, c.Name, c.Email})
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []string{"–", "none recorded", "add accountTeam and contacts to the Organization", ""})
	}
	return t
}

// health is the health score with its components and what drives them.
func (r *results) health() Section {
	c := r.card
	s := Section{Heading: "Health"}
	if c.Health.Score == nil {
		s.Paras = []string{"No health score yet: no obligation period has ended, no engagement and no case in the trailing year."}
	} else {
		s.Paras = []string{fmt.Sprintf("Health score %d of 100 (%s), over the trailing year %s to %s.", *c.Health.Score, *c.Health.Band, LongDate(c.Window.From), LongDate(c.Window.To))}
	}
	t := &Table{Head: []string{"Component", "Value", "Weight", "From"}, Right: []bool{false, true, true, false}}
	for _, comp := range c.Health.Components {
		weight := "–"
		if comp.Value != nil {
			weight = fmt.Sprintf("%.2f", comp.Weight)
		}
		t.Rows = append(t.Rows, []string{sentence(score.ComponentTitle(comp.Name)), Percent(comp.Value), weight, c.Explain(comp.Name)})
	}
	s.Table = t
	return s
}

// heatmap is the delivery heatmap: each obligation's periods that ended in
// the trailing year, and those still due.
func (r *results) heatmap() Section {
	s := Section{Heading: "Delivery"}
	for _, ob := range r.card.Obligations {
		for i, se := range ob.Series {
			row := HeatRow{Label: ob.ID}
			if i == 0 {
				row.Adherence = Percent(ob.Adherence)
			}
			if se.Workload != nil {
				row.Label += " · " + *se.Workload
			}
			for _, p := range se.Periods {
				if !p.End.Before(r.card.Window.From) { // ended in the trailing year, or current
					row.Cells = append(row.Cells, HeatCell{Label: score.PeriodLabel(p.Start, ob.Cadence), Status: p.Status, Symbol: statusSymbol[p.Status], Start: p.Start, End: p.End})
				}
			}
			s.Heatmap = append(s.Heatmap, row)
		}
	}
	if len(s.Heatmap) == 0 {
		s.Paras = []string{"No obligation to show."}
	} else {
		s.Key = "● met  ◐ late (within the grace days)  ✗ missed  · due."
		s.After = []string{"The periods that ended in the trailing year, and the current ones; adherence counts those that ended."}
	}
	return s
}

// valueRows are the ROI's value lines, cost and totals, one column per report.
func (r *results) valueTable(heads []string, reports []*roi.Report) *Table {
	t := &Table{Head: append([]string{""}, heads...), Right: []bool{false}}
	for range reports {
		t.Right = append(t.Right, true)
	}
	row := func(name string, f func(*roi.Report) string) {
		cells := []string{name}
		for _, rep := range reports {
			cells = append(cells, f(rep))
		}
		t.Rows = append(t.Rows, cells)
	}
	row("Cost savings", func(p *roi.Report) string { return r.money(p.Value.CostSavings) })
	row("Incidents avoided", func(p *roi.Report) string { return r.money(p.Value.IncidentsAvoided) })
	row("Architecture improvements", func(p *roi.Report) string { return r.money(p.Value.Architecture) })
	row("Infrastructure Event Management", func(p *roi.Report) string { return r.money(p.Value.IEM) })
	row("Value delivered", func(p *roi.Report) string { return r.money(p.Value.Total) })
	row("Cost of the TAM", func(p *roi.Report) string { return r.money(p.Cost.Differential) })
	row("Net value", func(p *roi.Report) string { return r.money(p.NetValue) })
	row("ROI multiple", func(p *roi.Report) string { return Multiple(p.ROIMultiple) })
	return t
}

// valueChart is the value lines and the cost of the TAM of the reports, for
// the chart next to valueTable.
func (r *results) valueChart(heads []string, reports []*roi.Report) *ValueChart {
	c := &ValueChart{Lines: []string{"Cost savings", "Incidents avoided", "Architecture improvements", "Infrastructure Event Management"}}
	for i, p := range reports {
		c.Groups = append(c.Groups, ValueGroup{Label: heads[i],
			Lines: []tamledger.Money{p.Value.CostSavings, p.Value.IncidentsAvoided, p.Value.Architecture, p.Value.IEM},
			Value: p.Value.Total, Cost: p.Cost.Differential, ValueText: r.money(p.Value.Total), CostText: r.money(p.Cost.Differential)})
	}
	return c
}

// ebrDoc is the EBR pack.
func (r *results) ebrDoc() (*Document, error) {
	if err := r.needCharter("ebr"); err != nil {
		return nil, err
	}
	d := &Document{Title: "Executive Business Review: " + r.displayName(), Subtitle: "As of " + LongDate(r.asOf), Source: r.source()}
	d.Sections = append(d.Sections, r.health(), r.heatmap())

	q := score.LastQuarters(r.asOf, 1)[0]
	ytdFrom := tamledger.NewDate(r.asOf.Year, 1, 1)
	quarter, err := r.roi(q.From, q.To)
	if err != nil {
		return nil, err
	}
	ytd, err := r.roi(ytdFrom, r.asOf)
	if err != nil {
		return nil, err
	}
	d.Sections = append(d.Sections, Section{Heading: "Value against the cost of the TAM",
		Paras: []string{fmt.Sprintf("The last complete quarter, %s (%s to %s), and the year to date (%s to %s); the cost of the TAM is the Enterprise Support fee minus the baseline plan's.",
			score.QuarterName(q), LongDate(q.From), LongDate(q.To), LongDate(ytdFrom), LongDate(r.asOf))},
		Table: r.valueTable([]string{score.QuarterName(q), "Year to date"}, []*roi.Report{quarter, ytd}),
		Chart: r.valueChart([]string{score.QuarterName(q), "Year to date"}, []*roi.Report{quarter, ytd})})
	d.Sections = append(d.Sections, r.implemented("Recommendations implemented this year", ytd))

	asks := Section{Heading: "Our asks for next quarter"}
	for _, a := range r.actionsOf() {
		if a.Severity == score.Critical || a.Severity == score.High {
			asks.List = append(asks.List, strings.ToUpper(a.Severity)+" ("+a.Code+", "+a.Subject+"): "+a.Message)
		}
	}
	if len(asks.List) == 0 {
		asks.Paras = []string{"No critical or high action is open."}
	}
	d.Sections = append(d.Sections, asks)

	next := score.Quarter(score.Quarter(r.asOf).To.AddDays(1))
	ev := Section{Heading: "Events until " + LongDate(next.To)}
	t := &Table{Head: []string{"Date", "Event", "IEM"}}
	for _, e := range sortedEvents(r.l.Events) {
		if !e.Date.After(r.asOf) || e.Date.After(next.To) {
			continue
		}
		iem := "not requested"
		if e.IEMRequestedOn != nil && !e.IEMRequestedOn.After(r.asOf) {
			iem = "requested on " + LongDate(*e.IEMRequestedOn)
		}
		for _, a := range r.actionsOf(score.IEMRequestNow, score.IEMTooLate) {
			if a.Subject == e.ID {
				iem += "; " + a.Code + " (" + a.Severity + ")"
			}
		}
		name := e.Name
		if name == "" {
			name = e.ID
		}
		t.Rows = append(t.Rows, []string{LongDate(e.Date), name, iem})
	}
	if len(t.Rows) == 0 {
		ev.Paras = []string{"No planned event."}
	} else {
		ev.Table = t
	}
	d.Sections = append(d.Sections, ev)
	return d, nil
}

func sortedEvents(es []tamledger.Event) []tamledger.Event {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b tamledger.Event) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// implemented lists the recommendations whose value the report counts, with
// the amount it counts for each.
func (r *results) implemented(heading string, rep *roi.Report) Section {
	s := Section{Heading: heading}
	recs := map[string]*tamledger.Recommendation{}
	for i := range r.l.Recommendations {
		recs[r.l.Recommendations[i].ID] = &r.l.Recommendations[i]
	}
	t := &Table{Head: []string{"Recommendation", "Implemented", "Realized monthly saving", "Value counted"}, Right: []bool{false, false, true, true}}
	for _, ln := range rep.Lines {
		if ln.Kind != roi.KindCostSavings {
			continue
		}
		rec := recs[ln.Ref]
		if rec == nil || rec.ImplementedOn == nil || rec.ImplementedOn.Before(rep.From) || rec.ImplementedOn.After(rep.To) {
			continue // implemented before the period: its value accrues, but it is not news
		}
		title := ln.Ref
		if rec.Title != "" {
			title = rec.Title + " (" + ln.Ref + ")"
		}
		on, realized := LongDate(*rec.ImplementedOn), "not recorded"
		if rec.RealizedMonthlySavings != nil {
			realized = r.money(*rec.RealizedMonthlySavings)
		}
		amount := r.money(ln.Amount)
		if ln.Estimated {
			amount += " (estimated)"
		}
		t.Rows = append(t.Rows, []string{title, on, realized, amount})
	}
	if len(t.Rows) == 0 {
		s.Paras = []string{"No counted recommendation with cost savings was implemented in the period."}
	} else {
		s.Table = t
	}
	return s
}

// reassignmentDoc is the reassignment request letter.
func (r *results) reassignmentDoc() (*Document, error) {
	var open *tamledger.ReassignmentRequest
	for i := range r.l.Reassignments {
		q := &r.l.Reassignments[i]
		if q.ResolvedOn == nil && !q.RequestedOn.After(r.asOf) && (open == nil || q.RequestedOn.After(open.RequestedOn)) {
			open = q
		}
	}
	suggested := r.actionsOf(score.ReassignmentSuggested, score.ReassignmentEscalate)
	if open == nil && len(suggested) == 0 && r.charter == nil {
		return nil, tamledger.Errorf(tamledger.EINVALID, "reassignment: no evidence for organization %q as of %s: no charter is in force to measure the TAM against (agree one: tamledger init %s writes a Charter document to start from) and no open ReassignmentRequest is recorded; record one (kind: ReassignmentRequest, with requestedOn and reasons) and import it with tamledger import FILE",
			r.org.ID, r.asOf, r.org.ID)
	}
	if open == nil && len(suggested) == 0 {
		return nil, tamledger.Errorf(tamledger.EINVALID, "reassignment: no evidence for organization %q as of %s: charter adherence was not below 60 %% in each of the last two quarters (tamledger actions shows reassignment-suggested when it is) and no open ReassignmentRequest is recorded; record one (kind: ReassignmentRequest, with requestedOn and reasons) and import it with tamledger import FILE",
			r.org.ID, r.asOf)
	}
	d := &Document{Title: "Request for a TAM better suited to " + r.displayName(), Subtitle: LongDate(r.asOf), Source: r.source()}
	to := "To the AWS account manager for " + r.displayName()
	if at := r.org.AccountTeam; at != nil && at.AccountManager != nil && at.AccountManager.Name != "" {
		to = "To " + at.AccountManager.Name + ", AWS account manager for " + r.displayName()
		if at.AccountManager.Email != "" {
			to += " (" + at.AccountManager.Email + ")"
		}
	}
	tam := "our TAM"
	if at := r.org.AccountTeam; at != nil && at.TAM != nil && at.TAM.Name != "" {
		tam = "our TAM, " + at.TAM.Name + ","
	}
	intro := []string{to + ".",
		"We value the Enterprise Support relationship and want it to work. This letter asks for a TAM whose time and experience fit our account better. It is not a complaint about a person: " + tam + " carries a portfolio we cannot see, and the record below shows the charter we agreed is not being delivered as things stand."}
	if open != nil {
		p := "We first asked on " + LongDate(open.RequestedOn)
		if len(open.Reasons) > 0 {
			p += " (" + strings.Join(open.Reasons, ", ") + ")"
		}
		p += " (request " + open.ID + ")."
		if open.AcknowledgedOn != nil {
			p += " It was acknowledged on " + LongDate(*open.AcknowledgedOn) + "."
		}
		intro = append(intro, p)
	}
	d.Sections = append(d.Sections, Section{Paras: intro})

	c := r.card
	ev := Section{Heading: "The evidence, as of " + LongDate(r.asOf)}
	ev.List = []string{
		"Charter adherence over the trailing year (" + LongDate(c.Window.From) + " to " + LongDate(c.Window.To) + "): " + Percent(c.Adherence) + ".",
		fmt.Sprintf("Proactive ratio: %s (%d of %s initiated by the TAM).", Percent(c.ProactiveRatio), c.Counts.TAMInitiated, plural(c.Counts.Engagements, "engagement", "engagements")),
		fmt.Sprintf("Escalation responsiveness: %s (%d of %s with the TAM engaged within the charter's target; %d past it).", Percent(c.EscalationResponsiveness), c.Counts.CasesWithinTarget, plural(c.Counts.Cases, "case", "cases"), c.Counts.Cases-c.Counts.CasesWithinTarget),
	}
	if c.Health.Score != nil {
		ev.List = append(ev.List, fmt.Sprintf("Health score: %d of 100 (%s).", *c.Health.Score, *c.Health.Band))
	}
	for _, a := range suggested {
		ev.List = append(ev.List, a.Message)
	}
	missed := &Table{Head: []string{"Obligation", "Workload", "Period", "Status"}}
	for _, ob := range c.Obligations {
		for _, se := range ob.Series {
			for _, p := range se.Periods {
				if p.Status != score.Missed && p.Status != score.Late || !c.Window.Contains(p.End) {
					continue
				}
				w := ""
				if se.Workload != nil {
					w = *se.Workload
				}
				missed.Rows = append(missed.Rows, []string{ob.ID, w, LongDate(p.Start) + " – " + LongDate(p.End), p.Status})
			}
		}
	}
	d.Sections = append(d.Sections, ev)

	byQuarter := &Table{Head: []string{"Quarter", "From", "To", "Adherence", "Met", "Late", "Missed"}, Right: []bool{false, false, false, true, true, true, true}}
	for _, q := range score.AdherenceByQuarter(c, 4) {
		byQuarter.Rows = append(byQuarter.Rows, []string{q.Quarter, LongDate(q.From), LongDate(q.To), Percent(q.Adherence), fmt.Sprint(q.Met), fmt.Sprint(q.Late), fmt.Sprint(q.Missed)})
	}
	d.Sections = append(d.Sections, Section{Heading: "Charter adherence by quarter",
		Paras: []string{"The last four complete quarters: the mean of the obligations' adherences over their periods that ended in the quarter (met counts 1, late ½, missed 0)."},
		Table: byQuarter})
	if len(missed.Rows) > 0 {
		d.Sections = append(d.Sections, Section{Heading: "Periods missed or late in the trailing year", Table: missed})
	}
	if t := r.caseTable(score.CaseResponses(r.l, c.Window), false); t != nil {
		d.Sections = append(d.Sections, Section{Heading: "Escalations past their response target in the trailing year",
			Paras: []string{"Each support case the charter sets a TAM response target for, opened in the trailing year, whose TAM engagement came later than the target or is not recorded."},
			Table: t})
	}

	fit := Section{Heading: "The fit"}
	if at := r.org.AccountTeam; at != nil && at.TAM != nil {
		p := "The TAM's seniority is " + orUnknown(at.TAM.Seniority)
		if at.TAM.PortfolioSize != nil {
			p += fmt.Sprintf("; the TAM manages %d accounts.", *at.TAM.PortfolioSize)
		} else {
			p += "; the TAM's portfolio size is not recorded."
		}
		fit.Paras = []string{p}
	}
	for _, a := range r.actionsOf(score.SeniorTAMRequest, score.PortfolioRebalance, score.PortfolioUnknown) {
		fit.List = append(fit.List, a.Message)
	}
	if len(fit.Paras)+len(fit.List) > 0 {
		d.Sections = append(d.Sections, fit)
	}

	due := score.EscalationDue(tamledger.ReassignmentRequest{RequestedOn: r.asOf}) // a request made today
	if open != nil {
		due = score.EscalationDue(*open)
	}
	next := "If this request is neither acknowledged nor resolved by " + LongDate(due) + ", we will escalate it to AWS account leadership."
	switch {
	case open != nil && open.EscalatedOn != nil:
		next = "We escalated this request to AWS account leadership on " + LongDate(*open.EscalatedOn) + "."
	case open != nil && open.AcknowledgedOn != nil:
		next = "We look forward to a resolution."
	case open != nil && slices.ContainsFunc(r.actionsOf(score.ReassignmentEscalate), func(a score.Action) bool { return a.Subject == open.ID }):
		next = "It has been neither acknowledged nor resolved by " + LongDate(due) + fmt.Sprintf(", %d days after it was made: we", score.EscalateAfterDays) + " are escalating it to AWS account leadership."
	}
	d.Sections = append(d.Sections, Section{Heading: "What we ask", Paras: []string{
		"We ask for a TAM with the seniority and the time this account needs, and a handover in which the charter's obligations are reviewed together.",
		next,
	}})
	d.Sections = append(d.Sections, Section{Signature: []string{"For " + r.displayName()}})
	return d, nil
}

// caseTable lists the case responses, all of them or only those past their
// target; nil when there is none to list. Times are in the organisation's
// time zone.
func (r *results) caseTable(cs []score.CaseResponse, all bool) *Table {
	loc := r.org.Location()
	t := &Table{Head: []string{"Case", "Severity", "Opened", "TAM engaged", "Target", "Response"}}
	for _, k := range cs {
		if k.Within && !all {
			continue
		}
		engaged, response := "not recorded", "past target"
		switch {
		case k.TAMEngagedAt != nil:
			engaged = dateTime(*k.TAMEngagedAt, loc)
			response = "after " + hours(math.Round(k.TAMEngagedAt.Sub(k.OpenedAt).Hours()*10)/10)
			if k.Within {
				response += ", within target"
			} else {
				response += ", past target"
			}
		case k.Pending:
			engaged, response = "not yet", "target not passed yet"
		}
		t.Rows = append(t.Rows, []string{k.Case, k.Severity, dateTime(k.OpenedAt, loc), engaged, hours(k.TargetHours), response})
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return t
}

// dateTime is an instant written out in loc: "10 February 2026 09:40".
func dateTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2 January 2006 15:04")
}

func orUnknown(s string) string {
	if s == "" {
		return "not recorded"
	}
	return s
}

// edpDoc is the EDP renewal dossier.
func (r *results) edpDoc() (*Document, error) {
	edp := r.org.EDP
	if edp == nil {
		return nil, tamledger.Errorf(tamledger.EINVALID, "edp: organization %q has no EDP: add spec.edp {start, end} to its Organization document and import it with tamledger import FILE", r.org.ID)
	}
	d := &Document{Title: "EDP renewal dossier: " + r.displayName(), Subtitle: "Term " + LongDate(edp.Start) + " to " + LongDate(edp.End), Source: r.source()}
	if edp.AnnualCommit != nil {
		d.Subtitle += ", annual commit " + r.money(*edp.AnnualCommit)
	}
	end := edp.End
	if r.asOf.Before(end) {
		end = r.asOf
	}
	if end.Before(edp.Start) {
		d.Sections = append(d.Sections, Section{Heading: "Value delivered over the term", Paras: []string{"The term has not started on " + LongDate(r.asOf) + "."}})
	} else {
		var heads []string
		var reps []*roi.Report
		for y := edp.Start.Year; y <= end.Year; y++ {
			from, to := tamledger.NewDate(y, 1, 1), tamledger.NewDate(y, 12, 31)
			if from.Before(edp.Start) {
				from = edp.Start
			}
			if end.Before(to) {
				to = end
			}
			rep, err := r.roi(from, to)
			if err != nil {
				return nil, err
			}
			heads, reps = append(heads, fmt.Sprint(y)), append(reps, rep)
		}
		term, err := r.roi(edp.Start, end)
		if err != nil {
			return nil, err
		}
		heads, reps = append(heads, "Term"), append(reps, term)
		d.Sections = append(d.Sections, Section{Heading: "Value delivered over the term",
			Paras: []string{"From " + LongDate(edp.Start) + " to " + LongDate(end) + ", by calendar year."},
			Table: r.valueTable(heads, reps), Chart: r.valueChart(heads, reps)})
		d.Sections = append(d.Sections, Section{Heading: "The cost of Enterprise Support over the term", Table: &Table{
			Head: []string{"", "Amount"}, Right: []bool{false, true},
			Rows: [][]string{{"Enterprise Support", r.money(term.Cost.Enterprise)}, {"Baseline plan", r.money(term.Cost.Baseline)}, {"Cost of the TAM", r.money(term.Cost.Differential)}}}})
		d.Sections = append(d.Sections, r.implemented("Recommendations implemented", term))
		d.Sections = append(d.Sections, r.history(edp.Start, end)...)
	}
	d.Sections = append(d.Sections, Section{Heading: "Executive relationships", Table: r.contacts(r.charter)})
	asks := Section{Heading: "What to ask for in the renewal"}
	for _, a := range r.actionsOf() {
		asks.List = append(asks.List, a.Message+" ("+a.Code+")")
	}
	if len(asks.List) == 0 {
		asks.Paras = []string{"No open action: the charter, the account team and the calendar are in order."}
	}
	d.Sections = append(d.Sections, asks)
	return d, nil
}

// history is the engagements by service and the cases by severity in [from, to].
func (r *results) history(from, to tamledger.Date) []Section {
	type count struct{ all, tam int }
	bySvc := map[string]*count{}
	for _, e := range r.l.Engagements {
		if e.Date.Before(from) || e.Date.After(to) {
			continue
		}
		c := bySvc[e.Service]
		if c == nil {
			c = &count{}
			bySvc[e.Service] = c
		}
		c.all++
		if e.InitiatedBy == "tam" {
			c.tam++
		}
	}
	eng := Section{Heading: "Engagements by service"}
	t := &Table{Head: []string{"Service", "Engagements", "Initiated by the TAM"}, Right: []bool{false, true, true}}
	for _, s := range slices.Sorted(maps.Keys(bySvc)) {
		t.Rows = append(t.Rows, []string{s, fmt.Sprint(bySvc[s].all), fmt.Sprint(bySvc[s].tam)})
	}
	if len(t.Rows) == 0 {
		eng.Paras = []string{"No engagement is recorded in the term."}
	} else {
		eng.Table = t
	}
	loc := r.org.Location()
	bySev := map[string]*count{}
	for _, c := range r.l.Cases {
		day := tamledger.DateIn(c.OpenedAt, loc)
		if day.Before(from) || day.After(to) {
			continue
		}
		n := bySev[c.Severity]
		if n == nil {
			n = &count{}
			bySev[c.Severity] = n
		}
		n.all++
		if c.TAMEngagedAt != nil {
			n.tam++
		}
	}
	cs := Section{Heading: "Escalations handled"}
	t = &Table{Head: []string{"Severity", "Cases", "TAM engaged"}, Right: []bool{false, true, true}}
	for _, s := range slices.Sorted(maps.Keys(bySev)) {
		t.Rows = append(t.Rows, []string{s, fmt.Sprint(bySev[s].all), fmt.Sprint(bySev[s].tam)})
	}
	if len(t.Rows) == 0 {
		cs.Paras = []string{"No support case is recorded in the term."}
	} else {
		cs.Table = t
	}
	sections := []Section{eng, cs}
	if t := r.caseTable(score.CaseResponses(r.l, score.Window{From: from, To: to}), true); t != nil {
		sections = append(sections, Section{Heading: "Escalations case by case",
			Paras: []string{"The support cases of the term that the charter in force when they were opened sets a TAM response target for."},
			Table: t})
	}
	return sections
}
