package ledger

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/awssync"
	"github.com/tamledger/tamledger/store"
)

// SyncRequest is what a sync from AWS writes into one organisation.
type SyncRequest struct {
	Org    string
	AWS    *awssync.Snapshot
	Now    time.Time // zero: time.Now()
	DryRun bool      // work everything out, then write nothing
}

// SyncSummary is what Sync did, per service and in detail.
type SyncSummary struct {
	Org      string           `json:"organization"`
	DryRun   bool             `json:"dryRun"`
	Services []ServiceSummary `json:"services"`
	// Unmatched are the production workloads of the Well-Architected Tool
	// that match no workload of the organisation (nothing of theirs is
	// written).
	Unmatched []AWSWorkload `json:"unmatched"`
	// WithoutAWS are the organisation's workloads that no Well-Architected
	// workload matches.
	WithoutAWS []string `json:"withoutAws"`
	// Skipped are what was not written and why: workloads not in
	// production, records a user changed where AWS changed them too,
	// records AWS gives that are not valid.
	Skipped []Skipped `json:"skipped"`
}

// ServiceSummary counts what one service's records did.
type ServiceSummary struct {
	Service string `json:"service"`
	// Status: ok, or failed (Error says why; MissingAction is the IAM
	// action refused, when that is why).
	Status        string `json:"status"`
	Error         string `json:"error,omitempty"`
	MissingAction string `json:"missingAction,omitempty"`
	Written       int    `json:"written"`   // records created
	Updated       int    `json:"updated"`   // records changed
	Unchanged     int    `json:"unchanged"` // records as they were
	Unmatched     int    `json:"unmatched"` // production workloads matching nothing
	Skipped       int    `json:"skipped"`   // see SyncSummary.Skipped
}

// AWSWorkload names a Well-Architected Tool workload.
type AWSWorkload struct {
	ID          string `json:"awsWorkloadId"`
	Name        string `json:"name"`
	Environment string `json:"environment,omitempty"`
	Reason      string `json:"reason,omitempty"` // why it matched nothing
}

// Skipped is one thing a sync did not write.
type Skipped struct {
	Service string `json:"service"`
	Kind    string `json:"kind"` // Workload, Engagement, Recommendation, Case
	ID      string `json:"id"`   // the record's id, or the AWS workload's
	Reason  string `json:"reason"`
}

// Failed reports whether a service could not be read.
func (s *SyncSummary) Failed() []ServiceSummary {
	var out []ServiceSummary
	for _, sv := range s.Services {
		if sv.Status == "failed" {
			out = append(out, sv)
		}
	}
	return out
}

func (s *SyncSummary) service(name string) *ServiceSummary {
	for i := range s.Services {
		if s.Services[i].Service == name {
			return &s.Services[i]
		}
	}
	s.Services = append(s.Services, ServiceSummary{Service: name, Status: "ok"})
	return &s.Services[len(s.Services)-1]
}

// Sync writes what was read from AWS into an organisation, as the manager
// tamledger.ManagerAWS (an applier: it states its records whole, each time,
// and field ownership keeps what users set since): one transaction, all of
// it or (DryRun, or an error of the store) none.
//
//   - A production workload of the Well-Architected Tool matches the
//     organisation's workload whose awsWorkloadId is its id, else the one
//     without awsWorkloadId whose name equals its name, case-insensitively.
//     Each of its milestones is an engagement of service
//     well-architected-review on the milestone's UTC date, source aws; each
//     high-risk question of its lens reviews a recommendation of origin
//     well-architected raised by the latest milestone's engagement.
//   - Trusted Advisor and Cost Optimization Hub recommendations and Support
//     cases are written as read.
//   - A recommendation keeps the raisedOn (and implementedOn) it was first
//     written with, so a finding AWS refreshes is not a new one.
//   - A record whose fields a user changed where AWS changed them too is
//     left as it is and listed in Skipped; so is a record deleted by a user
//     that AWS changed since.
//
// An unknown organisation is ENOTFOUND.
func Sync(ctx context.Context, st *store.Store, req SyncRequest) (*SyncSummary, error) {
	if req.Now.IsZero() {
		req.Now = time.Now()
	}
	tx, err := st.BeginAs(ctx, store.Write{Manager: tamledger.ManagerAWS})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	o, err := Organization(ctx, tx, req.Org)
	if err != nil {
		return nil, err
	}
	sum := &SyncSummary{Org: req.Org, DryRun: req.DryRun, Unmatched: []AWSWorkload{}, WithoutAWS: []string{}, Skipped: []Skipped{}}
	snap := req.AWS
	for _, svc := range awssync.Services {
		sv := sum.service(svc)
		if !snap.Read[svc] {
			sv.Status = "not-read"
		}
	}
	for _, f := range snap.Failed {
		sv := sum.service(f.Service)
		sv.Status, sv.Error = "failed", f.Error()
		if f.Denied {
			sv.MissingAction = f.Action
		}
	}
	s := syncer{ctx: ctx, tx: tx, org: o, sum: sum}
	if err := s.load(); err != nil {
		return nil, err
	}
	if snap.Read[awssync.WellArchitected] {
		if err := s.wellArchitected(snap.Workloads, req.Now); err != nil {
			return nil, err
		}
	}
	if snap.Read[awssync.TrustedAdvisor] || snap.Read[awssync.CostOptimizationHub] {
		for _, r := range snap.Recommendations {
			svc := awssync.TrustedAdvisor
			if r.Origin == "cost-optimization-hub" {
				svc = awssync.CostOptimizationHub
			}
			if !snap.Read[svc] {
				continue
			}
			s.recommendation(svc, r)
		}
	}
	if snap.Read[awssync.Support] {
		for _, c := range snap.Cases {
			c.Org = o.ID
			s.add(awssync.Support, tamledger.Record{Kind: tamledger.KindCase, Org: o.ID, ID: c.ID, Value: &c})
		}
	}
	if err := s.write(); err != nil {
		return nil, err
	}
	order := map[string]int{}
	for i, svc := range awssync.Services {
		order[svc] = i
	}
	sort.SliceStable(sum.Skipped, func(i, j int) bool { return order[sum.Skipped[i].Service] < order[sum.Skipped[j].Service] })
	if req.DryRun {
		return sum, tx.Rollback()
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return sum, nil
}

type syncer struct {
	ctx     context.Context
	tx      *store.Tx
	org     *tamledger.Organization
	sum     *SyncSummary
	recs    []tamledger.Record
	svcs    []string
	stored  map[string]*tamledger.Recommendation // recommendations stored, by id
	engs    map[string]bool                      // engagements stored or written, by id
	written map[string]bool                      // kind/id of the records of this sync
}

// load reads what the sync compares with: the organisation's stored
// recommendations and engagements.
func (s *syncer) load() error {
	s.stored, s.engs, s.written = map[string]*tamledger.Recommendation{}, map[string]bool{}, map[string]bool{}
	recs, err := s.tx.List(s.ctx, tamledger.KindRecommendation, s.org.ID)
	if err != nil {
		return err
	}
	for _, r := range recs {
		s.stored[r.ID] = r.Value.(*tamledger.Recommendation)
	}
	engs, err := s.tx.List(s.ctx, tamledger.KindEngagement, s.org.ID)
	if err != nil {
		return err
	}
	for _, e := range engs {
		s.engs[e.ID] = true
	}
	return nil
}

// add queues one record, unless it is not valid or already queued.
func (s *syncer) add(svc string, rec tamledger.Record) {
	rec.SetKey()
	key := rec.Kind + "/" + rec.ID
	if s.written[key] {
		s.skip(svc, rec.Kind, rec.ID, "given twice by AWS; the first is written")
		return
	}
	if err := tamledger.ValidateValue(rec.Value); err != nil {
		s.skip(svc, rec.Kind, rec.ID, "not valid as AWS gives it: "+tamledger.ErrorMessage(err))
		return
	}
	s.written[key] = true
	s.recs = append(s.recs, rec)
	s.svcs = append(s.svcs, svc)
}

func (s *syncer) skip(svc, kind, id, reason string) {
	s.sum.Skipped = append(s.sum.Skipped, Skipped{Service: svc, Kind: kind, ID: id, Reason: reason})
	s.sum.service(svc).Skipped++
}

// recommendation queues a finding, with the dates it was first written
// with.
func (s *syncer) recommendation(svc string, r tamledger.Recommendation) {
	r.Org = s.org.ID
	if old := s.stored[r.ID]; old != nil {
		r.RaisedOn = old.RaisedOn
		if r.ImplementedOn != nil && old.ImplementedOn != nil {
			r.ImplementedOn = old.ImplementedOn
		}
		if r.ImplementedOn != nil && r.ImplementedOn.Before(r.RaisedOn) {
			r.ImplementedOn = &r.RaisedOn
		}
	}
	s.add(svc, tamledger.Record{Kind: tamledger.KindRecommendation, Org: s.org.ID, ID: r.ID, Value: &r})
}

// wellArchitected matches the workloads and queues their reviews and
// high-risk questions.
func (s *syncer) wellArchitected(ws []awssync.Workload, now time.Time) error {
	const svc = awssync.WellArchitected
	matched := map[string]bool{}
	for _, w := range ws {
		if !w.Production() {
			env := w.Environment
			if env == "" {
				env = "no environment"
			}
			s.skip(svc, "Workload", w.ID, fmt.Sprintf("AWS workload %q is %s, not PRODUCTION", w.Name, env))
			continue
		}
		wl, why := s.match(w)
		if wl == nil {
			s.sum.Unmatched = append(s.sum.Unmatched, AWSWorkload{ID: w.ID, Name: w.Name, Environment: w.Environment, Reason: why})
			s.sum.service(svc).Unmatched++
			continue
		}
		matched[wl.ID] = true
		arn := w.ARN
		if arn == "" {
			arn = w.ID
		}
		for _, rv := range w.Reviews {
			e := tamledger.Engagement{
				Date: tamledger.DateOf(rv.RecordedAt.UTC()), Service: "well-architected-review", InitiatedBy: "customer",
				Workloads: []string{wl.ID}, Summary: reviewSummary(w, rv), Source: "aws",
				AWSID: fmt.Sprintf("%s/milestone/%d", arn, rv.Number),
			}
			id := reviewID(w.ID, rv.Number)
			s.add(svc, tamledger.Record{Kind: tamledger.KindEngagement, Org: s.org.ID, ID: id, Value: &e})
			s.engs[id] = true
		}
		raised := tamledger.DateOf(now.UTC())
		switch {
		case w.Latest > 0 && !w.LatestAt.IsZero():
			raised = tamledger.DateOf(w.LatestAt.UTC())
		case !w.UpdatedAt.IsZero():
			raised = tamledger.DateOf(w.UpdatedAt.UTC())
		}
		eng := ""
		if id := reviewID(w.ID, w.Latest); w.Latest > 0 && s.engs[id] {
			eng = id
		}
		current := map[string]bool{}
		for _, im := range w.Improvements {
			title := im.Title
			if im.Lens != "wellarchitected" {
				title += " (lens " + im.Lens + ")"
			}
			r := tamledger.Recommendation{
				RaisedOn: raised, Engagement: eng, Origin: "well-architected", Pillar: im.Pillar, Workload: wl.ID,
				Title: title, Risk: "high", Status: "open", AWSID: w.ID + "/" + im.Lens + "/" + im.QuestionID,
			}
			r.ID = awssync.ID("aws-wa", w.ID+"-"+im.Lens+"-"+im.QuestionID)
			current[r.ID] = true
			s.recommendation(svc, r)
		}
		if err := s.resolved(w, current, now); err != nil {
			return err
		}
	}
	for _, wl := range s.org.Workloads {
		if !matched[wl.ID] {
			s.sum.WithoutAWS = append(s.sum.WithoutAWS, wl.ID)
		}
	}
	return nil
}

// resolved marks implemented the high risks of w written by an earlier
// sync that the Well-Architected Tool no longer lists (the answer was
// improved), on the date the sync notices it. One a user changed since is
// left as the user set it, and listed.
func (s *syncer) resolved(w awssync.Workload, current map[string]bool, now time.Time) error {
	const svc = awssync.WellArchitected
	var ids []string
	for id, r := range s.stored {
		if r.Origin == "well-architected" && strings.HasPrefix(r.AWSID, w.ID+"/") && !current[id] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		_, meta, ok, err := s.tx.GetMeta(s.ctx, tamledger.KindRecommendation, s.org.ID, id)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if meta.Managed.Owner != tamledger.ManagerAWS || !meta.Managed.Simple() {
			if s.stored[id].Status != "implemented" {
				s.skip(svc, tamledger.KindRecommendation, id, "no longer a high risk in the Well-Architected Tool; left as a user changed it")
			}
			continue
		}
		r := *s.stored[id]
		if r.Status != "implemented" {
			on := tamledger.DateOf(now.UTC())
			r.Status, r.StatusReason, r.ImplementedOn = "implemented", "no longer a high risk in the Well-Architected Tool", &on
		}
		s.recommendation(svc, r)
	}
	return nil
}

func reviewID(workload string, milestone int32) string {
	return awssync.ID("aws-war", fmt.Sprintf("%s-m%d", workload, milestone))
}

// match finds the organisation's workload of an AWS workload: by
// awsWorkloadId, else by name among those without one.
func (s *syncer) match(w awssync.Workload) (*tamledger.Workload, string) {
	for i := range s.org.Workloads {
		if s.org.Workloads[i].AWSWorkloadID == w.ID {
			return &s.org.Workloads[i], ""
		}
	}
	var found []*tamledger.Workload
	for i := range s.org.Workloads {
		wl := &s.org.Workloads[i]
		if wl.AWSWorkloadID == "" && w.Name != "" && strings.EqualFold(strings.TrimSpace(wl.Name), w.Name) {
			found = append(found, wl)
		}
	}
	switch len(found) {
	case 1:
		return found[0], ""
	case 0:
		return nil, "no workload of that name or awsWorkloadId"
	}
	return nil, "several workloads of that name: give one awsWorkloadId"
}

// reviewSummary says what the milestone recorded: its name and the risks
// of each lens, pillar by pillar.
func reviewSummary(w awssync.Workload, rv awssync.Review) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Well-Architected review of %q, milestone %d", w.Name, rv.Number)
	if rv.Name != "" {
		fmt.Fprintf(&b, " %q", rv.Name)
	}
	for _, l := range rv.Lenses {
		var parts []string
		for _, p := range l.Pillars {
			high, medium := p.Counts["HIGH"], p.Counts["MEDIUM"]
			if high+medium == 0 {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %d high, %d medium", p.Pillar, high, medium))
		}
		if len(parts) == 0 {
			parts = []string{"no high or medium risk"}
		}
		fmt.Fprintf(&b, "; %s: %s", l.Lens, strings.Join(parts, "; "))
	}
	return b.String()
}

// write stores the queued records; those that conflict with a user's
// changes are left as they are and listed.
func (s *syncer) write() error {
	if len(s.recs) == 0 {
		return nil
	}
	changes, err := s.tx.PutBatch(s.ctx, s.recs)
	var ce *store.ConflictError
	conflicted := map[int]bool{}
	if errors.As(err, &ce) {
		for _, c := range ce.Records {
			conflicted[c.Index] = true
			s.skip(s.svcs[c.Index], c.Kind, c.ID, c.Message("this sync")+" (the user's values are kept)")
		}
	} else if err != nil {
		return err
	}
	for i, ch := range changes {
		if conflicted[i] {
			continue
		}
		sv := s.sum.service(s.svcs[i])
		switch ch {
		case tamledger.Created:
			sv.Written++
		case tamledger.Updated:
			sv.Updated++
		default:
			sv.Unchanged++
		}
	}
	return nil
}
