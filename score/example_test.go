package score_test

import (
	"fmt"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

// workedExample is the worked example of docs/scorecard.md.
func workedExample() *tamledger.Ledger {
	c := charter("acme-2026", "2026-01-01",
		grace(ob("strategy-call", "strategy-call", "monthly"), 7),
		quantifiedOnly(ob("cost-review", "cost-review", "quarterly")),
		perWorkload(ob("war", "well-architected-review", "annual")),
		ob("security-review", "security-review", "semiannual"))
	c.BackupTAM = true
	c.EscalationPaths = []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}, {Severity: "urgent", TAMResponseHours: 4}}
	o := org()
	o.Timezone = "Europe/London"
	o.AccountTeam.TAM.PortfolioSize = intp(38)
	o.EDP = &tamledger.EDP{Start: date("2024-11-01"), End: date("2026-10-31")}
	return &tamledger.Ledger{
		Org:      o,
		Charters: []tamledger.Charter{c},
		Engagements: []tamledger.Engagement{
			eng("sc-jan", "2026-01-14", "strategy-call"),
			byCustomer(eng("esc-feb", "2026-02-10", "escalation", "payments")),
			eng("sc-feb", "2026-03-04", "strategy-call"),
			eng("cr-q1", "2026-03-18", "cost-review"),
			byCustomer(eng("sc-apr", "2026-04-22", "strategy-call")),
		},
		Recommendations: []tamledger.Recommendation{rec("r-17", "cr-q1", "12000")},
		Cases: []tamledger.Case{
			{ID: "case-1", Severity: "critical", OpenedAt: instant("2026-02-10T09:00:00Z"), TAMEngagedAt: instantp("2026-02-10T09:40:00Z")},
			{ID: "case-2", Severity: "urgent", OpenedAt: instant("2026-04-02T09:00:00Z"), TAMEngagedAt: instantp("2026-04-02T14:30:00Z")},
		},
		Events: []tamledger.Event{{ID: "dc-exit", Name: "Data-centre exit", Date: date("2026-06-10")}},
	}
}

func ExampleScorecard() {
	c := score.Scorecard(workedExample(), tamledger.MustDate("2026-05-20"))
	fmt.Println("window", c.Window.From, c.Window.To)
	for _, ob := range c.Obligations {
		fmt.Printf("%-16s adherence %-6s met %d late %d missed %d due %d:", ob.ID, fptr(ob.Adherence), ob.Met, ob.Late, ob.Missed, ob.Due)
		for _, s := range ob.Series {
			for _, p := range s.Periods {
				fmt.Printf(" %s", p.Status)
			}
		}
		fmt.Println()
	}
	fmt.Println("adherence", fptr(c.Adherence))
	fmt.Println("proactiveRatio", fptr(c.ProactiveRatio))
	fmt.Println("escalationResponsiveness", fptr(c.EscalationResponsiveness))
	for _, comp := range c.Health.Components {
		fmt.Printf("%s %s weight %.2f\n", comp.Name, fptr(comp.Value), comp.Weight)
	}
	fmt.Println("health", *c.Health.Score, *c.Health.Band)
	// Output:
	// window 2025-05-21 2026-05-20
	// strategy-call    adherence 0.625  met 2 late 1 missed 1 due 0: met late missed met due
	// cost-review      adherence 1      met 1 late 0 missed 0 due 0: met due
	// war              adherence null   met 0 late 0 missed 0 due 0: due
	// security-review  adherence null   met 0 late 0 missed 0 due 0: due
	// adherence 0.8125
	// proactiveRatio 0.6
	// escalationResponsiveness 0.5
	// adherence 0.8125 weight 0.60
	// proactiveRatio 0.6 weight 0.25
	// escalationResponsiveness 0.5 weight 0.15
	// health 71 mixed
}

func ExampleActions() {
	for _, a := range score.Actions(workedExample(), tamledger.MustDate("2026-05-20")) {
		fmt.Println(a.Severity, a.Code, a.Subject)
		fmt.Println("  " + a.Message)
	}
	// Output:
	// high iem-request-now dc-exit
	//   Request Infrastructure Event Management for Data-centre exit (dc-exit) today: the event is 21 days away (2026-06-10), inside the 30-day lead AWS usually needs for complex events (the minimum is 14 days), and no IEM has been requested.
	// high war-overdue payments
	//   Request a Well-Architected Review of the primary workload Payments (payments), the first thing to ask your TAM (Jane Roe) for: it has had none in the 365 days since 2025-05-20 (none was ever recorded).
	// medium edp-renewal-prep acme
	//   Build the value dossier for the EDP renewal now (tamledger roi): the EDP ends on 2026-10-31, 164 days away, within the 180 days in which the evidence has to be ready.
}
