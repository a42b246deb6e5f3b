package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tamledger/tamledger/internal/testdb"
)

// getDocs has every kind, and what tables find hard: ids, lists and text
// longer than a column, East Asian wide characters, control characters.
const getDocs = `apiVersion: tamledger/v1
kind: Organization
metadata: {id: acme}
spec:
  name: Acme Corp
  timezone: Europe/London
  supportPlan: enterprise
  accountTeam: {tam: {name: Jane Roe, seniority: senior}}
  workloads:
    - {id: payments, primary: true}
    - {id: data-platform-and-analytics}
---
apiVersion: tamledger/v1
kind: Organization
metadata: {id: globex}
spec: {name: 株式会社グローベックス・インターナショナル・ホールディングス, timezone: Asia/Tokyo}
---
apiVersion: tamledger/v1
kind: Charter
metadata: {id: acme-2026, organization: acme}
spec:
  effective: 2026-01-01
  backupTam: true
  escalationPaths:
    - {severity: critical, tamResponseHours: 1}
    - {severity: urgent, tamResponseHours: 4}
  obligations:
    - {id: strategy-call, service: strategy-call, cadence: monthly, graceDays: 7}
    - {id: cost-review, service: cost-review, cadence: quarterly, requires: quantified-recommendations}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-1, organization: acme}
spec: {date: 2026-01-20, service: strategy-call, initiatedBy: tam, workloads: [payments], summary: Q1 roadmap}
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-2026-03-18-well-architected-review-2, organization: acme}
spec:
  date: 2026-03-18
  service: well-architected-review
  initiatedBy: customer
  workloads: [payments, data-platform-and-analytics]
  attendees: [Jane Roe, Alex Lee]
  summary: "Well-Architected Review of payments and of the data platform, with the reliability pillar in depth and a follow-up planned"
---
apiVersion: tamledger/v1
kind: Engagement
metadata: {id: e-ctl, organization: acme}
spec: {date: 2026-04-01, service: other, initiatedBy: tam, summary: "a\tb\ec\u202ed"}
---
apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: r-1, organization: acme}
spec: {raisedOn: 2026-01-20, engagement: e-1, origin: tam, pillar: cost-optimization, title: Move batch fleet to Graviton,
       estimatedMonthlySavings: 12000, status: implemented, implementedOn: 2026-03-15, realizedMonthlySavings: 10500}
---
apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: r-2, organization: acme}
spec: {raisedOn: 2026-02-01, origin: cost-optimization-hub, pillar: performance-efficiency,
       title: Right-size the over-provisioned analytics cluster nodes before the quarterly capacity review,
       estimatedMonthlySavings: 99.5, status: open}
---
apiVersion: tamledger/v1
kind: Case
metadata: {id: case-1, organization: acme}
spec: {severity: critical, subject: Payments down, openedAt: "2026-02-10T09:00:00Z", tamEngagedAt: "2026-02-10T09:40:00Z", resolvedAt: "2026-02-11T10:00:00Z"}
---
apiVersion: tamledger/v1
kind: Case
metadata: {id: case-2, organization: acme}
spec: {severity: urgent, openedAt: "2026-04-02T09:00:00+02:00", tamEngagedAt: "2026-04-03T12:30:00+02:00"}
---
apiVersion: tamledger/v1
kind: Event
metadata: {id: dc-exit, organization: acme}
spec: {name: Data-centre exit cut-over, type: migration, date: 2026-09-12, iemRequestedOn: 2026-08-01, failureCost: 2000000, probabilityReduction: 0.1}
---
apiVersion: tamledger/v1
kind: ReassignmentRequest
metadata: {id: rr-1, organization: acme}
spec: {requestedOn: 2026-05-02, acknowledgedOn: 2026-05-06, reasons: [infrequent-contact, The TAM has not joined a call since March]}
---
apiVersion: tamledger/v1
kind: PriceBook
metadata: {id: negotiated-2026}
spec:
  effective: 2026-01-01
  source: Our negotiated rates
  plans:
    enterprise: {minimum: 5000, tiers: [{rate: 0.05}]}
    business-plus: {minimum: 29, perAccount: true, tiers: [{rate: 0.03}]}
`

// getStore returns a fresh store holding getDocs.
func getStore(t *testing.T) string {
	t.Helper()
	dsn := testdb.DSN(t)
	if out, errOut, code := cli(t, dsn, getDocs, "import", "-"); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	return dsn
}

func TestGetTables(t *testing.T) {
	dsn := getStore(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"organizations"}, `
ID      REV  NAME                                                TZ             PLAN        TAM
acme      1  Acme Corp                                           Europe/London  enterprise  Jane Roe
globex    1  株式会社グローベックス・インターナショナル・ホー…   Asia/Tokyo
`},
		{[]string{"charters", "--org", "acme"}, `
ID         REV  EFFECTIVE   BACKUP  ESCALATION              OBLIGATIONS
acme-2026    1  2026-01-01  yes     critical 1h, urgent 4h  strategy-call, cost-review
`},
		{[]string{"engagements", "--org", "acme"}, `
ID                        REV  DATE        SERVICE           BY        WORKLOADS     SUMMARY
e-1                         1  2026-01-20  strategy-call     tam       payments      Q1 roadmap
e-2026-03-18-well-archi…    1  2026-03-18  well-architecte…  customer  payments, d…  Well-Architect…
e-ctl                       1  2026-04-01  other             tam                     a\tb\x1bc\u202…
`},
		{[]string{"recommendations", "--org", "acme"}, `
ID   REV  RAISED      STATUS       ORIGIN          PILLAR          SAVINGS  TITLE
r-1    1  2026-01-20  implemented  tam             cost-optimiza…   12,000  Move batch fleet to Gra…
r-2    1  2026-02-01  open         cost-optimiza…  performance-e…    99.50  Right-size the over-pro…
`},
		{[]string{"cases", "--org", "acme"}, `
ID      REV  SEVERITY  OPENED (UTC)      TAM AFTER  RESOLVED (UTC)    SUBJECT
case-1    1  critical  2026-02-10 09:00        40m  2026-02-11 10:00  Payments down
case-2    1  urgent    2026-04-02 07:00       1d3h  –
`},
		{[]string{"events", "--org", "acme"}, `
ID       REV  DATE        TYPE       IEM ASKED   FAILURE COST  NAME
dc-exit    1  2026-09-12  migration  2026-08-01     2,000,000  Data-centre exit cut-over
`},
		{[]string{"reassignmentrequests", "--org", "acme"}, `
ID    REV  REQUESTED   ACKNOWLEDGED  RESOLVED  ESCALATED  REASONS
rr-1    1  2026-05-02  2026-05-06    –         –          infrequent-contact, The TAM has not joine…
`},
		{[]string{"pricebooks"}, `
ID               REV  EFFECTIVE   PLANS                      SOURCE
negotiated-2026    1  2026-01-01  enterprise, business-plus  Our negotiated rates
`},
		{[]string{"events", "--org", "globex"}, `
No events in organization globex.
`},
		{[]string{"engagement", "e-1", "--org", "acme", "-o", "table"}, `
ID   REV  DATE        SERVICE        BY   WORKLOADS  SUMMARY
e-1    1  2026-01-20  strategy-call  tam  payments   Q1 roadmap
`},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			got := run1(t, dsn, append([]string{"get"}, c.args...)...)
			if want := strings.TrimPrefix(c.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			checkTableText(t, got)
		})
	}
}

// checkTableText fails unless every line fits tableWidth display columns,
// ends without a space, and holds no control character.
func checkTableText(t *testing.T, text string) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if w := displayWidth(line); w > tableWidth {
			t.Errorf("line %d is %d columns wide (max %d): %s", i+1, w, tableWidth, line)
		}
		if strings.TrimRight(line, " ") != line {
			t.Errorf("line %d ends in a space: %q", i+1, line)
		}
		if line != printable(line) {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
	}
}

func TestGetKindNames(t *testing.T) {
	dsn := getStore(t)
	for canonical, names := range map[string][]string{
		"organizations":        {"organization", "Organization", "ORGS", "org", "orgs", "organisations"},
		"charters":             {"charter", "Charter", "CHARTERS"},
		"engagements":          {"engagement", "Engagements", "eng", "engs", "ENG"},
		"recommendations":      {"recommendation", "rec", "recs", "Recommendation"},
		"cases":                {"case", "Case", "CASES"},
		"events":               {"event", "ev", "Events"},
		"reassignmentrequests": {"ReassignmentRequest", "reassignmentrequest", "reassignments", "rr"},
		"pricebooks":           {"PriceBook", "pricebook", "pb", "PriceBooks"},
	} {
		args := []string{"get", canonical}
		if canonical != "organizations" && canonical != "pricebooks" {
			args = append(args, "--org", "acme")
		}
		want := run1(t, dsn, args...)
		for _, n := range names {
			args[1] = n
			if got := run1(t, dsn, args...); got != want {
				t.Errorf("get %s differs from get %s:\n%s\nwant:\n%s", n, canonical, got, want)
			}
		}
	}
	// --help lists the short names.
	help := run1(t, dsn, "get", "--help")
	for _, frag := range []string{"org, orgs", "eng, engs", "rec, recs", "rr", "pb"} {
		if !strings.Contains(help, frag) {
			t.Errorf("get --help lacks %q", frag)
		}
	}
}

// exportDocs splits export's YAML into its documents.
func exportDocs(t *testing.T, dsn string) []string {
	t.Helper()
	docs := strings.Split(run1(t, dsn, "export"), "---\n")
	if len(docs) < 2 {
		t.Fatalf("export wrote %d documents", len(docs))
	}
	return docs
}

var (
	docKind = regexp.MustCompile(`(?m)^kind: (\S+)$`)
	docID   = regexp.MustCompile(`(?m)^  id: (\S+)$`)
	docOrg  = regexp.MustCompile(`(?m)^  organization: (\S+)$`)
)

// getArgs are the arguments of get for the record of an exported document.
func getArgs(doc string) []string {
	args := []string{"get", docKind.FindStringSubmatch(doc)[1], docID.FindStringSubmatch(doc)[1]}
	if m := docOrg.FindStringSubmatch(doc); m != nil {
		args = append(args, "--org", m[1])
	}
	return args
}

func TestGetOneRecordIsWhatExportWrites(t *testing.T) {
	dsn := getStore(t)
	docs := exportDocs(t, dsn)
	var exported struct {
		Items []json.RawMessage
	}
	if err := json.Unmarshal([]byte(run1(t, dsn, "export", "-o", "json")), &exported); err != nil {
		t.Fatal(err)
	}
	if len(exported.Items) != len(docs) || len(docs) != 13 {
		t.Fatalf("export: %d YAML and %d JSON documents, want 13", len(docs), len(exported.Items))
	}
	for i, doc := range docs {
		args := getArgs(doc)
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			// A comment line with the version and the owners, then the
			// document as export writes it.
			got := run1(t, dsn, args...)
			head, body, _ := strings.Cut(got, "\n")
			if !strings.HasPrefix(head, "# rev 1, written ") || !strings.HasSuffix(head, "; set by import") {
				t.Errorf("first line %q", head)
			}
			if body != doc {
				t.Errorf("YAML:\n%s\nexport wrote:\n%s", body, doc)
			}
			got = run1(t, dsn, append(args, "-o", "json")...)
			var a, b bytes.Buffer
			if err := json.Compact(&a, []byte(got)); err != nil {
				t.Fatalf("%v:\n%s", err, got)
			}
			json.Compact(&b, exported.Items[i])
			if a.String() != b.String() {
				t.Errorf("JSON:\n%s\nexport wrote:\n%s", a.String(), b.String())
			}
			if !strings.HasPrefix(got, "{\n  \"apiVersion\": \"tamledger/v1\",\n  \"kind\": ") || !strings.HasSuffix(got, "\n}\n") {
				t.Errorf("JSON not indented like export:\n%s", got)
			}
		})
	}
	t.Run("--org names the organization", func(t *testing.T) {
		if got, want := run1(t, dsn, "get", "orgs", "--org", "acme"), run1(t, dsn, "get", "org", "acme"); got != want {
			t.Errorf("get orgs --org acme:\n%s\nwant get org acme:\n%s", got, want)
		}
	})
	t.Run("imports back unchanged", func(t *testing.T) {
		yaml := run1(t, dsn, "get", "charter", "acme-2026", "--org", "acme")
		out, errOut, code := cli(t, dsn, yaml, "import", "-")
		if f := strings.Fields(lastLine(out)); code != 0 || len(f) < 4 || f[1] != "0" || f[2] != "0" || f[3] != "1" {
			t.Errorf("exit %d, want the charter unchanged:\n%s%s", code, out, errOut)
		}
	})
}

func TestGetListIsWhatExportWrites(t *testing.T) {
	dsn := getStore(t)
	docs := exportDocs(t, dsn)
	byKind := map[string][]string{}
	for _, d := range docs {
		k := docKind.FindStringSubmatch(d)[1]
		byKind[k] = append(byKind[k], d)
	}
	const head = "{\n  \"apiVersion\": \"tamledger/v1\",\n  \"kind\": \"List\",\n  \"items\": ["
	for kind, want := range byKind {
		args := []string{"get", kind}
		if kind != "Organization" && kind != "PriceBook" {
			args = append(args, "--org", "acme")
		}
		t.Run(kind, func(t *testing.T) {
			if got := run1(t, dsn, append(args, "-o", "yaml")...); got != strings.Join(want, "---\n") {
				t.Errorf("-o yaml:\n%s\nwant:\n%s", got, strings.Join(want, "---\n"))
			}
			got := run1(t, dsn, append(args, "-o", "json")...)
			if !strings.HasPrefix(got, head) {
				t.Errorf("-o json does not open like export's List:\n%s", got)
			}
			var list struct {
				APIVersion, Kind string
				Items            []struct {
					Kind     string
					Metadata struct{ ID string }
				}
			}
			if err := json.Unmarshal([]byte(got), &list); err != nil {
				t.Fatalf("%v:\n%s", err, got)
			}
			if list.Kind != "List" || len(list.Items) != len(want) {
				t.Fatalf("-o json: kind %q with %d items, want a List of %d", list.Kind, len(list.Items), len(want))
			}
			for i, it := range list.Items {
				if id := docID.FindStringSubmatch(want[i])[1]; it.Kind != kind || it.Metadata.ID != id {
					t.Errorf("item %d is %s %s, want %s %s", i, it.Kind, it.Metadata.ID, kind, id)
				}
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		if got := run1(t, dsn, "get", "cases", "--org", "globex", "-o", "yaml"); got != "" {
			t.Errorf("-o yaml of nothing: %q", got)
		}
		if got := run1(t, dsn, "get", "cases", "--org", "globex", "-o", "json"); got != head+"]\n}\n" {
			t.Errorf("-o json of nothing: %q", got)
		}
	})
}

func TestGetErrors(t *testing.T) {
	dsn := getStore(t)
	for _, c := range []struct {
		args []string
		want []string // in the message
	}{
		{[]string{"widgets"}, []string{`unknown kind "widgets"`, "engagements", "reassignmentrequests", "pricebooks"}},
		{[]string{"engagements", "--org", "nope"}, []string{`unknown organization "nope"`, "tamledger get organizations"}},
		{[]string{"engagement", "e-1", "--org", "nope"}, []string{`unknown organization "nope"`, "tamledger get organizations"}},
		{[]string{"charters", "--org", "Not An Id"}, []string{`unknown organization "Not An Id"`}},
		{[]string{"engagement", "e-404", "--org", "acme"}, []string{`"e-404"`, "engagement", `"acme"`}},
		{[]string{"engagement", "e-1", "--org", "globex"}, []string{`"e-1"`, "engagement", `"globex"`}},
		{[]string{"org", "nope"}, []string{`"nope"`, "organization"}},
		{[]string{"pricebook", "aws-support-2026"}, []string{`"aws-support-2026"`, "price book", "tamledger pricebook list"}},
		{[]string{"engagements"}, []string{"--org is required"}},
		{[]string{"engagement", "e-1"}, []string{"--org is required"}},
		{[]string{"pricebooks", "--org", "acme"}, []string{"no organization"}},
		{[]string{"org", "acme", "--org", "globex"}, []string{"acme", "globex"}},
		{[]string{"engagement", "E 1", "--org", "acme"}, []string{`bad id "E 1"`}},
		{[]string{"engagements", "--org", "acme", "-o", "csv"}, []string{`"csv"`}},
		{[]string{"engagement", "e-1", "e-2", "--org", "acme"}, nil},
		{nil, nil},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out, errOut, code := cli(t, dsn, "", append([]string{"get"}, c.args...)...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, want 2 and nothing on stdout:\n%s%s", code, out, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("message lacks %q: %s", w, errOut)
				}
			}
		})
	}
}

func TestGetCreatesNoStore(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "missing.db")
	for _, args := range [][]string{{"get", "orgs"}, {"get", "engagements", "--org", "acme"}, {"get", "org", "acme"}} {
		out, errOut, code := cli(t, dsn, "", args...)
		if code != 3 || out != "" || !strings.Contains(errOut, "missing.db") {
			t.Errorf("%v on a missing store: exit %d, want 3 naming it:\n%s%s", args, code, out, errOut)
		}
		if _, err := os.Stat(dsn); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%v created the store: %v", args, err)
		}
	}
}

func TestGetEmptyStore(t *testing.T) {
	dsn := testdb.DSN(t)
	book := `{"apiVersion": "tamledger/v1", "kind": "PriceBook", "metadata": {"id": "mine"},
  "spec": {"effective": "2026-01-01", "plans": {"enterprise": {"minimum": 0, "tiers": [{"rate": 0.05}]}}}}`
	if out, errOut, code := cli(t, dsn, book, "import", "-"); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	if got := run1(t, dsn, "get", "orgs"); !strings.HasPrefix(got, "No organization in the store yet") || !strings.Contains(got, "tamledger init") {
		t.Errorf("get orgs of none: %q", got)
	}
	if got := run1(t, dsn, "get", "orgs", "-o", "json"); !strings.Contains(got, `"kind": "List"`) || !strings.Contains(got, `"items": []`) {
		t.Errorf("get orgs -o json of none: %q", got)
	}
	if got := run1(t, dsn, "get", "pb"); !strings.HasPrefix(got, "ID") || !strings.Contains(got, "\nmine ") {
		t.Errorf("get pb: %q", got)
	}
}
