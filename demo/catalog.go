package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/tamledger/tamledger"
)

// The words of the demo: titles, summaries and names drawn from what TAM
// relationships actually talk about.

var serviceTag = map[string]string{
	"strategy-call":           "strategy",
	"cost-review":             "cost-review",
	"well-architected-review": "war",
	"security-review":         "security",
	"iem":                     "iem",
	"specialist-deep-dive":    "deep-dive",
	"business-review":         "ebr",
	"escalation":              "escalation",
	"other":                   "session",
}

func sourceFor(service string) string {
	switch service {
	case "strategy-call", "business-review":
		return "ics"
	case "well-architected-review":
		return "aws"
	case "escalation":
		return "import"
	}
	return "manual"
}

// complexServices are the complex service categories of docs/scorecard.md ("Complexity drivers").
var complexServices = map[string]string{
	"sagemaker": "ml", "bedrock": "ml", "comprehend": "ml", "rekognition": "ml",
	"eks": "containers", "ecs": "containers", "fargate": "containers",
	"emr": "data", "glue": "data", "redshift": "data", "kinesis": "data", "msk": "data", "opensearch": "data", "athena": "data",
}

// category is the first complex category among services, or "".
func category(services []string) string {
	for _, s := range services {
		if c := complexServices[strings.ToLower(s)]; c != "" {
			return c
		}
	}
	return ""
}

var categoryName = map[string]string{"ml": "ML/AI", "containers": "Containers", "data": "Data engineering"}

func (b *builder) workloadName(id string) string {
	if w := b.org.Workload(id); w != nil && w.Name != "" {
		return w.Name
	}
	return id
}

func (b *builder) summary(service string, workloads []string, d date) string {
	names := make([]string, len(workloads))
	for i, w := range workloads {
		names[i] = b.workloadName(w)
	}
	on := strings.Join(names, ", ")
	switch service {
	case "strategy-call":
		return b.g.pick([]string{
			"Monthly strategy call: roadmap, open cases, next month's priorities",
			"Strategy call: migration waves, service quotas ahead of peak, open recommendations",
			"Strategy call: review of the recommendation backlog and upcoming launches",
			"Strategy call: re:Invent announcements relevant to the platform roadmap",
			"Strategy call: support case trends and the next quarter's focus",
		})
	case "cost-review":
		s := b.g.pick([]string{
			"Quarterly cost review: Savings Plans coverage, idle resources, Graviton candidates",
			"Cost review: EC2 and RDS right-sizing, storage tiering, data transfer",
			"Cost review: commitment coverage against the EDP, anomalies of the quarter",
		})
		if on != "" {
			s += " (" + on + ")"
		}
		return s
	case "well-architected-review":
		return fmt.Sprintf("Well-Architected Review of %s, all six pillars", on)
	case "security-review":
		s := b.g.pick([]string{
			"Security review: Security Hub score, GuardDuty findings, IAM Access Analyzer",
			"Security review: key rotation, public exposure, detective controls",
		})
		if on != "" {
			s += " (" + on + ")"
		}
		return s
	case "specialist-deep-dive":
		cat := ""
		if len(workloads) == 1 {
			if w := b.org.Workload(workloads[0]); w != nil {
				cat = categoryName[category(w.Services)]
			}
		}
		if cat == "" {
			cat = "Specialist"
		}
		return fmt.Sprintf("%s specialist deep dive on %s", cat, on)
	case "business-review":
		return fmt.Sprintf("Executive business review Q%d %d: value delivered, charter scorecard, next quarter", (int(d.Month)+2)/3, d.Year)
	}
	return service
}

var sessionTopics = []string{
	"Office hours: EKS version upgrade planning",
	"Game day: regional failover rehearsal",
	"Workshop: tagging strategy for cost allocation",
	"Training: AWS Health and support case best practices",
	"Roadmap briefing under NDA",
	"Office hours: service quota increases ahead of peak",
	"Workshop: observability with CloudWatch and X-Ray",
	"Support case review with the Enterprise Support team",
	"Workshop: incident response runbooks",
	"Office hours: Savings Plans purchase plan",
}

var costTitles = []string{
	"Move batch fleet to Graviton",
	"Purchase a Compute Savings Plan for the steady EC2 baseline",
	"Right-size over-provisioned RDS instances",
	"Delete unattached EBS volumes and stale snapshots",
	"Move infrequently read S3 data to Intelligent-Tiering",
	"Run CI runners on Spot",
	"Consolidate NAT gateways and add VPC endpoints for S3 and DynamoDB",
	"Buy reserved nodes for the steady ElastiCache load",
	"Stop non-production environments out of hours",
	"Switch gp2 volumes to gp3",
	"Reduce CloudWatch Logs retention on debug log groups",
	"Move Lambda functions to arm64",
}

var vagueCostTitles = []string{
	"Review Savings Plans coverage",
	"Look into idle resources",
	"Consider Graviton where possible",
	"Keep an eye on data transfer costs",
}

var warPillars = []string{"reliability", "reliability", "security", "security", "operational-excellence", "performance-efficiency", "cost-optimization", "sustainability"}

var pillarTitles = map[string][]string{
	"reliability": {
		"Enable Multi-AZ for the primary database",
		"Add cross-region backups with tested restores",
		"Define RTO and RPO and run a DR game day",
		"Add health-check based Auto Scaling to the web tier",
		"Raise service quotas ahead of the seasonal peak",
		"Add retries with backoff and jitter to downstream calls",
	},
	"security": {
		"Enforce IMDSv2 on all instances",
		"Rotate long-lived IAM access keys",
		"Enable GuardDuty in every region",
		"Centralise logs in a dedicated log archive account",
		"Encrypt S3 buckets with customer managed KMS keys",
		"Turn on Security Hub foundational best practices",
		"Block public access at the account level",
	},
	"operational-excellence": {
		"Introduce canary deployments",
		"Write runbooks for the top five alarms",
		"Adopt infrastructure as code for the remaining console-built resources",
		"Set up AWS Health event routing to the on-call channel",
	},
	"performance-efficiency": {
		"Put CloudFront in front of the API",
		"Move session state to ElastiCache",
		"Use provisioned concurrency for latency-sensitive functions",
		"Partition hot DynamoDB keys",
	},
	"cost-optimization": costTitles,
	"sustainability": {
		"Shift batch jobs to regions with lower carbon intensity",
		"Delete unused data past its retention",
		"Scale development environments to zero overnight",
	},
}

var specialistTitles = map[string][]string{
	"containers": {
		"Adopt Karpenter for EKS node provisioning",
		"Move steady ECS services to Fargate Spot where interruptible",
		"Plan the EKS control plane upgrade with extended support in view",
		"Use Bottlerocket for container hosts",
	},
	"ml": {
		"Serve models from SageMaker multi-model endpoints",
		"Move training jobs to managed Spot training",
		"Evaluate Bedrock for the document summarisation use case",
		"Add model monitoring for data drift",
	},
	"data": {
		"Partition Glue tables by date and compact small files",
		"Move the Redshift cluster to RA3 with concurrency scaling",
		"Use EMR Serverless for the nightly batch",
		"Right-size Kinesis shards with on-demand mode",
		"Tune OpenSearch shard sizes and use UltraWarm",
	},
}

var deferReasons = []string{
	"Waiting for the next release train",
	"Budget for this quarter already committed",
	"Depends on the data-centre exit",
	"Team busy with peak-season freeze",
}

var rejectReasons = []string{
	"Not applicable: the workload is being retired",
	"Risk accepted by the architecture board",
	"Savings too small for the change effort",
	"Conflicts with a regulatory requirement",
}

// caseSubjects: generic ones, then ones that need a service the workload
// uses (compared case-insensitively).
var caseSubjects = []string{
	"Elevated 5xx errors on %s",
	"Service quota increase needed for %s",
	"Intermittent latency in %s after deployment",
	"Question about backup retention for %s",
	"Billing anomaly on the account running %s",
	"S3 access denied after bucket policy change in %s",
	"Instance retirement notice affecting %s",
}

var serviceCaseSubjects = map[string][]string{
	"rds":         {"RDS failover slower than expected for %s", "RDS storage filling up on %s"},
	"aurora":      {"Aurora replica lag on %s", "Aurora failover during maintenance window on %s"},
	"dynamodb":    {"Throttling on DynamoDB tables of %s"},
	"lambda":      {"Lambda concurrency limit reached by %s", "Lambda cold starts after runtime upgrade in %s"},
	"eks":         {"EKS node group failing to scale for %s", "EKS add-on upgrade broke networking in %s"},
	"ecs":         {"ECS tasks stuck in PROVISIONING for %s"},
	"kinesis":     {"Kinesis iterator age growing on %s"},
	"redshift":    {"Redshift queries queuing on %s"},
	"sagemaker":   {"SageMaker endpoint returning 5xx for %s"},
	"cloudfront":  {"CloudFront cache hit ratio dropped for %s"},
	"elasticache": {"ElastiCache evictions spiking on %s"},
	"emr":         {"EMR cluster failing to bootstrap for %s"},
	"opensearch":  {"OpenSearch cluster yellow on %s"},
	"ec2":         {"EC2 instance status check failures on %s"},
}

// caseSubject picks a subject that fits the workload's services.
func (b *builder) caseSubject(w tamledger.Workload) string {
	pool := caseSubjects
	for _, s := range w.Services {
		pool = append(pool[:len(pool):len(pool)], serviceCaseSubjects[strings.ToLower(s)]...)
	}
	return fmt.Sprintf(b.g.pick(pool), w.Name)
}

// seasons: events whose name implies a month.
var eventMonth = map[string]time.Month{
	"Black Friday":   time.November,
	"Year-end peak":  time.December,
	"Holiday season": time.December,
}

// season names the season of d in the organisation's hemisphere.
func season(d date, southern bool) string {
	names := [4]string{"Winter", "Spring", "Summer", "Autumn"}
	i := int(d.Month) % 12 / 3 // Dec-Feb 0, Mar-May 1, Jun-Aug 2, Sep-Nov 3
	if southern {
		i = (i + 2) % 4
	}
	return names[i]
}

var eventTypes = map[string][]string{
	"logistics":  {"peak", "migration", "dr-test", "launch"},
	"insurance":  {"migration", "dr-test", "launch", "other"},
	"retail":     {"peak", "peak", "launch", "dr-test"},
	"games":      {"launch", "launch", "peak", "dr-test"},
	"health":     {"migration", "dr-test", "launch", "other"},
	"energy":     {"dr-test", "migration", "other"},
	"payments":   {"peak", "launch", "dr-test", "migration"},
	"banking":    {"dr-test", "migration", "launch", "peak"},
	"media":      {"peak", "launch", "dr-test"},
	"mining":     {"migration", "dr-test", "other"},
	"telecom":    {"migration", "launch", "dr-test", "peak"},
	"food":       {"peak", "launch", "migration"},
	"software":   {"launch", "migration", "dr-test", "peak"},
	"finance":    {"dr-test", "migration", "peak", "launch"},
	"healthcare": {"migration", "dr-test", "launch"},
}

var eventNames = map[string][]string{
	"migration": {"Data-centre exit cut-over", "Database migration to Aurora", "Mainframe batch move", "Region migration", "ERP cut-over"},
	"launch":    {"New mobile app launch", "Product launch", "Market expansion go-live", "Partner API go-live"},
	"dr-test":   {"Annual DR test", "Regional failover test", "Backup restore rehearsal"},
	"peak":      {"Black Friday", "Year-end peak", "Holiday season", "Annual sale"},
	"other":     {"Regulatory audit window", "Network change freeze", "Certificate rotation"},
}
