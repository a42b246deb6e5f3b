package awssync

import (
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	wa "github.com/aws/aws-sdk-go-v2/service/wellarchitected"
	watypes "github.com/aws/aws-sdk-go-v2/service/wellarchitected/types"
)

// wellArchitected reads every workload; for a production one, its
// milestones with their lens reviews' risk counts, and the high-risk
// questions of its current lens reviews.
func (r *reader) wellArchitected(s *Snapshot) error {
	c := wa.NewFromConfig(r.cfg)
	var out []Workload
	p := wa.NewListWorkloadsPaginator(c, &wa.ListWorkloadsInput{MaxResults: aws.Int32(50)})
	var ids []string
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		if err != nil {
			return r.fail("wellarchitected:ListWorkloads", err)
		}
		for _, w := range page.WorkloadSummaries {
			ids = append(ids, str(w.WorkloadId))
		}
	}
	for _, id := range ids {
		g, err := c.GetWorkload(r.ctx, &wa.GetWorkloadInput{WorkloadId: aws.String(id)})
		if err != nil {
			return r.fail("wellarchitected:GetWorkload", err)
		}
		w := Workload{ID: id, ARN: str(g.Workload.WorkloadArn), Name: str(g.Workload.WorkloadName),
			Environment: string(g.Workload.Environment), UpdatedAt: aws.ToTime(g.Workload.UpdatedAt)}
		if w.Production() {
			if err := r.milestones(c, &w); err != nil {
				return err
			}
			if err := r.improvements(c, &w); err != nil {
				return err
			}
		}
		out = append(out, w)
		r.read(1)
	}
	s.Workloads = out
	return nil
}

func (r *reader) milestones(c *wa.Client, w *Workload) error {
	p := wa.NewListMilestonesPaginator(c, &wa.ListMilestonesInput{WorkloadId: aws.String(w.ID), MaxResults: aws.Int32(50)})
	var ms []watypes.MilestoneSummary
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		if err != nil {
			return r.fail("wellarchitected:ListMilestones", err)
		}
		ms = append(ms, page.MilestoneSummaries...)
	}
	sort.Slice(ms, func(i, j int) bool { return aws.ToInt32(ms[i].MilestoneNumber) < aws.ToInt32(ms[j].MilestoneNumber) })
	for _, m := range ms {
		n, at := aws.ToInt32(m.MilestoneNumber), aws.ToTime(m.RecordedAt)
		if n > w.Latest {
			w.Latest, w.LatestAt = n, at
		}
		if at.IsZero() || at.Before(r.since()) {
			continue
		}
		rv := Review{Number: n, Name: str(m.MilestoneName), RecordedAt: at.UTC()}
		lenses, err := r.lensReviews(c, w.ID, &n)
		if err != nil {
			return err
		}
		for _, l := range lenses {
			g, err := c.GetLensReview(r.ctx, &wa.GetLensReviewInput{WorkloadId: aws.String(w.ID), LensAlias: l.LensAlias, MilestoneNumber: aws.Int32(n)})
			if err != nil {
				return r.fail("wellarchitected:GetLensReview", err)
			}
			lr := LensRisks{Lens: str(g.LensReview.LensName)}
			if lr.Lens == "" {
				lr.Lens = str(l.LensAlias)
			}
			for _, ps := range g.LensReview.PillarReviewSummaries {
				name := pillars[str(ps.PillarId)]
				if name == "" {
					name = str(ps.PillarId)
				}
				lr.Pillars = append(lr.Pillars, PillarRisks{Pillar: name, Counts: ps.RiskCounts})
			}
			rv.Lenses = append(rv.Lenses, lr)
		}
		w.Reviews = append(w.Reviews, rv)
	}
	return nil
}

// lensReviews lists the lens reviews of a workload, at a milestone or (nil)
// as they are now.
func (r *reader) lensReviews(c *wa.Client, id string, milestone *int32) ([]watypes.LensReviewSummary, error) {
	p := wa.NewListLensReviewsPaginator(c, &wa.ListLensReviewsInput{WorkloadId: aws.String(id), MilestoneNumber: milestone, MaxResults: aws.Int32(50)})
	var out []watypes.LensReviewSummary
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		if err != nil {
			return nil, r.fail("wellarchitected:ListLensReviews", err)
		}
		out = append(out, page.LensReviewSummaries...)
	}
	return out, nil
}

func (r *reader) improvements(c *wa.Client, w *Workload) error {
	lenses, err := r.lensReviews(c, w.ID, nil)
	if err != nil {
		return err
	}
	for _, l := range lenses {
		p := wa.NewListLensReviewImprovementsPaginator(c, &wa.ListLensReviewImprovementsInput{
			WorkloadId: aws.String(w.ID), LensAlias: l.LensAlias, MaxResults: aws.Int32(100)})
		for p.HasMorePages() {
			page, err := p.NextPage(r.ctx)
			if err != nil {
				return r.fail("wellarchitected:ListLensReviewImprovements", err)
			}
			for _, im := range page.ImprovementSummaries {
				if im.Risk != watypes.RiskHigh {
					continue
				}
				w.Improvements = append(w.Improvements, Improvement{
					Lens: str(l.LensAlias), QuestionID: str(im.QuestionId), Title: str(im.QuestionTitle),
					Pillar: pillars[str(im.PillarId)], URL: str(im.ImprovementPlanUrl),
				})
			}
		}
	}
	return nil
}
