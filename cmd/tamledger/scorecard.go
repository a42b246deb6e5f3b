package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/report"
	"github.com/tamledger/tamledger/score"
)

func init() { register(newScorecardCmd) }

func newScorecardCmd(a *app) *cobra.Command {
	var org, asOf string
	c := &cobra.Command{
		Use:   "scorecard --org ID [--as-of DATE] [-o table|json]",
		Short: "Is the charter being delivered? Adherence, proactive ratio, responsiveness, health",
		Long: `Scorecard evaluates the TAM Engagement Charter of one organisation as of a
date (default: today in the organisation's time zone).

For each obligation it matches engagements to the calendar periods of its
cadence (months, quarters, halves, years) and shows each period as met (●),
late — within the grace days (◐), missed (✗) or still due (·); the adherence
(met + 0.5·late) / (met + late + missed) over the periods that ended in the
trailing year; the proactive ratio (TAM-initiated engagements / all) and the
escalation responsiveness (cases with the TAM engaged within the charter's
target / all); and the health score, their weighted mean (0.6, 0.25, 0.15)
on 0–100: proactive from 80, mixed from 50, reactive below.

-o json prints every period and the unrounded ratios. The rules, and every
choice made where the specification is silent, are in docs/scorecard.md.`,
		Example: `  tamledger scorecard --org acme
  tamledger scorecard --org acme --as-of 2026-03-31
  tamledger scorecard --org acme -o json | jq '.health'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			l, err := a.ledger(cmd.Context(), org)
			if err != nil {
				return err
			}
			day, err := parseAsOf(asOf, l.Org)
			if err != nil {
				return err
			}
			card := report.Scorecard(l, day)
			if format == "json" {
				return writeJSON(a.out, card)
			}
			return writeScorecard(a.out, l, card)
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation id (required)")
	c.Flags().StringVar(&asOf, "as-of", "", "evaluate as of this date, YYYY-MM-DD (default today in the organisation's time zone)")
	return c
}

// Period symbols of the table.
var periodSymbol = map[string]string{score.Met: "●", score.Late: "◐", score.Missed: "✗", score.Due: "·"}

// writeScorecard prints the card for people, in at most 100 columns.
func writeScorecard(w io.Writer, l *tamledger.Ledger, c *score.Card) error {
	var b strings.Builder
	head := fmt.Sprintf("Scorecard of %s as of %s (trailing year %s to %s)", orgTitle(l.Org, tableWidth), c.AsOf, c.Window.From, c.Window.To)
	if displayWidth(head) > tableWidth { // a long name: the window on a line of its own
		head = fmt.Sprintf("Scorecard of %s as of %s\nTrailing year %s to %s", orgTitle(l.Org, tableWidth-30), c.AsOf, c.Window.From, c.Window.To)
	}
	b.WriteString(head + "\n")
	if c.Charter == nil {
		b.WriteString("No charter in force: agree one (tamledger actions says what to put in it).\n")
	} else {
		fmt.Fprintf(&b, "Charter %s", clip(printable(*c.Charter), tableWidth-30))
		for _, ch := range l.Charters {
			if ch.ID == *c.Charter {
				fmt.Fprintf(&b, ", effective %s", ch.Effective)
			}
		}
		b.WriteString("\n")
	}

	if len(c.Obligations) > 0 {
		idWidth := len("OBLIGATION")
		for _, ob := range c.Obligations {
			idWidth = max(idWidth, len(ob.ID))
			for _, s := range ob.Series {
				if s.Workload != nil {
					idWidth = max(idWidth, 2+len(*s.Workload))
				}
			}
		}
		idWidth = min(idWidth, 22)
		row := func(id, cadence, adherence, met, late, missed, due, strip string) {
			line := fmt.Sprintf("%s  %-10s  %9s  %3s %4s %6s %3s  %s", padRight(clip(printable(id), idWidth), idWidth), cadence, adherence, met, late, missed, due, strip)
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		stripWidth := tableWidth - (idWidth + 2 + 10 + 2 + 9 + 2 + 3 + 1 + 4 + 1 + 6 + 1 + 3 + 2)
		b.WriteString("\n")
		row("OBLIGATION", "CADENCE", "ADHERENCE", "MET", "LATE", "MISSED", "DUE", "PERIODS (latest last)")
		for _, ob := range c.Obligations {
			var own, perWorkload []score.Series
			for _, s := range ob.Series {
				if s.Workload == nil {
					own = append(own, s)
				} else {
					perWorkload = append(perWorkload, s)
				}
			}
			strip := ""
			if len(own) == 1 {
				strip = periodStrip(own[0].Periods, ob.Cadence, stripWidth)
			}
			row(ob.ID, ob.Cadence, render.Percent(ob.Adherence), itoa(ob.Met), itoa(ob.Late), itoa(ob.Missed), itoa(ob.Due), strip)
			for _, s := range perWorkload {
				row("  "+*s.Workload, "", "", "", "", "", "", periodStrip(s.Periods, ob.Cadence, stripWidth))
			}
		}
		b.WriteString("\n● met  ◐ late (within the grace days)  ✗ missed  · due  | periods left out by a charter change\n" +
			"Adherence and counts cover the periods that ended in the trailing year; – means none did.\n")
	}

	b.WriteString("\n")
	components := newTable(fixedCol("COMPONENT"), numCol("VALUE"), numCol("WEIGHT"), proseCol("FROM", 30))
	for _, comp := range c.Health.Components {
		weight := "–"
		if comp.Value != nil {
			weight = fmt.Sprintf("%.2f", comp.Weight)
		}
		components.add(score.ComponentTitle(comp.Name), render.Percent(comp.Value), weight, c.Explain(comp.Name))
	}
	components.render(&b)
	if c.Health.Score == nil {
		b.WriteString("\nHealth: no score yet (no obligation period has ended, no engagement, no case in the trailing year)\n")
	} else {
		fmt.Fprintf(&b, "\nHealth: %d (%s)\n", *c.Health.Score, *c.Health.Band)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// periodStrip is "label ● ◐ ✗ ·" for the latest periods that fit in width:
// the first shown period's label, then one symbol per period, "|" where a
// charter change left periods out; "… " in front when earlier periods are
// cut off.
func periodStrip(ps []score.Period, cadence string, width int) string {
	if len(ps) == 0 {
		return "(no period yet)"
	}
	render := func(first int) string {
		var b strings.Builder
		if first > 0 {
			b.WriteString("… ")
		}
		b.WriteString(score.PeriodLabel(ps[first].Start, cadence))
		for i := first; i < len(ps); i++ {
			if i > first && ps[i].Start != ps[i-1].End.AddDays(1) {
				b.WriteString(" |")
			}
			b.WriteString(" " + periodSymbol[ps[i].Status])
		}
		return b.String()
	}
	first := len(ps) - 1
	for first > 0 && len([]rune(render(first-1))) <= width {
		first--
	}
	return render(first)
}

// orgTitle is "Acme Corp (acme)", or the id alone, printable and in at
// most n columns: the name gives way first, then the id.
func orgTitle(o *tamledger.Organization, n int) string {
	id := printable(o.ID)
	if o.Name == "" {
		return clip(id, n)
	}
	name := printable(o.Name)
	room := n - displayWidth(id) - 3 // " (" and ")"
	if room >= min(displayWidth(name), 12) {
		return clip(name, room) + " (" + id + ")"
	}
	name = clip(name, 12)
	return name + " (" + clip(id, max(n-displayWidth(name)-3, 4)) + ")"
}

func itoa(n int) string { return fmt.Sprint(n) }
