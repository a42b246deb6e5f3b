package tamledger_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
)

func TestClassifyDefaults(t *testing.T) {
	var o *tamledger.Organization
	tests := []struct {
		summary, description string
		service, match, in   string
	}{
		{"Well-Architected Review: payments", "", "well-architected-review", "well-architected", "summary"},
		{"WAR follow-up", "", "well-architected-review", "WAR", "summary"},
		{"Incident war room", "", "strategy-call", "", ""}, // "WAR" matches in capitals only
		{"Quarterly cost review", "", "cost-review", "cost", "summary"},
		{"Savings Plans coverage", "", "cost-review", "savings", "summary"},
		{"RI purchase plan", "", "cost-review", "RI", "summary"},
		{"Rights management", "", "strategy-call", "", ""}, // no "RI" inside a word
		{"Rightsizing the batch fleet", "", "cost-review", "rightsizing", "summary"},
		{"Acme EBR 2026", "", "business-review", "EBR", "summary"},
		{"QBR", "", "business-review", "QBR", "summary"},
		{"Quarterly business review", "", "business-review", "business review", "summary"},
		{"Security posture", "", "security-review", "security", "summary"},
		{"IAM clean-up", "", "security-review", "IAM", "summary"},
		{"Threat model: checkout", "", "security-review", "threat model", "summary"},
		{"IEM kick-off", "", "iem", "IEM", "summary"},
		{"AWS Countdown: Black Friday", "", "iem", "Countdown", "summary"},
		{"Launch readiness review", "", "iem", "launch readiness", "summary"},
		{"Data-centre cut over", "", "iem", "cut-over", "summary"},
		{"EKS deep-dive", "", "specialist-deep-dive", "deep dive", "summary"},
		{"Meet the analytics specialist", "", "specialist-deep-dive", "specialist", "summary"},
		{"Serverless Immersion Day", "", "specialist-deep-dive", "immersion day", "summary"},
		{"Monthly sync", "", "strategy-call", "", ""},
		// The summary decides before the description.
		{"Monthly sync", "We will look at the IAM roles.", "security-review", "IAM", "description"},
		{"QBR prep", "cost and security", "business-review", "QBR", "summary"},
		// First rule in order: well-architected before cost.
		{"WAR cost pillar", "", "well-architected-review", "WAR", "summary"},
	}
	for _, tt := range tests {
		t.Run(tt.summary, func(t *testing.T) {
			c := o.Classify(tt.summary, tt.description)
			if c.Service != tt.service || c.Match != tt.match || c.In != tt.in || c.Own {
				t.Errorf("got %+v, want %s by %q in %s", c, tt.service, tt.match, tt.in)
			}
		})
	}
}

func TestClassifyOrganizationRules(t *testing.T) {
	o := &tamledger.Organization{CalendarRules: []tamledger.CalendarRule{
		{Service: "cost-review", Match: []string{"FinOps"}},
		{Service: "escalation", Match: []string{"war room", "Sev 1"}},
	}}
	for _, tt := range []struct{ summary, service string }{
		{"FinOps weekly", "cost-review"},
		{"Incident war room", "escalation"},
		{"SEV-1 bridge", "escalation"},              // "Sev 1" is no acronym: case ignored, punctuation too
		{"WAR security", "well-architected-review"}, // the defaults still apply
	} {
		c := o.Classify(tt.summary, "")
		if c.Service != tt.service {
			t.Errorf("%q: %+v, want %s", tt.summary, c, tt.service)
		}
		if own := tt.service != "well-architected-review"; c.Own != own {
			t.Errorf("%q: own = %v, want %v", tt.summary, c.Own, own)
		}
	}
}

func TestNamedWorkloads(t *testing.T) {
	o := &tamledger.Organization{Workloads: []tamledger.Workload{
		{ID: "payments", Name: "Payments"}, {ID: "data-lake", Name: "Data lake"}, {ID: "erp", Name: "ERP"}, {ID: "web"},
	}}
	tests := []struct {
		text []string
		want []string
	}{
		{[]string{"Payments roadmap"}, []string{"payments"}},
		{[]string{"data-lake cost", "and the DATA LAKE"}, []string{"data-lake"}},
		{[]string{"WAR", "ERP and web tiers"}, []string{"erp", "web"}},
		{[]string{"erp"}, []string{"erp"}},     // the id, case ignored
		{[]string{"Paymentsfoo website"}, nil}, // whole words only
		{[]string{"data", "lake"}, nil},        // not across summary and description
	}
	for _, tt := range tests {
		if got := o.NamedWorkloads(tt.text...); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestAWSSide(t *testing.T) {
	o := &tamledger.Organization{AccountTeam: &tamledger.AccountTeam{
		TAM:         &tamledger.TAM{Email: "JRoe@Example.com"},
		Specialists: []tamledger.Person{{Email: "spec@partner.example"}},
		Domains:     []string{"amazon.com", "@aws.example"},
	}}
	for email, want := range map[string]bool{
		"jroe@example.com": true, "spec@partner.example": true, "kim@amazon.com": true, "kim@eu.amazon.com": true,
		"x@aws.example": true, "x@notamazon.com": false, "alee@acme.example": false, "": false, "amazon.com": false,
	} {
		if got := o.AWSSide(email); got != want {
			t.Errorf("AWSSide(%q) = %v, want %v", email, got, want)
		}
	}
}

func TestCalendarRulesValidate(t *testing.T) {
	o := &tamledger.Organization{CalendarRules: []tamledger.CalendarRule{
		{Service: "cost-review", Match: []string{"FinOps"}},
		{Service: "coffee", Match: []string{"x"}},
		{Service: "iem"},
		{Service: "iem", Match: []string{"--"}},
	}}
	err := o.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		`calendarRules[1].service: unknown value "coffee"`,
		"calendarRules[2].match: missing",
		`calendarRules[3].match[0]: "--" has no letter or digit`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "calendarRules[0]") {
		t.Errorf("a good rule is reported: %s", msg)
	}
}
