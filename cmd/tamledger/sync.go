package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
	"github.com/spf13/cobra"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/awssync"
	"github.com/tamledger/tamledger/ledger"
)

func init() { register(newSyncCmd) }

func newSyncCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "sync",
		Short: "Bring records in from another system (aws)",
		Long:  `Sync reads records another system already holds and writes them into the store.`,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageError(fmt.Errorf("give what to sync from: tamledger sync aws --org ID"))
		},
	}
	c.AddCommand(newSyncAWSCmd(a))
	return c
}

func newSyncAWSCmd(a *app) *cobra.Command {
	var (
		org, profile, region, since string
		dryRun, quiet               bool
	)
	c := &cobra.Command{
		Use:   "aws --org ID [--profile P] [--region R] [--since DATE] [--dry-run]",
		Short: "Fill an organisation's ledger from AWS: Well-Architected reviews, Trusted Advisor, Cost Optimization Hub, Support cases",
		Long: `Sync aws reads what AWS already knows about the relationship and writes it
into the organisation's ledger (docs/aws-sync.md):

  wellarchitected       each milestone of a production workload: a
                        well-architected-review engagement (source aws) on the
                        milestone's UTC date, naming the matched workload, with
                        its risk counts per pillar; each high-risk question of
                        its lens reviews: a recommendation (origin
                        well-architected, risk high)
  trustedadvisor        every recommendation, whatever its status (origin
                        trusted-advisor; tam for Trusted Advisor Priority)
  costoptimizationhub   every recommendation (origin cost-optimization-hub)
  support               every case of the last 12 months (or --since),
                        resolved ones too

A Well-Architected workload matches the organisation's workload whose
awsWorkloadId is its id, else the one whose name is its name (ignoring case).
Production workloads that match nothing, and the organisation's workloads no
AWS workload matches, are listed, and nothing is written for them.

Credentials, region and endpoints come from the AWS SDK's default chain:
AWS_PROFILE or --profile, SSO, AWS_ACCESS_KEY_ID..., AWS_REGION or --region
(the Well-Architected Tool's region; the other three APIs are read in
us-east-1), AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>.

Each record keeps its AWS identifier (awsId) and an id derived from it, so a
second sync with nothing changed in AWS changes nothing. The sync writes as
its own source ("aws"): what a user set since (tamEngagedAt of a case, the
status of a recommendation) is kept, and where AWS changed the same field
the record is left as it is and listed.

A service that cannot be read (access denied names the IAM action) is
reported and the others go on; the exit status is then 3. --dry-run reads
AWS and reports what would change, writing nothing.`,
		Example: `  tamledger sync aws --org acme --profile acme-audit --region eu-west-1
  tamledger sync aws --org acme --dry-run
  tamledger sync aws --org acme --since 2026-10-01 -o json
  AWS_PROFILE=acme-prod tamledger sync aws --org acme-prod`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			format, err := a.outputFormat("table", "json")
			if err != nil {
				return err
			}
			if org == "" {
				return usageError(fmt.Errorf("--org is required (the organisation id; tamledger portfolio lists them)"))
			}
			var from time.Time
			if since != "" {
				d, err := tamledger.ParseDate(since)
				if err != nil {
					return usageError(fmt.Errorf("--since: %v", err))
				}
				from = d.Time()
			}
			st, err := a.openExistingStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if _, ok, err := st.Get(ctx, tamledger.KindOrganization, "", org); err != nil {
				return err
			} else if !ok {
				return usageError(fmt.Errorf("unknown organization %q (see tamledger portfolio for the ids)", org))
			}
			cfg, err := loadAWSConfig(ctx, a.log, profile, region)
			if err != nil {
				return err
			}
			var bar *syncProgress
			opt := awssync.Options{Since: from}
			if !quiet && isTerminal(a.errOut) {
				bar = &syncProgress{w: a.errOut, now: time.Now}
				opt.Progress = bar.update
			}
			snap, err := awssync.Read(ctx, cfg, opt)
			if bar != nil {
				bar.clear()
			}
			if err != nil {
				return err
			}
			sum, err := ledger.Sync(ctx, st, ledger.SyncRequest{Org: org, AWS: snap, DryRun: dryRun})
			if err != nil {
				return err
			}
			switch {
			case format == "json":
				if err := writeJSON(a.out, sum); err != nil {
					return err
				}
			case !quiet:
				printSyncSummary(a.out, sum)
			}
			if failed := sum.Failed(); len(failed) > 0 {
				names := make([]string, len(failed))
				for i, f := range failed {
					fmt.Fprintln(a.errOut, "tamledger:", f.Error)
					names[i] = f.Service
				}
				return &exitError{exitUnavailable, fmt.Errorf("%d service(s) could not be read (%s); the others were synced", len(failed), strings.Join(names, ", "))}
			}
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "the organisation to fill (required)")
	c.Flags().StringVar(&profile, "profile", "", "AWS shared config profile (default: AWS_PROFILE, else the default profile)")
	c.Flags().StringVar(&region, "region", "", "AWS region of the Well-Architected Tool (default: AWS_REGION, else the profile's)")
	c.Flags().StringVar(&since, "since", "", "read only what was recorded, updated or opened on or after this date (YYYY-MM-DD, UTC)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "read AWS and report what would change, writing nothing")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing but errors")
	return c
}

// loadAWSConfig is the SDK's default configuration with --profile and
// --region. A profile that does not exist, or no region at all, is a usage
// error; the credentials themselves are resolved, and never shown, when the
// first call needs them.
func loadAWSConfig(ctx context.Context, log *slog.Logger, profile, region string) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, usageError(fmt.Errorf("AWS configuration: %v (check --profile, AWS_PROFILE and the files in ~/.aws)", err))
	}
	// The SDK's own warnings go to tamledger's logger (no request or
	// credential is ever logged: the client log mode stays off).
	cfg.Logger = slogLogger{log}
	if cfg.Region == "" {
		return aws.Config{}, usageError(fmt.Errorf("no AWS region: give --region, or set AWS_REGION or a region in the profile (the Well-Architected Tool's region)"))
	}
	return cfg, nil
}

// slogLogger passes the SDK's log lines to slog.
type slogLogger struct{ log *slog.Logger }

func (l slogLogger) Logf(c logging.Classification, format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	if c == logging.Debug {
		l.log.Debug("aws sdk", "msg", msg)
		return
	}
	l.log.Warn("aws sdk", "msg", msg)
}

func printSyncSummary(w io.Writer, s *ledger.SyncSummary) {
	fmt.Fprintf(w, "%-20s  %-8s  %7s  %7s  %9s  %9s  %7s\n", "SERVICE", "STATUS", "WRITTEN", "UPDATED", "UNCHANGED", "UNMATCHED", "SKIPPED")
	for _, sv := range s.Services {
		fmt.Fprintf(w, "%-20s  %-8s  %7d  %7d  %9d  %9d  %7d\n", sv.Service, sv.Status, sv.Written, sv.Updated, sv.Unchanged, sv.Unmatched, sv.Skipped)
	}
	if len(s.Unmatched) > 0 {
		fmt.Fprintln(w, "\nProduction workloads of the Well-Architected Tool that match no workload (nothing written;")
		fmt.Fprintln(w, "give the organisation's workload awsWorkloadId: ID, or the same name):")
		for _, u := range s.Unmatched {
			fmt.Fprintf(w, "  %s  %q: %s\n", u.ID, u.Name, u.Reason)
		}
	}
	if len(s.WithoutAWS) > 0 {
		fmt.Fprintf(w, "\nWorkloads of %s with no Well-Architected workload: %s\n", s.Org, strings.Join(s.WithoutAWS, ", "))
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintln(w, "\nSkipped:")
		for _, k := range s.Skipped {
			fmt.Fprintf(w, "  %s %s %s: %s\n", k.Service, k.Kind, k.ID, k.Reason)
		}
	}
	if s.DryRun {
		fmt.Fprintln(w, "\ndry run: nothing was written")
	}
}

// syncProgress shows on a terminal what has been read from AWS so far,
// rewritten in place at most five times a second.
type syncProgress struct {
	mu    sync.Mutex
	w     io.Writer
	now   func() time.Time
	last  time.Time
	shown bool
}

func (p *syncProgress) update(service string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if t.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.shown = t, true
	fmt.Fprintf(p.w, "\r\033[Kreading AWS: %s, %s read…", service, thousands(int64(n)))
}

func (p *syncProgress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
