package awssync

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	coh "github.com/aws/aws-sdk-go-v2/service/costoptimizationhub"
	ta "github.com/aws/aws-sdk-go-v2/service/trustedadvisor"
	tatypes "github.com/aws/aws-sdk-go-v2/service/trustedadvisor/types"
	"github.com/shopspring/decimal"

	"github.com/tamledger/tamledger"
)

// trustedAdvisor reads every Trusted Advisor recommendation, whatever its
// status (ListRecommendations).
func (r *reader) trustedAdvisor(s *Snapshot) error {
	c := ta.NewFromConfig(r.cfg, func(o *ta.Options) { o.Region = GlobalRegion })
	in := &ta.ListRecommendationsInput{MaxResults: aws.Int32(200)}
	if !r.since().IsZero() {
		in.AfterLastUpdatedAt = aws.Time(r.since())
	}
	p := ta.NewListRecommendationsPaginator(c, in)
	var out []tamledger.Recommendation
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		if err != nil {
			return r.fail("trustedadvisor:ListRecommendations", err)
		}
		for _, x := range page.RecommendationSummaries {
			out = append(out, trustedAdvisorRecommendation(x))
		}
		r.read(len(page.RecommendationSummaries))
	}
	s.Recommendations = append(s.Recommendations, out...)
	return nil
}

func trustedAdvisorRecommendation(x tatypes.RecommendationSummary) tamledger.Recommendation {
	arn, id := str(x.Arn), str(x.Id)
	if arn == "" {
		arn = id
	}
	rec := tamledger.Recommendation{
		ID: ID("aws-ta", strings.ToLower(id)), Origin: "trusted-advisor", Title: str(x.Name), AWSID: arn,
	}
	if x.Type == tatypes.RecommendationTypePriority {
		rec.Origin = "tam" // Trusted Advisor Priority: raised by the account team
	}
	for _, p := range x.Pillars {
		if name := pillars[string(p)]; name != "" {
			rec.Pillar = name
			break
		}
	}
	switch x.Status {
	case tatypes.RecommendationStatusError:
		rec.Risk = "high"
	case tatypes.RecommendationStatusWarning:
		rec.Risk = "medium"
	case tatypes.RecommendationStatusOk:
		rec.Risk = "low"
	}
	saving := 0.0
	if a := x.PillarSpecificAggregates; a != nil && a.CostOptimizing != nil && a.CostOptimizing.EstimatedMonthlySavings != nil {
		saving = *a.CostOptimizing.EstimatedMonthlySavings
	}
	rec.EstimatedMonthlySavings = money(saving)
	updated := aws.ToTime(x.LastUpdatedAt)
	raised := updated
	if x.CreatedAt != nil {
		raised = *x.CreatedAt
	}
	rec.RaisedOn = utcDate(raised)
	switch {
	case x.LifecycleStage == tatypes.RecommendationLifecycleStageResolved:
		rec.Status = "implemented"
		if !updated.IsZero() {
			on := utcDate(updated)
			rec.ImplementedOn = &on
		}
	case x.LifecycleStage == tatypes.RecommendationLifecycleStageDismissed:
		rec.Status, rec.StatusReason = "rejected", "dismissed in Trusted Advisor"
	case x.LifecycleStage == tatypes.RecommendationLifecycleStageInProgress:
		rec.Status = "accepted"
	case x.LifecycleStage == "" && x.Status == tatypes.RecommendationStatusOk:
		rec.Status, rec.StatusReason = "implemented", "no resource flagged by Trusted Advisor"
	default:
		rec.Status = "open"
	}
	return rec
}

// costOptimizationHub reads every Cost Optimization Hub recommendation
// (ListRecommendations): the best one per resource, as the hub ranks them.
func (r *reader) costOptimizationHub(s *Snapshot) error {
	c := coh.NewFromConfig(r.cfg, func(o *coh.Options) { o.Region = GlobalRegion })
	p := coh.NewListRecommendationsPaginator(c, &coh.ListRecommendationsInput{MaxResults: aws.Int32(100)})
	var out []tamledger.Recommendation
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		if err != nil {
			return r.fail("cost-optimization-hub:ListRecommendations", err)
		}
		for _, x := range page.Items {
			at := aws.ToTime(x.LastRefreshTimestamp)
			if !r.since().IsZero() && at.Before(r.since()) {
				continue
			}
			if at.IsZero() {
				at = r.opt.Now
			}
			id := str(x.RecommendationId)
			title := strings.TrimSpace(fmt.Sprintf("%s %s %s", spaced(str(x.ActionType)), str(x.CurrentResourceType), firstOf(str(x.ResourceId), str(x.ResourceArn))))
			if from, to := str(x.CurrentResourceSummary), str(x.RecommendedResourceSummary); from != "" || to != "" {
				title += ": " + strings.TrimSpace(from+" → "+to)
			}
			if region := str(x.Region); region != "" {
				title += " (" + region + ")"
			}
			out = append(out, tamledger.Recommendation{
				ID: ID("aws-coh", id), AWSID: id, RaisedOn: utcDate(at), Origin: "cost-optimization-hub",
				Pillar: "cost-optimization", Title: title, Status: "open",
				EstimatedMonthlySavings: money(aws.ToFloat64(x.EstimatedMonthlySavings)),
			})
		}
		r.read(len(page.Items))
	}
	s.Recommendations = append(s.Recommendations, out...)
	return nil
}

// spaced writes an action type as words: PurchaseSavingsPlans → Purchase
// Savings Plans.
func spaced(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && c >= 'A' && c <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// money is an amount AWS gives as a float, to the cent (0 for a negative
// or not finite one).
func money(f float64) *tamledger.Money {
	if !(f > 0) || f > 1e15 {
		f = 0
	}
	m := tamledger.Money{Decimal: decimal.NewFromFloat(f).Round(2)}
	return &m
}
