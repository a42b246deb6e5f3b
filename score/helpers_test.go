package score_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

// Builders that keep the tables short.

var date = tamledger.MustDate

func datep(s string) *tamledger.Date { d := date(s); return &d }

func intp(n int) *int { return &n }

func money(s string) *tamledger.Money { m := tamledger.MustMoney(s); return &m }

func instant(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func instantp(s string) *time.Time { t := instant(s); return &t }

// org is a quiet organisation: a senior TAM with a known, small portfolio,
// a backup TAM, one primary workload using no complex service.
func org() *tamledger.Organization {
	return &tamledger.Organization{
		ID:   "acme",
		Name: "Acme Corp",
		AccountTeam: &tamledger.AccountTeam{
			TAM:       &tamledger.TAM{Name: "Jane Roe", Seniority: "senior", PortfolioSize: intp(30)},
			BackupTAM: &tamledger.Person{Name: "Sam Poe"},
		},
		Workloads: []tamledger.Workload{{ID: "payments", Name: "Payments", Primary: true, Services: []string{"EC2", "RDS"}}},
	}
}

func charter(id, effective string, obs ...tamledger.Obligation) tamledger.Charter {
	return tamledger.Charter{ID: id, Org: "acme", Effective: date(effective), Obligations: obs}
}

func ob(id, service, cadence string) tamledger.Obligation {
	return tamledger.Obligation{ID: id, Service: service, Cadence: cadence}
}

func grace(o tamledger.Obligation, days int) tamledger.Obligation { o.GraceDays = days; return o }

func perWorkload(o tamledger.Obligation) tamledger.Obligation {
	o.Scope = "each-primary-workload"
	return o
}

func quantifiedOnly(o tamledger.Obligation) tamledger.Obligation {
	o.Requires = "quantified-recommendations"
	return o
}

// eng is a TAM-initiated engagement.
func eng(id, day, service string, workloads ...string) tamledger.Engagement {
	return tamledger.Engagement{ID: id, Org: "acme", Date: date(day), Service: service, InitiatedBy: "tam", Workloads: workloads}
}

func byCustomer(e tamledger.Engagement) tamledger.Engagement { e.InitiatedBy = "customer"; return e }

func rec(id, engagement, saving string) tamledger.Recommendation {
	r := tamledger.Recommendation{ID: id, Org: "acme", RaisedOn: date("2020-01-01"), Engagement: engagement, Origin: "tam", Status: "open"}
	if saving != "" {
		r.EstimatedMonthlySavings = money(saving)
	}
	return r
}

// strip renders one series as "start..end status [engagement]" lines
// joined by ", ".
func strip(s score.Series) string {
	var parts []string
	for _, p := range s.Periods {
		part := fmt.Sprintf("%s..%s %s", p.Start, p.End, p.Status)
		if p.Engagement != nil {
			part += " " + *p.Engagement
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

func findObligation(c *score.Card, id string) *score.Obligation {
	for i := range c.Obligations {
		if c.Obligations[i].ID == id {
			return &c.Obligations[i]
		}
	}
	return nil
}

func fptr(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}
