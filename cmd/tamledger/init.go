package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
)

func init() { register(newInitCmd) }

func newInitCmd(a *app) *cobra.Command {
	var (
		file  string
		force bool
	)
	c := &cobra.Command{
		Use:   "init ORG [--file PATH] [--force]",
		Short: "Write a starter ORG.yaml: an Organization and a Charter to fill in",
		Long: `Init writes a starter file for one organisation: an Organization (time
zone, currency, support plan, spend, downtime cost, the account team, one
primary workload) and a Charter in force from the first day of this month with
the seed document's minimum terms (a monthly strategy call, a quarterly cost
review with quantified recommendations, an annual Well-Architected Review of
each primary workload, a semi-annual security review, backup TAM coverage and
escalation paths). Every field is commented: what it means, its allowed
values, and which rules read it.

The values are placeholders (example.com addresses, round amounts): replace
them with yours, then lint and import the file. The file passes
charter lint --strict and imports as written. Init does not touch the store,
and it does not overwrite a file unless --force is given.

ORG is the organisation's id: lowercase letters, digits, '.', '_' and '-',
starting with a letter or a digit. -o json prints {"file", "organization"}.`,
		Example: `  tamledger init acme                      # writes acme.yaml
  tamledger init acme --file tamledger/acme.yaml
  tamledger charter lint --strict acme.yaml
  tamledger import acme.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			org := args[0]
			if !tamledger.ValidID(org) {
				return usageError(fmt.Errorf("bad organization id %q (%s)", org, tamledger.IDHint))
			}
			if file == "" {
				file = org + ".yaml"
			}
			text := starterFile(org, file, tamledger.Today(time.UTC))
			if err := writeNewFile(file, text, force); err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.out, struct {
					File         string `json:"file"`
					Organization string `json:"organization"`
				}{file, org})
			}
			fmt.Fprintf(a.out, "Wrote %s: the Organization %s and its Charter, with placeholders to replace.\n\n", file, org)
			fmt.Fprintf(a.out, "Then:\n  tamledger charter lint --strict %s\n  tamledger import %s\n", shellWord(file), shellWord(file))
			return nil
		},
	}
	c.Flags().StringVar(&file, "file", "", "write to this path (default ORG.yaml in the working directory)")
	c.Flags().BoolVar(&force, "force", false, "overwrite the file if it exists")
	return c
}

// writeNewFile writes text to path: only if it does not exist yet, unless
// force; then atomically, by renaming a complete temporary file over it.
func writeNewFile(path, text string, force bool) error {
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return usageError(fmt.Errorf("%s already exists: not overwritten (--force overwrites it, or --file names another path)", path))
		}
		if err != nil {
			return usageError(fmt.Errorf("%s: %v", path, errors.Unwrap(err)))
		}
		if _, err := f.WriteString(text); err != nil {
			f.Close()
			os.Remove(path)
			return err
		}
		return f.Close()
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageError(fmt.Errorf("%s is a directory (want a file path)", path))
	}
	f, err := os.CreateTemp(dirOf(path), ".tamledger-init-*")
	if err != nil {
		return usageError(fmt.Errorf("%s: %v", path, errors.Unwrap(err)))
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// shellWord quotes s for a shell command line when it needs it.
func shellWord(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@+,", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// starterFile is the text init writes to file for org, with a charter in
// force from the first day of today's month.
func starterFile(org, file string, today tamledger.Date) string {
	effective := tamledger.NewDate(today.Year, today.Month, 1)
	// The charter's id: ORG-YYYY-MM, within the 128 characters of an id.
	suffix := fmt.Sprintf("-%04d-%02d", effective.Year, int(effective.Month))
	charter := org[:min(len(org), 128-len(suffix))] + suffix
	return strings.NewReplacer(
		"{{org}}", yamlID(org),
		"{{charter}}", yamlID(charter),
		"{{name}}", strconv.Quote(orgName(org)),
		"{{effective}}", effective.String(),
		"{{file}}", shellWord(filepath.Base(file)),
	).Replace(starterTemplate)
}

// yamlID writes an id as a YAML scalar that reads back as text: quoted
// when YAML would read it as a number, a date, a boolean or null.
func yamlID(id string) string {
	switch {
	case id[0] >= '0' && id[0] <= '9':
		return strconv.Quote(id)
	}
	switch id {
	case "null", "true", "false", "yes", "no", "on", "off", "y", "n":
		return strconv.Quote(id)
	}
	return id
}

// orgName makes a placeholder name from an id: acme-corp → Acme Corp.
func orgName(id string) string {
	words := strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	if len(words) == 0 {
		return id
	}
	return strings.Join(words, " ")
}

// starterTemplate is the starter file. Keep it valid for charter lint
// --strict and import, and free of the actions init_test.go rules out.
const starterTemplate = `# {{file}}: one organisation's Enterprise Support relationship and its TAM
# Engagement Charter, written by tamledger init. The values are placeholders:
# replace the names, the example.com addresses and the amounts with yours.
# Then:
#   tamledger charter lint --strict {{file}}   # valid, with every minimum term?
#   tamledger import {{file}}                  # into the store (again after each edit)
#
# Dates are YYYY-MM-DD, days in the organisation's time zone; amounts are plain
# numbers in its currency. docs/documents.md describes every field;
# tamledger schema > tamledger.schema.json gives editors a schema to check
# this file as you type (then add a first line:
# "# yaml-language-server: $schema=./tamledger.schema.json").
apiVersion: tamledger/v1
kind: Organization
metadata:
  # The organisation's id; every other document names it as its organization.
  id: {{org}}
spec:
  name: {{name}}
  # IANA time zone name (Europe/London, America/New_York); default UTC. The
  # scorecard's periods, "today" and every day count are days in this zone.
  timezone: UTC
  # ISO 4217 code: every amount of this organisation is in this currency.
  currency: USD
  # business-plus | enterprise | enterprise-on-ramp | unified-operations.
  # Recorded for reference: roi prices the TAM as the Enterprise fee minus
  # the baseline plan's fee whatever it says.
  supportPlan: enterprise
  # Average monthly AWS spend. roi computes the support fees, hence the cost
  # of the TAM, from it, and the savings rate against it. Or list accounts:
  # accounts: [{id: "111122223333", name: prod, monthlySpend: 200000}]
  monthlySpend: 250000
  # What an hour of downtime costs you: roi values each incident a
  # recommendation avoided at downtimeHours x probability x this.
  downtimeCostPerHour: 20000
  # The Enterprise Discount Program, if you have one: edp-renewal-prep asks for
  # the value dossier when its end is 180 days away or less.
  # edp: {start: 2026-01-01, end: 2028-12-31, annualCommit: 3000000}
  accountTeam:
    tam:
      name: Your TAM
      email: tam@example.com
      # associate | tam | senior | principal. With two or more complexity
      # drivers (regulated workload, active migration, multi-region, ML/AI,
      # containers or data-engineering services, five or more primary
      # workloads), associate or tam raises senior-tam-request.
      seniority: senior
      # How many accounts the TAM carries (ask them): portfolio-unknown
      # while absent, portfolio-rebalance above 45 with charter adherence
      # below 80 %.
      portfolioSize: 30
      # since: {{effective}}       # when the TAM was assigned
    # The named backup TAM: no-backup-tam while absent.
    backupTam:
      name: Your backup TAM
      email: backup-tam@example.com
    # Named in the iem-too-late action as the one to escalate to, with the TAM.
    accountManager:
      name: Your account manager
      email: account-manager@example.com
    # solutionsArchitect: {name: ..., email: ...}; specialists: [{name: ..., role: ML/AI}]
    # E-mail domains of the AWS side of the team: a calendar import keeps the
    # meetings with someone of the team (these domains or the e-mails above).
    domains: [amazon.com]
  # Your side: who the TAM works with.
  contacts:
    - {name: Your executive sponsor, email: sponsor@example.com, role: CTO, executive: true}
  # Complexity drivers for senior-tam-request (both false when left out).
  # complexity: {activeMigration: false, multiRegion: false}
  workloads:
    # id: named by engagements (--workload) and recommendations.
    # primary: the charter's each-primary-workload obligations (the annual
    #   Well-Architected Review) make one series per primary workload, and
    #   war-overdue fires for a primary workload with no review in 365 days.
    # regulated: a senior-tam-request driver.
    # services: AWS service names. ML/AI (SageMaker, Bedrock, Comprehend,
    #   Rekognition), containers (EKS, ECS, Fargate) and data engineering
    #   (EMR, Glue, Redshift, Kinesis, MSK, OpenSearch, Athena) are complex
    #   categories: specialist-intro and senior-tam-request read them.
    - id: main-app
      name: Main application
      environment: production
      primary: true
      regulated: false
      services: [EC2, RDS]
  # Words that classify a calendar's meetings into services before the
  # default rules (tamledger import FILE.ics; docs/calendar.md).
  # calendarRules:
  #   - {service: cost-review, match: [FinOps, budget review]}
---
apiVersion: tamledger/v1
kind: Charter
metadata:
  # One version of the charter. To change it, add a version with a new id and
  # a later effective date: it takes over from that day.
  id: {{charter}}
  organization: {{org}}
spec:
  # In force from this day until the next version's effective date (no-charter
  # fires while no version is in force). Obligations are scored over the full
  # periods that start on or after it.
  effective: {{effective}}
  # agreedOn: {{effective}}     # the day the charter was agreed with AWS
  # Backup TAM coverage agreed: the charter-missing-term backup-tam without it.
  backupTam: true
  # Infrastructure Event Management lead times in days (these are the
  # defaults): iem-request-now fires for an event within recommendedLeadDays
  # without IEM requested, iem-too-late within minimumLeadDays.
  # iem: {minimumLeadDays: 14, recommendedLeadDays: 30}
  # How soon the TAM engages on a case, per severity, each severity once:
  # low | normal | high | urgent | critical. Escalation responsiveness (15 % of
  # the health score) counts the cases whose TAM came within the target;
  # without any path, the charter-missing-term escalation-paths.
  escalationPaths:
    - {severity: critical, tamResponseHours: 1}
    - {severity: urgent, tamResponseHours: 4}
  # The promised, recurring services; the scorecard's charter adherence (60 %
  # of the health score) is how many periods were met (late counts half).
  #   id: the obligation across versions (same id, same obligation).
  #   service: strategy-call | cost-review | well-architected-review |
  #     security-review | iem | specialist-deep-dive | business-review |
  #     escalation | other (what an engagement's service must be to count).
  #   cadence: monthly | quarterly | semiannual | annual (calendar periods).
  #   scope: organization (the default) | each-primary-workload (one series
  #     per primary workload, met by engagements naming it).
  #   graceDays: days after a period's end that still count, as late.
  #   requires: quantified-recommendations: only an engagement that a
  #     recommendation with estimatedMonthlySavings above 0 names counts.
  # These four are the seed document's minimum terms: charter lint --strict
  # and the charter-missing-term action check for each of them.
  obligations:
    - id: strategy-call
      service: strategy-call
      cadence: monthly
      graceDays: 7
    - id: cost-review
      service: cost-review
      cadence: quarterly
      requires: quantified-recommendations
    - id: war
      service: well-architected-review
      cadence: annual
      scope: each-primary-workload
    - id: security-review
      service: security-review
      cadence: semiannual
`
