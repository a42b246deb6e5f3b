package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/report"
	"github.com/tamledger/tamledger/store"
)

func init() { register(newGetCmd) }

// getKind is a kind as get names and tabulates it.
type getKind struct {
	tamledger.KindInfo
	aliases  []string // besides the singular, the plural and the kind itself
	tabulate func(items []store.Item) *table
}

// The kinds in the order --help lists them, with their short names and
// tables; the rest comes from tamledger.KindInfo.
var getKinds = func() []getKind {
	cli := []struct {
		kind     string
		aliases  []string
		tabulate func(items []store.Item) *table
	}{
		{tamledger.KindOrganization, []string{"org", "orgs", "organisation", "organisations"}, organizationTable},
		{tamledger.KindCharter, nil, charterTable},
		{tamledger.KindEngagement, []string{"eng", "engs"}, engagementTable},
		{tamledger.KindRecommendation, []string{"rec", "recs"}, recommendationTable},
		{tamledger.KindCase, nil, caseTable},
		{tamledger.KindEvent, []string{"ev"}, eventTable},
		{tamledger.KindReassignmentRequest, []string{"reassignment", "reassignments", "rr"}, reassignmentTable},
		{tamledger.KindPriceBook, []string{"pb"}, priceBookTable},
	}
	out := make([]getKind, len(cli))
	for i, c := range cli {
		info, ok := tamledger.LookupKind(c.kind)
		if !ok {
			panic("get: unknown kind " + c.kind)
		}
		out[i] = getKind{KindInfo: info, aliases: c.aliases, tabulate: c.tabulate}
	}
	return out
}()

// findKind resolves KIND: singular or plural, any case, or an alias.
func findKind(name string) (*getKind, bool) {
	n := strings.ToLower(name)
	for i := range getKinds {
		k := &getKinds[i]
		if n == strings.ToLower(k.Name) || n == strings.ToLower(k.Name)+"s" || n == k.Plural || slices.Contains(k.aliases, n) {
			return k, true
		}
	}
	return nil, false
}

// kindHelp lists the kinds with their short names, for --help.
func kindHelp() string {
	var b strings.Builder
	for _, k := range getKinds {
		line := fmt.Sprintf("  %-22s %-40s", k.Plural, strings.Join(k.aliases, ", "))
		if !k.Scoped {
			line += " no --org"
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

func kindNames() string {
	names := make([]string, len(getKinds))
	for i, k := range getKinds {
		names[i] = k.Plural
	}
	return strings.Join(names, ", ")
}

func newGetCmd(a *app) *cobra.Command {
	var org string
	c := &cobra.Command{
		Use:   "get KIND [ID] [--org ORG] [-o table|json|yaml]",
		Short: "List the records of a kind, or show one record",
		Long: `Get lists the records of one kind of an organisation as a table, by id, or
shows one record as the YAML document export writes for it.

KIND is a kind, singular or plural, in any case, or a short name:
` + kindHelp() + `
Every kind but organizations and pricebooks belongs to an organisation:
--org names it. The tables fit 100 columns: long text is cut short (…) and
control characters are shown escaped (\t, \x1b); -o json and -o yaml give every
field whole.

Output: a list is a table by default, with each record's REV (its version:
1 when created, one more at each change; log --replace, recommendation set
and delete take --rev N to refuse a change made since you read it); -o yaml
writes its documents separated by ---, and -o json one {"apiVersion":
"tamledger/v1", "kind": "List", "items": [...]}, the bytes export writes for
the same records. One record is YAML by default, after a comment line with
its rev, when it was last written and which source set its fields (import,
cli); -o json writes it as one JSON document, -o table as a one-line table. Price books that ship with tamledger are not records of the
store: tamledger pricebook list shows them.`,
		Example: `  tamledger get organizations
  tamledger get engagements --org acme
  tamledger get recs --org acme -o json | jq '.items[] | select(.spec.status == "open")'
  tamledger get engagement e-2026-01-20 --org acme
  tamledger get charter acme-2026 --org acme > charter.yaml   # edit, lint, import
  tamledger get org acme -o json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			k, ok := findKind(args[0])
			if !ok {
				return usageError(fmt.Errorf("unknown kind %q (want one of: %s; tamledger get --help lists the short names)", args[0], kindNames()))
			}
			format, err := a.outputFormat("table", "json", "yaml")
			if err != nil {
				return err
			}
			id := ""
			if len(args) == 2 {
				id = args[1]
			}
			switch {
			case k.Name == tamledger.KindOrganization && org != "":
				if id != "" && id != org {
					return usageError(fmt.Errorf("get organization %q --org %q: name one organization, as the id or with --org", id, org))
				}
				id, org = org, ""
			case !k.Scoped && org != "":
				return usageError(fmt.Errorf("a %s belongs to no organization: drop --org", k.Noun))
			case k.Scoped && org == "":
				return usageError(fmt.Errorf("--org is required for %s (the organisation id; see tamledger get organizations)", k.Plural))
			}
			if k.Scoped && !tamledger.ValidID(org) {
				return unknownOrg(org)
			}
			if id != "" && !tamledger.ValidID(id) {
				return usageError(fmt.Errorf("bad id %q (%s)", id, tamledger.IDHint))
			}
			if id != "" && !cmd.Flags().Changed("output") {
				format = "yaml" // one record: its document
			}
			st, err := a.openExistingStore(ctx) // a read: a missing store is not created
			if err != nil {
				return err
			}
			defer st.Close()

			var items []store.Item
			if id != "" {
				item, found, err := st.Item(ctx, k.Name, org, id)
				if err != nil {
					return err
				}
				if !found {
					if k.Scoped {
						if _, known, err := st.Get(ctx, tamledger.KindOrganization, "", org); err != nil {
							return err
						} else if !known {
							return unknownOrg(org)
						}
						return usageError(fmt.Errorf("no %s %q in organization %q (see tamledger get %s --org %s)", k.Noun, id, org, k.Plural, org))
					}
					hint := ""
					if k.Name == tamledger.KindPriceBook {
						hint = "; the shipped ones: tamledger pricebook list"
					}
					return usageError(fmt.Errorf("no %s %q in the store (see tamledger get %s%s)", k.Noun, id, k.Plural, hint))
				}
				items = []store.Item{item}
			} else {
				if items, err = st.Items(ctx, k.Name, org); err != nil {
					return err
				}
				if len(items) == 0 && k.Scoped {
					if _, known, err := st.Get(ctx, tamledger.KindOrganization, "", org); err != nil {
						return err
					} else if !known {
						return unknownOrg(org)
					}
				}
			}

			switch {
			case format == "table":
				if len(items) == 0 {
					_, err := io.WriteString(a.out, noRecords(k, org))
					return err
				}
				return k.tabulate(items).write(a.out)
			case format == "json" && id != "":
				return report.Document(a.out, items[0].Record)
			case format == "yaml" && id != "":
				// Comments, so that the output still imports as it is.
				fmt.Fprintf(a.out, "# rev %d, written %s; %s\n", items[0].Rev,
					items[0].UpdatedAt.UTC().Format(time.RFC3339), owners(items[0].Managed))
			}
			enc := document.NewEncoder(a.out, format)
			for _, r := range items {
				if err := enc.Encode(r.Record); err != nil {
					return err
				}
			}
			return enc.Close()
		},
	}
	c.Flags().StringVar(&org, "org", "", "the organisation whose records to get (see tamledger get organizations)")
	return c
}

// owners says who set the fields of a record: "set by import" or "set by
// import, except spec.status (cli)".
func owners(m tamledger.Managed) string {
	s := "set by " + m.Owner
	if len(m.Fields) == 0 {
		return s
	}
	var others []string
	for _, p := range slices.Sorted(maps.Keys(m.Fields)) {
		others = append(others, fmt.Sprintf("spec.%s (%s)", p, m.Fields[p]))
	}
	return s + ", except " + strings.Join(others, ", ")
}

func unknownOrg(org string) error {
	return usageError(fmt.Errorf("unknown organization %q (see tamledger get organizations)", org))
}

// noRecords is what an empty table says.
func noRecords(k *getKind, org string) string {
	switch k.Name {
	case tamledger.KindOrganization:
		return "No organization in the store yet: tamledger init ORG writes a starter file to import.\n"
	case tamledger.KindPriceBook:
		return "No price book imported: the shipped ones are in force (tamledger pricebook list).\n"
	}
	return fmt.Sprintf("No %ss in organization %s.\n", k.Noun, org)
}

// The tables of each kind: the key columns, free text last. Free text gives
// way first, then lists, then long enumerations, then ids (table.go).

func organizationTable(items []store.Item) *table {
	t := newTable(textCol("ID", 20), numCol("REV"), textCol("NAME", 16), fixedCol("TZ"), fixedCol("PLAN"), textCol("TAM", 12))
	for _, r := range items {
		o := r.Value.(*tamledger.Organization)
		tam := ""
		if o.AccountTeam != nil && o.AccountTeam.TAM != nil {
			tam = o.AccountTeam.TAM.Name
		}
		t.add(r.ID, strconv.FormatInt(r.Rev, 10), o.Name, o.Timezone, o.SupportPlan, tam)
	}
	return t
}

func charterTable(items []store.Item) *table {
	t := newTable(textCol("ID", 20), numCol("REV"), fixedCol("EFFECTIVE"), fixedCol("BACKUP"), textCol("ESCALATION", 20), textCol("OBLIGATIONS", 24))
	for _, r := range items {
		c := r.Value.(*tamledger.Charter)
		var paths, obs []string
		for _, p := range c.EscalationPaths {
			paths = append(paths, fmt.Sprintf("%s %gh", p.Severity, p.TAMResponseHours))
		}
		for _, ob := range c.Obligations {
			obs = append(obs, ob.ID)
		}
		t.add(r.ID, strconv.FormatInt(r.Rev, 10), c.Effective.String(), yesNo(c.BackupTAM), strings.Join(paths, ", "), strings.Join(obs, ", "))
	}
	return t
}

func engagementTable(items []store.Item) *table {
	t := newTable(textCol("ID", 24), numCol("REV"), fixedCol("DATE"), textCol("SERVICE", 16), fixedCol("BY"), textCol("WORKLOADS", 12), textCol("SUMMARY", 24))
	for _, r := range items {
		e := r.Value.(*tamledger.Engagement)
		t.add(r.ID, strconv.FormatInt(r.Rev, 10), e.Date.String(), e.Service, e.InitiatedBy, strings.Join(e.Workloads, ", "), e.Summary)
	}
	return t
}

func recommendationTable(items []store.Item) *table {
	t := newTable(textCol("ID", 16), numCol("REV"), fixedCol("RAISED"), fixedCol("STATUS"), textCol("ORIGIN", 12), textCol("PILLAR", 14),
		numCol("SAVINGS"), textCol("TITLE", 24))
	for _, r := range items {
		rc := r.Value.(*tamledger.Recommendation)
		savings := ""
		if rc.EstimatedMonthlySavings != nil {
			savings = shortAmount(*rc.EstimatedMonthlySavings)
		}
		t.add(r.ID, strconv.FormatInt(r.Rev, 10), rc.RaisedOn.String(), rc.Status, rc.Origin, rc.Pillar, savings, rc.Title)
	}
	return t
}

func caseTable(items []store.Item) *table {
	t := newTable(textCol("ID", 16), numCol("REV"), fixedCol("SEVERITY"), fixedCol("OPENED (UTC)"), numCol("TAM AFTER"), fixedCol("RESOLVED (UTC)"),
		textCol("SUBJECT", 20))
	for _, r := range items {
		c := r.Value.(*tamledger.Case)
		after, resolved := "–", "–"
		if c.TAMEngagedAt != nil {
			after = durationText(c.TAMEngagedAt.Sub(c.OpenedAt))
		}
		if c.ResolvedAt != nil {
			resolved = minuteText(*c.ResolvedAt)
		}
		t.add(r.ID, strconv.FormatInt(r.Rev, 10), c.Severity, minuteText(c.OpenedAt), after, resolved, c.Subject)
	}
	return t
}

func eventTable(items []store.Item) *table {
	t := newTable(textCol("ID", 24), numCol("REV"), fixedCol("DATE"), fixedCol("TYPE"), fixedCol("IEM ASKED"), numCol("FAILURE COST"), textCol("NAME", 16))
	for _, r := range items {
		e := r.Value.(*tamledger.Event)
		cost := ""
		if e.FailureCost != nil {
			cost = shortAmount(*e.FailureCost)
		}
		t.add(r.ID, strconv.FormatInt(r.Rev, 10), e.Date.String(), e.Type, optDateText(e.IEMRequestedOn), cost, e.Name)
	}
	return t
}

func reassignmentTable(items []store.Item) *table {
	t := newTable(textCol("ID", 16), numCol("REV"), fixedCol("REQUESTED"), fixedCol("ACKNOWLEDGED"), fixedCol("RESOLVED"), fixedCol("ESCALATED"),
		textCol("REASONS", 20))
	for _, r := range items {
		q := r.Value.(*tamledger.ReassignmentRequest)
		t.add(r.ID, strconv.FormatInt(r.Rev, 10), q.RequestedOn.String(), optDateText(q.AcknowledgedOn), optDateText(q.ResolvedOn), optDateText(q.EscalatedOn),
			strings.Join(q.Reasons, ", "))
	}
	return t
}

func priceBookTable(items []store.Item) *table {
	t := newTable(textCol("ID", 16), numCol("REV"), fixedCol("EFFECTIVE"), textCol("PLANS", 20), textCol("SOURCE", 20))
	for _, r := range items {
		b := r.Value.(*tamledger.PriceBook)
		t.add(r.ID, strconv.FormatInt(r.Rev, 10), b.Effective.String(), strings.Join(planNames(*b), ", "), b.Source)
	}
	return t
}

func optDateText(d *tamledger.Date) string {
	if d == nil {
		return "–"
	}
	return d.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// shortAmount is Money.Grouped without zero cents: 12,000 or 99.50.
func shortAmount(m tamledger.Money) string {
	return strings.TrimSuffix(m.Grouped(), ".00")
}

// minuteText is an instant in UTC to the minute.
func minuteText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

// durationText is a duration in days, hours and minutes: 40m, 2h30m, 1d4h.
func durationText(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	m := int64(d.Round(time.Minute) / time.Minute)
	days, hours, mins := m/(24*60), m/60%24, m%60
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%s%dd%dh", sign, days, hours)
	case days > 0:
		return fmt.Sprintf("%s%dd", sign, days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("%s%dh%dm", sign, hours, mins)
	case hours > 0:
		return fmt.Sprintf("%s%dh", sign, hours)
	}
	return fmt.Sprintf("%s%dm", sign, mins)
}
