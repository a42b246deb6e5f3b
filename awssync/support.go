package awssync

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/support"

	"github.com/tamledger/tamledger"
)

// support reads every case opened since Options.Since (else in the last
// 12 months), resolved ones too, with their recent communications
// (DescribeCases).
func (r *reader) support(s *Snapshot) error {
	c := support.NewFromConfig(r.cfg, func(o *support.Options) { o.Region = GlobalRegion })
	after := r.since()
	if after.IsZero() {
		after = r.opt.Now.AddDate(-1, 0, 0)
	}
	p := support.NewDescribeCasesPaginator(c, &support.DescribeCasesInput{
		IncludeResolvedCases: true, IncludeCommunications: aws.Bool(true), MaxResults: aws.Int32(100),
		AfterTime: aws.String(after.UTC().Format(time.RFC3339)),
	})
	var out []tamledger.Case
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		if err != nil {
			return r.fail("support:DescribeCases", err)
		}
		for _, x := range page.Cases {
			id := str(x.CaseId)
			cs := tamledger.Case{ID: ID("aws", id), AWSID: id, Severity: str(x.SeverityCode), Subject: str(x.Subject)}
			cs.OpenedAt, _ = parseInstant(str(x.TimeCreated)) // zero when unreadable: ledger.Sync reports it
			if str(x.Status) == "resolved" && x.RecentCommunications != nil {
				// The API gives no resolution time: the last communication's.
				var last time.Time
				for _, m := range x.RecentCommunications.Communications {
					if t, err := parseInstant(str(m.TimeCreated)); err == nil && t.After(last) {
						last = t
					}
				}
				if !last.IsZero() {
					cs.ResolvedAt = &last
				}
			}
			out = append(out, cs)
		}
		r.read(len(page.Cases))
	}
	s.Cases = out
	return nil
}

// parseInstant reads the Support API's times (ISO 8601, such as
// 2026-04-02T09:00:00.123Z), in UTC.
func parseInstant(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	_, err := time.Parse(time.RFC3339, s)
	return time.Time{}, err
}
