package demo_test

import (
	"slices"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/score"
)

// byOrg groups Generate's records into one Ledger per organisation.
func byOrg(recs []tamledger.Record) map[string]*tamledger.Ledger {
	out := map[string]*tamledger.Ledger{}
	get := func(org string) *tamledger.Ledger {
		if out[org] == nil {
			out[org] = &tamledger.Ledger{}
		}
		return out[org]
	}
	for _, r := range recs {
		switch v := r.Value.(type) {
		case *tamledger.Organization:
			get(r.ID).Org = v
		case *tamledger.Charter:
			get(r.Org).Charters = append(get(r.Org).Charters, *v)
		case *tamledger.Engagement:
			get(r.Org).Engagements = append(get(r.Org).Engagements, *v)
		case *tamledger.Recommendation:
			get(r.Org).Recommendations = append(get(r.Org).Recommendations, *v)
		case *tamledger.Case:
			get(r.Org).Cases = append(get(r.Org).Cases, *v)
		case *tamledger.Event:
			get(r.Org).Events = append(get(r.Org).Events, *v)
		case *tamledger.ReassignmentRequest:
			get(r.Org).Reassignments = append(get(r.Org).Reassignments, *v)
		}
	}
	return out
}

// TestStoriesHoldUnderTheEngine evaluates the demo with the real rules
// engine: every organisation lands in its story's band and raises exactly its
// story's actions, and together they show every band and every action code.
func TestStoriesHoldUnderTheEngine(t *testing.T) {
	for _, asOf := range []string{"2026-11-27", "2026-02-28", "2027-07-01", "2028-02-29"} {
		for _, seed := range []int64{1, 2, 3} {
			day := tamledger.MustDate(asOf)
			ls := byOrg(demo.Generate(seed, day))
			codes := map[string]bool{}
			bands := map[string]bool{}
			for _, st := range demo.Stories() {
				l := ls[st.Org]
				if l == nil {
					t.Fatalf("asOf %s seed %d: no records for %s", asOf, seed, st.Org)
				}
				card := score.Scorecard(l, day)
				band := ""
				if card.Health.Band != nil {
					band = *card.Health.Band
				}
				if band != st.Band {
					t.Errorf("asOf %s seed %d: %s band %q, story says %q", asOf, seed, st.Org, band, st.Band)
				}
				bands[band] = true
				var got []string
				for _, a := range score.Actions(l, day) {
					if !slices.Contains(got, a.Code) {
						got = append(got, a.Code)
					}
					codes[a.Code] = true
				}
				slices.Sort(got)
				if !slices.Equal(got, st.Actions) {
					t.Errorf("asOf %s seed %d: %s actions %v, story says %v", asOf, seed, st.Org, got, st.Actions)
				}
			}
			for _, c := range score.Codes {
				if !codes[c] {
					t.Errorf("asOf %s seed %d: action %s appears for no organisation", asOf, seed, c)
				}
			}
			for _, b := range []string{"proactive", "mixed", "reactive"} {
				if !bands[b] {
					t.Errorf("asOf %s seed %d: band %s appears for no organisation", asOf, seed, b)
				}
			}
		}
	}
}
