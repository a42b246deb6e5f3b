package score_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

// Periods and matching (SPEC §4): calendar-aligned periods, full periods
// inside a charter version's range, the earliest unused candidate within
// [start, end + graceDays] and on or before asOf.
func TestPeriodsAndMatching(t *testing.T) {
	tests := []struct {
		name        string
		org         func(*tamledger.Organization)
		charters    []tamledger.Charter
		engagements []tamledger.Engagement
		recs        []tamledger.Recommendation
		asOf        string
		obligation  string
		want        map[string]string // series workload ("" = organisation) → strip
	}{
		{
			name:        "monthly periods end on the month's last day; the current month is due",
			charters:    []tamledger.Charter{charter("c", "2026-01-01", ob("sc", "strategy-call", "monthly"))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-31", "strategy-call"), eng("e2", "2026-02-28", "strategy-call")},
			asOf:        "2026-03-31",
			obligation:  "sc",
			want: map[string]string{"": "2026-01-01..2026-01-31 met e1, 2026-02-01..2026-02-28 met e2, " +
				"2026-03-01..2026-03-31 due"},
		},
		{
			name:        "the day after a period's end with no grace it is missed; a period starting on asOf is listed",
			charters:    []tamledger.Charter{charter("c", "2026-01-01", ob("sc", "strategy-call", "monthly"))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-31", "strategy-call"), eng("e2", "2026-02-28", "strategy-call")},
			asOf:        "2026-04-01",
			obligation:  "sc",
			want: map[string]string{"": "2026-01-01..2026-01-31 met e1, 2026-02-01..2026-02-28 met e2, " +
				"2026-03-01..2026-03-31 missed, 2026-04-01..2026-04-30 due"},
		},
		{
			name:        "29 February is the last day of a leap-year February",
			charters:    []tamledger.Charter{charter("c", "2028-02-01", ob("sc", "strategy-call", "monthly"))},
			asOf:        "2028-03-01",
			obligation:  "sc",
			engagements: []tamledger.Engagement{eng("e1", "2028-02-29", "strategy-call")},
			want:        map[string]string{"": "2028-02-01..2028-02-29 met e1, 2028-03-01..2028-03-31 due"},
		},
		{
			name:     "quarters are Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec",
			charters: []tamledger.Charter{charter("c", "2026-01-01", ob("cr", "cost-review", "quarterly"))},
			engagements: []tamledger.Engagement{eng("e1", "2026-03-31", "cost-review"), eng("e2", "2026-04-01", "cost-review"),
				eng("e3", "2026-09-30", "cost-review")},
			asOf:       "2026-10-01",
			obligation: "cr",
			want: map[string]string{"": "2026-01-01..2026-03-31 met e1, 2026-04-01..2026-06-30 met e2, " +
				"2026-07-01..2026-09-30 met e3, 2026-10-01..2026-12-31 due"},
		},
		{
			name:        "halves are Jan-Jun and Jul-Dec",
			charters:    []tamledger.Charter{charter("c", "2026-01-01", ob("sec", "security-review", "semiannual"))},
			engagements: []tamledger.Engagement{eng("e1", "2026-07-01", "security-review")},
			asOf:        "2026-12-31",
			obligation:  "sec",
			want:        map[string]string{"": "2026-01-01..2026-06-30 missed, 2026-07-01..2026-12-31 met e1"},
		},
		{
			name:        "years are calendar years; the first period starts on or after effective",
			charters:    []tamledger.Charter{charter("c", "2025-01-02", ob("war", "well-architected-review", "annual"))},
			engagements: []tamledger.Engagement{eng("e1", "2025-06-01", "well-architected-review"), eng("e2", "2026-12-31", "well-architected-review")},
			asOf:        "2027-01-01",
			obligation:  "war",
			want:        map[string]string{"": "2026-01-01..2026-12-31 met e2, 2027-01-01..2027-12-31 due"},
		},
		{
			name:        "effective mid-month: the first monthly period is the next month",
			charters:    []tamledger.Charter{charter("c", "2026-01-15", ob("sc", "strategy-call", "monthly"))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-20", "strategy-call")},
			asOf:        "2026-02-10",
			obligation:  "sc",
			want:        map[string]string{"": "2026-02-01..2026-02-28 due"},
		},
		{
			name:       "effective after the first day of a quarter: nothing is listed until the next quarter starts",
			charters:   []tamledger.Charter{charter("c", "2026-01-02", ob("cr", "cost-review", "quarterly"))},
			asOf:       "2026-03-31",
			obligation: "cr",
			want:       map[string]string{},
		},
		{
			name:        "grace days reach into the next period, and the engagement is then used up",
			charters:    []tamledger.Charter{charter("c", "2026-01-01", grace(ob("sc", "strategy-call", "monthly"), 7))},
			engagements: []tamledger.Engagement{eng("e1", "2026-02-05", "strategy-call")},
			asOf:        "2026-03-10",
			obligation:  "sc",
			want: map[string]string{"": "2026-01-01..2026-01-31 late e1, 2026-02-01..2026-02-28 missed, " +
				"2026-03-01..2026-03-31 due"},
		},
		{
			name:        "an engagement dated in the period is preferred to none; the next one stays for the next period",
			charters:    []tamledger.Charter{charter("c", "2026-01-01", grace(ob("sc", "strategy-call", "monthly"), 7))},
			engagements: []tamledger.Engagement{eng("e2", "2026-02-05", "strategy-call"), eng("e1", "2026-01-20", "strategy-call")},
			asOf:        "2026-02-28",
			obligation:  "sc",
			want:        map[string]string{"": "2026-01-01..2026-01-31 met e1, 2026-02-01..2026-02-28 met e2"},
		},
		{
			name:       "within the grace days a period is still due; the day after it is missed",
			charters:   []tamledger.Charter{charter("c", "2026-01-01", grace(ob("sc", "strategy-call", "monthly"), 7))},
			asOf:       "2026-02-07",
			obligation: "sc",
			want:       map[string]string{"": "2026-01-01..2026-01-31 due, 2026-02-01..2026-02-28 due"},
		},
		{
			name:       "the day after the grace days a period is missed",
			charters:   []tamledger.Charter{charter("c", "2026-01-01", grace(ob("sc", "strategy-call", "monthly"), 7))},
			asOf:       "2026-02-08",
			obligation: "sc",
			want:       map[string]string{"": "2026-01-01..2026-01-31 missed, 2026-02-01..2026-02-28 due"},
		},
		{
			name:        "year end: a December call held in January is late, and January needs its own",
			charters:    []tamledger.Charter{charter("c", "2025-12-01", grace(ob("sc", "strategy-call", "monthly"), 10))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-03", "strategy-call")},
			asOf:        "2026-02-11",
			obligation:  "sc",
			want: map[string]string{"": "2025-12-01..2025-12-31 late e1, 2026-01-01..2026-01-31 missed, " +
				"2026-02-01..2026-02-28 due"},
		},
		{
			name:        "an engagement dated after asOf does not count",
			charters:    []tamledger.Charter{charter("c", "2026-01-01", ob("sc", "strategy-call", "monthly"))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-20", "strategy-call")},
			asOf:        "2026-01-19",
			obligation:  "sc",
			want:        map[string]string{"": "2026-01-01..2026-01-31 due"},
		},
		{
			name:        "an engagement of another service does not count",
			charters:    []tamledger.Charter{charter("c", "2026-01-01", ob("sc", "strategy-call", "monthly"))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-20", "business-review")},
			asOf:        "2026-02-01",
			obligation:  "sc",
			want:        map[string]string{"": "2026-01-01..2026-01-31 missed, 2026-02-01..2026-02-28 due"},
		},
		{
			name:     "the earliest candidate is used; same day, the smaller id",
			charters: []tamledger.Charter{charter("c", "2026-01-01", ob("sc", "strategy-call", "quarterly"))},
			engagements: []tamledger.Engagement{eng("e-b", "2026-02-01", "strategy-call"), eng("e-a", "2026-02-01", "strategy-call"),
				eng("e-0", "2026-02-02", "strategy-call")},
			asOf:       "2026-03-31",
			obligation: "sc",
			want:       map[string]string{"": "2026-01-01..2026-03-31 met e-a"},
		},
		{
			name:     "requires quantified-recommendations: only an engagement a recommendation with a saving above zero names",
			charters: []tamledger.Charter{charter("c", "2026-01-01", quantifiedOnly(ob("cr", "cost-review", "quarterly")))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-10", "cost-review"), eng("e2", "2026-01-20", "cost-review"),
				eng("e3", "2026-02-20", "cost-review"), eng("e4", "2026-03-20", "cost-review")},
			recs:       []tamledger.Recommendation{rec("r2", "e2", "0"), rec("r3", "e3", ""), rec("r4a", "e4", "0"), rec("r4b", "e4", "0.01")},
			asOf:       "2026-04-01",
			obligation: "cr",
			want:       map[string]string{"": "2026-01-01..2026-03-31 met e4, 2026-04-01..2026-06-30 due"},
		},
		{
			name: "each-primary-workload: one series per primary workload; an engagement counts for each workload it names",
			org: func(o *tamledger.Organization) {
				o.Workloads = []tamledger.Workload{{ID: "web", Primary: true}, {ID: "batch"}, {ID: "api", Primary: true}}
			},
			charters: []tamledger.Charter{charter("c", "2026-01-01", perWorkload(ob("war", "well-architected-review", "semiannual")))},
			engagements: []tamledger.Engagement{eng("e1", "2026-02-01", "well-architected-review", "web", "api"),
				eng("e2", "2026-03-01", "well-architected-review", "web"), eng("e3", "2026-08-01", "well-architected-review", "batch"),
				eng("e4", "2026-09-01", "well-architected-review")},
			asOf:       "2027-01-01",
			obligation: "war",
			want: map[string]string{
				"web": "2026-01-01..2026-06-30 met e1, 2026-07-01..2026-12-31 missed, 2027-01-01..2027-06-30 due",
				"api": "2026-01-01..2026-06-30 met e1, 2026-07-01..2026-12-31 missed, 2027-01-01..2027-06-30 due",
			},
		},
		{
			name: "each-primary-workload with no primary workload has no series",
			org: func(o *tamledger.Organization) {
				o.Workloads = nil
			},
			charters:   []tamledger.Charter{charter("c", "2026-01-01", perWorkload(ob("war", "well-architected-review", "annual")))},
			asOf:       "2027-01-01",
			obligation: "war",
			want:       map[string]string{},
		},
		{
			name: "a charter version changing mid-year: periods that do not fit wholly inside a version are dropped",
			charters: []tamledger.Charter{
				charter("v1", "2026-01-01", ob("sec", "security-review", "semiannual"), ob("war", "well-architected-review", "annual")),
				charter("v2", "2026-05-01", ob("sec", "security-review", "semiannual"), ob("war", "well-architected-review", "annual")),
			},
			engagements: []tamledger.Engagement{eng("e1", "2026-03-01", "security-review"), eng("e2", "2026-08-01", "security-review")},
			asOf:        "2027-01-01",
			obligation:  "sec",
			want:        map[string]string{"": "2026-07-01..2026-12-31 met e2, 2027-01-01..2027-06-30 due"},
		},
		{
			name: "a charter version changing mid-year: the annual period of either version is dropped for 2026",
			charters: []tamledger.Charter{
				charter("v1", "2026-01-01", ob("sec", "security-review", "semiannual"), ob("war", "well-architected-review", "annual")),
				charter("v2", "2026-05-01", ob("sec", "security-review", "semiannual"), ob("war", "well-architected-review", "annual")),
			},
			asOf:       "2027-01-01",
			obligation: "war",
			want:       map[string]string{"": "2027-01-01..2027-12-31 due"},
		},
		{
			name: "one obligation id across versions with different cadences: periods pooled in one series",
			charters: []tamledger.Charter{
				charter("v1", "2026-01-01", grace(ob("review", "strategy-call", "monthly"), 10)),
				charter("v2", "2026-04-01", ob("review", "strategy-call", "quarterly")),
			},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-15", "strategy-call"), eng("e2", "2026-02-15", "strategy-call"),
				eng("e3", "2026-04-05", "strategy-call")},
			asOf:       "2026-07-01",
			obligation: "review",
			want: map[string]string{"": "2026-01-01..2026-01-31 met e1, 2026-02-01..2026-02-28 met e2, " +
				"2026-03-01..2026-03-31 late e3, 2026-04-01..2026-06-30 missed, 2026-07-01..2026-09-30 due"},
		},
		{
			name: "a version that takes effect after asOf still ends the range of the version before it",
			charters: []tamledger.Charter{
				charter("v1", "2026-01-01", ob("war", "well-architected-review", "annual"), ob("sc", "strategy-call", "quarterly")),
				charter("v2", "2026-07-01", ob("war", "well-architected-review", "annual")),
			},
			engagements: []tamledger.Engagement{eng("e1", "2026-02-01", "well-architected-review")},
			asOf:        "2026-03-01",
			obligation:  "war",
			want:        map[string]string{},
		},
		{
			name: "two versions on the same day: the one whose id sorts last is in force",
			charters: []tamledger.Charter{
				charter("b", "2026-01-01", ob("sc", "strategy-call", "monthly")),
				charter("a", "2026-01-01", ob("sc", "strategy-call", "quarterly")),
			},
			asOf:       "2026-01-10",
			obligation: "sc",
			want:       map[string]string{"": "2026-01-01..2026-01-31 due"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := org()
			if tt.org != nil {
				tt.org(o)
			}
			l := &tamledger.Ledger{Org: o, Charters: tt.charters, Engagements: tt.engagements, Recommendations: tt.recs}
			c := score.Scorecard(l, date(tt.asOf))
			ob := findObligation(c, tt.obligation)
			if ob == nil {
				t.Fatalf("obligation %q not listed; have %+v", tt.obligation, c.Obligations)
			}
			got := map[string]string{}
			for _, s := range ob.Series {
				w := ""
				if s.Workload != nil {
					w = *s.Workload
				}
				got[w] = strip(s)
			}
			for w, s := range got {
				if s == "" {
					delete(got, w)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("series:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The scorecard lists every obligation of the versions in force on or
// before asOf — the current version's first — and none of later versions.
func TestObligationsListed(t *testing.T) {
	l := &tamledger.Ledger{Org: org(), Charters: []tamledger.Charter{
		charter("v1", "2025-01-01", ob("old", "business-review", "quarterly"), ob("sc", "strategy-call", "monthly")),
		charter("v2", "2026-01-01", ob("sc", "strategy-call", "quarterly"), ob("sec", "security-review", "semiannual")),
		charter("v3", "2026-06-01", ob("future", "other", "monthly"), ob("sc", "strategy-call", "monthly")),
	}}
	c := score.Scorecard(l, date("2026-03-01"))
	var ids []string
	for _, o := range c.Obligations {
		ids = append(ids, o.ID+":"+o.Cadence)
	}
	if want := []string{"sc:quarterly", "sec:semiannual", "old:quarterly"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("obligations = %v, want %v", ids, want)
	}
	if c.Charter == nil || *c.Charter != "v2" {
		t.Errorf("charter in force = %v, want v2", c.Charter)
	}
	// v3 takes effect on 2026-06-01, so the first half of 2026 is not a full
	// period of v2: sec is listed with its one series, no period and a null
	// adherence.
	sec := findObligation(c, "sec")
	if sec.Adherence != nil || len(sec.Series) != 1 || sec.Series[0].Workload != nil || len(sec.Series[0].Periods) != 0 {
		t.Errorf("sec: adherence %v, series %+v; want null adherence and one empty series", fptr(sec.Adherence), sec.Series)
	}

	t.Run("a series per primary workload even before its first period", func(t *testing.T) {
		o := org()
		o.Workloads = append(o.Workloads, tamledger.Workload{ID: "ledger", Primary: true}, tamledger.Workload{ID: "sandbox"})
		l := &tamledger.Ledger{Org: o, Charters: []tamledger.Charter{charter("v1", "2026-01-02", perWorkload(ob("war", "well-architected-review", "annual")))}}
		c := score.Scorecard(l, date("2026-03-01"))
		var ws []string
		for _, s := range findObligation(c, "war").Series {
			ws = append(ws, *s.Workload)
			if len(s.Periods) != 0 {
				t.Errorf("series %s has periods %+v", *s.Workload, s.Periods)
			}
		}
		if want := []string{"payments", "ledger"}; !reflect.DeepEqual(ws, want) {
			t.Errorf("series = %v, want %v", ws, want)
		}
	})

	t.Run("charter effective in the future: nothing is scored", func(t *testing.T) {
		l := &tamledger.Ledger{Org: org(), Charters: []tamledger.Charter{charter("v1", "2026-07-01", ob("sc", "strategy-call", "monthly"))}}
		c := score.Scorecard(l, date("2026-06-30"))
		if len(c.Obligations) != 0 || c.Charter != nil || c.Adherence != nil {
			t.Errorf("got obligations %+v, charter %v, adherence %v; want none", c.Obligations, c.Charter, fptr(c.Adherence))
		}
	})
}

// Adherence = (met + 0.5·late) / (met + late + missed) over the periods
// whose end lies in [asOf − 1 year + 1 day, asOf].
func TestAdherence(t *testing.T) {
	tests := []struct {
		name                   string
		charters               []tamledger.Charter
		engagements            []tamledger.Engagement
		asOf                   string
		wantFrom               string
		obligation             string
		want                   *float64
		met, late, missed, due int
		charterAdherence       *float64
	}{
		{
			name:     "met, late and missed; the current period does not count",
			charters: []tamledger.Charter{charter("c", "2026-01-01", grace(ob("sc", "strategy-call", "monthly"), 5))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-10", "strategy-call"), eng("e2", "2026-02-10", "strategy-call"),
				eng("e3", "2026-04-03", "strategy-call")},
			asOf: "2026-05-20", wantFrom: "2025-05-21", obligation: "sc",
			want: fp(2.5 / 4), met: 2, late: 1, missed: 1, due: 0, charterAdherence: fp(2.5 / 4),
		},
		{
			name:        "a period that ended within its grace days is due and left out",
			charters:    []tamledger.Charter{charter("c", "2026-01-01", grace(ob("sc", "strategy-call", "monthly"), 5))},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-10", "strategy-call")},
			asOf:        "2026-02-03", wantFrom: "2025-02-04", obligation: "sc",
			want: fp(1), met: 1, due: 0, charterAdherence: fp(1),
		},
		{
			name:     "a period ended on asOf, within grace, counts as due",
			charters: []tamledger.Charter{charter("c", "2026-01-01", grace(ob("sc", "strategy-call", "monthly"), 5))},
			asOf:     "2026-01-31", wantFrom: "2025-02-01", obligation: "sc",
			want: nil, due: 1,
		},
		{
			name:        "periods that ended more than a year ago drop out of the window",
			charters:    []tamledger.Charter{charter("c", "2025-01-01", ob("cr", "cost-review", "quarterly"))},
			engagements: []tamledger.Engagement{eng("e1", "2025-02-01", "cost-review"), eng("e2", "2025-05-01", "cost-review")},
			// window [2025-07-01, 2026-06-30]: Q2 2025 ends 2025-06-30, out;
			// Q2 2026 ends on asOf with nothing delivered: due.
			asOf: "2026-06-30", wantFrom: "2025-07-01", obligation: "cr",
			want: fp(0), missed: 3, due: 1, charterAdherence: fp(0),
		},
		{
			name:        "a period ending on the window's first day counts",
			charters:    []tamledger.Charter{charter("c", "2025-01-01", ob("cr", "cost-review", "quarterly"))},
			engagements: []tamledger.Engagement{eng("e2", "2025-05-01", "cost-review")},
			// window [2025-06-30, 2026-06-29]: Q2 2025 (met) counts, Q2 2026 has not ended.
			asOf: "2026-06-29", wantFrom: "2025-06-30", obligation: "cr",
			want: fp(0.25), met: 1, missed: 3, charterAdherence: fp(0.25),
		},
		{
			name:        "window ending on 29 February starts on 1 March (a year back from 29 February is 28 February)",
			charters:    []tamledger.Charter{charter("c", "2027-01-01", ob("sc", "strategy-call", "monthly"))},
			engagements: []tamledger.Engagement{eng("e1", "2027-02-10", "strategy-call"), eng("e2", "2028-02-29", "strategy-call")},
			asOf:        "2028-02-29", wantFrom: "2027-03-01", obligation: "sc",
			// Feb 2027 (met) ended before the window; Mar 2027..Jan 2028 missed; Feb 2028 met on its last day.
			want: fp(1.0 / 12), met: 1, missed: 11, charterAdherence: fp(1.0 / 12),
		},
		{
			name:        "window ending on 28 February after a leap year starts on 29 February",
			charters:    []tamledger.Charter{charter("c", "2028-01-01", ob("sc", "strategy-call", "monthly"))},
			engagements: []tamledger.Engagement{eng("e1", "2028-02-29", "strategy-call")},
			// Feb 2028 (met, ends on the window's first day) .. Jan 2029 count; Feb 2029 is due.
			asOf: "2029-02-28", wantFrom: "2028-02-29", obligation: "sc",
			want: fp(1.0 / 12), met: 1, missed: 11, due: 1, charterAdherence: fp(1.0 / 12),
		},
		{
			name: "several series pool their periods",
			charters: []tamledger.Charter{charter("c", "2026-01-01", perWorkload(ob("war", "well-architected-review", "semiannual")),
				ob("sc", "strategy-call", "quarterly"))},
			engagements: []tamledger.Engagement{eng("e1", "2026-02-01", "well-architected-review", "payments")},
			asOf:        "2026-07-01", wantFrom: "2025-07-02", obligation: "war",
			want: fp(1.0 / 2), met: 1, missed: 1,
			// sc: Q1 and Q2 missed → 0; mean(0.5, 0) = 0.25.
			charterAdherence: fp(0.25),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := org()
			o.Workloads = append(o.Workloads, tamledger.Workload{ID: "ledger", Primary: true})
			l := &tamledger.Ledger{Org: o, Charters: tt.charters, Engagements: tt.engagements}
			c := score.Scorecard(l, date(tt.asOf))
			if c.Window.From != date(tt.wantFrom) || c.Window.To != date(tt.asOf) {
				t.Errorf("window = %v..%v, want %s..%s", c.Window.From, c.Window.To, tt.wantFrom, tt.asOf)
			}
			ob := findObligation(c, tt.obligation)
			if !feq(ob.Adherence, tt.want) {
				t.Errorf("adherence = %s, want %s", fptr(ob.Adherence), fptr(tt.want))
			}
			if got, want := [4]int{ob.Met, ob.Late, ob.Missed, ob.Due}, [4]int{tt.met, tt.late, tt.missed, tt.due}; got != want {
				t.Errorf("met/late/missed/due = %v, want %v", got, want)
			}
			if !feq(c.Adherence, tt.charterAdherence) {
				t.Errorf("charter adherence = %s, want %s", fptr(c.Adherence), fptr(tt.charterAdherence))
			}
		})
	}
}

// The charter adherence is the mean of the obligations' adherences, nulls
// left out.
func TestCharterAdherenceLeavesOutNulls(t *testing.T) {
	l := &tamledger.Ledger{Org: org(),
		Charters: []tamledger.Charter{charter("c", "2026-01-01", ob("sc", "strategy-call", "monthly"),
			ob("cr", "cost-review", "quarterly"), ob("war", "well-architected-review", "annual"))},
		Engagements: []tamledger.Engagement{eng("e1", "2026-01-05", "strategy-call"), eng("e2", "2026-03-05", "strategy-call"),
			eng("e3", "2026-03-31", "cost-review")},
	}
	c := score.Scorecard(l, date("2026-04-15"))
	// sc: Jan met, Feb missed, Mar met → 2/3; cr: Q1 met → 1; war: null.
	if got := findObligation(c, "war").Adherence; got != nil {
		t.Errorf("war adherence = %v, want null", *got)
	}
	if want := (2.0/3 + 1) / 2; !feq(c.Adherence, &want) {
		t.Errorf("charter adherence = %s, want %v", fptr(c.Adherence), want)
	}
}

// Proactive ratio: engagements with initiatedBy tam / all, dated in the
// trailing window.
func TestProactiveRatio(t *testing.T) {
	tests := []struct {
		name        string
		engagements []tamledger.Engagement
		asOf        string
		want        *float64
	}{
		{"none", nil, "2026-06-30", nil},
		{"only engagements outside the window", []tamledger.Engagement{eng("a", "2025-06-30", "other"), eng("b", "2026-07-01", "other")}, "2026-06-30", nil},
		{"window edges included", []tamledger.Engagement{eng("a", "2025-07-01", "other"), byCustomer(eng("b", "2026-06-30", "other")),
			byCustomer(eng("c", "2026-01-01", "escalation")), eng("d", "2025-06-30", "other")}, "2026-06-30", fp(1.0 / 3)},
		{"29 February: 28 February of the year before is outside, 1 March inside", []tamledger.Engagement{eng("a", "2027-02-28", "other"),
			byCustomer(eng("b", "2027-03-01", "other"))}, "2028-02-29", fp(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := score.Scorecard(&tamledger.Ledger{Org: org(), Engagements: tt.engagements}, date(tt.asOf))
			if !feq(c.ProactiveRatio, tt.want) {
				t.Errorf("proactive ratio = %s, want %s", fptr(c.ProactiveRatio), fptr(tt.want))
			}
		})
	}
}

// Escalation responsiveness: cases opened in the window (date in the
// organisation's zone) whose severity has a target in the charter in force
// on that date; within target when tamEngagedAt − openedAt ≤ the target.
func TestEscalationResponsiveness(t *testing.T) {
	paths := func(c tamledger.Charter, p ...tamledger.EscalationPath) tamledger.Charter {
		c.EscalationPaths = p
		return c
	}
	crit1h := tamledger.EscalationPath{Severity: "critical", TAMResponseHours: 1}
	urgent4h := tamledger.EscalationPath{Severity: "urgent", TAMResponseHours: 4}
	kase := func(id, sev, opened string, engaged string) tamledger.Case {
		k := tamledger.Case{ID: id, Org: "acme", Severity: sev, OpenedAt: instant(opened)}
		if engaged != "" {
			k.TAMEngagedAt = instantp(engaged)
		}
		return k
	}
	tests := []struct {
		name                     string
		tz                       string
		charters                 []tamledger.Charter
		cases                    []tamledger.Case
		asOf                     string
		want                     *float64
		counted, within, pending int
	}{
		{
			name:     "exactly on target is within; a minute over is not",
			charters: []tamledger.Charter{paths(charter("c", "2026-01-01"), crit1h)},
			cases: []tamledger.Case{kase("k1", "critical", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z"),
				kase("k2", "critical", "2026-03-02T10:00:00Z", "2026-03-02T11:01:00Z")},
			asOf: "2026-06-30", want: fp(0.5), counted: 2, within: 1,
		},
		{
			name:     "a severity with no target is not counted",
			charters: []tamledger.Charter{paths(charter("c", "2026-01-01"), crit1h)},
			cases:    []tamledger.Case{kase("k1", "normal", "2026-03-01T10:00:00Z", "2026-03-01T10:05:00Z")},
			asOf:     "2026-06-30", want: nil,
		},
		{
			name: "the charter in force on the day the case was opened sets the target",
			charters: []tamledger.Charter{paths(charter("v1", "2026-01-01"), crit1h),
				paths(charter("v2", "2026-04-01"), tamledger.EscalationPath{Severity: "critical", TAMResponseHours: 2})},
			cases: []tamledger.Case{kase("k1", "critical", "2026-03-31T10:00:00Z", "2026-03-31T11:30:00Z"),
				kase("k2", "critical", "2026-04-01T10:00:00Z", "2026-04-01T11:30:00Z")},
			asOf: "2026-06-30", want: fp(0.5), counted: 2, within: 1,
		},
		{
			name: "an instant late in the evening UTC is the next day in Tokyo, under the next charter",
			tz:   "Asia/Tokyo",
			charters: []tamledger.Charter{paths(charter("v1", "2026-01-01"), urgent4h),
				paths(charter("v2", "2026-04-01"), crit1h)},
			// 2026-03-31T20:00Z is 2026-04-01 05:00 in Tokyo: v2, which has no urgent target.
			cases: []tamledger.Case{kase("k1", "urgent", "2026-03-31T20:00:00Z", "2026-03-31T21:00:00Z")},
			asOf:  "2026-06-30", want: nil,
		},
		{
			name:     "a case opened before the first charter is not counted",
			charters: []tamledger.Charter{paths(charter("c", "2026-01-01"), crit1h)},
			cases:    []tamledger.Case{kase("k1", "critical", "2025-12-31T10:00:00Z", "2025-12-31T10:30:00Z")},
			asOf:     "2026-06-30", want: nil,
		},
		{
			name:     "opened on asOf in the organisation's zone counts; opened the next day does not",
			tz:       "Asia/Tokyo",
			charters: []tamledger.Charter{paths(charter("c", "2026-01-01"), urgent4h)},
			cases: []tamledger.Case{kase("k1", "urgent", "2026-06-30T10:00:00Z", "2026-06-30T11:00:00Z"), // 19:00 in Tokyo
				kase("k2", "urgent", "2026-06-30T15:00:00Z", "2026-06-30T15:30:00Z")}, // 00:00 on 1 July in Tokyo
			asOf: "2026-06-30", want: fp(1), counted: 1, within: 1,
		},
		{
			name:     "opened before the window does not count",
			charters: []tamledger.Charter{paths(charter("c", "2025-01-01"), crit1h)},
			cases:    []tamledger.Case{kase("k1", "critical", "2025-06-30T23:00:00Z", "2025-07-01T05:00:00Z")},
			asOf:     "2026-06-30", want: nil,
		},
		{
			name:     "no TAM and the target has passed by the end of asOf: a miss",
			charters: []tamledger.Charter{paths(charter("c", "2026-01-01"), urgent4h)},
			cases:    []tamledger.Case{kase("k1", "urgent", "2026-06-30T19:59:00Z", "")},
			asOf:     "2026-06-30", want: fp(0), counted: 1,
		},
		{
			name:     "no TAM recorded is a miss, even while the target lasts (marked pending)",
			charters: []tamledger.Charter{paths(charter("c", "2026-01-01"), urgent4h)},
			cases:    []tamledger.Case{kase("k1", "urgent", "2026-06-30T20:00:00Z", "")},
			asOf:     "2026-06-30", want: fp(0), counted: 1, pending: 1,
		},
		{
			name:     "a recorded tamEngagedAt counts as recorded, even after asOf",
			charters: []tamledger.Charter{paths(charter("c", "2026-01-01"), urgent4h)},
			cases: []tamledger.Case{kase("k1", "urgent", "2026-06-30T22:00:00Z", "2026-07-01T00:30:00Z"),
				kase("k2", "urgent", "2026-06-30T08:00:00Z", "2026-07-01T08:00:00Z")},
			asOf: "2026-06-30", want: fp(0.5), counted: 2, within: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := org()
			o.Timezone = tt.tz
			c := score.Scorecard(&tamledger.Ledger{Org: o, Charters: tt.charters, Cases: tt.cases}, date(tt.asOf))
			if !feq(c.EscalationResponsiveness, tt.want) {
				t.Errorf("responsiveness = %s, want %s", fptr(c.EscalationResponsiveness), fptr(tt.want))
			}
			if got, want := [3]int{c.Counts.Cases, c.Counts.CasesWithinTarget, c.Counts.CasesPending}, [3]int{tt.counted, tt.within, tt.pending}; got != want {
				t.Errorf("counted/within/pending = %v, want %v", got, want)
			}
		})
	}
}

// Health = round half up (100 × weighted mean); null components drop out
// and the others' weights scale up.
func TestHealth(t *testing.T) {
	// proactive builds n engagements of which k are TAM-initiated.
	proactive := func(k, n int) []tamledger.Engagement {
		var es []tamledger.Engagement
		for i := range n {
			e := eng("e"+strings.Repeat("x", i), "2026-03-01", "other")
			if i >= k {
				e = byCustomer(e)
			}
			es = append(es, e)
		}
		return es
	}
	tests := []struct {
		name        string
		charters    []tamledger.Charter
		engagements []tamledger.Engagement
		cases       []tamledger.Case
		score       *int
		band        string
		weights     [3]float64
	}{
		{name: "no component at all: score and band null", weights: [3]float64{0, 0, 0}},
		{name: "64.5 rounds up to 65", engagements: proactive(129, 200), score: intp(65), band: "mixed", weights: [3]float64{0, 1, 0}},
		{name: "64 stays 64", engagements: proactive(128, 200), score: intp(64), band: "mixed", weights: [3]float64{0, 1, 0}},
		{name: "79.5 rounds up to 80: proactive", engagements: proactive(159, 200), score: intp(80), band: "proactive", weights: [3]float64{0, 1, 0}},
		{name: "79 is mixed", engagements: proactive(79, 100), score: intp(79), band: "mixed", weights: [3]float64{0, 1, 0}},
		{name: "50 is mixed", engagements: proactive(1, 2), score: intp(50), band: "mixed", weights: [3]float64{0, 1, 0}},
		{name: "49 is reactive", engagements: proactive(49, 100), score: intp(49), band: "reactive", weights: [3]float64{0, 1, 0}},
		{name: "0 is reactive", engagements: proactive(0, 3), score: intp(0), band: "reactive", weights: [3]float64{0, 1, 0}},
		{
			name:     "adherence 0.5 and proactive 1, no cases: (0.6·0.5 + 0.25·1) / 0.85 = 64.7 → 65",
			charters: []tamledger.Charter{charter("c", "2026-01-01", ob("sc", "strategy-call", "monthly"))},
			// Jan met (the engagement), Feb missed; asOf 2026-03-01.
			engagements: []tamledger.Engagement{eng("e1", "2026-01-10", "strategy-call")},
			score:       intp(65), band: "mixed", weights: [3]float64{12.0 / 17, 5.0 / 17, 0},
		},
		{
			name: "all three components: (0.6·0.5 + 0.25·1 + 0.15·0) = 55",
			charters: []tamledger.Charter{func() tamledger.Charter {
				c := charter("c", "2026-01-01", ob("sc", "strategy-call", "monthly"))
				c.EscalationPaths = []tamledger.EscalationPath{{Severity: "critical", TAMResponseHours: 1}}
				return c
			}()},
			engagements: []tamledger.Engagement{eng("e1", "2026-01-10", "strategy-call")},
			cases:       []tamledger.Case{{ID: "k", Severity: "critical", OpenedAt: instant("2026-02-01T00:00:00Z")}},
			score:       intp(55), band: "mixed", weights: [3]float64{0.6, 0.25, 0.15},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := score.Scorecard(&tamledger.Ledger{Org: org(), Charters: tt.charters, Engagements: tt.engagements, Cases: tt.cases}, date("2026-03-01"))
			h := c.Health
			if (h.Score == nil) != (tt.score == nil) || (h.Score != nil && *h.Score != *tt.score) {
				t.Errorf("score = %v, want %v", ip(h.Score), ip(tt.score))
			}
			band := ""
			if h.Band != nil {
				band = *h.Band
			}
			if band != tt.band {
				t.Errorf("band = %q, want %q", band, tt.band)
			}
			if len(h.Components) != 3 {
				t.Fatalf("components = %+v, want 3", h.Components)
			}
			names := []string{"adherence", "proactiveRatio", "escalationResponsiveness"}
			for i, comp := range h.Components {
				if comp.Name != names[i] || math.Abs(comp.Weight-tt.weights[i]) > 1e-12 {
					t.Errorf("component %d = %s weight %v, want %s weight %v", i, comp.Name, comp.Weight, names[i], tt.weights[i])
				}
				if (comp.Value == nil) != (tt.weights[i] == 0) {
					t.Errorf("component %s value %s with weight %v", comp.Name, fptr(comp.Value), comp.Weight)
				}
			}
		})
	}
}

func fp(f float64) *float64 { return &f }

func ip(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func feq(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-12
}
