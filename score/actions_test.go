package score_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

const asOf = "2026-06-15"

// fullCharter has every term charter-missing-term looks for.
func fullCharter(id, effective string) tamledger.Charter {
	c := charter(id, effective,
		ob("sc", "strategy-call", "monthly"),
		quantifiedOnly(ob("cr", "cost-review", "quarterly")),
		perWorkload(ob("war", "well-architected-review", "annual")),
		ob("sec", "security-review", "semiannual"))
	c.BackupTAM = true
	c.EscalationPaths = []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}}
	return c
}

// quiet is a ledger on which no action fires as of 2026-06-15: a full
// charter since 2026-04-01 (so no complete quarter is scored yet), a recent
// WAR of the one primary workload, a senior TAM with a small portfolio and a
// backup.
func quiet() *tamledger.Ledger {
	return &tamledger.Ledger{
		Org:         org(),
		Charters:    []tamledger.Charter{fullCharter("c", "2026-04-01")},
		Engagements: []tamledger.Engagement{eng("war-1", "2026-05-01", "well-architected-review", "payments")},
	}
}

func subjects(as []score.Action, code string) []string {
	var s []string
	for _, a := range as {
		if a.Code == code {
			s = append(s, a.Subject)
		}
	}
	return s
}

func TestQuietLedgerHasNoActions(t *testing.T) {
	if as := score.Actions(quiet(), date(asOf)); len(as) != 0 {
		t.Fatalf("actions = %+v, want none", as)
	}
}

// Every action code firing, and not firing, at the edges of SPEC §9.
func TestActionRules(t *testing.T) {
	type L = *tamledger.Ledger
	addEngagements := func(es ...tamledger.Engagement) func(L) {
		return func(l L) { l.Engagements = append(l.Engagements, es...) }
	}
	event := func(id string, day string, requested string) func(L) {
		return func(l L) {
			e := tamledger.Event{ID: id, Org: "acme", Name: "Cut-over " + id, Date: date(day)}
			if requested != "" {
				e.IEMRequestedOn = datep(requested)
			}
			l.Events = append(l.Events, e)
		}
	}
	request := func(id, requested string, set func(*tamledger.ReassignmentRequest)) func(L) {
		return func(l L) {
			r := tamledger.ReassignmentRequest{ID: id, Org: "acme", RequestedOn: date(requested)}
			if set != nil {
				set(&r)
			}
			l.Reassignments = append(l.Reassignments, r)
		}
	}
	charters := func(cs ...tamledger.Charter) func(L) { return func(l L) { l.Charters = cs } }
	withCharter := func(edit func(*tamledger.Charter)) func(L) {
		return func(l L) {
			c := fullCharter("c", "2026-04-01")
			edit(&c)
			l.Charters = []tamledger.Charter{c}
		}
	}
	tam := func(edit func(*tamledger.TAM)) func(L) { return func(l L) { edit(l.Org.AccountTeam.TAM) } }
	orgEdit := func(edit func(*tamledger.Organization)) func(L) { return func(l L) { edit(l.Org) } }
	all := func(fs ...func(L)) func(L) {
		return func(l L) {
			for _, f := range fs {
				f(l)
			}
		}
	}
	// lowAdherence makes charter adherence 1/3 in Q4 2025 and Q1 2026: a
	// monthly obligation since 2025-10-01 met in one month of each quarter.
	lowAdherence := all(charters(fullCharter("old", "2025-10-01")), addEngagements(
		eng("s1", "2025-10-10", "strategy-call"), eng("s2", "2026-01-10", "strategy-call")),
		func(l L) { l.Charters[0].Obligations = l.Charters[0].Obligations[:1] })
	// fiveObligations are five quarterly obligations of distinct services,
	// so a quarter's charter adherence is the share met.
	fiveObligations := func(metQ4, metQ1 int) func(L) {
		services := []string{"strategy-call", "business-review", "security-review", "other", "iem"}
		return func(l L) {
			c := fullCharter("five", "2025-10-01")
			c.Obligations = nil
			for i, s := range services {
				c.Obligations = append(c.Obligations, ob(s, s, "quarterly"))
				if i < metQ4 {
					l.Engagements = append(l.Engagements, eng("q4-"+s, "2025-11-01", s))
				}
				if i < metQ1 {
					l.Engagements = append(l.Engagements, eng("q1-"+s, "2026-02-01", s))
				}
			}
			l.Charters = []tamledger.Charter{c}
		}
	}
	monthlySince := func(effective string, met ...string) func(L) {
		return func(l L) {
			c := fullCharter("m", effective)
			c.Obligations = c.Obligations[:1]
			l.Charters = []tamledger.Charter{c}
			for _, d := range met {
				l.Engagements = append(l.Engagements, eng("sc-"+d, d, "strategy-call"))
			}
		}
	}

	tests := []struct {
		name string
		edit func(L)
		asOf string
		code string
		want []string
	}{
		// war-overdue: [asOf − 365 days, asOf]
		{"war-overdue: WAR exactly 365 days ago", addEngagements(eng("w", "2025-06-15", "well-architected-review", "payments")),
			"2027-05-01", score.WAROverdue, nil},
		{"war-overdue: WAR 366 days ago", addEngagements(eng("w", "2025-06-15", "well-architected-review", "payments")),
			"2027-05-02", score.WAROverdue, []string{"payments"}},
		{"war-overdue: WAR 365 days ago across 29 February", all(orgEdit(func(o *tamledger.Organization) {}),
			addEngagements(eng("w", "2027-03-01", "well-architected-review", "payments"))), "2028-02-29", score.WAROverdue, nil},
		{"war-overdue: a WAR of another workload does not count", func(l L) {
			l.Engagements = []tamledger.Engagement{eng("w", "2026-05-01", "well-architected-review", "ledger")}
		}, asOf, score.WAROverdue, []string{"payments"}},
		{"war-overdue: a WAR after asOf does not count", func(l L) {
			l.Engagements = []tamledger.Engagement{eng("w", "2026-06-16", "well-architected-review", "payments")}
		}, asOf, score.WAROverdue, []string{"payments"}},
		{"war-overdue: a WAR on asOf counts", func(l L) {
			l.Engagements = []tamledger.Engagement{eng("w", "2026-06-15", "well-architected-review", "payments")}
		}, asOf, score.WAROverdue, nil},
		{"war-overdue: only primary workloads", orgEdit(func(o *tamledger.Organization) {
			o.Workloads = append(o.Workloads, tamledger.Workload{ID: "sandbox"}, tamledger.Workload{ID: "ledger", Primary: true})
		}), asOf, score.WAROverdue, []string{"ledger"}},

		// no-charter
		{"no-charter: none at all", charters(), asOf, score.NoCharter, []string{"acme"}},
		{"no-charter: the only version takes effect tomorrow", charters(fullCharter("c", "2026-06-16")), asOf, score.NoCharter, []string{"acme"}},
		{"no-charter: a version effective on asOf is in force", charters(fullCharter("c", "2026-06-15")), asOf, score.NoCharter, nil},
		{"no-charter: no missing terms without a charter", charters(), asOf, score.CharterMissingTerm, nil},

		// charter-missing-term
		{"charter-missing-term: an empty charter lacks all six", charters(charter("c", "2026-01-01")), asOf, score.CharterMissingTerm,
			[]string{"annual-war", "backup-tam", "escalation-paths", "monthly-strategy-call", "quarterly-cost-review", "semiannual-security-review"}},
		{"charter-missing-term: a quarterly strategy call is not monthly", withCharter(func(c *tamledger.Charter) { c.Obligations[0].Cadence = "quarterly" }),
			asOf, score.CharterMissingTerm, []string{"monthly-strategy-call"}},
		{"charter-missing-term: a monthly quantified cost review is more frequent than quarterly", withCharter(func(c *tamledger.Charter) {
			c.Obligations[1].Cadence = "monthly"
		}), asOf, score.CharterMissingTerm, nil},
		{"charter-missing-term: a semi-annual cost review is not", withCharter(func(c *tamledger.Charter) { c.Obligations[1].Cadence = "semiannual" }),
			asOf, score.CharterMissingTerm, []string{"quarterly-cost-review"}},
		{"charter-missing-term: a cost review without quantified recommendations", withCharter(func(c *tamledger.Charter) { c.Obligations[1].Requires = "" }),
			asOf, score.CharterMissingTerm, []string{"quarterly-cost-review"}},
		{"charter-missing-term: a semi-annual WAR per primary workload is fine", withCharter(func(c *tamledger.Charter) { c.Obligations[2].Cadence = "semiannual" }),
			asOf, score.CharterMissingTerm, nil},
		{"charter-missing-term: an organisation-wide WAR is not per workload", withCharter(func(c *tamledger.Charter) { c.Obligations[2].Scope = "" }),
			asOf, score.CharterMissingTerm, []string{"annual-war"}},
		{"charter-missing-term: a quarterly security review is fine", withCharter(func(c *tamledger.Charter) { c.Obligations[3].Cadence = "quarterly" }),
			asOf, score.CharterMissingTerm, nil},
		{"charter-missing-term: an annual security review is not", withCharter(func(c *tamledger.Charter) { c.Obligations[3].Cadence = "annual" }),
			asOf, score.CharterMissingTerm, []string{"semiannual-security-review"}},
		{"charter-missing-term: backup TAM and escalation paths", withCharter(func(c *tamledger.Charter) { c.BackupTAM = false; c.EscalationPaths = nil }),
			asOf, score.CharterMissingTerm, []string{"backup-tam", "escalation-paths"}},
		{"charter-missing-term: checked on the version in force at asOf, not earlier or later ones", charters(
			fullCharter("v1", "2026-01-01"),
			func() tamledger.Charter { c := fullCharter("v2", "2026-04-01"); c.BackupTAM = false; return c }(),
			charter("v3", "2026-06-16")), asOf, score.CharterMissingTerm, []string{"backup-tam"}},

		// iem-request-now / iem-too-late: 0 ≤ d ≤ 30, d < 14 too late
		{"iem: 31 days away, nothing yet", event("ev", "2026-07-16", ""), asOf, score.IEMRequestNow, nil},
		{"iem: 30 days away: request now", event("ev", "2026-07-15", ""), asOf, score.IEMRequestNow, []string{"ev"}},
		{"iem: 14 days away: still request now", event("ev", "2026-06-29", ""), asOf, score.IEMRequestNow, []string{"ev"}},
		{"iem: 14 days away: not too late", event("ev", "2026-06-29", ""), asOf, score.IEMTooLate, nil},
		{"iem: 13 days away: too late", event("ev", "2026-06-28", ""), asOf, score.IEMTooLate, []string{"ev"}},
		{"iem: 13 days away: not request now", event("ev", "2026-06-28", ""), asOf, score.IEMRequestNow, nil},
		{"iem: today: too late", event("ev", "2026-06-15", ""), asOf, score.IEMTooLate, []string{"ev"}},
		{"iem: yesterday: nothing", event("ev", "2026-06-14", ""), asOf, score.IEMTooLate, nil},
		{"iem: requested on asOf", event("ev", "2026-06-20", "2026-06-15"), asOf, score.IEMTooLate, nil},
		{"iem: requested after asOf is not requested yet", event("ev", "2026-06-20", "2026-06-16"), asOf, score.IEMTooLate, []string{"ev"}},
		{"iem: the charter's leads (21/45): 45 days away", all(event("ev", "2026-07-30", ""), withCharter(func(c *tamledger.Charter) {
			c.IEM = &tamledger.IEMLead{MinimumLeadDays: intp(21), RecommendedLeadDays: intp(45)}
		})), asOf, score.IEMRequestNow, []string{"ev"}},
		{"iem: the charter's leads (21/45): 46 days away", all(event("ev", "2026-07-31", ""), withCharter(func(c *tamledger.Charter) {
			c.IEM = &tamledger.IEMLead{MinimumLeadDays: intp(21), RecommendedLeadDays: intp(45)}
		})), asOf, score.IEMRequestNow, nil},
		{"iem: the charter's leads (21/45): 20 days away is too late", all(event("ev", "2026-07-05", ""), withCharter(func(c *tamledger.Charter) {
			c.IEM = &tamledger.IEMLead{MinimumLeadDays: intp(21), RecommendedLeadDays: intp(45)}
		})), asOf, score.IEMTooLate, []string{"ev"}},
		{"iem: the charter's leads (21/45): 21 days away is request now", all(event("ev", "2026-07-06", ""), withCharter(func(c *tamledger.Charter) {
			c.IEM = &tamledger.IEMLead{MinimumLeadDays: intp(21), RecommendedLeadDays: intp(45)}
		})), asOf, score.IEMRequestNow, []string{"ev"}},
		{"iem: no charter: the default leads", all(charters(), event("ev", "2026-07-15", "")), asOf, score.IEMRequestNow, []string{"ev"}},

		// reassignment-suggested: both of the last two complete quarters below 0.6
		{"reassignment-suggested: 1/3 in Q4 2025 and Q1 2026", lowAdherence, "2026-04-10", score.ReassignmentSuggested, []string{"acme"}},
		{"reassignment-suggested: a quarter ending on asOf is complete", lowAdherence, "2026-03-31", score.ReassignmentSuggested, []string{"acme"}},
		{"reassignment-suggested: the day before, Q1 is not complete (Q3 2025 has no period)", lowAdherence, "2026-03-30", score.ReassignmentSuggested, nil},
		{"reassignment-suggested: exactly 0.6 is not below", fiveObligations(3, 0), asOf, score.ReassignmentSuggested, nil},
		{"reassignment-suggested: 0.4 and 0.4", fiveObligations(2, 2), asOf, score.ReassignmentSuggested, []string{"acme"}},
		{"reassignment-suggested: one quarter at 0.6", fiveObligations(2, 3), asOf, score.ReassignmentSuggested, nil},
		{"reassignment-suggested: not with an unresolved request", all(lowAdherence, request("rr", "2026-04-01", nil)),
			"2026-04-10", score.ReassignmentSuggested, nil},
		{"reassignment-suggested: a request resolved on asOf is resolved", all(lowAdherence, request("rr", "2026-04-01",
			func(r *tamledger.ReassignmentRequest) { r.ResolvedOn = datep("2026-04-10") })), "2026-04-10", score.ReassignmentSuggested, []string{"acme"}},
		{"reassignment-suggested: a request with a resolvedOn is resolved (the spec reads the field)", all(lowAdherence, request("rr", "2026-04-01",
			func(r *tamledger.ReassignmentRequest) { r.ResolvedOn = datep("2026-04-11") })), "2026-04-10", score.ReassignmentSuggested, []string{"acme"}},
		{"reassignment-suggested: any request without resolvedOn is unresolved", all(lowAdherence, request("rr", "2026-04-11", nil)),
			"2026-04-10", score.ReassignmentSuggested, nil},

		// reassignment-escalate: asOf ≥ requestedOn + 30 days
		{"reassignment-escalate: 29 days old", request("rr", "2026-05-17", nil), asOf, score.ReassignmentEscalate, nil},
		{"reassignment-escalate: 30 days old", request("rr", "2026-05-16", nil), asOf, score.ReassignmentEscalate, []string{"rr"}},
		{"reassignment-escalate: acknowledged", request("rr", "2026-01-01", func(r *tamledger.ReassignmentRequest) { r.AcknowledgedOn = datep("2026-06-15") }),
			asOf, score.ReassignmentEscalate, nil},
		{"reassignment-escalate: acknowledged (whatever the date)", request("rr", "2026-01-01", func(r *tamledger.ReassignmentRequest) { r.AcknowledgedOn = datep("2026-06-16") }),
			asOf, score.ReassignmentEscalate, nil},
		{"reassignment-escalate: resolved", request("rr", "2026-01-01", func(r *tamledger.ReassignmentRequest) { r.ResolvedOn = datep("2026-02-01") }),
			asOf, score.ReassignmentEscalate, nil},
		{"reassignment-escalate: already escalated", request("rr", "2026-01-01", func(r *tamledger.ReassignmentRequest) { r.EscalatedOn = datep("2026-02-01") }),
			asOf, score.ReassignmentEscalate, nil},

		// portfolio-unknown / portfolio-rebalance
		{"portfolio-unknown: no portfolio size", tam(func(t *tamledger.TAM) { t.PortfolioSize = nil }), asOf, score.PortfolioUnknown, []string{"acme"}},
		{"portfolio-unknown: no account team at all", orgEdit(func(o *tamledger.Organization) { o.AccountTeam = nil }), asOf, score.PortfolioUnknown, []string{"acme"}},
		{"portfolio-unknown: size 0 is known", tam(func(t *tamledger.TAM) { t.PortfolioSize = intp(0) }), asOf, score.PortfolioUnknown, nil},
		{"portfolio-rebalance: 46 accounts, adherence 0.75", all(tam(func(t *tamledger.TAM) { t.PortfolioSize = intp(46) }),
			monthlySince("2026-02-01", "2026-02-02", "2026-03-02", "2026-04-02")), asOf, score.PortfolioRebalance, []string{"acme"}},
		{"portfolio-rebalance: 45 accounts is not above 45", all(tam(func(t *tamledger.TAM) { t.PortfolioSize = intp(45) }),
			monthlySince("2026-02-01", "2026-02-02", "2026-03-02", "2026-04-02")), asOf, score.PortfolioRebalance, nil},
		{"portfolio-rebalance: adherence exactly 0.8 is not below", all(tam(func(t *tamledger.TAM) { t.PortfolioSize = intp(46) }),
			monthlySince("2026-01-01", "2026-01-02", "2026-02-02", "2026-03-02", "2026-04-02")), asOf, score.PortfolioRebalance, nil},
		{"portfolio-rebalance: null adherence is not below", all(charters(), tam(func(t *tamledger.TAM) { t.PortfolioSize = intp(80) })),
			asOf, score.PortfolioRebalance, nil},

		// senior-tam-request: two drivers and seniority associate or tam
		{"senior-tam-request: regulated + migration, seniority tam", all(tam(func(t *tamledger.TAM) { t.Seniority = "tam" }), orgEdit(func(o *tamledger.Organization) {
			o.Workloads[0].Regulated = true
			o.Complexity = &tamledger.Complexity{ActiveMigration: true}
		})), asOf, score.SeniorTAMRequest, []string{"acme"}},
		{"senior-tam-request: same drivers, seniority senior", orgEdit(func(o *tamledger.Organization) {
			o.Workloads[0].Regulated = true
			o.Complexity = &tamledger.Complexity{ActiveMigration: true}
		}), asOf, score.SeniorTAMRequest, nil},
		{"senior-tam-request: multi-region + a complex service in lower case, associate", all(tam(func(t *tamledger.TAM) { t.Seniority = "associate" }),
			orgEdit(func(o *tamledger.Organization) {
				o.Complexity = &tamledger.Complexity{MultiRegion: true}
				o.Workloads = append(o.Workloads, tamledger.Workload{ID: "ml", Services: []string{"sagemaker"}})
			})), asOf, score.SeniorTAMRequest, []string{"acme"}},
		{"senior-tam-request: two regulated workloads are one driver", all(tam(func(t *tamledger.TAM) { t.Seniority = "tam" }),
			orgEdit(func(o *tamledger.Organization) {
				o.Workloads[0].Regulated = true
				o.Workloads = append(o.Workloads, tamledger.Workload{ID: "ledger", Regulated: true})
			})), asOf, score.SeniorTAMRequest, nil},
		{"senior-tam-request: several complex services are one driver", all(tam(func(t *tamledger.TAM) { t.Seniority = "tam" }),
			orgEdit(func(o *tamledger.Organization) {
				o.Workloads[0].Services = []string{"EKS", "Redshift", "Bedrock"}
			})), asOf, score.SeniorTAMRequest, nil},
		{"senior-tam-request: five primary workloads + multi-region", all(tam(func(t *tamledger.TAM) { t.Seniority = "tam" }),
			orgEdit(func(o *tamledger.Organization) {
				o.Complexity = &tamledger.Complexity{MultiRegion: true}
				for _, id := range []string{"b", "c", "d", "e"} {
					o.Workloads = append(o.Workloads, tamledger.Workload{ID: id, Primary: true})
				}
			})), asOf, score.SeniorTAMRequest, []string{"acme"}},
		{"senior-tam-request: four primary workloads are no driver", all(tam(func(t *tamledger.TAM) { t.Seniority = "tam" }),
			orgEdit(func(o *tamledger.Organization) {
				o.Complexity = &tamledger.Complexity{MultiRegion: true}
				for _, id := range []string{"b", "c", "d"} {
					o.Workloads = append(o.Workloads, tamledger.Workload{ID: id, Primary: true})
				}
			})), asOf, score.SeniorTAMRequest, nil},
		{"senior-tam-request: unknown seniority", all(tam(func(t *tamledger.TAM) { t.Seniority = "" }), orgEdit(func(o *tamledger.Organization) {
			o.Complexity = &tamledger.Complexity{MultiRegion: true, ActiveMigration: true}
		})), asOf, score.SeniorTAMRequest, nil},

		// no-backup-tam
		{"no-backup-tam: none named", orgEdit(func(o *tamledger.Organization) { o.AccountTeam.BackupTAM = nil }), asOf, score.NoBackupTAM, []string{"acme"}},
		{"no-backup-tam: no account team", orgEdit(func(o *tamledger.Organization) { o.AccountTeam = nil }), asOf, score.NoBackupTAM, []string{"acme"}},
		{"no-backup-tam: one with only an e-mail", orgEdit(func(o *tamledger.Organization) {
			o.AccountTeam.BackupTAM = &tamledger.Person{Email: "b@example.com"}
		}), asOf, score.NoBackupTAM, nil},

		// specialist-intro: [asOf − 90 days, asOf], any workload
		{"specialist-intro: a non-primary workload on SageMaker with no deep dive", orgEdit(func(o *tamledger.Organization) {
			o.Workloads = append(o.Workloads, tamledger.Workload{ID: "ml", Services: []string{"SageMaker"}})
		}), asOf, score.SpecialistIntro, []string{"ml"}},
		{"specialist-intro: a deep dive exactly 90 days ago", all(orgEdit(func(o *tamledger.Organization) {
			o.Workloads[0].Services = []string{"Glue"}
		}), addEngagements(eng("dd", "2026-03-17", "specialist-deep-dive", "payments"))), asOf, score.SpecialistIntro, nil},
		{"specialist-intro: a deep dive 91 days ago", all(orgEdit(func(o *tamledger.Organization) {
			o.Workloads[0].Services = []string{"Glue"}
		}), addEngagements(eng("dd", "2026-03-16", "specialist-deep-dive", "payments"))), asOf, score.SpecialistIntro, []string{"payments"}},
		{"specialist-intro: a deep dive of another workload", all(orgEdit(func(o *tamledger.Organization) {
			o.Workloads[0].Services = []string{"fargate"}
		}), addEngagements(eng("dd", "2026-06-01", "specialist-deep-dive", "ledger"))), asOf, score.SpecialistIntro, []string{"payments"}},
		{"specialist-intro: no complex service", orgEdit(func(o *tamledger.Organization) {
			o.Workloads[0].Services = []string{"Amazon EKS", "Lambda"}
		}), asOf, score.SpecialistIntro, nil},

		// cost-review-unquantified: [asOf − 90 days, asOf]
		{"cost-review-unquantified: 90 days ago, no recommendation", addEngagements(eng("cr", "2026-03-17", "cost-review")),
			asOf, score.CostReviewUnquantified, []string{"cr"}},
		{"cost-review-unquantified: 91 days ago", addEngagements(eng("cr", "2026-03-16", "cost-review")),
			asOf, score.CostReviewUnquantified, nil},
		{"cost-review-unquantified: after asOf", addEngagements(eng("cr", "2026-06-16", "cost-review")),
			asOf, score.CostReviewUnquantified, nil},
		{"cost-review-unquantified: a recommendation with a zero saving", all(addEngagements(eng("cr", "2026-06-01", "cost-review")),
			func(l L) { l.Recommendations = []tamledger.Recommendation{rec("r", "cr", "0")} }), asOf, score.CostReviewUnquantified, []string{"cr"}},
		{"cost-review-unquantified: a quantified recommendation", all(addEngagements(eng("cr", "2026-06-01", "cost-review")),
			func(l L) { l.Recommendations = []tamledger.Recommendation{rec("r0", "cr", "0"), rec("r", "cr", "250")} }), asOf, score.CostReviewUnquantified, nil},

		// edp-renewal-prep: 0 ≤ edp.end − asOf ≤ 180
		{"edp-renewal-prep: 180 days away", orgEdit(func(o *tamledger.Organization) {
			o.EDP = &tamledger.EDP{Start: date("2024-01-01"), End: date("2026-12-12")}
		}), asOf, score.EDPRenewalPrep, []string{"acme"}},
		{"edp-renewal-prep: 181 days away", orgEdit(func(o *tamledger.Organization) {
			o.EDP = &tamledger.EDP{Start: date("2024-01-01"), End: date("2026-12-13")}
		}), asOf, score.EDPRenewalPrep, nil},
		{"edp-renewal-prep: ends today", orgEdit(func(o *tamledger.Organization) {
			o.EDP = &tamledger.EDP{Start: date("2024-01-01"), End: date("2026-06-15")}
		}), asOf, score.EDPRenewalPrep, []string{"acme"}},
		{"edp-renewal-prep: ended yesterday", orgEdit(func(o *tamledger.Organization) {
			o.EDP = &tamledger.EDP{Start: date("2024-01-01"), End: date("2026-06-14")}
		}), asOf, score.EDPRenewalPrep, nil},
	}
	fires, silent := map[string]bool{}, map[string]bool{}
	for _, tt := range tests {
		if tt.want != nil {
			fires[tt.code] = true
		} else {
			silent[tt.code] = true
		}
	}
	for _, code := range score.Codes {
		if !fires[code] || !silent[code] {
			t.Errorf("%s: the table needs a case where it fires and one where it does not", code)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := quiet()
			tt.edit(l)
			as := score.Actions(l, date(tt.asOf))
			got := subjects(as, tt.code)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s subjects = %q, want %q\nall actions: %+v", tt.code, got, tt.want, as)
			}
			for _, a := range as {
				if a.Severity != score.SeverityOf(a.Code) || a.Message == "" || strings.Count(a.Message, ". ") > 0 || !strings.HasSuffix(a.Message, ".") {
					t.Errorf("action %+v: want the code's severity and one sentence", a)
				}
			}
		})
	}
}

// Actions are sorted by severity (critical first), then code, then subject.
func TestActionOrder(t *testing.T) {
	l := quiet()
	l.Org.AccountTeam = nil
	l.Org.Workloads = append(l.Org.Workloads, tamledger.Workload{ID: "b-ml", Services: []string{"EMR"}},
		tamledger.Workload{ID: "a-ml", Services: []string{"Athena"}})
	l.Events = []tamledger.Event{{ID: "soon", Date: date("2026-06-20")}, {ID: "later", Date: date("2026-07-10")}}
	l.Engagements = nil
	var got []string
	for _, a := range score.Actions(l, date(asOf)) {
		got = append(got, a.Severity+" "+a.Code+" "+a.Subject)
	}
	want := []string{
		"critical iem-too-late soon",
		"high iem-request-now later",
		"high war-overdue payments",
		"medium no-backup-tam acme",
		"medium specialist-intro a-ml",
		"medium specialist-intro b-ml",
		"low portfolio-unknown acme",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}
}

// Each message says what to ask for and carries the numbers behind it.
func TestActionMessages(t *testing.T) {
	l := quiet()
	l.Org.AccountTeam.TAM.PortfolioSize = intp(52)
	l.Org.AccountTeam.TAM.Seniority = "associate"
	l.Org.Complexity = &tamledger.Complexity{ActiveMigration: true, MultiRegion: true}
	l.Org.EDP = &tamledger.EDP{Start: date("2024-01-01"), End: date("2026-09-30")}
	l.Charters = []tamledger.Charter{fullCharter("old", "2025-10-01")}
	l.Charters[0].Obligations = l.Charters[0].Obligations[:1]
	l.Engagements = []tamledger.Engagement{eng("war", "2025-01-10", "well-architected-review", "payments"),
		eng("s1", "2025-10-10", "strategy-call"), eng("s2", "2026-01-10", "strategy-call"), eng("cr-1", "2026-05-20", "cost-review")}
	l.Events = []tamledger.Event{{ID: "dc-exit", Name: "Data-centre exit", Date: date("2026-06-25")}, {ID: "launch", Date: date("2026-07-05")}}
	l.Reassignments = []tamledger.ReassignmentRequest{{ID: "rr-1", RequestedOn: date("2026-04-01"), ResolvedOn: datep("2026-04-20")},
		{ID: "rr-2", RequestedOn: date("2026-05-01"), ResolvedOn: datep("2026-05-10")}}
	want := map[string][]string{
		score.WAROverdue:             {"Well-Architected Review", "Payments (payments)", "365 days since 2025-06-15", "2025-01-10, 521 days ago"},
		score.IEMTooLate:             {"Data-centre exit (dc-exit)", "10 days away (2026-06-25)", "minimum lead of 14 days", "escalate"},
		score.IEMRequestNow:          {"launch", "today", "20 days away (2026-07-05)", "30-day lead"},
		score.ReassignmentSuggested:  {"reassignment", "constructively", "33% in 2025-Q4", "33% in 2026-Q1", "60%"},
		score.PortfolioRebalance:     {"rebalancing", "52 accounts", "more than 45", "below 80%"},
		score.SeniorTAMRequest:       {"senior or principal TAM", `"associate"`, "2 complexity drivers", "active migration", "multi-region"},
		score.CostReviewUnquantified: {"quantified", "2026-05-20", "cr-1", "26 days ago"},
		score.EDPRenewalPrep:         {"value dossier", "2026-09-30", "107 days away", "180 days"},
		score.CharterMissingTerm:     {"next EBR", "old, effective 2025-10-01"},
	}
	as := score.Actions(l, date(asOf))
	seen := map[string]bool{}
	for _, a := range as {
		seen[a.Code] = true
		for _, frag := range want[a.Code] {
			if !strings.Contains(a.Message, frag) {
				t.Errorf("%s message %q lacks %q", a.Code, a.Message, frag)
			}
		}
	}
	for code := range want {
		if !seen[code] {
			t.Errorf("no %s action; have %+v", code, as)
		}
	}
	t.Run("reassignment-escalate and no-backup-tam and portfolio-unknown", func(t *testing.T) {
		l := quiet()
		l.Org.AccountTeam.BackupTAM = nil
		l.Org.AccountTeam.TAM.PortfolioSize = nil
		l.Reassignments = []tamledger.ReassignmentRequest{{ID: "rr-1", RequestedOn: date("2026-05-01")}}
		l.Org.Workloads = append(l.Org.Workloads, tamledger.Workload{ID: "ml", Name: "ML platform", Services: []string{"SageMaker", "EKS"}})
		want := map[string][]string{
			score.ReassignmentEscalate: {"rr-1", "AWS account leadership", "2026-05-01, 45 days ago", "30 days"},
			score.NoBackupTAM:          {"backup TAM", "Jane Roe"},
			score.PortfolioUnknown:     {"how many accounts", "Jane Roe", "45"},
			score.SpecialistIntro:      {"specialist introduction", "ML platform (ml)", "SageMaker (ML/AI), EKS (containers)", "90 days since 2026-03-17"},
			score.NoCharter:            nil,
		}
		as := score.Actions(l, date(asOf))
		for code, frags := range want {
			found := false
			for _, a := range as {
				if a.Code != code {
					continue
				}
				found = true
				for _, f := range frags {
					if !strings.Contains(a.Message, f) {
						t.Errorf("%s message %q lacks %q", code, a.Message, f)
					}
				}
			}
			if !found && frags != nil {
				t.Errorf("no %s action", code)
			}
		}
		l.Charters = nil
		for _, a := range score.Actions(l, date(asOf)) {
			if a.Code == score.NoCharter && !strings.Contains(a.Message, "2026-06-15") {
				t.Errorf("no-charter message %q lacks the date", a.Message)
			}
		}
	})
}

// Every action code has a severity, and every code fires in TestActionRules.
func TestEveryCodeHasASeverity(t *testing.T) {
	for _, code := range score.Codes {
		if score.SeverityRank(score.SeverityOf(code)) > 3 || score.SeverityOf(code) == "" {
			t.Errorf("%s has no severity", code)
		}
	}
	if len(score.Codes) != 14 {
		t.Errorf("%d codes, want the 14 of SPEC §5", len(score.Codes))
	}
}

func TestMissingTerms(t *testing.T) {
	c := fullCharter("c", "2026-01-01")
	if got := score.MissingTerms(&c); len(got) != 0 {
		t.Errorf("full charter lacks %v", got)
	}
	empty := charter("e", "2026-01-01")
	want := []string{score.TermMonthlyStrategyCall, score.TermQuarterlyCostReview, score.TermAnnualWAR,
		score.TermSemiannualSecurityReview, score.TermBackupTAM, score.TermEscalationPaths}
	if got := score.MissingTerms(&empty); !reflect.DeepEqual(got, want) {
		t.Errorf("empty charter lacks %v, want %v", got, want)
	}
}
