package demo

import (
	"strings"

	"github.com/tamledger/tamledger"
)

// The newcomer portfolio: twelve organisations, each built to tell one
// story. The order is the order of Generate's output; the first is the one
// the CLI suggests trying first.

func wl(id, name, env string, primary, regulated bool, services ...string) tamledger.Workload {
	return tamledger.Workload{ID: id, Name: name, Environment: env, Primary: primary, Regulated: regulated, Services: services}
}

var emailFold = strings.NewReplacer("é", "e", "è", "e", "ë", "e", "á", "a", "à", "a", "ä", "a", "ó", "o", "ö", "o", "ú", "u", "ü", "u", "í", "i", "ñ", "n", "ç", "c", "'", "", "’", "")

// emailOf makes the usual first-initial-surname address.
func emailOf(name, domain string) string {
	f := strings.Fields(strings.ToLower(emailFold.Replace(name)))
	if len(f) == 0 {
		return ""
	}
	return f[0][:1] + f[len(f)-1] + "@" + domain
}

func aws(name string) tamledger.Person {
	return tamledger.Person{Name: name, Email: emailOf(name, "amazon.com")}
}

func awsp(name string) *tamledger.Person { p := aws(name); return &p }

func specialist(name, role string) tamledger.Person {
	p := aws(name)
	p.Role = role
	return p
}

func contact(name, role, domain string, exec bool) tamledger.Contact {
	return tamledger.Contact{Name: name, Email: emailOf(name, domain), Role: role, Executive: exec}
}

func tam(name, seniority string, portfolio, sinceMonths int) tamSpec {
	return tamSpec{name: name, email: emailOf(name, "amazon.com"), seniority: seniority, portfolio: portfolio, sinceMonths: sinceMonths}
}

var (
	demoVolume     = volume{casesPerYear: 8, eventsPerYear: 1.5, otherPerYear: 6, findingsPerYear: 5}
	reactiveVolume = volume{casesPerYear: 12, eventsPerYear: 1.5, otherPerYear: 3, findingsPerYear: 6}
)

func portfolio() []orgSpec {
	return []orgSpec{
		{
			id: "kestrel-logistics", name: "Kestrel Logistics", domain: "kestrel-logistics.example",
			timezone: "America/Chicago", currency: "USD", sector: "logistics", years: 3,
			spend:      445000,
			accounts:   []accountSpec{{"prod", 0.70}, {"analytics", 0.21}, {"shared-services", 0}},
			downtime:   42000,
			edpEndDays: 400,
			tam:        tam("Tyler Brandt", "associate", 58, 20),
			backup:     awsp("Priya Nair"),
			manager:    aws("Steve Novak"),
			architect:  awsp("Lena Fischer"),
			contacts: []tamledger.Contact{
				contact("Dana Whitaker", "CTO", "kestrel-logistics.example", true),
				contact("Marcus Lee", "Head of Cloud Platform", "kestrel-logistics.example", false),
				contact("Rosa Delgado", "FinOps Lead", "kestrel-logistics.example", false),
			},
			complexity: &tamledger.Complexity{MultiRegion: true},
			workloads: []tamledger.Workload{
				wl("route-planning", "Route planning", "production", true, false, "EKS", "Aurora", "ElastiCache"),
				wl("tracking-api", "Shipment tracking API", "production", true, false, "Lambda", "API Gateway", "DynamoDB", "Kinesis"),
				wl("customs", "Customs declarations", "production", true, true, "EC2", "RDS", "S3"),
				wl("warehouse-data", "Warehouse analytics", "production", false, false, "Redshift", "Glue", "S3"),
				wl("dev-tooling", "CI and developer tooling", "development", false, false, "CodeBuild", "EC2"),
			},
			charters: []charterSpec{
				{monthsAgo: 34, backupTAM: true, paths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}},
					obligations: []tamledger.Obligation{stratMonthly, costQuarterly, warAnnual},
					notes:       "First charter, agreed with the previous TAM."},
				{monthsAgo: 14, backupTAM: true, paths: pathsStandard, obligations: fullTerms,
					notes: "Adds semi-annual security reviews and targets for urgent and high cases."},
			},
			prof: profile{rate: 0.75, proactive: 0.55, responsive: 0.7,
				recentRate: 0.15, recentProactive: 0.15, recentResp: 0.3, recentMonths: 10,
				recentSkip: []string{"cost-review", "security-review", "well-architected-review"}, implement: 0.35, iem: 0.5},
			vol:          reactiveVolume,
			warOverdue:   []string{"customs"},
			noRecentDive: []string{"route-planning", "tracking-api", "warehouse-data"},
			events:       []eventSpec{{name: "Peak season cut-over", typ: "peak", inDays: 75, iemDaysAgo: -1}},
			story: Story{Org: "kestrel-logistics", Name: "Kestrel Logistics", Band: "reactive",
				Summary: "An associate TAM carrying 58 accounts. Delivery collapsed over the last ten months: no quarterly cost reviews, no security reviews, no Well-Architected Reviews, strategy calls skipped, escalations slow. Time to ask for another TAM, with the evidence.",
				Actions: []string{"portfolio-rebalance", "reassignment-suggested", "senior-tam-request", "specialist-intro", "war-overdue"}},
		},
		{
			id: "harbour-vale", name: "Harbour & Vale Insurance", domain: "harbourvale.example",
			timezone: "Europe/London", currency: "GBP", sector: "insurance", years: 3,
			spend: 380000, downtime: 65000, edpEndDays: 520,
			tam:     tam("Oliver Pembroke", "tam", 48, 30),
			backup:  awsp("Fiona Shaw"),
			manager: aws("Rupert Hale"),
			contacts: []tamledger.Contact{
				contact("Eleanor Hartley", "CIO", "harbourvale.example", true),
				contact("James Okafor", "Cloud Platform Lead", "harbourvale.example", false),
				contact("Sophie Clarke", "FinOps Manager", "harbourvale.example", false),
			},
			workloads: []tamledger.Workload{
				wl("policy-admin", "Policy administration", "production", true, true, "ECS", "Fargate", "Aurora"),
				wl("claims", "Claims portal", "production", true, true, "Lambda", "DynamoDB", "Textract", "S3"),
				wl("broker-api", "Broker API", "production", true, false, "API Gateway", "Lambda", "RDS"),
				wl("pricing-models", "Pricing models", "production", false, false, "SageMaker", "S3"),
			},
			charters:     []charterSpec{{monthsAgo: 33, backupTAM: true, paths: pathsStandard, obligations: fullTerms}},
			prof:         profile{rate: 0.25, proactive: 0.2, responsive: 0.3, warLate: true, implement: 0.25, iem: 0.3},
			vol:          reactiveVolume,
			noRecentDive: []string{"policy-admin", "pricing-models"},
			requests: []requestSpec{{daysAgo: 45, reasons: []string{"infrequent-contact", "slow-escalation", "Cost reviews arrive without figures"},
				ackAfter: -1, resolveAfter: -1, escalateAfter: -1,
				notes: "Sent to the account manager with the scorecard of the last four quarters."}},
			story: Story{Org: "harbour-vale", Name: "Harbour & Vale Insurance", Band: "reactive",
				Summary: "A TAM with 48 accounts and regulated workloads, delivering about a third of the charter for years. The customer asked for a new TAM 45 days ago and AWS has not even acknowledged it: escalate to account leadership.",
				Actions: []string{"portfolio-rebalance", "reassignment-escalate", "senior-tam-request", "specialist-intro"}},
		},
		{
			id: "hoshizora-retail", name: "Hoshizora Retail", domain: "hoshizora.example",
			timezone: "Asia/Tokyo", currency: "USD", sector: "retail", years: 3,
			spend:      1250000,
			accounts:   []accountSpec{{"storefront-prod", 0.42}, {"data-platform", 0.21}, {"stores", 0.17}, {"corporate", 0.11}, {"sandbox", 0}},
			bothSpends: true,
			downtime:   180000, edpEndDays: 700,
			tam:       tam("Kenji Watanabe", "senior", 30, 26),
			backup:    awsp("Aiko Mori"),
			manager:   aws("Daisuke Ito"),
			architect: awsp("Emi Kobayashi"),
			specialists: []tamledger.Person{
				specialist("Sho Tanaka", "ML specialist SA"),
				specialist("Rina Fujita", "Containers specialist SA"),
			},
			contacts: []tamledger.Contact{
				contact("Takeshi Yamamoto", "CTO", "hoshizora.example", true),
				contact("Yui Nakamura", "Platform Engineering Lead", "hoshizora.example", false),
				contact("Haruto Sato", "FinOps Lead", "hoshizora.example", false),
			},
			complexity: &tamledger.Complexity{MultiRegion: true},
			workloads: []tamledger.Workload{
				wl("storefront", "E-commerce storefront", "production", true, false, "EKS", "Aurora", "CloudFront"),
				wl("recommendations", "Product recommendations", "production", true, false, "SageMaker", "Personalize", "DynamoDB"),
				wl("store-pos", "Store point of sale", "production", true, false, "IoT Core", "DynamoDB", "Lambda"),
				wl("data-lake", "Data lake", "production", false, false, "Athena", "Glue", "S3"),
			},
			charters: []charterSpec{
				{monthsAgo: 34, backupTAM: true, paths: pathsStandard, obligations: fullTerms},
				{monthsAgo: 12, backupTAM: true, obligations: with(fullTerms, ebrQuarterly),
					paths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 0.5}, {Severity: "urgent", TAMResponseHours: 2}, {Severity: "high", TAMResponseHours: 6}},
					notes: "Adds quarterly executive business reviews and tighter targets for the storefront."},
			},
			prof:   profile{rate: 0.93, proactive: 0.8, responsive: 1, implement: 0.65, iem: 0.9},
			vol:    demoVolume,
			events: []eventSpec{{name: "{season} sale", typ: "peak", inDays: 21, iemDaysAgo: -1, failureCost: 6500000}},
			story: Story{Org: "hoshizora-retail", Name: "Hoshizora Retail", Band: "proactive",
				Summary: "A senior TAM who delivers the charter, mostly on their own initiative. The seasonal sale is three weeks away and nobody has requested Infrastructure Event Management yet: request it today.",
				Actions: []string{"iem-request-now"}},
		},
		{
			id: "pinecrest-games", name: "Pinecrest Games", domain: "pinecrest.example",
			timezone: "America/Los_Angeles", currency: "USD", sector: "games", years: 2,
			spend: 720000, downtime: 90000, edpEndDays: 300,
			tam:     tam("Marisol Ortega", "tam", 40, 18),
			backup:  awsp("Ben Carter"),
			manager: aws("Alyssa Park"),
			contacts: []tamledger.Contact{
				contact("Jordan Ellis", "VP Engineering", "pinecrest.example", true),
				contact("Kai Nakoa", "SRE Lead", "pinecrest.example", false),
				contact("Priya Raman", "FinOps Analyst", "pinecrest.example", false),
			},
			complexity: &tamledger.Complexity{MultiRegion: true},
			workloads: []tamledger.Workload{
				wl("game-backend", "Game backend", "production", true, false, "ECS", "DynamoDB", "GameLift"),
				wl("matchmaking", "Matchmaking", "production", true, false, "EKS", "ElastiCache"),
				wl("player-analytics", "Player analytics", "production", false, false, "Kinesis", "Redshift", "EMR"),
				wl("trust-safety", "Trust and safety moderation", "production", false, false, "SageMaker", "Rekognition"),
			},
			charters:     []charterSpec{{monthsAgo: 22, backupTAM: true, paths: pathsStandard, obligations: fullTerms}},
			prof:         profile{rate: 0.8, proactive: 0.3, responsive: 0.5, implement: 0.45, iem: 0.6},
			vol:          demoVolume,
			noRecentDive: []string{"trust-safety"},
			events:       []eventSpec{{name: "Season 4 launch", typ: "launch", inDays: 9, iemDaysAgo: -1, failureCost: 3000000}},
			story: Story{Org: "pinecrest-games", Name: "Pinecrest Games", Band: "mixed",
				Summary: "A multi-region game platform with ML moderation, served by a TAM-level TAM with a mixed record. The season launch is nine days away with no IEM (below AWS's minimum lead: ask anyway and escalate), and the moderation models have never seen an ML specialist.",
				Actions: []string{"iem-too-late", "senior-tam-request", "specialist-intro"}},
		},
		{
			id: "aurora-health", name: "Aurora Health Partners", domain: "aurorahealth.example",
			timezone: "America/New_York", currency: "USD", sector: "health", years: 3,
			spend:    2100000,
			accounts: []accountSpec{{"ehr-prod", 0.5}, {"imaging", 0.23}, {"analytics", 0.18}, {"shared-services", 0}},
			downtime: 250000, edpEndDays: 120,
			tam:       tam("Grace Whitfield", "principal", 14, 34),
			backup:    awsp("Daniel Kim"),
			manager:   aws("Michael Reyes"),
			architect: awsp("Olivia Grant"),
			specialists: []tamledger.Person{
				specialist("Arjun Patel", "Analytics specialist SA"),
				specialist("Laura Simmons", "Containers specialist SA"),
			},
			contacts: []tamledger.Contact{
				contact("Helen Brooks", "CIO", "aurorahealth.example", true),
				contact("Samuel Ortiz", "Head of Cloud Centre of Excellence", "aurorahealth.example", false),
				contact("Natalie Green", "FinOps Director", "aurorahealth.example", false),
				contact("Victor Chen", "CISO", "aurorahealth.example", true),
			},
			complexity: &tamledger.Complexity{MultiRegion: true},
			workloads: []tamledger.Workload{
				wl("ehr", "Electronic health records", "production", true, true, "EC2", "RDS", "FSx"),
				wl("patient-portal", "Patient portal", "production", true, true, "ECS", "Aurora", "CloudFront"),
				wl("imaging", "Medical imaging archive", "production", true, true, "S3", "EC2", "HealthImaging"),
				wl("claims-analytics", "Claims analytics", "production", false, true, "Redshift", "Glue"),
			},
			charters: []charterSpec{
				{monthsAgo: 34, backupTAM: true, paths: pathsStandard, obligations: fullTerms},
				{monthsAgo: 9, backupTAM: true, obligations: with(fullTerms, ebrQuarterly),
					paths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 0.5}, {Severity: "urgent", TAMResponseHours: 2}, {Severity: "high", TAMResponseHours: 4}, {Severity: "normal", TAMResponseHours: 24}},
					notes: "Renewed after the first year: quarterly business reviews, tighter targets."},
			},
			prof:   profile{rate: 0.95, proactive: 0.82, responsive: 1, implement: 0.7, iem: 0.95},
			vol:    demoVolume,
			events: []eventSpec{{name: "Patient portal relaunch", typ: "launch", inDays: 25, iemDaysAgo: 20}},
			story: Story{Org: "aurora-health", Name: "Aurora Health Partners", Band: "proactive",
				Summary: "A principal TAM with 14 accounts who delivers every term, and IEM already requested for the patient portal relaunch. The EDP ends within six months: build the value dossier for the renewal from three years of evidence.",
				Actions: []string{"edp-renewal-prep"}},
		},
		{
			id: "fjordline-energy", name: "Fjordline Energy", domain: "fjordline.example",
			timezone: "Europe/Oslo", currency: "EUR", sector: "energy", years: 2,
			spend: 240000, downtime: 30000, edpEndDays: 250,
			tam:     tam("Ingrid Solberg", "senior", 27, 22),
			backup:  awsp("Lars Eide"),
			manager: aws("Silje Berg"),
			contacts: []tamledger.Contact{
				contact("Kari Nordmann", "CTO", "fjordline.example", true),
				contact("Erik Haugen", "Platform Lead", "fjordline.example", false),
			},
			workloads: []tamledger.Workload{
				wl("grid-telemetry", "Grid telemetry", "production", true, false, "IoT Core", "Kinesis", "Timestream"),
				wl("trading", "Energy trading", "production", true, true, "EC2", "RDS"),
				wl("field-apps", "Field service apps", "production", false, false, "Amplify", "AppSync", "DynamoDB"),
			},
			practice: []tamledger.Obligation{
				{ID: "strategy-call", Service: "strategy-call", Cadence: "quarterly", GraceDays: 7},
				{ID: "cost-review", Service: "cost-review", Cadence: "semiannual", GraceDays: 14},
				warAnnual,
			},
			prof:       profile{rate: 0.6, proactive: 0.3, responsive: 0.5, implement: 0.35, iem: 0.4},
			vol:        demoVolume,
			warOverdue: []string{"grid-telemetry"},
			story: Story{Org: "fjordline-energy", Name: "Fjordline Energy", Band: "reactive",
				Summary: "No written charter. A senior TAM, but nothing is promised, so nothing can be held to account: most contact is the customer chasing, and the grid telemetry platform has had no Well-Architected Review in over a year. Agree a charter.",
				Actions: []string{"no-charter", "war-overdue"}},
		},
		{
			id: "cobalt-payments", name: "Cobalt Payments", domain: "cobaltpay.example",
			timezone: "Asia/Singapore", currency: "SGD", sector: "payments", years: 2,
			spend: 310000, downtime: 55000, edpEndDays: 800,
			tam:     tam("Wei Ling Tan", "tam", 35, 16),
			manager: aws("Jason Ng"),
			contacts: []tamledger.Contact{
				contact("Rajesh Kumar", "CTO", "cobaltpay.example", true),
				contact("Siew Mei Lim", "Head of Infrastructure", "cobaltpay.example", false),
				contact("Darren Goh", "Finance Manager", "cobaltpay.example", false),
			},
			workloads: []tamledger.Workload{
				wl("payments-core", "Payments core", "production", true, true, "EKS", "Aurora"),
				wl("merchant-portal", "Merchant portal", "production", true, false, "CloudFront", "Lambda", "DynamoDB"),
				wl("fraud-scoring", "Fraud scoring", "production", false, true, "SageMaker", "Kinesis"),
			},
			charters: []charterSpec{{monthsAgo: 21, backupTAM: false, obligations: []tamledger.Obligation{
				{ID: "strategy-call", Service: "strategy-call", Cadence: "quarterly", GraceDays: 7},
				{ID: "cost-review", Service: "cost-review", Cadence: "quarterly", GraceDays: 14},
				warAnnual, secSemiannual,
			}, notes: "Drafted by the TAM; no escalation paths agreed yet."}},
			prof:         profile{rate: 0.8, proactive: 0.3, responsive: 0.5, implement: 0.45, iem: 0.6},
			vol:          demoVolume,
			unquantified: true,
			story: Story{Org: "cobalt-payments", Name: "Cobalt Payments", Band: "mixed",
				Summary: "A charter written without the minimum terms: quarterly strategy calls, cost reviews without figures, no escalation paths, no backup TAM. The latest cost review brought no quantified recommendation. Fix the charter at the next business review.",
				Actions: []string{"charter-missing-term", "cost-review-unquantified", "no-backup-tam", "senior-tam-request"}},
		},
		{
			id: "wattle-bank", name: "Wattle Bank", domain: "wattlebank.example",
			timezone: "Australia/Sydney", currency: "AUD", sector: "banking", years: 3,
			spend: 890000, downtime: 150000, edpEndDays: 450,
			tam:       tam("Hamish O'Connell", "senior", 22, 28),
			backup:    awsp("Mei Chen"),
			manager:   aws("Josh Taylor"),
			architect: awsp("Zoe Harris"),
			specialists: []tamledger.Person{
				specialist("Ravi Sharma", "ML specialist SA"),
			},
			contacts: []tamledger.Contact{
				contact("Sarah Mitchell", "CIO", "wattlebank.example", true),
				contact("Liam Nguyen", "CCoE Lead", "wattlebank.example", false),
				contact("Chloe Walsh", "FinOps Lead", "wattlebank.example", false),
				contact("Aaron Fraser", "CISO", "wattlebank.example", true),
			},
			complexity: &tamledger.Complexity{MultiRegion: true},
			workloads: []tamledger.Workload{
				wl("core-banking", "Core banking", "production", true, true, "EC2", "Aurora", "MQ"),
				wl("mobile-banking", "Mobile banking", "production", true, true, "EKS", "DynamoDB"),
				wl("payments", "Payments", "production", true, true, "Lambda", "SQS", "Aurora"),
				wl("fraud-detection", "Fraud detection", "production", true, true, "SageMaker", "Kinesis"),
				wl("open-banking-api", "Open banking API", "production", true, false, "API Gateway", "Lambda"),
				wl("internal-data", "Internal reporting", "production", false, false, "Redshift", "Glue"),
			},
			charters: []charterSpec{{monthsAgo: 33, backupTAM: true, paths: pathsStandard, obligations: with(fullTerms, ebrQuarterly),
				iem:   &tamledger.IEMLead{MinimumLeadDays: intp(21), RecommendedLeadDays: intp(45)},
				notes: "IEM lead times lengthened to match the bank's change calendar."}},
			prof:   profile{rate: 0.94, proactive: 0.78, responsive: 1, implement: 0.7, iem: 0.95},
			vol:    demoVolume,
			events: []eventSpec{{name: "Core banking DR test", typ: "dr-test", inDays: 40, iemDaysAgo: 12}},
			story: Story{Org: "wattle-bank", Name: "Wattle Bank", Band: "proactive",
				Summary: "Five regulated primary workloads across two regions and a senior TAM who delivers every term, with IEM booked for the DR test: the model relationship, nothing to demand.",
				Actions: nil},
		},
		{
			id: "tiberius-media", name: "Tiberius Media", domain: "tiberius.example",
			timezone: "Europe/Berlin", currency: "EUR", sector: "media", years: 2,
			spend: 160000, downtime: 20000,
			tam:     tam("Jonas Becker", "senior", 0, 14),
			backup:  awsp("Clara Vogt"),
			manager: aws("Lukas Schmidt"),
			contacts: []tamledger.Contact{
				contact("Katrin Müller", "CTO", "tiberius.example", true),
				contact("Felix Wagner", "Platform Lead", "tiberius.example", false),
			},
			workloads: []tamledger.Workload{
				wl("streaming", "Video streaming", "production", true, false, "MediaConvert", "CloudFront", "EC2"),
				wl("cms", "Content management", "production", true, false, "EC2", "RDS"),
				wl("ad-analytics", "Ad analytics", "production", false, false, "EMR", "Glue", "Athena"),
			},
			charters:     []charterSpec{{monthsAgo: 22, backupTAM: false, paths: pathsStandard, obligations: fullTerms}},
			prof:         profile{rate: 0.8, proactive: 0.3, responsive: 0.5, implement: 0.5, iem: 0.6},
			vol:          demoVolume,
			noRecentDive: []string{"ad-analytics"},
			story: Story{Org: "tiberius-media", Name: "Tiberius Media", Band: "mixed",
				Summary: "A senior TAM who has never said how many accounts they carry; the charter forgot backup-TAM coverage although a backup is named; the ad analytics platform has had no data specialist in months.",
				Actions: []string{"charter-missing-term", "portfolio-unknown", "specialist-intro"}},
		},
		{
			id: "condor-mining", name: "Condor Mining", domain: "condormining.example",
			timezone: "America/Santiago", currency: "USD", sector: "mining", years: 3,
			spend: 62000, downtime: 15000,
			tam:     tam("Valentina Rojas", "tam", 26, 9),
			backup:  awsp("Diego Fuentes"),
			manager: aws("Tomás Herrera"),
			contacts: []tamledger.Contact{
				contact("Andrés Muñoz", "CIO", "condormining.example", true),
				contact("Camila Soto", "Infrastructure Manager", "condormining.example", false),
			},
			complexity: &tamledger.Complexity{ActiveMigration: true},
			workloads: []tamledger.Workload{
				wl("mine-ops", "Mine operations", "production", true, false, "EC2", "RDS", "IoT Greengrass"),
				wl("geology", "Geological modelling", "production", true, false, "EC2", "S3", "FSx"),
				wl("erp-migration", "ERP migration", "staging", false, false, "EC2", "DMS", "RDS"),
			},
			charters: []charterSpec{
				{monthsAgo: 32, backupTAM: true, paths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 2}, {Severity: "urgent", TAMResponseHours: 8}}, obligations: fullTerms},
				{monthsAgo: 8, backupTAM: true, paths: pathsStandard, obligations: fullTerms,
					notes: "Agreed with the new TAM after the reassignment."},
			},
			prof: profile{rate: 0.5, proactive: 0.2, responsive: 0.4,
				recentRate: 0.75, recentProactive: 0.5, recentResp: 0.6, recentMonths: 9, implement: 0.35, iem: 0.4},
			vol: volume{casesPerYear: 14, eventsPerYear: 1, otherPerYear: 4, findingsPerYear: 4},
			requests: []requestSpec{{daysAgo: 300, reasons: []string{"no-proactive-initiative", "generic-advice"},
				ackAfter: 5, resolveAfter: 30, escalateAfter: -1,
				notes: "Resolved: a new TAM assigned and a new charter agreed."}},
			story: Story{Org: "condor-mining", Name: "Condor Mining", Band: "mixed",
				Summary: "The smallest account (about 62k a month). Reactive for two years until the customer asked for a new TAM; AWS acknowledged and resolved the request, the new TAM signed a new charter, and delivery is recovering.",
				Actions: nil},
		},
		{
			id: "meridian-telecom", name: "Meridian Telecom", domain: "meridiantel.example",
			timezone: "Asia/Kolkata", currency: "USD", sector: "telecom", years: 3,
			spend:    3050000,
			accounts: []accountSpec{{"billing-prod", 0.3}, {"network-data", 0.25}, {"digital", 0.2}, {"5g-core", 0.15}, {"contact-centre", 0.06}, {"shared-services", 0}},
			downtime: 400000, edpEndDays: 620,
			tam:       tam("Ananya Iyer", "principal", 12, 30),
			backup:    awsp("Rahul Menon"),
			manager:   aws("Sanjay Pillai"),
			architect: awsp("Kavya Reddy"),
			specialists: []tamledger.Person{
				specialist("Imran Qureshi", "Analytics specialist SA"),
				specialist("Priyanka Das", "Containers specialist SA"),
			},
			contacts: []tamledger.Contact{
				contact("Vikram Rao", "CTO", "meridiantel.example", true),
				contact("Deepa Krishnan", "Head of Cloud CoE", "meridiantel.example", false),
				contact("Arvind Shah", "FinOps Lead", "meridiantel.example", false),
				contact("Neha Gupta", "CISO", "meridiantel.example", true),
			},
			complexity: &tamledger.Complexity{MultiRegion: true, ActiveMigration: true},
			workloads: []tamledger.Workload{
				wl("billing", "Billing", "production", true, true, "EC2", "Aurora", "ECS"),
				wl("network-analytics", "Network analytics", "production", true, false, "EMR", "Kinesis", "OpenSearch"),
				wl("customer-app", "Customer app", "production", true, false, "EKS", "DynamoDB"),
				wl("5g-core", "5G core", "production", true, true, "EC2", "Outposts"),
				wl("contact-centre", "Contact centre", "production", true, false, "Connect", "Lambda"),
			},
			charters: []charterSpec{
				{monthsAgo: 34, backupTAM: true, paths: pathsStandard, obligations: fullTerms},
				{monthsAgo: 18, backupTAM: true, obligations: with(fullTerms, ebrQuarterly),
					paths: []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 0.5}, {Severity: "urgent", TAMResponseHours: 2}, {Severity: "high", TAMResponseHours: 6}}},
			},
			prof: profile{rate: 0.92, proactive: 0.75, responsive: 1, implement: 0.65, iem: 0.9},
			vol:  volume{casesPerYear: 10, eventsPerYear: 2, otherPerYear: 8, findingsPerYear: 6},
			story: Story{Org: "meridian-telecom", Name: "Meridian Telecom", Band: "proactive",
				Summary: "The largest account: about 3M a month over six AWS accounts, five primary workloads, a migration in flight. A principal TAM with 12 accounts, proactive on every term of two charter versions.",
				Actions: nil},
		},
		{
			id: "maplestone-foods", name: "Maplestone Foods", domain: "maplestone.example",
			timezone: "America/Toronto", currency: "CAD", sector: "food", years: 2,
			spend: 95000, downtime: 12000,
			tam:     tam("Nathalie Tremblay", "tam", 52, 15),
			backup:  awsp("Ethan Gagnon"),
			manager: aws("Chris Wong"),
			contacts: []tamledger.Contact{
				contact("Geneviève Roy", "VP Technology", "maplestone.example", true),
				contact("Owen MacDonald", "Cloud Lead", "maplestone.example", false),
			},
			workloads: []tamledger.Workload{
				wl("ecommerce", "Online ordering", "production", true, false, "ECS", "Aurora", "CloudFront"),
				wl("supply-chain", "Supply chain planning", "production", true, false, "EC2", "RDS"),
			},
			charters: []charterSpec{{monthsAgo: 21, backupTAM: true, paths: pathsStandard, obligations: fullTerms}},
			prof:     profile{rate: 1, skip: []string{"security-review"}, proactive: 0.45, responsive: 0.6, implement: 0.4, iem: 0.5},
			vol:      demoVolume,
			story: Story{Org: "maplestone-foods", Name: "Maplestone Foods", Band: "mixed",
				Summary: "A capable TAM stretched over 52 accounts: the monthly calls and cost reviews happen, but not one security review since the charter was signed, and most contact starts with the customer. Make the case for portfolio rebalancing.",
				Actions: []string{"portfolio-rebalance"}},
		},
	}
}

func intp(n int) *int { return &n }
