package main

import (
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

func TestPeriodStrip(t *testing.T) {
	d := tamledger.MustDate
	month := func(start, end, status string) score.Period {
		return score.Period{Start: d(start), End: d(end), Status: status}
	}
	ps := []score.Period{
		month("2026-01-01", "2026-01-31", score.Met), month("2026-02-01", "2026-02-28", score.Late),
		month("2026-03-01", "2026-03-31", score.Missed), month("2026-05-01", "2026-05-31", score.Due),
	}
	tests := []struct {
		width int
		want  string
	}{
		{40, "2026-01 ● ◐ ✗ | ·"},
		{17, "2026-01 ● ◐ ✗ | ·"},
		{16, "… 2026-03 ✗ | ·"},
		{9, "… 2026-05 ·"},
	}
	for _, tt := range tests {
		if got := periodStrip(ps, "monthly", tt.width); got != tt.want {
			t.Errorf("width %d: %q, want %q", tt.width, got, tt.want)
		}
	}
	if got := periodStrip(nil, "annual", 30); got != "(no period yet)" {
		t.Errorf("no periods: %q", got)
	}
	for cadence, want := range map[string]string{"monthly": "2026-04", "quarterly": "2026-Q2", "semiannual": "2026-H1", "annual": "2026"} {
		if got := score.PeriodLabel(d("2026-04-01"), cadence); got != want {
			t.Errorf("label %s = %q, want %q", cadence, got, want)
		}
	}
}
