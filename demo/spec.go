package demo

import "github.com/tamledger/tamledger"

// orgSpec describes one organisation: its static facts and the behaviour of
// its relationship over time. The builder turns it into records. Every
// date in a spec is relative to asOf, so that the stories hold whatever day
// the demo is generated on.
type orgSpec struct {
	id, name, domain string
	timezone         string
	currency         string
	sector           string
	years            int // of history up to asOf

	spend      int64         // monthly AWS spend
	accounts   []accountSpec // when given, the spend is split over these
	bothSpends bool          // give monthlySpend as well as accounts[] (they agree)
	downtime   int64         // downtime cost per hour
	edpEndDays int           // the EDP ends at the end of the month asOf+edpEndDays; 0: no EDP

	tam         tamSpec
	backup      *tamledger.Person
	manager     tamledger.Person
	architect   *tamledger.Person
	specialists []tamledger.Person
	contacts    []tamledger.Contact
	complexity  *tamledger.Complexity
	workloads   []tamledger.Workload

	charters []charterSpec          // none: the organisation has no charter
	practice []tamledger.Obligation // without a charter: what happens anyway

	prof profile
	vol  volume

	warOverdue   []string // primary workloads with no WAR in the last 400 days
	noRecentDive []string // complex workloads with no specialist deep dive in the last 120 days
	unquantified bool     // cost reviews of the last 90 days bring no quantified recommendation
	events       []eventSpec
	requests     []requestSpec

	story Story
}

type accountSpec struct {
	name  string
	share float64 // of spend; the last account takes the remainder
}

type tamSpec struct {
	name, email string
	seniority   string
	portfolio   int // 0: not disclosed
	sinceMonths int
}

type charterSpec struct {
	monthsAgo   int // effective on the first day of the month this many months before asOf's
	backupTAM   bool
	paths       []tamledger.EscalationPath
	obligations []tamledger.Obligation
	iem         *tamledger.IEMLead
	notes       string
}

// profile is how well the TAM delivers: the share of obligation periods
// delivered (1 = every period met), the share of engagements the TAM
// initiates, the share of targeted cases engaged within target, and the
// share of recommendations the customer implements. The recent values hold
// for periods ending (and things happening) in the last recentMonths.
type profile struct {
	rate, proactive, responsive             float64
	recentRate, recentProactive, recentResp float64
	recentMonths                            int
	recentSkip                              []string // services not delivered at all in the recent window
	skip                                    []string // services never delivered
	warLate                                 bool     // WARs come in the grace days after the year they were due in
	implement                               float64
	iem                                     float64 // share of past events with IEM requested in time
}

// volume sizes the history.
type volume struct {
	casesPerYear     float64
	eventsPerYear    float64
	otherPerYear     int     // ad hoc sessions: office hours, workshops, game days
	findingsPerYear  int     // Trusted Advisor, Cost Optimization Hub and internal findings
	engagementTarget float64 // per year; >0: top up with operations syncs (Stream)
	recTarget        float64 // per year; >0: top up with findings (Stream)
	lean             bool    // fewer recommendations per engagement (Stream)
}

type eventSpec struct {
	name, typ   string
	inDays      int // after asOf
	iemDaysAgo  int // IEM requested this many days before asOf; -1: not requested
	failureCost int64
}

type requestSpec struct {
	daysAgo                int
	reasons                []string
	ackAfter, resolveAfter int // days after the request; -1: not yet
	escalateAfter          int
	notes                  string
}

// Standard charter terms, used by most specs.
var (
	stratMonthly  = tamledger.Obligation{ID: "strategy-call", Service: "strategy-call", Cadence: "monthly", GraceDays: 7}
	costQuarterly = tamledger.Obligation{ID: "cost-review", Service: "cost-review", Cadence: "quarterly", GraceDays: 14, Requires: "quantified-recommendations"}
	warAnnual     = tamledger.Obligation{ID: "war", Service: "well-architected-review", Cadence: "annual", Scope: "each-primary-workload", GraceDays: 30}
	secSemiannual = tamledger.Obligation{ID: "security-review", Service: "security-review", Cadence: "semiannual", GraceDays: 14}
	ebrQuarterly  = tamledger.Obligation{ID: "ebr", Service: "business-review", Cadence: "quarterly", GraceDays: 21}

	fullTerms = []tamledger.Obligation{stratMonthly, costQuarterly, warAnnual, secSemiannual}

	pathsStandard = []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}, {Severity: "urgent", TAMResponseHours: 4}, {Severity: "high", TAMResponseHours: 8}}
)

func with(obs []tamledger.Obligation, more ...tamledger.Obligation) []tamledger.Obligation {
	out := append([]tamledger.Obligation(nil), obs...)
	return append(out, more...)
}
