package ui

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/internal/svgchart"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/score"
)

var funcs = template.FuncMap{
	"pct":   render.Percent,
	"money": render.Money,
	"moneyp": func(m *tamledger.Money, currency string) string {
		if m == nil {
			return "–"
		}
		return render.Money(*m, currency)
	},
	"multiple":  render.Multiple,
	"longdate":  render.LongDate,
	"spark":     svgchart.Sparkline,
	"bandclass": svgchart.BandClass,
	"score": func(s *int) string {
		if s == nil {
			return "–"
		}
		return fmt.Sprint(*s)
	},
	"band": func(b *string) string {
		if b == nil {
			return "no score"
		}
		return *b
	},
	"weight": func(v *float64, w float64) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprintf("%.2f", w)
	},
	"hours": func(h *float64) string {
		if h == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f h", math.Round(*h*10)/10)
	},
	"datep": func(d *tamledger.Date) string {
		if d == nil {
			return "–"
		}
		return d.String()
	},
	"orgpath":  orgPath,
	"orgname":  orgName,
	"severity": func(s string) int { return score.SeverityRank(s) },
	"join":     strings.Join,
	"days": func(n int) string {
		switch {
		case n == 0:
			return "today"
		case n == 1:
			return "tomorrow"
		case n == -1:
			return "yesterday"
		case n < 0:
			return fmt.Sprintf("%d days ago", -n)
		}
		return fmt.Sprintf("in %d days", n)
	},
	"owner": ownerText,
	"lines": func(s string) []string { return strings.Split(s, "\n") },
	"lastspark": func(s []*int) *int {
		if len(s) == 0 {
			return nil
		}
		return s[len(s)-1]
	},
	"eq2": func(a, b string) bool { return a == b },
	"refpath": func(org, kind, ref string) string {
		if kind == "iem" {
			return orgPath(org, "events", ref)
		}
		return orgPath(org, "recommendations", ref)
	},
	"kindtitle": func(k string) string {
		return map[string]string{"costSavings": "Cost savings", "incidentsAvoided": "Incidents avoided", "architecture": "Architecture", "iem": "Event management (IEM)"}[k]
	},
}
