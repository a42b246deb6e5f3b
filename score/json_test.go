package score_test

import (
	"encoding/json"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

// The scorecard and the actions marshal to the documented JSON (SPEC §4,
// §9): nulls as null, dates YYYY-MM-DD, ratios unrounded, the organisation's
// series with "workload": null.
func TestJSON(t *testing.T) {
	o := org()
	o.Workloads = []tamledger.Workload{{ID: "payments", Primary: true}}
	c := charter("acme-2026", "2026-01-01", grace(ob("sc", "strategy-call", "quarterly"), 7),
		perWorkload(ob("war", "well-architected-review", "semiannual")))
	c.BackupTAM = true
	l := &tamledger.Ledger{Org: o, Charters: []tamledger.Charter{c},
		Engagements: []tamledger.Engagement{eng("e1", "2026-04-03", "strategy-call"), byCustomer(eng("e2", "2026-02-01", "other")),
			byCustomer(eng("e3", "2026-03-01", "well-architected-review", "payments"))}}
	got, err := json.Marshal(score.Scorecard(l, date("2026-04-10")))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"organization":"acme","asOf":"2026-04-10","window":{"from":"2025-04-11","to":"2026-04-10"},"charter":"acme-2026",` +
		`"obligations":[` +
		`{"id":"sc","service":"strategy-call","cadence":"quarterly","scope":"organization","graceDays":7,"adherence":0.5,"met":0,"late":1,"missed":0,"due":0,` +
		`"series":[{"workload":null,"periods":[{"start":"2026-01-01","end":"2026-03-31","status":"late","engagement":"e1"},` +
		`{"start":"2026-04-01","end":"2026-06-30","status":"due","engagement":null}]}]},` +
		`{"id":"war","service":"well-architected-review","cadence":"semiannual","scope":"each-primary-workload","graceDays":0,"adherence":null,"met":0,"late":0,"missed":0,"due":0,` +
		`"series":[{"workload":"payments","periods":[{"start":"2026-01-01","end":"2026-06-30","status":"met","engagement":"e3"}]}]}],` +
		`"adherence":0.5,"proactiveRatio":0.3333333333333333,"escalationResponsiveness":null,` +
		`"health":{"score":45,"band":"reactive","components":[{"name":"adherence","value":0.5,"weight":0.7058823529411765},` +
		`{"name":"proactiveRatio","value":0.3333333333333333,"weight":0.29411764705882354},{"name":"escalationResponsiveness","value":null,"weight":0}]},` +
		`"counts":{"engagements":3,"tamInitiated":1,"cases":0,"casesWithinTarget":0,"casesPending":0}}`
	if string(got) != want {
		t.Errorf("scorecard JSON:\n got %s\nwant %s", got, want)
	}

	t.Run("no charter, no engagement: nulls everywhere", func(t *testing.T) {
		got, _ := json.Marshal(score.Scorecard(&tamledger.Ledger{Org: org()}, date("2026-04-10")))
		want := `{"organization":"acme","asOf":"2026-04-10","window":{"from":"2025-04-11","to":"2026-04-10"},"charter":null,"obligations":[],` +
			`"adherence":null,"proactiveRatio":null,"escalationResponsiveness":null,` +
			`"health":{"score":null,"band":null,"components":[{"name":"adherence","value":null,"weight":0},` +
			`{"name":"proactiveRatio","value":null,"weight":0},{"name":"escalationResponsiveness","value":null,"weight":0}]},` +
			`"counts":{"engagements":0,"tamInitiated":0,"cases":0,"casesWithinTarget":0,"casesPending":0}}`
		if string(got) != want {
			t.Errorf("scorecard JSON:\n got %s\nwant %s", got, want)
		}
	})

	t.Run("actions", func(t *testing.T) {
		list := score.ActionList{Organization: "acme", AsOf: date("2026-04-10"), Actions: score.Actions(quiet(), date(asOf))}
		got, _ := json.Marshal(list)
		if want := `{"organization":"acme","asOf":"2026-04-10","actions":[]}`; string(got) != want {
			t.Errorf("actions JSON = %s, want %s", got, want)
		}
		a := score.Action{Code: "no-charter", Severity: "high", Subject: "acme", Message: "m."}
		got, _ = json.Marshal(a)
		if want := `{"code":"no-charter","severity":"high","subject":"acme","message":"m."}`; string(got) != want {
			t.Errorf("action JSON = %s, want %s", got, want)
		}
	})
}
