package awsfake

import (
	_ "embed"
	"encoding/json"
	"time"
)

// The sample's Well-Architected workloads.
const (
	PaymentsID  = "0123456789abcdef0123456789abcdef" // "PAYMENTS", production: matches workload Payments by name
	AnalyticsID = "fedcba9876543210fedcba9876543210" // "Analytics", production: matched by awsWorkloadId
	StagingID   = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" // "Payments staging", pre-production
	ShadowID    = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" // "Shadow IT", production, matches nothing
)

//go:embed testdata/trustedadvisor__list-recommendations.json
var taExample []byte

// Fill gives the fake an account with something of everything: four
// workloads (two matching an organisation's, one pre-production, one
// matching nothing), Trusted Advisor's documented example and three more
// recommendations (priority, resolved, dismissed), three Cost Optimization
// Hub recommendations and four support cases, one of them 14 months old
// on 2026-11-30.
func (f *Fake) Fill() {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	risks := func(sec, rel int) map[string]map[string]int {
		return map[string]map[string]int{
			"security":         {"HIGH": sec, "MEDIUM": 1, "NONE": 5, "UNANSWERED": 0, "NOT_APPLICABLE": 0},
			"reliability":      {"HIGH": rel, "MEDIUM": 2, "NONE": 4, "UNANSWERED": 1, "NOT_APPLICABLE": 0},
			"costOptimization": {"HIGH": 0, "MEDIUM": 0, "NONE": 10, "UNANSWERED": 0, "NOT_APPLICABLE": 1},
		}
	}
	f.Workloads = []Workload{
		{ID: PaymentsID, Name: "PAYMENTS", Environment: "PRODUCTION", UpdatedAt: at("2026-09-20T08:00:00Z"),
			Milestones: []Milestone{
				{Number: 1, Name: "First review", RecordedAt: at("2026-03-10T23:30:00Z"), Risks: risks(4, 3)},
				{Number: 2, Name: "Mid-year", RecordedAt: at("2026-06-15T10:00:00Z"), Risks: risks(2, 2)},
				{Number: 3, Name: "After remediation", RecordedAt: at("2026-09-20T08:00:00Z"), Risks: risks(1, 1)},
			},
			Improvements: []Improvement{
				{QuestionID: "securely-operate", PillarID: "security", Title: "How do you securely operate your workload?", Risk: "HIGH"},
				{QuestionID: "failure-management-backup", PillarID: "reliability", Title: "How do you back up data?", Risk: "HIGH"},
				{QuestionID: "cost-aware", PillarID: "costOptimization", Title: "How do you govern usage?", Risk: "MEDIUM"},
				{QuestionID: "detect-investigate-events", PillarID: "security", Title: "How do you detect and investigate security events?", Risk: "HIGH"},
			}},
		{ID: AnalyticsID, Name: "Analytics", Environment: "PRODUCTION", UpdatedAt: at("2026-05-02T12:00:00Z"),
			Milestones: []Milestone{{Number: 1, Name: "Launch review", RecordedAt: at("2026-05-02T12:00:00Z"), Risks: risks(0, 1)}},
			Improvements: []Improvement{
				{QuestionID: "workload-architecture", PillarID: "reliability", Title: "How do you design interactions in a distributed system?", Risk: "HIGH"},
			}},
		{ID: StagingID, Name: "Payments staging", Environment: "PREPRODUCTION", UpdatedAt: at("2026-08-01T09:00:00Z"),
			Milestones:   []Milestone{{Number: 1, Name: "Staging", RecordedAt: at("2026-08-01T09:00:00Z"), Risks: risks(5, 5)}},
			Improvements: []Improvement{{QuestionID: "securely-operate", PillarID: "security", Title: "How do you securely operate your workload?", Risk: "HIGH"}}},
		{ID: ShadowID, Name: "Shadow IT", Environment: "PRODUCTION", UpdatedAt: at("2026-07-07T07:00:00Z"),
			Milestones:   []Milestone{{Number: 1, Name: "Found it", RecordedAt: at("2026-07-07T07:00:00Z"), Risks: risks(9, 9)}},
			Improvements: []Improvement{{QuestionID: "securely-operate", PillarID: "security", Title: "How do you securely operate your workload?", Risk: "HIGH"}}},
	}

	var ex struct {
		RecommendationSummaries []map[string]any `json:"recommendationSummaries"`
	}
	if err := json.Unmarshal(taExample, &ex); err != nil {
		panic(err)
	}
	f.TARecs = append(ex.RecommendationSummaries,
		map[string]any{
			"arn": "arn:aws:trustedadvisor::" + Account + ":recommendation/0d3c1a5e-7d2b-4e0f-9c55-2f1b9a7d0c11", "id": "0d3c1a5e-7d2b-4e0f-9c55-2f1b9a7d0c11",
			"name": "Idle RDS instances in production", "awsServices": []string{"rds"}, "checkArn": "arn:aws:trustedadvisor:::check/Ti39halfu8",
			"createdAt": "2026-10-02T14:00:00.000Z", "lastUpdatedAt": "2026-11-20T09:15:00.250Z", "lifecycleStage": "in_progress",
			"pillarSpecificAggregates": map[string]any{"costOptimizing": map[string]any{"estimatedMonthlySavings": 1830.456, "estimatedPercentMonthlySavings": 0.12}},
			"pillars":                  []string{"cost_optimizing"}, "resourcesAggregates": map[string]any{"errorCount": 0, "okCount": 4, "warningCount": 3},
			"source": "manual", "status": "warning", "type": "priority",
		},
		map[string]any{
			"arn": "arn:aws:trustedadvisor::" + Account + ":recommendation/5a6b7c8d-1111-4222-8333-944455556666", "id": "5a6b7c8d-1111-4222-8333-944455556666",
			"name": "Amazon EBS snapshots not encrypted", "awsServices": []string{"ebs"},
			"lastUpdatedAt": "2026-09-01T00:00:00Z", "lifecycleStage": "resolved",
			"pillars": []string{"security"}, "resourcesAggregates": map[string]any{"errorCount": 0, "okCount": 12, "warningCount": 0},
			"source": "ta_check", "status": "ok", "type": "standard",
		},
		map[string]any{
			"arn": "arn:aws:trustedadvisor::" + Account + ":recommendation/9f8e7d6c-2222-4333-8444-a55566667777", "id": "9f8e7d6c-2222-4333-8444-a55566667777",
			"name": "Low utilization Amazon EC2 instances", "awsServices": []string{"ec2"},
			"lastUpdatedAt": "2026-11-28T06:00:00Z", "lifecycleStage": "dismissed",
			"pillarSpecificAggregates": map[string]any{"costOptimizing": map[string]any{"estimatedMonthlySavings": 412.0}},
			"pillars":                  []string{"cost_optimizing"}, "resourcesAggregates": map[string]any{"errorCount": 0, "okCount": 20, "warningCount": 2},
			"source": "ta_check", "status": "warning", "type": "standard",
		})

	f.COHRecs = []map[string]any{
		{"recommendationId": "MDAwMDAwMDAwMDAwLWU5ZTQ4ZjdiLWFBQkMtNGQ4Yi05YjFhLTAwMDAwMDAwMDAwMQ==", "accountId": Account, "region": "eu-west-1",
			"resourceId": "i-0abc123def4567890", "resourceArn": "arn:aws:ec2:eu-west-1:" + Account + ":instance/i-0abc123def4567890",
			"currentResourceType": "Ec2Instance", "recommendedResourceType": "Ec2Instance", "actionType": "Rightsize",
			"currentResourceSummary": "m5.2xlarge", "recommendedResourceSummary": "m7g.xlarge",
			"estimatedMonthlySavings": 211.7, "estimatedSavingsPercentage": 48.5, "estimatedMonthlyCost": 224.5, "currencyCode": "USD",
			"implementationEffort": "Medium", "restartNeeded": true, "rollbackPossible": true, "source": "ComputeOptimizer",
			"lastRefreshTimestamp": 1.7644e9, "recommendationLookbackPeriodInDays": 14, "tags": []any{}},
		{"recommendationId": "MDAwMDAwMDAwMDAwLWU5ZTQ4ZjdiLWFBQkMtNGQ4Yi05YjFhLTAwMDAwMDAwMDAwMg==", "accountId": Account, "region": "us-east-1",
			"resourceId": Account + "_ComputeSavingsPlans", "currentResourceType": "ComputeSavingsPlans", "recommendedResourceType": "ComputeSavingsPlans",
			"actionType": "PurchaseSavingsPlans", "recommendedResourceSummary": "$12.5/hour, 1 year, no upfront",
			"estimatedMonthlySavings": 2450.0, "currencyCode": "USD", "implementationEffort": "VeryLow", "restartNeeded": false, "rollbackPossible": false,
			"source": "CostExplorer", "lastRefreshTimestamp": 1.7641e9, "recommendationLookbackPeriodInDays": 30},
		{"recommendationId": "mdawmdawmdawmdawlwu5ztq4zjdilwfbqkmtngq4yi05yjfhltawmdawmdawmdawmw", "accountId": Account, "region": "eu-west-1",
			"resourceId": "vol-0123456789abcdef0", "currentResourceType": "EbsVolume", "recommendedResourceType": "EbsVolume", "actionType": "Delete",
			"currentResourceSummary": "gp2 500 GiB, unattached", "estimatedMonthlySavings": 50, "currencyCode": "USD",
			"source": "ComputeOptimizer", "lastRefreshTimestamp": 1.7642e9},
	}

	comm := func(t, by string) map[string]any {
		return map[string]any{"caseId": "", "body": "…", "submittedBy": by, "timeCreated": t, "attachmentSet": []any{}}
	}
	f.Cases = []map[string]any{
		{"caseId": "case-111122223333-muen-2026-3c4d5e6f7a8b9c0d", "displayId": "17340051961", "subject": "RDS failover took 9 minutes",
			"status": "resolved", "serviceCode": "amazon-relational-database-service-aurora", "categoryCode": "performance", "severityCode": "urgent",
			"submittedBy": "ops@acme.example", "timeCreated": "2026-04-02T09:00:00.123Z", "language": "en", "ccEmailAddresses": []string{},
			"recentCommunications": map[string]any{"communications": []any{
				comm("2026-04-03T10:00:00.500Z", "Amazon Web Services"), comm("2026-04-02T09:40:00.000Z", "Amazon Web Services")}}},
		{"caseId": "case-111122223333-muen-2026-1a2b3c4d5e6f7a8b", "displayId": "17340051962", "subject": "Production API down in eu-west-1",
			"status": "opened", "serviceCode": "amazon-elastic-compute-cloud-linux", "categoryCode": "instance-issue", "severityCode": "critical",
			"submittedBy": "ops@acme.example", "timeCreated": "2026-11-27T03:12:45.001Z", "language": "en",
			"recentCommunications": map[string]any{"communications": []any{comm("2026-11-27T03:20:00.000Z", "Amazon Web Services")}}},
		{"caseId": "case-111122223333-muen-2026-9e8d7c6b5a4f3e2d", "displayId": "17340051963", "subject": "Quota increase for Lambda concurrency",
			"status": "pending-customer-action", "serviceCode": "service-limit-increase", "categoryCode": "lambda", "severityCode": "low",
			"submittedBy": "dev@acme.example", "timeCreated": "2026-08-14T16:05:00.000Z", "language": "en",
			"recentCommunications": map[string]any{"communications": []any{}}},
		{"caseId": "case-111122223333-muen-2025-0f0e0d0c0b0a0908", "displayId": "17340051900", "subject": "Old billing question",
			"status": "resolved", "serviceCode": "billing", "categoryCode": "other", "severityCode": "normal",
			"submittedBy": "finance@acme.example", "timeCreated": "2025-09-01T10:00:00.000Z", "language": "en",
			"recentCommunications": map[string]any{"communications": []any{comm("2025-09-02T10:00:00.000Z", "Amazon Web Services")}}},
	}
}
