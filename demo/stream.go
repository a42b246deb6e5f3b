package demo

import (
	"fmt"
	"math"
	"slices"

	"github.com/tamledger/tamledger"
)

// Stream generates a large portfolio for benchmarks: orgs organisations with
// years of history each, up to asOf, handed to fn one record at a time and
// organisation by organisation (the Organization first, then its charters,
// engagements, recommendations, cases, events and reassignment requests).
// Only one organisation is held in memory at a time, so memory stays flat
// however many are asked for.
//
// Each organisation has about 200 engagements, 50 recommendations and 10
// cases per three years of history (so 10,000 organisations × 3 years give
// about 2,000,000 engagements, 500,000 recommendations and 100,000 cases),
// a mix of health bands (about a third proactive, two fifths mixed, a
// quarter reactive), and the same validity guarantees as Generate. The same
// seed, orgs, years and asOf give the same records. Stream stops at the
// first error fn returns and returns it.
func Stream(seed int64, orgs int, years int, asOf tamledger.Date, fn func(tamledger.Record) error) error {
	if years < 1 {
		years = 1
	}
	for i := range orgs {
		g := newGen(seed, uint64(i)+1<<32)
		s := randomSpec(g, i, years)
		if err := newBuilder(g, &s, asOf).build(fn); err != nil {
			return err
		}
	}
	return nil
}

var streamVolume = volume{
	casesPerYear:     10.0 / 3,
	eventsPerYear:    1,
	otherPerYear:     2,
	engagementTarget: 200.0 / 3,
	recTarget:        50.0 / 3,
	lean:             true,
}

type workloadTemplate struct {
	id, name  string
	regulated bool
	services  []string
}

var workloadPool = []workloadTemplate{
	{"storefront", "Web storefront", false, []string{"EKS", "Aurora", "CloudFront"}},
	{"public-api", "Public API", false, []string{"API Gateway", "Lambda", "DynamoDB"}},
	{"data-platform", "Data platform", false, []string{"Glue", "Athena", "S3", "Redshift"}},
	{"ml-inference", "ML inference", false, []string{"SageMaker", "S3"}},
	{"erp", "ERP", false, []string{"EC2", "RDS"}},
	{"crm", "CRM", false, []string{"EC2", "RDS", "ElastiCache"}},
	{"event-bus", "Event streaming", false, []string{"MSK", "Lambda"}},
	{"search", "Search", false, []string{"OpenSearch", "EC2"}},
	{"batch", "Batch processing", false, []string{"Batch", "EC2", "S3"}},
	{"mobile-backend", "Mobile backend", false, []string{"ECS", "Fargate", "DynamoDB"}},
	{"payments", "Payments", true, []string{"ECS", "Aurora", "KMS"}},
	{"identity", "Customer identity", true, []string{"Cognito", "Lambda", "DynamoDB"}},
	{"reporting", "Reporting", false, []string{"Redshift", "QuickSight"}},
	{"device-fleet", "Device fleet", false, []string{"IoT Core", "Kinesis", "Timestream"}},
	{"assistant", "Customer assistant", false, []string{"Bedrock", "Lambda", "OpenSearch"}},
	{"legacy-apps", "Legacy applications", false, []string{"EC2", "EBS"}},
	{"records", "Customer records", true, []string{"EC2", "RDS", "S3"}},
	{"website", "Corporate website", false, []string{"CloudFront", "S3", "Lambda"}},
}

var (
	namePrefixes = []string{"Granite", "Silver", "Blue", "Northern", "Summit", "Cedar", "Harbor", "Atlas", "Crescent", "Ember",
		"Falcon", "Glacier", "Horizon", "Iron", "Juniper", "Lumen", "Meadow", "Nimbus", "Orchid", "Pioneer",
		"Quarry", "Redwood", "Sable", "Tidal", "Union", "Vantage", "Willow", "Zephyr", "Aster", "Beacon"}
	nameNouns = []string{"Ridge", "Bay", "Point", "Valley", "Bridge", "Peak", "Field", "Stone", "River", "Grove",
		"Gate", "Crest", "Park", "Lake", "Mill", "Harbour", "Forge", "Works", "Line", "Arc"}
	sectors = []struct{ key, word string }{
		{"logistics", "Logistics"}, {"insurance", "Insurance"}, {"retail", "Retail"}, {"games", "Games"},
		{"healthcare", "Health"}, {"energy", "Energy"}, {"payments", "Payments"}, {"banking", "Bank"},
		{"media", "Media"}, {"mining", "Resources"}, {"telecom", "Telecom"}, {"food", "Foods"},
		{"software", "Software"}, {"finance", "Capital"},
	}
	zonesAndCurrencies = []struct{ tz, cur string }{
		{"America/New_York", "USD"}, {"America/Chicago", "USD"}, {"America/Denver", "USD"}, {"America/Los_Angeles", "USD"},
		{"America/Toronto", "CAD"}, {"America/Sao_Paulo", "USD"}, {"Europe/London", "GBP"}, {"Europe/Dublin", "EUR"},
		{"Europe/Paris", "EUR"}, {"Europe/Berlin", "EUR"}, {"Europe/Madrid", "EUR"}, {"Europe/Zurich", "CHF"},
		{"Europe/Stockholm", "EUR"}, {"Asia/Tokyo", "USD"}, {"Asia/Singapore", "SGD"}, {"Asia/Kolkata", "USD"},
		{"Asia/Seoul", "USD"}, {"Australia/Sydney", "AUD"}, {"Pacific/Auckland", "NZD"}, {"Africa/Johannesburg", "USD"},
		{"Asia/Dubai", "USD"}, {"UTC", "USD"},
	}
	firstNames = []string{"Alex", "Sam", "Maria", "Chen", "Aisha", "Lucas", "Emma", "Noah", "Sofia", "Ravi",
		"Hana", "Omar", "Julia", "Mateo", "Ingrid", "Kwame", "Yuki", "Elena", "David", "Fatima"}
	lastNames = []string{"Smith", "Garcia", "Wang", "Khan", "Müller", "Silva", "Tanaka", "Okafor", "Rossi", "Nguyen",
		"Johansson", "Kowalski", "Patel", "Dubois", "Kim", "Hughes", "Santos", "Cohen", "Novak", "Reid"}
)

func (g *gen) person() string { return g.pick(firstNames) + " " + g.pick(lastNames) }

// randomSpec draws one Stream organisation.
func randomSpec(g *gen, i, years int) orgSpec {
	sec := sectors[g.intn(len(sectors))]
	name := fmt.Sprintf("%s %s %s", g.pick(namePrefixes), g.pick(nameNouns), sec.word)
	id := fmt.Sprintf("%s-%05d", slug(name), i+1)
	domain := slug(name) + ".example"
	zc := zonesAndCurrencies[g.intn(len(zonesAndCurrencies))]

	// Spend: log-uniform between 60k and 3M a month.
	spend := round(60000*math.Pow(50, g.uniform(0, 1)), 1000)
	s := orgSpec{
		id: id, name: name, domain: domain, timezone: zc.tz, currency: zc.cur, sector: sec.key, years: years,
		spend:    spend,
		downtime: round(float64(spend)*g.uniform(0.02, 0.2), 1000),
		manager:  aws(g.person()),
		vol:      streamVolume,
	}
	if g.chance(0.3) {
		n := g.between(2, 5)
		for k := range n {
			s.accounts = append(s.accounts, accountSpec{fmt.Sprintf("account-%d", k+1), 1 / float64(n)})
		}
		s.accounts[n-1].share = 0
		s.bothSpends = g.chance(0.3)
	}
	if g.chance(0.7) {
		s.edpEndDays = g.between(30, 1000)
	}
	seniority := []string{"associate", "tam", "tam", "senior", "senior", "principal"}[g.intn(6)]
	portfolio := g.between(12, 60)
	if g.chance(0.05) {
		portfolio = 0
	}
	s.tam = tam(g.person(), seniority, portfolio, g.between(2, 36))
	if g.chance(0.9) {
		s.backup = awsp(g.person())
	}
	s.contacts = []tamledger.Contact{
		contact(g.person(), "CTO", domain, true),
		contact(g.person(), "Head of Cloud Platform", domain, false),
	}
	if g.chance(0.5) {
		s.contacts = append(s.contacts, contact(g.person(), "FinOps Lead", domain, false))
	}
	if x, y := g.chance(0.3), g.chance(0.2); x || y {
		s.complexity = &tamledger.Complexity{MultiRegion: x, ActiveMigration: y}
	}

	// Workloads: two to six distinct templates, the first one to four primary.
	n := g.between(2, 6)
	order := g.r.Perm(len(workloadPool))[:n]
	slices.Sort(order)
	primaries := g.between(1, min(4, n))
	for k, j := range order {
		t := workloadPool[j]
		s.workloads = append(s.workloads, wl(t.id, t.name, "production", k < primaries, t.regulated, t.services...))
	}

	// Behaviour by band.
	switch x := g.r.Float64(); {
	case x < 0.35:
		s.prof = profile{rate: g.uniform(0.85, 1), proactive: g.uniform(0.65, 0.9), responsive: g.uniform(0.85, 1), implement: g.uniform(0.55, 0.75), iem: g.uniform(0.8, 1)}
	case x < 0.75:
		s.prof = profile{rate: g.uniform(0.55, 0.8), proactive: g.uniform(0.35, 0.6), responsive: g.uniform(0.5, 0.8), implement: g.uniform(0.35, 0.55), iem: g.uniform(0.4, 0.7)}
	default:
		s.prof = profile{rate: g.uniform(0.15, 0.45), proactive: g.uniform(0.1, 0.3), responsive: g.uniform(0.2, 0.5), implement: g.uniform(0.15, 0.35), iem: g.uniform(0.1, 0.4)}
	}
	if g.chance(0.15) {
		// A turn, for better or worse, over the last months.
		s.prof.recentMonths = g.between(4, 12)
		s.prof.recentRate = g.uniform(0.1, 1)
		s.prof.recentProactive = g.uniform(0.1, 0.9)
		s.prof.recentResp = g.uniform(0.2, 1)
	}

	// Charters.
	if g.chance(0.92) {
		terms := fullTerms
		if g.chance(0.1) {
			terms = []tamledger.Obligation{
				{ID: "strategy-call", Service: "strategy-call", Cadence: "quarterly", GraceDays: 7},
				{ID: "cost-review", Service: "cost-review", Cadence: "quarterly", GraceDays: 14},
				warAnnual,
			}
		}
		paths := pathsStandard
		if g.chance(0.1) {
			paths = nil
		}
		first := years*12 - g.between(1, 6)
		s.charters = []charterSpec{{monthsAgo: first, backupTAM: s.backup != nil, paths: paths, obligations: terms}}
		if first > 8 && g.chance(0.4) {
			s.charters = append(s.charters, charterSpec{monthsAgo: g.between(2, first-1), backupTAM: s.backup != nil, paths: pathsStandard, obligations: with(fullTerms, ebrQuarterly)})
		}
	} else {
		s.practice = []tamledger.Obligation{
			{ID: "strategy-call", Service: "strategy-call", Cadence: "quarterly", GraceDays: 7},
			{ID: "cost-review", Service: "cost-review", Cadence: "semiannual", GraceDays: 14},
			warAnnual,
		}
	}

	// A few of the stories of the newcomer portfolio, at random.
	if g.chance(0.1) {
		s.warOverdue = []string{s.workloads[0].ID}
	}
	if g.chance(0.3) {
		s.noRecentDive = []string{s.workloads[g.intn(len(s.workloads))].ID}
	}
	s.unquantified = g.chance(0.05)
	if g.chance(0.1) {
		s.events = append(s.events, eventSpec{name: "Go-live", typ: "launch", inDays: g.between(0, 30), iemDaysAgo: -1})
	}
	if g.chance(0.05) {
		ack := -1
		if g.chance(0.5) {
			ack = g.between(2, 20)
		}
		s.requests = []requestSpec{{daysAgo: g.between(10, 200), reasons: []string{"infrequent-contact", "no-proactive-initiative"},
			ackAfter: ack, resolveAfter: -1, escalateAfter: -1}}
	}
	return s
}
