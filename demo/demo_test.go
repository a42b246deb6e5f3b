package demo_test

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
)

var asOf = tamledger.MustDate("2026-05-15")

// kindOrder is the order of kinds within one organisation's records.
var kindOrder = []string{tamledger.KindOrganization, tamledger.KindCharter, tamledger.KindEngagement,
	tamledger.KindRecommendation, tamledger.KindCase, tamledger.KindEvent, tamledger.KindReassignmentRequest}

// checkRecords checks everything Generate and Stream promise of their
// records, except the stories: each validates, keys are well formed and
// unique, references resolve, nothing happened after asOf, and each
// organisation's records come together in the documented order.
func checkRecords(t *testing.T, recs []tamledger.Record, asOf tamledger.Date) {
	t.Helper()
	errs := 0
	fail := func(r tamledger.Record, format string, args ...any) {
		t.Helper()
		if errs++; errs <= 20 {
			t.Errorf("%s %s/%s: %s", r.Kind, r.Org, r.ID, fmt.Sprintf(format, args...))
		}
	}
	type key struct{ kind, org, id string }
	seen := map[key]bool{}
	orgs := map[string]*tamledger.Organization{}
	done := map[string]bool{} // organisations whose records are over
	engagements := map[string]map[string]bool{}
	effective := map[string]map[tamledger.Date]bool{}
	current, last := "", 0
	for _, r := range recs {
		if r.Value == nil || reflect.TypeOf(r.Value) != reflect.TypeOf(tamledger.NewValue(r.Kind)) {
			fail(r, "value %T does not match the kind", r.Value)
			continue
		}
		if err := r.Value.(tamledger.Validator).Validate(); err != nil {
			fail(r, "invalid: %v", err)
		}
		if !tamledger.ValidID(r.ID) {
			fail(r, "bad id")
		}
		k := key{r.Kind, r.Org, r.ID}
		if seen[k] {
			fail(r, "duplicate (kind, organisation, id)")
		}
		seen[k] = true

		// Grouping and order.
		org := r.Org
		if r.Kind == tamledger.KindOrganization {
			org = r.ID
			if r.Org != "" {
				fail(r, "an Organization record has organisation %q", r.Org)
			}
		}
		if org != current {
			if done[org] {
				fail(r, "organisation %s's records are not together", org)
			}
			if current != "" {
				done[current] = true
			}
			current, last = org, 0
			if r.Kind != tamledger.KindOrganization {
				fail(r, "an organisation's records must start with its Organization")
			}
		}
		i := slices.Index(kindOrder, r.Kind)
		if i < last {
			fail(r, "kind out of order")
		}
		last = i

		o := orgs[org]
		switch v := r.Value.(type) {
		case *tamledger.Organization:
			if v.ID != r.ID {
				fail(r, "value id %q", v.ID)
			}
			orgs[r.ID] = v
			engagements[r.ID] = map[string]bool{}
			effective[r.ID] = map[tamledger.Date]bool{}
			continue
		case *tamledger.Charter:
			if v.ID != r.ID || v.Org != r.Org {
				fail(r, "value key %s/%s", v.Org, v.ID)
			}
			if effective[org][v.Effective] {
				fail(r, "two charter versions take effect on %s", v.Effective)
			}
			effective[org][v.Effective] = true
		case *tamledger.Engagement:
			if v.ID != r.ID || v.Org != r.Org {
				fail(r, "value key %s/%s", v.Org, v.ID)
			}
			if v.Date.After(asOf) {
				fail(r, "dated %s, after asOf", v.Date)
			}
			for _, w := range v.Workloads {
				if o != nil && o.Workload(w) == nil {
					fail(r, "unknown workload %q", w)
				}
			}
			if engagements[org] != nil {
				engagements[org][v.ID] = true
			}
		case *tamledger.Recommendation:
			if v.ID != r.ID || v.Org != r.Org {
				fail(r, "value key %s/%s", v.Org, v.ID)
			}
			if v.RaisedOn.After(asOf) {
				fail(r, "raised %s, after asOf", v.RaisedOn)
			}
			if v.Workload != "" && o != nil && o.Workload(v.Workload) == nil {
				fail(r, "unknown workload %q", v.Workload)
			}
			if v.Engagement != "" && !engagements[org][v.Engagement] {
				fail(r, "unknown engagement %q", v.Engagement)
			}
			if v.ImplementedOn != nil && (v.ImplementedOn.After(asOf) || v.ImplementedOn.Before(v.RaisedOn) || v.Status != "implemented") {
				fail(r, "implemented on %s (raised %s, status %s)", v.ImplementedOn, v.RaisedOn, v.Status)
			}
			if v.Status == "implemented" && v.ImplementedOn == nil {
				fail(r, "implemented without implementedOn")
			}
		case *tamledger.Case:
			if v.ID != r.ID || v.Org != r.Org {
				fail(r, "value key %s/%s", v.Org, v.ID)
			}
			if v.OpenedAt.Location() != time.UTC {
				fail(r, "openedAt not in UTC")
			}
			if o != nil && tamledger.DateIn(v.OpenedAt, o.Location()).After(asOf) {
				fail(r, "opened after asOf")
			}
			if v.TAMEngagedAt != nil && v.TAMEngagedAt.Before(v.OpenedAt) {
				fail(r, "TAM engaged before the case opened")
			}
			if v.ResolvedAt != nil && v.ResolvedAt.Before(v.OpenedAt) {
				fail(r, "resolved before it opened")
			}
		case *tamledger.Event:
			if v.ID != r.ID || v.Org != r.Org {
				fail(r, "value key %s/%s", v.Org, v.ID)
			}
			if q := v.IEMRequestedOn; q != nil && (q.After(asOf) || q.After(v.Date)) {
				fail(r, "IEM requested %s for an event on %s", q, v.Date)
			}
		case *tamledger.ReassignmentRequest:
			if v.ID != r.ID || v.Org != r.Org {
				fail(r, "value key %s/%s", v.Org, v.ID)
			}
			if v.RequestedOn.After(asOf) {
				fail(r, "requested after asOf")
			}
		default:
			fail(r, "unexpected kind")
			continue
		}
		if o == nil {
			fail(r, "unknown organisation %q", r.Org)
		}
	}
	if errs > 20 {
		t.Errorf("... and %d more", errs-20)
	}
}

func TestGenerateValid(t *testing.T) {
	for _, day := range []string{"2026-05-15", "2024-02-29", "2027-12-31"} {
		t.Run(day, func(t *testing.T) {
			d := tamledger.MustDate(day)
			recs := demo.Generate(1, d)
			checkRecords(t, recs, d)
			n := 0
			for _, r := range recs {
				if r.Kind == tamledger.KindOrganization {
					n++
				}
			}
			if n != len(demo.Stories()) {
				t.Errorf("%d organisations, want %d", n, len(demo.Stories()))
			}
		})
	}
}

// TestGenerateVariety checks the portfolio has the range the demo promises.
func TestGenerateVariety(t *testing.T) {
	recs := demo.Generate(1, asOf)
	var (
		zones       = map[string]bool{}
		currencies  = map[string]bool{}
		seniorities = map[string]bool{}
		initiators  = map[string]bool{}
		services    = map[string]bool{}
		origins     = map[string]bool{}
		statuses    = map[string]bool{}
		severities  = map[string]bool{}
		eventTypes  = map[string]bool{}
		minSpend    = 1e18
		maxSpend    = 0.0
		versions    = map[string]int{}
	)
	var withAccounts, withoutPortfolio, withoutBackup, regulated, withIncident, withArch, contextual, realized int
	for _, r := range recs {
		switch v := r.Value.(type) {
		case *tamledger.Organization:
			zones[v.Timezone], currencies[v.Currency] = true, true
			seniorities[v.AccountTeam.TAM.Seniority] = true
			s, _ := v.Spend().Float64()
			minSpend, maxSpend = min(minSpend, s), max(maxSpend, s)
			if len(v.Accounts) > 0 {
				withAccounts++
			}
			if v.AccountTeam.TAM.PortfolioSize == nil {
				withoutPortfolio++
			} else if n := *v.AccountTeam.TAM.PortfolioSize; n < 12 || n > 60 {
				t.Errorf("%s: portfolio size %d", v.ID, n)
			}
			if v.AccountTeam.BackupTAM == nil {
				withoutBackup++
			}
			for _, w := range v.Workloads {
				if w.Regulated {
					regulated++
				}
			}
		case *tamledger.Charter:
			versions[v.Org]++
		case *tamledger.Engagement:
			initiators[v.InitiatedBy], services[v.Service] = true, true
		case *tamledger.Recommendation:
			origins[v.Origin], statuses[v.Status] = true, true
			if v.IncidentAvoided != nil {
				withIncident++
			}
			if v.ArchitectureValue != nil {
				withArch++
			}
			if v.ContextualizedByTAM {
				contextual++
			}
			if v.RealizedMonthlySavings != nil {
				realized++
			}
		case *tamledger.Case:
			severities[v.Severity] = true
		case *tamledger.Event:
			eventTypes[v.Type] = true
		}
	}
	for _, z := range []string{"Asia/Tokyo", "America/Los_Angeles", "Europe/London"} {
		if !zones[z] {
			t.Errorf("no organisation in %s", z)
		}
	}
	if len(currencies) < 4 {
		t.Errorf("currencies %v, want at least four", currencies)
	}
	if minSpend > 70000 || maxSpend < 2500000 {
		t.Errorf("monthly spend from %.0f to %.0f, want about 60k to 3M", minSpend, maxSpend)
	}
	every := func(what string, got map[string]bool, want []string) {
		t.Helper()
		for _, w := range want {
			if !got[w] {
				t.Errorf("no %s %q", what, w)
			}
		}
	}
	every("seniority", seniorities, tamledger.Seniorities.Values())
	every("initiator", initiators, tamledger.Initiators.Values())
	every("service", services, tamledger.Services.Values())
	every("origin", origins, tamledger.Origins.Values())
	every("status", statuses, tamledger.Statuses.Values())
	every("severity", severities, tamledger.Severities.Values())
	every("event type", eventTypes, []string{"migration", "launch", "dr-test", "peak"})
	two := 0
	for _, n := range versions {
		if n >= 2 {
			two++
		}
	}
	for what, n := range map[string]int{
		"organisations with accounts[]":             withAccounts,
		"organisations with two charter versions":   two,
		"regulated workloads":                       regulated,
		"recommendations with incidentAvoided":      withIncident,
		"recommendations with architectureValue":    withArch,
		"recommendations contextualised by the TAM": contextual,
		"recommendations with realized savings":     realized,
		"organisations without a charter":           len(demo.Stories()) - len(versions),
	} {
		if n < 1 {
			t.Errorf("no %s", what)
		}
	}
	if withoutPortfolio != 1 || withoutBackup != 1 {
		t.Errorf("%d organisations without a portfolio size and %d without a backup TAM, want one each", withoutPortfolio, withoutBackup)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a, b := demo.Generate(7, asOf), demo.Generate(7, asOf)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls with the same seed and asOf differ")
	}
	if c := demo.Generate(8, asOf); reflect.DeepEqual(a, c) {
		t.Error("seeds 7 and 8 give the same portfolio")
	}
}

func TestStories(t *testing.T) {
	stories := demo.Stories()
	ids := map[string]bool{}
	for _, s := range stories {
		if ids[s.Org] || !tamledger.ValidID(s.Org) || s.Name == "" || s.Summary == "" {
			t.Errorf("story %+v", s)
		}
		ids[s.Org] = true
		if !slices.IsSorted(s.Actions) {
			t.Errorf("%s: actions not sorted", s.Org)
		}
	}
	recs := demo.Generate(1, asOf)
	i := 0
	for _, r := range recs {
		if r.Kind != tamledger.KindOrganization {
			continue
		}
		if i >= len(stories) || stories[i].Org != r.ID || stories[i].Name != r.Value.(*tamledger.Organization).Name {
			t.Fatalf("organisation %d is %s, want the stories' order", i, r.ID)
		}
		i++
	}
}

func TestStream(t *testing.T) {
	const orgs, years = 50, 3
	var recs []tamledger.Record
	err := demo.Stream(1, orgs, years, asOf, func(r tamledger.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRecords(t, recs, asOf)
	count := map[string]int{}
	for _, r := range recs {
		count[r.Kind]++
	}
	if count[tamledger.KindOrganization] != orgs {
		t.Fatalf("%d organisations, want %d", count[tamledger.KindOrganization], orgs)
	}
	// Per organisation over three years: about 200 engagements, 50
	// recommendations and 10 cases.
	for kind, want := range map[string]float64{
		tamledger.KindEngagement:     200,
		tamledger.KindRecommendation: 50,
		tamledger.KindCase:           10,
	} {
		got := float64(count[kind]) / orgs
		if got < want*0.85 || got > want*1.15 {
			t.Errorf("%.1f %s records per organisation, want about %.0f", got, kind, want)
		}
	}
	t.Logf("counts: %v", count)

	t.Run("deterministic", func(t *testing.T) {
		var again []tamledger.Record
		demo.Stream(1, orgs, years, asOf, func(r tamledger.Record) error { again = append(again, r); return nil })
		if !reflect.DeepEqual(recs, again) {
			t.Error("two streams with the same arguments differ")
		}
	})
	t.Run("prefix", func(t *testing.T) {
		// The first organisations do not depend on how many are asked for.
		var few []tamledger.Record
		demo.Stream(1, 3, years, asOf, func(r tamledger.Record) error { few = append(few, r); return nil })
		if !reflect.DeepEqual(few, recs[:len(few)]) {
			t.Error("Stream(3 orgs) is not a prefix of Stream(50 orgs)")
		}
	})
	t.Run("error", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := demo.Stream(1, orgs, years, asOf, func(tamledger.Record) error {
			if n++; n == 10 {
				return stop
			}
			return nil
		})
		if err != stop || n != 10 {
			t.Errorf("Stream returned %v after %d records, want the callback's error after 10", err, n)
		}
	})
}

// BenchmarkStream measures Stream over 1,000 organisations with three
// years each (about 270,000 records), and the peak heap while it runs:
//
//	go test ./demo -run '^$' -bench Stream -benchtime 3x
func BenchmarkStream(b *testing.B) {
	var peak uint64
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		demo.Stream(1, 1000, 3, asOf, func(tamledger.Record) error {
			if n++; n%20000 == 0 {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
			return nil
		})
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
