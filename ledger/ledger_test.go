package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/store"
)

const org = `apiVersion: tamledger/v1
kind: Organization
metadata: {id: acme}
spec:
  name: Acme
  timezone: Europe/London
  workloads: [{id: payments, name: Payments, primary: true}]
`

const recs = `apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: r-17, organization: acme}
spec: {raisedOn: 2026-02-03, origin: tam, pillar: cost-optimization, title: Graviton, estimatedMonthlySavings: 12000, status: open}
---
apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: r-18, organization: acme}
spec: {raisedOn: 2026-02-04, origin: tam, title: Spot, status: open}
`

func open(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// imp imports named texts and returns the summary or the error list.
func imp(t *testing.T, st *store.Store, opt ledger.Options, files ...string) (*ledger.Summary, document.ErrorList) {
	t.Helper()
	var srcs []ledger.Source
	for i := 0; i < len(files); i += 2 {
		srcs = append(srcs, ledger.Source{Name: files[i], Reader: strings.NewReader(files[i+1])})
	}
	sum, err := ledger.Import(context.Background(), st, srcs, opt)
	var el document.ErrorList
	if errors.As(err, &el) {
		return nil, el
	}
	if err != nil {
		t.Fatal(err)
	}
	return sum, nil
}

func mustImport(t *testing.T, st *store.Store, files ...string) *ledger.Summary {
	t.Helper()
	sum, el := imp(t, st, ledger.Options{}, files...)
	if el != nil {
		t.Fatalf("import: %v", el)
	}
	return sum
}

func rec(t *testing.T, st *store.Store, id string) *tamledger.Recommendation {
	t.Helper()
	r, ok, err := st.Get(context.Background(), tamledger.KindRecommendation, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return nil
	}
	return r.Value.(*tamledger.Recommendation)
}

func implement(t *testing.T, st *store.Store) {
	t.Helper()
	on, _ := tamledger.ParseDate("2026-03-15")
	realized := tamledger.MoneyFromInt(10500)
	if _, err := ledger.SetStatus(context.Background(), st, ledger.StatusRequest{Org: "acme", ID: "r-17", Status: "implemented", On: &on, Realized: &realized}); err != nil {
		t.Fatal(err)
	}
}

func TestReimportKeepsEditsFromTheCLI(t *testing.T) {
	st := open(t)
	mustImport(t, st, "acme.yaml", org, "recs.yaml", recs)
	implement(t, st)

	sum := mustImport(t, st, "acme.yaml", org, "recs.yaml", recs)
	if sum.Changed() {
		t.Errorf("re-import of unchanged files changed something: %+v", sum.Kinds[tamledger.KindRecommendation])
	}
	r := rec(t, st, "r-17")
	if r.Status != "implemented" || r.RealizedMonthlySavings == nil || r.RealizedMonthlySavings.String() != "10500" {
		t.Fatalf("the CLI's edit was undone: %+v", r)
	}

	// The file changes a field no one else changed: applied, the CLI's kept.
	changed := strings.Replace(recs, "title: Graviton,", "title: Graviton 4,", 1)
	sum = mustImport(t, st, "recs.yaml", changed)
	if c := sum.Kinds[tamledger.KindRecommendation]; c.Updated != 1 || c.Unchanged != 1 {
		t.Errorf("counts %+v, want 1 updated, 1 unchanged", c)
	}
	r = rec(t, st, "r-17")
	if r.Title != "Graviton 4" || r.Status != "implemented" || r.ImplementedOn.String() != "2026-03-15" {
		t.Fatalf("after a file edit: %+v", r)
	}

	// New records beside stored ones: created, the stored ones untouched.
	more := changed + `---
apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: r-19, organization: acme}
spec: {raisedOn: 2026-03-01, origin: specialist, title: Aurora I/O-Optimized, status: accepted}
`
	sum = mustImport(t, st, "recs.yaml", more)
	if c := sum.Kinds[tamledger.KindRecommendation]; c.Created != 1 || c.Unchanged != 2 || c.Updated != 0 {
		t.Errorf("counts with a new record %+v, want 1 created, 2 unchanged", c)
	}
	if r := rec(t, st, "r-19"); r == nil || r.Title != "Aurora I/O-Optimized" {
		t.Errorf("r-19: %+v", r)
	}
	if r := rec(t, st, "r-17"); r.Status != "implemented" {
		t.Errorf("r-17 after adding r-19: %+v", r)
	}
}

func TestImportConflictNamesFileRecordAndFields(t *testing.T) {
	st := open(t)
	mustImport(t, st, "acme.yaml", org, "recs.yaml", recs)
	implement(t, st)

	// The file changes status (the CLI's) and r-18's title (its own).
	changed := strings.Replace(recs, "status: open}\n---", "status: accepted}\n---", 1)
	changed = strings.Replace(changed, "title: Spot,", "title: Spot fleet,", 1)
	_, el := imp(t, st, ledger.Options{}, "recs.yaml", changed)
	if len(el) != 1 {
		t.Fatalf("errors %v, want one conflict", el)
	}
	msg := el[0].Error()
	for _, want := range []string{"recs.yaml:1:1:", `Recommendation "r-17" of organization "acme"`, `spec.status is "implemented", set by cli`, `this file has "accepted"`, "--force-conflicts"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	// All or nothing: r-18's change was not written either.
	if r := rec(t, st, "r-18"); r.Title != "Spot" {
		t.Errorf("r-18 was written despite the conflict: %q", r.Title)
	}

	// --force-conflicts takes the file's values, and the file owns them again.
	sum, el := imp(t, st, ledger.Options{Force: true}, "recs.yaml", changed)
	if el != nil {
		t.Fatal(el)
	}
	if c := sum.Kinds[tamledger.KindRecommendation]; c.Updated != 2 {
		t.Errorf("forced counts %+v", c)
	}
	if r := rec(t, st, "r-17"); r.Status != "accepted" {
		t.Errorf("forced status %q", r.Status)
	}
	back := strings.Replace(changed, "status: accepted}\n---", "status: open}\n---", 1)
	if _, el := imp(t, st, ledger.Options{}, "recs.yaml", back); el != nil {
		t.Errorf("after a forced import the file owns status again: %v", el)
	}
}

func TestDeletedStaysDeleted(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	mustImport(t, st, "acme.yaml", org, "recs.yaml", recs)
	if err := ledger.Delete(ctx, st, tamledger.KindRecommendation, "acme", "r-18", 0); err != nil {
		t.Fatal(err)
	}
	if err := ledger.Delete(ctx, st, tamledger.KindRecommendation, "acme", "r-18", 0); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
		t.Errorf("second delete: %v", err)
	}
	if sum := mustImport(t, st, "recs.yaml", recs); sum.Changed() || rec(t, st, "r-18") != nil {
		t.Fatalf("a re-import of the unchanged file brought r-18 back")
	}
	changed := strings.Replace(recs, "title: Spot,", "title: Spot fleet,", 1)
	_, el := imp(t, st, ledger.Options{}, "recs.yaml", changed)
	if len(el) != 1 || !strings.Contains(el[0].Error(), `"r-18" of organization "acme" was deleted by cli since`) || !strings.Contains(el[0].Error(), "spec.title") {
		t.Fatalf("changed file after a delete: %v", el)
	}
	if _, el := imp(t, st, ledger.Options{Force: true}, "recs.yaml", changed); el != nil {
		t.Fatal(el)
	}
	if r := rec(t, st, "r-18"); r == nil || r.Title != "Spot fleet" {
		t.Fatalf("forced import did not bring r-18 back: %+v", r)
	}
	if sum := mustImport(t, st, "recs.yaml", changed); sum.Changed() {
		t.Errorf("re-import after the revival changed something")
	}
}

func TestEmptyInputIsAnError(t *testing.T) {
	st := open(t)
	for _, text := range []string{"", "# only a comment\n", "---\n# nothing\n---\n"} {
		_, el := imp(t, st, ledger.Options{}, "empty.yaml", text)
		if len(el) != 1 || !strings.HasPrefix(el[0].Error(), "empty.yaml: no documents") {
			t.Errorf("%q: %v", text, el)
		}
	}
	// One empty file fails the whole call.
	_, el := imp(t, st, ledger.Options{}, "acme.yaml", org, "empty.json", " \n")
	if len(el) != 1 || !strings.HasPrefix(el[0].Error(), "empty.json: no documents") {
		t.Errorf("with another file: %v", el)
	}
	if _, ok, _ := st.Get(context.Background(), tamledger.KindOrganization, "", "acme"); ok {
		t.Error("the other file was imported")
	}
}

func engagement(date, summary string) tamledger.Engagement {
	d, _ := tamledger.ParseDate(date)
	return tamledger.Engagement{Date: d, Service: "strategy-call", InitiatedBy: "tam", Summary: summary, Source: "manual"}
}

func TestLog(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	mustImport(t, st, "acme.yaml", org)
	first, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", Engagement: engagement("2026-11-20", "Q3 roadmap")})
	if err != nil || first.ID != "e-2026-11-20-strategy-call" || first.Change != tamledger.Created {
		t.Fatalf("first log: %+v, %v", first, err)
	}
	// The same line again: refused, naming the first.
	_, err = ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", Engagement: engagement("2026-11-20", "Q3 roadmap")})
	if tamledger.ErrorCode(err) != tamledger.EINVALID || !strings.Contains(tamledger.ErrorMessage(err), `"e-2026-11-20-strategy-call"`) || !strings.Contains(tamledger.ErrorMessage(err), "--again") {
		t.Fatalf("duplicate: %v", err)
	}
	again, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", Again: true, Engagement: engagement("2026-11-20", "Q3 roadmap")})
	if err != nil || again.ID != "e-2026-11-20-strategy-call-2" {
		t.Fatalf("--again: %+v, %v", again, err)
	}
	// Another summary is another engagement.
	if _, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", Engagement: engagement("2026-11-20", "Follow-up")}); err != nil {
		t.Fatal(err)
	}
	// An existing --id: refused, then replaced with --replace.
	_, err = ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", ID: first.ID, Engagement: engagement("2026-11-21", "Moved")})
	if tamledger.ErrorCode(err) != tamledger.EINVALID || !strings.Contains(tamledger.ErrorMessage(err), "already exists") || !strings.Contains(tamledger.ErrorMessage(err), "--replace") {
		t.Fatalf("existing id: %v", err)
	}
	rep, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", ID: first.ID, Replace: true, Engagement: engagement("2026-11-21", "Moved")})
	if err != nil || rep.Change != tamledger.Updated {
		t.Fatalf("--replace: %+v, %v", rep, err)
	}
	// A stale rev is refused: the record is at rev 2 now.
	_, err = ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", ID: first.ID, Replace: true, Rev: 1, Engagement: engagement("2026-11-22", "Stale")})
	if tamledger.ErrorCode(err) != tamledger.ECONFLICT || !strings.Contains(tamledger.ErrorMessage(err), "now rev 2") {
		t.Fatalf("stale rev: %v", err)
	}
	if _, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", ID: first.ID, Replace: true, Rev: 2, Engagement: engagement("2026-11-22", "Current")}); err != nil {
		t.Fatalf("current rev: %v", err)
	}
	// Unknown organisation, unknown workload.
	if _, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "nope", Engagement: engagement("2026-11-20", "")}); tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
		t.Errorf("unknown org: %v", err)
	}
	e := engagement("2026-11-20", "x")
	e.Workloads = []string{"ghost"}
	var pe tamledger.ProblemsError
	if _, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", Engagement: e}); !errors.As(err, &pe) || pe[0].Path != "workloads[0]" {
		t.Errorf("unknown workload: %v", err)
	}
}

// A deleted engagement's id is not reused by a later log, so that a
// re-import of the file it came from does not meet a stranger.
func TestLogSkipsDeletedIDs(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	mustImport(t, st, "acme.yaml", org)
	first, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", Engagement: engagement("2026-11-20", "a")})
	if err != nil {
		t.Fatal(err)
	}
	if err := ledger.Delete(ctx, st, tamledger.KindEngagement, "acme", first.ID, 0); err != nil {
		t.Fatal(err)
	}
	next, err := ledger.Log(ctx, st, ledger.LogRequest{Org: "acme", Engagement: engagement("2026-11-20", "b")})
	if err != nil || next.ID != first.ID+"-2" {
		t.Fatalf("after a delete: %+v, %v", next, err)
	}
}

func TestSetStatusStaleRev(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	mustImport(t, st, "acme.yaml", org, "recs.yaml", recs)
	// Two people read r-17 at rev 1; the first one's change lands.
	if _, err := ledger.SetStatus(ctx, st, ledger.StatusRequest{Org: "acme", ID: "r-17", Status: "accepted", Rev: 1}); err != nil {
		t.Fatal(err)
	}
	_, err := ledger.SetStatus(ctx, st, ledger.StatusRequest{Org: "acme", ID: "r-17", Status: "rejected", Reason: "no", Rev: 1})
	if tamledger.ErrorCode(err) != tamledger.ECONFLICT || !strings.Contains(tamledger.ErrorMessage(err), "read at rev 1, now rev 2") {
		t.Fatalf("stale: %v", err)
	}
	if r := rec(t, st, "r-17"); r.Status != "accepted" {
		t.Errorf("the stale write landed: %s", r.Status)
	}
	for _, req := range []ledger.StatusRequest{
		{Org: "acme", ID: "r-17", Status: "rejected"},
		{Org: "acme", ID: "r-17", Status: "bogus"},
		{Org: "acme", ID: "nope", Status: "accepted"},
		{Org: "nope", ID: "r-17", Status: "accepted"},
	} {
		if _, err := ledger.SetStatus(ctx, st, req); err == nil {
			t.Errorf("%+v accepted", req)
		}
	}
	if err := ledger.Delete(ctx, st, tamledger.KindRecommendation, "acme", "r-17", 1); tamledger.ErrorCode(err) != tamledger.ECONFLICT {
		t.Errorf("delete at a stale rev: %v", err)
	}
}

// Records stored before ownership was recorded (managed NULL) count as
// the import's: a file applies to them, an edit takes its fields and keeps
// the import's view.
func TestRecordsWithoutOwnership(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	mustImport(t, st, "acme.yaml", org, "recs.yaml", recs)
	for _, table := range []string{"organizations", "recommendations"} {
		if _, err := st.DB().ExecContext(ctx, fmt.Sprintf("UPDATE %s SET managed = NULL", table)); err != nil {
			t.Fatal(err)
		}
	}
	changed := strings.Replace(recs, "title: Spot,", "title: Spot fleet,", 1)
	if _, el := imp(t, st, ledger.Options{}, "recs.yaml", changed); el != nil {
		t.Fatal(el)
	}
	if r := rec(t, st, "r-18"); r.Title != "Spot fleet" {
		t.Errorf("title %q", r.Title)
	}
	if _, err := st.DB().ExecContext(ctx, "UPDATE recommendations SET managed = NULL"); err != nil {
		t.Fatal(err)
	}
	implement(t, st)
	if sum := mustImport(t, st, "recs.yaml", changed); sum.Changed() || rec(t, st, "r-17").Status != "implemented" {
		t.Fatalf("a re-import undid the CLI's edit of a record without ownership")
	}
	changed = strings.Replace(changed, "status: open}\n---", "status: accepted}\n---", 1)
	_, el := imp(t, st, ledger.Options{}, "recs.yaml", changed)
	if len(el) != 1 || !strings.Contains(el[0].Error(), `spec.status is "implemented", set by cli`) {
		t.Fatalf("the CLI's edit of a record without ownership: %v", el)
	}
}

// Concurrent writers that read the same version: exactly one lands, the
// others are told the record changed after they read it.
func TestConcurrentWritersOfOneVersion(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	mustImport(t, st, "acme.yaml", org, "recs.yaml", recs)
	const n = 6
	errs := make(chan error, n)
	for i := range n {
		go func() {
			reason := fmt.Sprintf("writer %d", i)
			_, err := ledger.SetStatus(ctx, st, ledger.StatusRequest{Org: "acme", ID: "r-17", Status: "deferred", Reason: reason, Rev: 1})
			errs <- err
		}()
	}
	landed := 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			landed++
		case tamledger.ErrorCode(err) != tamledger.ECONFLICT:
			t.Errorf("a writer failed otherwise: %v", err)
		}
	}
	if landed != 1 {
		t.Fatalf("%d writers of rev 1 landed, want exactly 1", landed)
	}
	item, _, err := st.Item(ctx, tamledger.KindRecommendation, "acme", "r-17")
	if err != nil || item.Rev != 2 {
		t.Errorf("r-17 at rev %d (%v), want 2", item.Rev, err)
	}
}
