package score

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tamledger/tamledger"
)

// PortfolioRow is one organisation's line in `tamledger portfolio`.
type PortfolioRow struct {
	Organization             string         `json:"organization"`
	Name                     string         `json:"name"`
	AsOf                     tamledger.Date `json:"asOf"`
	Score                    *int           `json:"score"`
	Band                     *string        `json:"band"`
	Adherence                *float64       `json:"adherence"`
	ProactiveRatio           *float64       `json:"proactiveRatio"`
	EscalationResponsiveness *float64       `json:"escalationResponsiveness"`
	Critical                 int            `json:"critical"` // critical actions
	High                     int            `json:"high"`     // high actions
}

// Summarize is the organisation's portfolio line as of asOf.
func Summarize(l *tamledger.Ledger, asOf tamledger.Date) PortfolioRow {
	org := orgOf(l)
	card := Scorecard(l, asOf)
	row := PortfolioRow{
		Organization:             org.ID,
		Name:                     org.Name,
		AsOf:                     asOf,
		Score:                    card.Health.Score,
		Band:                     card.Health.Band,
		Adherence:                card.Adherence,
		ProactiveRatio:           card.ProactiveRatio,
		EscalationResponsiveness: card.EscalationResponsiveness,
	}
	for _, a := range actions(l, asOf, card) {
		switch a.Severity {
		case Critical:
			row.Critical++
		case High:
			row.High++
		}
	}
	return row
}

// SortWorstFirst orders portfolio rows worst first: by health score
// ascending, organisations with no score first (nothing is known, which is
// worst); then more critical actions, then more high actions; then by
// organisation id.
func SortWorstFirst(rows []PortfolioRow) {
	slices.SortStableFunc(rows, func(a, b PortfolioRow) int {
		if c := cmp.Compare(scoreKey(a.Score), scoreKey(b.Score)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Critical, a.Critical); c != 0 {
			return c
		}
		if c := cmp.Compare(b.High, a.High); c != 0 {
			return c
		}
		return strings.Compare(a.Organization, b.Organization)
	})
}

func scoreKey(s *int) int {
	if s == nil {
		return -1
	}
	return *s
}
