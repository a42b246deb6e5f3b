// Package awssync reads what AWS holds about an Enterprise Support
// relationship — the Well-Architected Tool's workloads and reviews, Trusted
// Advisor's and Cost Optimization Hub's recommendations, and Support cases —
// through the AWS SDK for Go v2, into tamledger's values. It writes nothing:
// ledger.Sync matches the workloads to an organisation's and stores the
// records (docs/aws-sync.md).
//
// Every list is read to its end, page by page; the SDK's retryer retries
// throttling. A service that fails (access denied, an error that outlasts
// the retries) is reported in Snapshot.Failed, with the IAM action it was
// refused when that is the cause, and the other services are read on.
package awssync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/tamledger/tamledger"
)

// The services read, by the names the summary and the IAM policy use.
const (
	WellArchitected     = "wellarchitected"
	TrustedAdvisor      = "trustedadvisor"
	CostOptimizationHub = "costoptimizationhub"
	Support             = "support"
)

// Services lists the services in the order they are read.
var Services = []string{WellArchitected, TrustedAdvisor, CostOptimizationHub, Support}

// GlobalRegion is where Trusted Advisor, Cost Optimization Hub and the
// Support API are served: their clients use it, whatever the region of the
// Well-Architected Tool.
const GlobalRegion = "us-east-1"

// Options tune a read.
type Options struct {
	// Since: only milestones, recommendations and cases recorded, updated
	// or opened at or after it (zero: every one; cases: 12 months before
	// Now).
	Since time.Time
	Now   time.Time // zero: time.Now()
	// Progress is called as records are read (service, records so far); may
	// be nil.
	Progress func(service string, n int)
	// Only lists the services to read (nil: all of Services).
	Only []string
}

// Snapshot is what AWS holds, as tamledger values.
type Snapshot struct {
	Workloads       []Workload                 // every Well-Architected workload
	Recommendations []tamledger.Recommendation // Trusted Advisor and Cost Optimization Hub, Org unset
	Cases           []tamledger.Case           // Org unset
	Read            map[string]bool            // the services read to the end
	Failed          []Failure                  // the services that failed, in order
}

// Workload is one Well-Architected Tool workload.
type Workload struct {
	ID, ARN, Name string
	Environment   string // PRODUCTION, PREPRODUCTION
	UpdatedAt     time.Time
	// Reviews are its milestones (recorded at or after Since) in the
	// order of their numbers, read only for a production workload.
	Reviews []Review
	// Latest is the number and time of its latest milestone, whatever
	// Since (0: none).
	Latest   int32
	LatestAt time.Time
	// Improvements are the high-risk questions of its current lens reviews.
	Improvements []Improvement
}

// Production reports whether the Well-Architected Tool says the workload
// is in production.
func (w Workload) Production() bool { return w.Environment == "PRODUCTION" }

// Review is one milestone: a review recorded at a point in time.
type Review struct {
	Number     int32
	Name       string
	RecordedAt time.Time
	Lenses     []LensRisks
}

// LensRisks are a lens review's risk counts, per pillar.
type LensRisks struct {
	Lens    string // its name ("AWS Well-Architected Framework")
	Pillars []PillarRisks
}

// PillarRisks counts a pillar's questions by risk (HIGH, MEDIUM, NONE,
// UNANSWERED, NOT_APPLICABLE).
type PillarRisks struct {
	Pillar string // the ledger's name (security) or, unknown, AWS's id
	Counts map[string]int32
}

// Improvement is one question of a lens review at high risk.
type Improvement struct {
	Lens       string // the lens alias (wellarchitected, or an ARN)
	QuestionID string
	Title      string
	Pillar     string // the ledger's name, "" when AWS's id has none
	URL        string
}

// Failure is a service that could not be read.
type Failure struct {
	Service string
	Action  string // the IAM action of the call that failed (wellarchitected:ListWorkloads)
	Denied  bool   // access denied: Action is what to allow
	Err     error
}

func (f Failure) Error() string {
	if f.Denied {
		return fmt.Sprintf("%s: access denied to %s (allow this IAM action to the role or user that runs the sync; docs/aws-sync.md has the whole policy)", f.Service, f.Action)
	}
	return fmt.Sprintf("%s: %s failed: %v", f.Service, f.Action, f.Err)
}

// Read reads every service (or Options.Only) with cfg, the SDK
// configuration (config.LoadDefaultConfig: credentials, region, endpoint
// settings). It returns an error only when ctx ends; a service that fails
// is in Snapshot.Failed.
func Read(ctx context.Context, cfg aws.Config, opt Options) (*Snapshot, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	only := opt.Only
	if only == nil {
		only = Services
	}
	s := &Snapshot{Read: map[string]bool{}}
	for _, svc := range Services {
		if !contains(only, svc) {
			continue
		}
		r := &reader{ctx: ctx, cfg: cfg, opt: opt, svc: svc}
		var err error
		switch svc {
		case WellArchitected:
			err = r.wellArchitected(s)
		case TrustedAdvisor:
			err = r.trustedAdvisor(s)
		case CostOptimizationHub:
			err = r.costOptimizationHub(s)
		case Support:
			err = r.support(s)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var f *Failure
		if errors.As(err, &f) {
			s.Failed = append(s.Failed, *f)
			continue
		}
		if err != nil {
			return nil, err
		}
		s.Read[svc] = true
	}
	return s, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// reader reads one service.
type reader struct {
	ctx context.Context
	cfg aws.Config
	opt Options
	svc string
	n   int
}

// fail turns an SDK error of action into a Failure.
func (r *reader) fail(action string, err error) error {
	f := &Failure{Service: r.svc, Action: action, Err: err}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException":
			f.Denied = true
		}
		msg := ae.ErrorMessage()
		if msg == "" {
			msg = ae.ErrorCode()
		} else {
			msg = ae.ErrorCode() + ": " + msg
		}
		f.Err = errors.New(msg)
	}
	return f
}

func (r *reader) read(k int) {
	r.n += k
	if r.opt.Progress != nil {
		r.opt.Progress(r.svc, r.n)
	}
}

// since is the start of what to read, or zero.
func (r *reader) since() time.Time { return r.opt.Since }

// pillars maps AWS's pillar ids (Well-Architected Tool, Trusted Advisor)
// to the ledger's.
var pillars = map[string]string{
	// Well-Architected Tool
	"operationalExcellence": "operational-excellence",
	"security":              "security",
	"reliability":           "reliability",
	"performance":           "performance-efficiency",
	"costOptimization":      "cost-optimization",
	"sustainability":        "sustainability",
	// Trusted Advisor
	"cost_optimizing":        "cost-optimization",
	"fault_tolerance":        "reliability",
	"service_limits":         "reliability", // quotas are a reliability concern
	"operational_excellence": "operational-excellence",
}

// ID derives a record id from an AWS identifier: prefix and the
// identifier itself when it is a valid id once lowercased without loss,
// else prefix and 24 hex digits of its SHA-256. The same identifier always
// gives the same id, which is what makes a sync idempotent.
func ID(prefix, awsID string) string {
	id := prefix + "-" + awsID
	if len(id) <= 128 && tamledger.ValidID(id) {
		return id
	}
	sum := sha256.Sum256([]byte(awsID))
	return prefix + "-" + hex.EncodeToString(sum[:12])
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func utcDate(t time.Time) tamledger.Date { return tamledger.DateOf(t.UTC()) }
