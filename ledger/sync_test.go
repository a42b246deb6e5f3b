package ledger_test

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/awssync"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/internal/awsfake"
	"github.com/tamledger/tamledger/internal/testdb"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/store"
)

const syncOrg = `apiVersion: tamledger/v1
kind: Organization
metadata: {id: acme}
spec:
  name: Acme
  workloads:
    - {id: payments, name: Payments, environment: production, primary: true}
    - {id: data, name: Data platform, environment: production, awsWorkloadId: fedcba9876543210fedcba9876543210}
    - {id: crm, name: Legacy CRM, environment: production}
`

var syncNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// syncAWS reads the fake through the real SDK clients and syncs it into
// acme.
func syncAWS(t *testing.T, st *store.Store, dry bool) *ledger.SyncSummary {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 20 * time.Millisecond })
	}))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := awssync.Read(context.Background(), cfg, awssync.Options{Now: syncNow})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ledger.Sync(context.Background(), st, ledger.SyncRequest{Org: "acme", AWS: snap, Now: syncNow, DryRun: dry})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func syncSetup(t *testing.T) (*store.Store, *awsfake.Fake) {
	t.Helper()
	f := awsfake.New(t)
	f.Env(t)
	f.Fill()
	st := open(t)
	mustImport(t, st, "acme.yaml", syncOrg)
	return st, f
}

func export(t *testing.T, st *store.Store) string {
	t.Helper()
	var b bytes.Buffer
	enc := document.NewEncoder(&b, "yaml")
	if err := st.Export(context.Background(), "acme", enc.Encode); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func counts(sum *ledger.SyncSummary) map[string][5]int {
	out := map[string][5]int{}
	for _, s := range sum.Services {
		out[s.Service] = [5]int{s.Written, s.Updated, s.Unchanged, s.Unmatched, s.Skipped}
	}
	return out
}

func get[T any](t *testing.T, st *store.Store, kind, id string) *T {
	t.Helper()
	r, ok, err := st.Get(context.Background(), kind, "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("no %s %s", kind, id)
	}
	return r.Value.(*T)
}

var (
	warM1   = "aws-war-" + awsfake.PaymentsID + "-m1"
	warM3   = "aws-war-" + awsfake.PaymentsID + "-m3"
	mfaID   = "aws-ta-55fa4d2e-bbb7-491a-833b-5773e9589578"
	caseID  = "aws-case-111122223333-muen-2026-3c4d5e6f7a8b9c0d"
	case2ID = "aws-case-111122223333-muen-2026-1a2b3c4d5e6f7a8b"
)

func TestSyncWrites(t *testing.T) {
	st, _ := syncSetup(t)
	sum := syncAWS(t, st, false)
	want := map[string][5]int{ // written, updated, unchanged, unmatched, skipped
		awssync.WellArchitected:     {4 + 4, 0, 0, 1, 1}, // 3+1 reviews, 3+1 high risks; Shadow IT; staging
		awssync.TrustedAdvisor:      {5, 0, 0, 0, 0},
		awssync.CostOptimizationHub: {3, 0, 0, 0, 0},
		awssync.Support:             {3, 0, 0, 0, 0}, // the case of 2025-09 is older than 12 months
	}
	if got := counts(sum); !equalCounts(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	if len(sum.Unmatched) != 1 || sum.Unmatched[0].ID != awsfake.ShadowID || sum.Unmatched[0].Name != "Shadow IT" {
		t.Errorf("unmatched: %+v", sum.Unmatched)
	}
	if strings.Join(sum.WithoutAWS, ",") != "crm" {
		t.Errorf("without AWS workload: %v", sum.WithoutAWS)
	}
	if len(sum.Skipped) != 1 || sum.Skipped[0].ID != awsfake.StagingID || !strings.Contains(sum.Skipped[0].Reason, "PREPRODUCTION") {
		t.Errorf("skipped: %+v", sum.Skipped)
	}

	t.Run("a milestone is a review", func(t *testing.T) {
		e := get[tamledger.Engagement](t, st, tamledger.KindEngagement, warM1)
		if e.Date.String() != "2026-03-10" || e.Service != "well-architected-review" || e.Source != "aws" || e.InitiatedBy != "customer" ||
			strings.Join(e.Workloads, ",") != "payments" || e.AWSID != "arn:aws:wellarchitected:eu-west-1:111122223333:workload/"+awsfake.PaymentsID+"/milestone/1" {
			t.Errorf("milestone 1: %+v", e)
		}
		if !strings.Contains(e.Summary, `milestone 1 "First review"`) || !strings.Contains(e.Summary, "security 4 high, 1 medium") ||
			!strings.Contains(e.Summary, "reliability 3 high, 2 medium") || strings.Contains(e.Summary, "cost-optimization") {
			t.Errorf("summary: %s", e.Summary)
		}
		d := get[tamledger.Engagement](t, st, tamledger.KindEngagement, "aws-war-"+awsfake.AnalyticsID+"-m1")
		if strings.Join(d.Workloads, ",") != "data" {
			t.Errorf("analytics, matched by awsWorkloadId: %+v", d)
		}
	})

	t.Run("high risks are recommendations", func(t *testing.T) {
		recs, err := st.Items(context.Background(), tamledger.KindRecommendation, "acme")
		if err != nil {
			t.Fatal(err)
		}
		var wa []*tamledger.Recommendation
		for _, it := range recs {
			r, _, _ := st.Get(context.Background(), tamledger.KindRecommendation, "acme", it.ID)
			if v := r.Value.(*tamledger.Recommendation); v.Origin == "well-architected" {
				wa = append(wa, v)
			}
		}
		if len(wa) != 4 {
			t.Fatalf("%d well-architected recommendations, want 4", len(wa))
		}
		pillars := map[string]int{}
		for _, r := range wa {
			pillars[r.Workload+"/"+r.Pillar]++
			if r.Risk != "high" || r.Status != "open" {
				t.Errorf("%+v", r)
			}
			if r.Workload == "payments" && (r.Engagement != warM3 || r.RaisedOn.String() != "2026-09-20") {
				t.Errorf("payments: raised by %s on %s, want %s on 2026-09-20", r.Engagement, r.RaisedOn, warM3)
			}
		}
		if pillars["payments/security"] != 2 || pillars["payments/reliability"] != 1 || pillars["data/reliability"] != 1 {
			t.Errorf("by workload and pillar: %v", pillars)
		}
	})

	t.Run("cases", func(t *testing.T) {
		c := get[tamledger.Case](t, st, tamledger.KindCase, caseID)
		if c.Severity != "urgent" || !c.OpenedAt.Equal(time.Date(2026, 4, 2, 9, 0, 0, 123e6, time.UTC)) || c.ResolvedAt == nil {
			t.Errorf("%+v", c)
		}
	})

	t.Run("nothing of an unmatched or pre-production workload", func(t *testing.T) {
		out := export(t, st)
		if strings.Contains(out, awsfake.ShadowID) || strings.Contains(out, awsfake.StagingID) || strings.Contains(out, "Shadow IT") {
			t.Error("the export holds records of Shadow IT or staging")
		}
	})
}

func equalCounts(a, b map[string][5]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSyncIdempotent(t *testing.T) {
	st, _ := syncSetup(t)
	syncAWS(t, st, false)
	before := export(t, st)
	_, rev, _, err := getRev(st, tamledger.KindCase, caseID)
	if err != nil {
		t.Fatal(err)
	}
	sum := syncAWS(t, st, false)
	for _, s := range sum.Services {
		if s.Written+s.Updated > 0 || s.Status != "ok" {
			t.Errorf("second sync changed %s: %+v", s.Service, s)
		}
	}
	if got := counts(sum)[awssync.TrustedAdvisor]; got[2] != 5 {
		t.Errorf("trusted advisor unchanged %d, want 5", got[2])
	}
	if after := export(t, st); after != before {
		t.Errorf("export changed by a second sync:\n%s", diff(before, after))
	}
	if _, rev2, _, _ := getRev(st, tamledger.KindCase, caseID); rev2 != rev {
		t.Errorf("rev %d → %d", rev, rev2)
	}
}

func getRev(st *store.Store, kind, id string) (tamledger.Record, int64, bool, error) {
	it, ok, err := st.Item(context.Background(), kind, "acme", id)
	return tamledger.Record{}, it.Rev, ok, err
}

func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ"
}

func TestSyncKeepsUserEdits(t *testing.T) {
	st, f := syncSetup(t)
	ctx := context.Background()
	syncAWS(t, st, false)

	// A user records the recommendation as implemented, and when the TAM
	// joined the case (the API does not say); the web app's editor writes
	// with Take, as the CLI does.
	if _, err := ledger.SetStatus(ctx, st, ledger.StatusRequest{Org: "acme", ID: mfaID, Status: "implemented", On: ptr(tamledger.MustDate("2026-11-01"))}); err != nil {
		t.Fatal(err)
	}
	engaged := time.Date(2026, 11, 27, 3, 30, 0, 0, time.UTC)
	for id, req := range map[string]ledger.EngagedRequest{
		caseID:  {At: ptr(time.Date(2026, 4, 2, 9, 30, 0, 0, time.UTC))},
		case2ID: {At: &engaged, Manager: tamledger.WebManager("alee@acme.example")},
	} {
		req.Org, req.ID = "acme", id
		if done, err := ledger.SetTAMEngaged(ctx, st, req); err != nil || done.Change != tamledger.Updated {
			t.Fatalf("%s: %v %v", id, done.Change, err)
		}
	}
	if _, err := ledger.SetTAMEngaged(ctx, st, ledger.EngagedRequest{Org: "acme", ID: case2ID, At: ptr(engaged.Add(-time.Hour))}); tamledger.ErrorCode(err) != tamledger.EINVALID {
		t.Errorf("an engagement before the case opened: %v", err)
	}
	if err := ledger.Delete(ctx, st, tamledger.KindRecommendation, "acme", "aws-ta-8b602b6f-452d-4cb2-8a9e-c7650955d9cd", 0); err != nil {
		t.Fatal(err)
	}
	edited := export(t, st)

	t.Run("nothing changed in AWS", func(t *testing.T) {
		sum := syncAWS(t, st, false)
		for _, s := range sum.Services {
			if s.Written+s.Updated > 0 || (s.Skipped > 0 && s.Service != awssync.WellArchitected) { // staging is skipped
				t.Errorf("%s: %+v", s.Service, s)
			}
		}
		if after := export(t, st); after != edited {
			t.Errorf("a sync undid the user's edits:\n%s", diff(edited, after))
		}
	})

	t.Run("AWS changed other fields", func(t *testing.T) {
		f.Cases[1]["status"] = "resolved"
		f.Cases[1]["recentCommunications"] = map[string]any{"communications": []any{
			map[string]any{"body": "fixed", "submittedBy": "Amazon Web Services", "timeCreated": "2026-11-28T08:00:00.000Z"}}}
		f.COHRecs[0]["estimatedMonthlySavings"] = 250.0
		f.COHRecs[0]["lastRefreshTimestamp"] = 1.7645e9
		sum := syncAWS(t, st, false)
		if got := counts(sum); got[awssync.Support][1] != 1 || got[awssync.CostOptimizationHub][1] != 1 {
			t.Errorf("counts: %v", got)
		}
		c := get[tamledger.Case](t, st, tamledger.KindCase, case2ID)
		if c.ResolvedAt == nil || c.ResolvedAt.Format(time.RFC3339) != "2026-11-28T08:00:00Z" || c.TAMEngagedAt == nil || !c.TAMEngagedAt.Equal(engaged) {
			t.Errorf("case: %+v", c)
		}
		r := get[tamledger.Recommendation](t, st, tamledger.KindRecommendation, ledgerCOH(t, st))
		if r.EstimatedMonthlySavings.String() != "250" || r.RaisedOn.String() != "2025-11-29" {
			t.Errorf("cost optimization hub: savings %s raised %s, want 250 and the first date 2025-11-29", r.EstimatedMonthlySavings, r.RaisedOn)
		}
	})

	t.Run("AWS changed a field the user set", func(t *testing.T) {
		f.TARecs[0]["lifecycleStage"] = "dismissed" // the user says implemented
		f.TARecs[2]["status"] = "error"             // written beside the conflict
		f.COHRecs[1]["estimatedMonthlySavings"] = 2600.0
		sum := syncAWS(t, st, false)
		if got := counts(sum); got[awssync.TrustedAdvisor] != [5]int{0, 1, 3, 0, 1} || got[awssync.CostOptimizationHub][1] != 1 {
			t.Errorf("counts: %v %+v", got, sum.Skipped) // the deleted one counts as unchanged: it stays deleted
		}
		var found bool
		for _, s := range sum.Skipped {
			if s.ID == mfaID {
				found = true
				if !strings.Contains(s.Reason, `spec.status is "implemented", set by cli`) || !strings.Contains(s.Reason, `"rejected"`) {
					t.Errorf("reason: %s", s.Reason)
				}
			}
		}
		if !found {
			t.Errorf("the conflict is not reported: %+v", sum.Skipped)
		}
		r := get[tamledger.Recommendation](t, st, tamledger.KindRecommendation, mfaID)
		if r.Status != "implemented" || r.ImplementedOn.String() != "2026-11-01" {
			t.Errorf("the user's status was overwritten: %+v", r)
		}
		if _, ok, _ := st.Get(context.Background(), tamledger.KindRecommendation, "acme", "aws-ta-8b602b6f-452d-4cb2-8a9e-c7650955d9cd"); ok {
			t.Error("a recommendation the user deleted came back")
		}
	})
}

func ptr[T any](v T) *T { return &v }

// ledgerCOH is the id of the first Cost Optimization Hub recommendation.
func ledgerCOH(t *testing.T, st *store.Store) string {
	t.Helper()
	return awssync.ID("aws-coh", "MDAwMDAwMDAwMDAwLWU5ZTQ4ZjdiLWFBQkMtNGQ4Yi05YjFhLTAwMDAwMDAwMDAwMQ==")
}

func TestSyncDryRun(t *testing.T) {
	st, _ := syncSetup(t)
	before := export(t, st)
	sum := syncAWS(t, st, true)
	if !sum.DryRun || counts(sum)[awssync.TrustedAdvisor][0] != 5 {
		t.Errorf("dry run summary: %+v", sum.Services)
	}
	if after := export(t, st); after != before {
		t.Error("a dry run wrote")
	}
}

func TestSyncServiceFails(t *testing.T) {
	st, f := syncSetup(t)
	f.Deny["support:DescribeCases"] = true
	sum := syncAWS(t, st, false)
	failed := sum.Failed()
	if len(failed) != 1 || failed[0].Service != awssync.Support || failed[0].MissingAction != "support:DescribeCases" ||
		!strings.Contains(failed[0].Error, "access denied to support:DescribeCases") {
		t.Fatalf("failed: %+v", failed)
	}
	if got := counts(sum); got[awssync.TrustedAdvisor][0] != 5 || got[awssync.Support] != [5]int{} {
		t.Errorf("counts: %v", got)
	}
	if _, ok, _ := st.Get(context.Background(), tamledger.KindRecommendation, "acme", mfaID); !ok {
		t.Error("the other services were not written")
	}
}

func TestSyncUnknownOrganization(t *testing.T) {
	st := open(t)
	_, err := ledger.Sync(context.Background(), st, ledger.SyncRequest{Org: "nope", AWS: &awssync.Snapshot{}})
	if tamledger.ErrorCode(err) != tamledger.ENOTFOUND {
		t.Errorf("err = %v, want ENOTFOUND", err)
	}
}

func TestSyncAmbiguousName(t *testing.T) {
	f := awsfake.New(t)
	f.Env(t)
	f.Fill()
	st := open(t)
	mustImport(t, st, "acme.yaml", strings.Replace(syncOrg, "{id: crm, name: Legacy CRM", "{id: payments-2, name: payments", 1))
	sum := syncAWS(t, st, false)
	var got []string
	for _, u := range sum.Unmatched {
		got = append(got, u.ID+": "+u.Reason)
	}
	if len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), awsfake.PaymentsID+": several workloads of that name") {
		t.Errorf("unmatched: %v", got)
	}
}

// A high risk the Well-Architected Tool no longer lists was improved: the
// sync marks it implemented on the day it notices, once; one a user took
// over is left as the user set it.
func TestSyncResolvedHighRisk(t *testing.T) {
	st, f := syncSetup(t)
	ctx := context.Background()
	syncAWS(t, st, false)
	backup := awssync.ID("aws-wa", awsfake.PaymentsID+"-wellarchitected-failure-management-backup")
	detect := awssync.ID("aws-wa", awsfake.PaymentsID+"-wellarchitected-detect-investigate-events")
	if _, err := ledger.SetStatus(ctx, st, ledger.StatusRequest{Org: "acme", ID: detect, Status: "accepted"}); err != nil {
		t.Fatal(err)
	}
	imps := f.Workloads[0].Improvements
	f.Workloads[0].Improvements = []awsfake.Improvement{imps[0], imps[2]} // backup and detect improved
	sum := syncAWS(t, st, false)
	if got := counts(sum)[awssync.WellArchitected]; got[1] != 1 || got[4] != 2 {
		t.Errorf("counts %v, want 1 updated and 2 skipped (staging, the user's)", got)
	}
	r := get[tamledger.Recommendation](t, st, tamledger.KindRecommendation, backup)
	if r.Status != "implemented" || r.ImplementedOn == nil || r.ImplementedOn.String() != "2026-11-30" || r.RaisedOn.String() != "2026-09-20" {
		t.Errorf("improved: %+v", r)
	}
	if d := get[tamledger.Recommendation](t, st, tamledger.KindRecommendation, detect); d.Status != "accepted" {
		t.Errorf("the user's recommendation: %+v", d)
	}
	before := export(t, st)
	syncNow = syncNow.AddDate(0, 0, 3)
	defer func() { syncNow = syncNow.AddDate(0, 0, -3) }()
	sum = syncAWS(t, st, false)
	if got := counts(sum)[awssync.WellArchitected]; got[0]+got[1] != 0 {
		t.Errorf("a later sync changed %v", got)
	}
	if export(t, st) != before {
		t.Error("a later sync changed the export (the implementation date moved?)")
	}
}

// BenchmarkSyncLargeAccount reads and writes an account with 2,000 Trusted
// Advisor and 2,000 Cost Optimization Hub recommendations and 1,000 cases
// (pages of 100, the services' own maximum or less), then syncs it again
// with nothing changed: docs/performance.md, "Sync from AWS".
//
//	go test ./ledger -run '^$' -bench SyncLargeAccount -benchtime 3x
func BenchmarkSyncLargeAccount(b *testing.B) {
	f := awsfake.New(b)
	f.Env(b)
	f.PageSize = 100
	f.Fill()
	ta, coh, cs := f.TARecs[2], f.COHRecs[0], f.Cases[0]
	f.TARecs, f.COHRecs, f.Cases = nil, nil, nil
	for i := range 2000 {
		r := clone(ta)
		r["id"] = fmt.Sprintf("0d3c1a5e-7d2b-4e0f-9c55-%012d", i)
		r["arn"] = "arn:aws:trustedadvisor::111122223333:recommendation/" + r["id"].(string)
		f.TARecs = append(f.TARecs, r)
		c := clone(coh)
		c["recommendationId"] = fmt.Sprintf("MDAwMDAwMDAwMDAwLWU5ZTQ4ZjdiLWFBQkMtNGQ4Yi05YjFhLT%08d", i)
		f.COHRecs = append(f.COHRecs, c)
	}
	for i := range 1000 {
		c := clone(cs)
		c["caseId"] = fmt.Sprintf("case-111122223333-muen-2026-%016x", i)
		f.Cases = append(f.Cases, c)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var first, again time.Duration
	for range b.N {
		b.StopTimer()
		st, err := store.Open(context.Background(), testdb.DSN(b))
		if err != nil {
			b.Fatal(err)
		}
		mustImportB(b, st, syncOrg)
		b.StartTimer()
		for round := range 2 {
			start := time.Now()
			snap, err := awssync.Read(context.Background(), cfg, awssync.Options{Now: syncNow})
			if err != nil {
				b.Fatal(err)
			}
			sum, err := ledger.Sync(context.Background(), st, ledger.SyncRequest{Org: "acme", AWS: snap, Now: syncNow})
			if err != nil || len(sum.Failed()) > 0 {
				b.Fatal(err, sum.Failed())
			}
			if round == 0 {
				first += time.Since(start)
			} else {
				again += time.Since(start)
			}
		}
		b.StopTimer()
		st.Close()
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "ms/first-sync")
	b.ReportMetric(float64(again.Milliseconds())/float64(b.N), "ms/re-sync")
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mustImportB(b *testing.B, st *store.Store, text string) {
	b.Helper()
	if _, err := ledger.Import(context.Background(), st, []ledger.Source{{Name: "acme.yaml", Reader: strings.NewReader(text)}}, ledger.Options{}); err != nil {
		b.Fatal(err)
	}
}
