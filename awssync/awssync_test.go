package awssync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/awssync"
	"github.com/tamledger/tamledger/internal/awsfake"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// cfg is the SDK's default configuration, pointed at the fake by the
// environment, with the standard retryer's backoff kept short.
func cfg(t *testing.T) aws.Config {
	t.Helper()
	c, err := config.LoadDefaultConfig(context.Background(), config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 20 * time.Millisecond })
	}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func read(t *testing.T, f *awsfake.Fake, opt awssync.Options) *awssync.Snapshot {
	t.Helper()
	if opt.Now.IsZero() {
		opt.Now = now
	}
	s, err := awssync.Read(context.Background(), cfg(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadEverything(t *testing.T) {
	f := awsfake.New(t)
	f.Env(t)
	f.Fill()
	f.Lenses = []string{"wellarchitected", "serverless", "saas"} // two pages of lens reviews
	var progress []string
	s := read(t, f, awssync.Options{Progress: func(svc string, n int) { progress = append(progress, svc) }})
	if len(s.Failed) > 0 {
		t.Fatalf("failed: %v", s.Failed)
	}
	for _, svc := range awssync.Services {
		if !s.Read[svc] {
			t.Errorf("%s not read", svc)
		}
	}
	if f.Unsigned() > 0 {
		t.Errorf("%d requests not signed with the configured key", f.Unsigned())
	}
	if len(progress) == 0 {
		t.Error("no progress reported")
	}

	t.Run("pagination on every list", func(t *testing.T) {
		// Page size 2: every list of 3 or more items takes several pages.
		for action, min := range map[string]int{
			"wellarchitected:ListWorkloads":              2,                   // 4 workloads
			"wellarchitected:ListMilestones":             2 + 1 + 1,           // payments: 3 milestones in 2 pages; analytics, shadow: 1
			"wellarchitected:ListLensReviews":            2 * (3 + 1 + 1 + 3), // 3 lenses, 2 pages, per milestone and now
			"wellarchitected:ListLensReviewImprovements": 3*2 + 3 + 3,         // payments: 4 items, 2 pages per lens
			"trustedadvisor:ListRecommendations":         3,                   // 5 recommendations
			"cost-optimization-hub:ListRecommendations":  2,                   // 3 recommendations
			"support:DescribeCases":                      2,                   // 3 cases in the last 12 months
		} {
			if got := f.Calls(action); got < min {
				t.Errorf("%s: %d calls, want at least %d", action, got, min)
			}
		}
		if len(s.Workloads) != 4 {
			t.Fatalf("%d workloads, want 4", len(s.Workloads))
		}
		pay := s.Workloads[0]
		if pay.ID != awsfake.PaymentsID || len(pay.Reviews) != 3 || pay.Latest != 3 {
			t.Fatalf("payments: %+v", pay)
		}
		if len(pay.Reviews[0].Lenses) != 3 {
			t.Errorf("milestone 1 has %d lens reviews, want 3", len(pay.Reviews[0].Lenses))
		}
		// 3 high-risk questions per lens (the medium one left out).
		if len(pay.Improvements) != 9 {
			t.Errorf("%d improvements, want 9: %+v", len(pay.Improvements), pay.Improvements)
		}
		if len(s.Recommendations) != 5+3 || len(s.Cases) != 3 {
			t.Errorf("%d recommendations (want 8), %d cases (want 3)", len(s.Recommendations), len(s.Cases))
		}
	})

	t.Run("a milestone as AWS recorded it", func(t *testing.T) {
		rv := s.Workloads[0].Reviews[0]
		if !rv.RecordedAt.Equal(time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC)) || rv.Name != "First review" {
			t.Errorf("milestone 1: %+v", rv)
		}
		l := rv.Lenses[0]
		if l.Lens != "AWS Well-Architected Framework" {
			t.Errorf("lens %q", l.Lens)
		}
		got := map[string]int32{}
		for _, p := range l.Pillars {
			got[p.Pillar] = p.Counts["HIGH"]
		}
		if got["security"] != 4 || got["reliability"] != 3 || got["cost-optimization"] != 0 {
			t.Errorf("high risks per pillar: %v", got)
		}
	})

	t.Run("pre-production workloads are not read further", func(t *testing.T) {
		st := s.Workloads[2]
		if st.Production() || len(st.Reviews) != 0 || len(st.Improvements) != 0 {
			t.Errorf("staging: %+v", st)
		}
	})

	t.Run("Trusted Advisor", func(t *testing.T) {
		byTitle := map[string]tamledger.Recommendation{}
		for _, r := range s.Recommendations {
			byTitle[r.Title] = r
		}
		mfa := byTitle["MFA Recommendation"]
		if mfa.Origin != "trusted-advisor" || mfa.Pillar != "security" || mfa.Risk != "high" || mfa.Status != "open" ||
			mfa.EstimatedMonthlySavings == nil || !mfa.EstimatedMonthlySavings.IsZero() ||
			mfa.AWSID != "arn:aws:trustedadvisor::000000000000:recommendation/55fa4d2e-bbb7-491a-833b-5773e9589578" ||
			mfa.ID != "aws-ta-55fa4d2e-bbb7-491a-833b-5773e9589578" || mfa.RaisedOn.String() != "2023-11-01" {
			t.Errorf("MFA: %+v", mfa)
		}
		if q := byTitle["RDS clusters quota warning"]; q.Pillar != "reliability" || q.Risk != "medium" {
			t.Errorf("quota: %+v", q)
		}
		pri := byTitle["Idle RDS instances in production"]
		if pri.Origin != "tam" || pri.Status != "accepted" || pri.EstimatedMonthlySavings.String() != "1830.46" || pri.RaisedOn.String() != "2026-10-02" {
			t.Errorf("priority: %+v (savings %v)", pri, pri.EstimatedMonthlySavings)
		}
		res := byTitle["Amazon EBS snapshots not encrypted"]
		if res.Status != "implemented" || res.ImplementedOn == nil || res.ImplementedOn.String() != "2026-09-01" {
			t.Errorf("resolved: %+v", res)
		}
		if d := byTitle["Low utilization Amazon EC2 instances"]; d.Status != "rejected" || d.StatusReason == "" {
			t.Errorf("dismissed: %+v", d)
		}
	})

	t.Run("Cost Optimization Hub", func(t *testing.T) {
		var coh []tamledger.Recommendation
		for _, r := range s.Recommendations {
			if r.Origin == "cost-optimization-hub" {
				coh = append(coh, r)
			}
		}
		if len(coh) != 3 {
			t.Fatalf("%d, want 3", len(coh))
		}
		r := coh[0]
		if r.Title != "Rightsize Ec2Instance i-0abc123def4567890: m5.2xlarge → m7g.xlarge (eu-west-1)" || r.Pillar != "cost-optimization" ||
			r.EstimatedMonthlySavings.String() != "211.7" || r.Status != "open" || r.RaisedOn.String() != "2025-11-29" ||
			!strings.HasPrefix(r.ID, "aws-coh-") || !tamledger.ValidID(r.ID) || r.AWSID != "MDAwMDAwMDAwMDAwLWU5ZTQ4ZjdiLWFBQkMtNGQ4Yi05YjFhLTAwMDAwMDAwMDAwMQ==" {
			t.Errorf("rightsize: %+v", r)
		}
		if coh[0].ID == coh[1].ID {
			t.Error("two recommendations, one id")
		}
		// An id that is valid once lowercased without loss is kept readable.
		if coh[2].ID != "aws-coh-mdawmdawmdawmdawlwu5ztq4zjdilwfbqkmtngq4yi05yjfhltawmdawmdawmdawmw" {
			t.Errorf("readable id: %s", coh[2].ID)
		}
	})

	t.Run("Support", func(t *testing.T) {
		c := s.Cases[0]
		if c.Severity != "urgent" || !c.OpenedAt.Equal(time.Date(2026, 4, 2, 9, 0, 0, 123e6, time.UTC)) ||
			c.ResolvedAt == nil || !c.ResolvedAt.Equal(time.Date(2026, 4, 3, 10, 0, 0, 500e6, time.UTC)) ||
			c.TAMEngagedAt != nil || c.AWSID != "case-111122223333-muen-2026-3c4d5e6f7a8b9c0d" {
			t.Errorf("resolved case: %+v", c)
		}
		if c := s.Cases[1]; c.Severity != "critical" || c.ResolvedAt != nil {
			t.Errorf("open case: %+v", c)
		}
		for _, c := range s.Cases {
			if c.Subject == "Old billing question" {
				t.Error("a case older than 12 months was read")
			}
		}
	})
}

func TestThrottlingThenSuccess(t *testing.T) {
	f := awsfake.New(t)
	f.Env(t)
	f.Fill()
	actions := []string{"wellarchitected:ListWorkloads", "wellarchitected:GetWorkload", "wellarchitected:ListMilestones",
		"wellarchitected:GetLensReview", "wellarchitected:ListLensReviewImprovements",
		"trustedadvisor:ListRecommendations", "cost-optimization-hub:ListRecommendations", "support:DescribeCases"}
	for _, a := range actions {
		f.Throttle[a] = 2
	}
	s := read(t, f, awssync.Options{})
	if len(s.Failed) > 0 {
		t.Fatalf("failed after throttling: %v", s.Failed)
	}
	if len(s.Workloads) != 4 || len(s.Recommendations) != 8 || len(s.Cases) != 3 {
		t.Errorf("read %d workloads, %d recommendations, %d cases after throttling", len(s.Workloads), len(s.Recommendations), len(s.Cases))
	}
	plain := awsfake.New(t)
	plain.Env(t)
	plain.Fill()
	read(t, plain, awssync.Options{})
	for _, a := range actions {
		if got, want := f.Calls(a), plain.Calls(a)+2; got != want {
			t.Errorf("%s: %d calls, want %d (two throttled, then retried)", a, got, want)
		}
	}
}

func TestAccessDenied(t *testing.T) {
	f := awsfake.New(t)
	f.Env(t)
	f.Fill()
	f.Deny["wellarchitected:GetLensReview"] = true
	f.Deny["cost-optimization-hub:ListRecommendations"] = true
	s := read(t, f, awssync.Options{})
	if len(s.Failed) != 2 {
		t.Fatalf("failed: %v", s.Failed)
	}
	for i, want := range []struct{ svc, action string }{
		{awssync.WellArchitected, "wellarchitected:GetLensReview"},
		{awssync.CostOptimizationHub, "cost-optimization-hub:ListRecommendations"},
	} {
		got := s.Failed[i]
		if got.Service != want.svc || got.Action != want.action || !got.Denied || !strings.Contains(got.Error(), "access denied to "+want.action) {
			t.Errorf("failure %d: %+v: %s", i, got, got.Error())
		}
		if s.Read[want.svc] {
			t.Errorf("%s counted as read", want.svc)
		}
	}
	if f.Calls("wellarchitected:GetLensReview") != 1 {
		t.Errorf("access denied was retried: %d calls", f.Calls("wellarchitected:GetLensReview"))
	}
	if !s.Read[awssync.TrustedAdvisor] || !s.Read[awssync.Support] || len(s.Cases) != 3 {
		t.Errorf("the other services were not read on: %v", s.Read)
	}
	if s.Workloads != nil {
		t.Error("a failed service's records were kept")
	}
}

func TestEmptyAccount(t *testing.T) {
	f := awsfake.New(t)
	f.Env(t)
	s := read(t, f, awssync.Options{})
	if len(s.Failed) > 0 || len(s.Workloads)+len(s.Recommendations)+len(s.Cases) != 0 || len(s.Read) != 4 {
		t.Errorf("empty account: %+v", s)
	}
	for _, a := range []string{"wellarchitected:ListWorkloads", "trustedadvisor:ListRecommendations", "cost-optimization-hub:ListRecommendations", "support:DescribeCases"} {
		if f.Calls(a) != 1 {
			t.Errorf("%s: %d calls, want 1", a, f.Calls(a))
		}
	}
}

func TestSince(t *testing.T) {
	f := awsfake.New(t)
	f.Env(t)
	f.Fill()
	s := read(t, f, awssync.Options{Since: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)})
	pay := s.Workloads[0]
	if len(pay.Reviews) != 1 || pay.Reviews[0].Number != 3 || pay.Latest != 3 {
		t.Errorf("payments since 2026-09-01: %+v", pay.Reviews)
	}
	for _, r := range s.Recommendations {
		if r.Origin != "cost-optimization-hub" && r.RaisedOn.Before(tamledger.MustDate("2026-09-01")) && r.Status != "implemented" {
			t.Errorf("recommendation before --since: %+v", r)
		}
	}
	// Cases opened since: the critical one only.
	if len(s.Cases) != 1 || s.Cases[0].Severity != "critical" {
		t.Errorf("cases since 2026-09-01: %+v", s.Cases)
	}
}

func TestID(t *testing.T) {
	for _, tt := range []struct{ prefix, aws, want string }{
		{"aws", "case-111122223333-muen-2026-3c4d5e6f7a8b9c0d", "aws-case-111122223333-muen-2026-3c4d5e6f7a8b9c0d"},
		{"aws-coh", "ABC", "aws-coh-b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e"},
		{"aws-coh", "abc", "aws-coh-abc"},
		{"aws-wa", strings.Repeat("a", 130), "aws-wa-" + "1a2c9c45d34a1f7e2f2a4d1b4fa7c3eb9cb37aaf4dd5e3c7"},
	} {
		got := awssync.ID(tt.prefix, tt.aws)
		if !tamledger.ValidID(got) {
			t.Errorf("ID(%q, %q) = %q: not a valid id", tt.prefix, tt.aws, got)
		}
		if tt.aws == "ABC" || strings.HasPrefix(tt.aws, "aaaa") {
			if len(got) != len(tt.prefix)+1+24 {
				t.Errorf("ID(%q, %q) = %q: want the prefix and 24 hex digits", tt.prefix, tt.aws, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("ID(%q, %q) = %q, want %q", tt.prefix, tt.aws, got, tt.want)
		}
	}
	if awssync.ID("p", "ABC") == awssync.ID("p", "abc") || awssync.ID("p", "ABC") != awssync.ID("p", "ABC") {
		t.Error("ids are not one per identifier")
	}
}
