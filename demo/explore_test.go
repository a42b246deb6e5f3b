package demo_test

import (
	"os"
	"slices"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
)

func TestExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	days := []string{"2026-05-15", "2026-01-01", "2025-12-31", "2026-03-31", "2026-04-01", "2026-07-01",
		"2026-09-30", "2027-02-28", "2024-02-29", "2025-08-17", "2026-02-10", "2026-10-20", "2026-06-05"}
	if os.Getenv("EXPLORE") == "big" {
		days = nil
		for d := tamledger.MustDate("2024-01-01"); d.Year < 2028; d = d.AddDays(23) {
			days = append(days, d.String())
		}
	}
	nseeds := int64(30)
	if os.Getenv("EXPLORE") == "big" {
		nseeds = 60
	}
	stories := demo.Stories()
	lo := map[string]int{}
	hi := map[string]int{}
	bad := map[string]int{}
	for seed := int64(1); seed <= nseeds; seed++ {
		for _, day := range days {
			asOf := tamledger.MustDate(day)
			for i, l := range ledgers(demo.Generate(seed, asOf)) {
				s := stories[i]
				if got := actions(l, asOf); !slices.Equal(got, s.Actions) {
					bad[s.Org]++
					if bad[s.Org] < 3 {
						t.Logf("seed %d %s %s: %v", seed, day, s.Org, got)
					}
				}
				score, band, parts := health(l, asOf)
				if band != s.Band {
					t.Logf("seed %d %s %s: %d %s", seed, day, s.Org, score, parts)
				}
				if v, ok := lo[s.Org]; !ok || score < v {
					lo[s.Org] = score
				}
				if score > hi[s.Org] {
					hi[s.Org] = score
				}
			}
		}
	}
	for _, s := range stories {
		t.Logf("%-20s %-9s %3d..%3d  action mismatches %d", s.Org, s.Band, lo[s.Org], hi[s.Org], bad[s.Org])
	}
}
