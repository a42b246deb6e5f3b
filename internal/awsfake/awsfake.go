// Package awsfake is a local stand-in for the four AWS APIs tamledger sync
// aws reads, for tests: one httptest server per service, speaking its wire
// protocol as the AWS SDK for Go v2 expects it — restJson1 for the
// Well-Architected Tool and Trusted Advisor, awsJson1_0 (X-Amz-Target) for
// Cost Optimization Hub, awsJson1_1 for Support — with bodies shaped as the
// SDK's API models define them (field names, epoch-second or ISO 8601
// timestamps, error types). Lists are served in pages of PageSize; actions
// can be made to throttle a few times, or to be denied.
package awsfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fake credentials set by Env; the secret must never show in any output.
const (
	AccessKey = "AKIDTAMLEDGERFAKE"
	SecretKey = "tamledger-fake-secret-never-printed-0123456789"
	Account   = "111122223333"
)

// Workload is a Well-Architected Tool workload with its milestones and
// its current improvement items (of every lens in Lenses).
type Workload struct {
	ID, Name, Environment string
	UpdatedAt             time.Time
	Milestones            []Milestone
	Improvements          []Improvement
}

// Milestone is a recorded review; Risks is pillar id → risk → count, the
// same for each lens.
type Milestone struct {
	Number     int
	Name       string
	RecordedAt time.Time
	Risks      map[string]map[string]int
}

// Improvement is one question of the current lens review.
type Improvement struct {
	QuestionID, PillarID, Title, Risk string
}

// Fake holds the state of the four services; change it between syncs
// (under no lock: tests change it while no request runs).
type Fake struct {
	WA, TA, COH, Support *httptest.Server

	Workloads []Workload
	Lenses    []string         // lens aliases of every workload (default: wellarchitected)
	TARecs    []map[string]any // Trusted Advisor RecommendationSummary objects
	COHRecs   []map[string]any // Cost Optimization Hub Recommendation objects
	Cases     []map[string]any // Support CaseDetails objects
	PageSize  int              // items per page of every list (default 2)

	mu       sync.Mutex
	Throttle map[string]int  // IAM action → throttling responses before it succeeds
	Deny     map[string]bool // IAM action → access denied
	calls    map[string]int
	unsigned int
}

// New starts the four servers; they stop at the end of the test.
func New(t testing.TB) *Fake {
	f := &Fake{PageSize: 2, Throttle: map[string]int{}, Deny: map[string]bool{}, calls: map[string]int{}, Lenses: []string{"wellarchitected"}}
	f.WA = httptest.NewServer(http.HandlerFunc(f.wellArchitected))
	f.TA = httptest.NewServer(http.HandlerFunc(f.trustedAdvisor))
	f.COH = httptest.NewServer(http.HandlerFunc(f.costOptimizationHub))
	f.Support = httptest.NewServer(http.HandlerFunc(f.support))
	t.Cleanup(func() { f.WA.Close(); f.TA.Close(); f.COH.Close(); f.Support.Close() })
	return f
}

// Env points the SDK's default configuration at the fake, with fake
// credentials and region eu-west-1, and keeps it off every file, profile
// and metadata service of the machine.
func (f *Fake) Env(t testing.TB) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_WELLARCHITECTED":       f.WA.URL,
		"AWS_ENDPOINT_URL_TRUSTEDADVISOR":        f.TA.URL,
		"AWS_ENDPOINT_URL_COST_OPTIMIZATION_HUB": f.COH.URL,
		"AWS_ENDPOINT_URL_SUPPORT":               f.Support.URL,
		"AWS_ENDPOINT_URL":                       "http://127.0.0.1:9", // anything else: refused, never the internet
		"AWS_ACCESS_KEY_ID":                      AccessKey,
		"AWS_SECRET_ACCESS_KEY":                  SecretKey,
		"AWS_SESSION_TOKEN":                      "",
		"AWS_REGION":                             "eu-west-1",
		"AWS_DEFAULT_REGION":                     "",
		"AWS_PROFILE":                            "",
		"AWS_DEFAULT_PROFILE":                    "",
		"AWS_CONFIG_FILE":                        dir + "/config",
		"AWS_SHARED_CREDENTIALS_FILE":            dir + "/credentials",
		"AWS_EC2_METADATA_DISABLED":              "true",
		"AWS_MAX_ATTEMPTS":                       "",
		"AWS_RETRY_MODE":                         "",
	} {
		t.Setenv(k, v)
	}
}

// Calls is how many requests an IAM action received (pages, retries).
func (f *Fake) Calls(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

// Unsigned counts requests that were not signed with the fake key.
func (f *Fake) Unsigned() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.unsigned
}

// gate counts a call and answers false (with the error written) when the
// action is denied or throttled this time. restJSON tells the error shape.
func (f *Fake) gate(w http.ResponseWriter, r *http.Request, action string, restJSON bool) bool {
	f.mu.Lock()
	f.calls[action]++
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+AccessKey+"/") {
		f.unsigned++
	}
	denied := f.Deny[action]
	throttled := f.Throttle[action] > 0
	if throttled {
		f.Throttle[action]--
	}
	f.mu.Unlock()
	switch {
	case denied:
		msg := fmt.Sprintf("User: arn:aws:iam::%s:user/auditor is not authorized to perform: %s", Account, action)
		writeError(w, restJSON, http.StatusForbidden, "AccessDeniedException", msg)
		return false
	case throttled:
		writeError(w, restJSON, http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded")
		return false
	}
	return true
}

func writeError(w http.ResponseWriter, restJSON bool, status int, code, msg string) {
	w.Header().Set("X-Amzn-RequestId", "fake-request")
	if restJSON {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", code+":http://internal.amazon.com/coral/com.amazonaws.fake/")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"message": msg})
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if status == http.StatusTooManyRequests {
		status = http.StatusBadRequest // awsJson services answer throttling with 400
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazonaws.fake#" + code, "message": msg})
}

func writeJSON(w http.ResponseWriter, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-RequestId", "fake-request")
	json.NewEncoder(w).Encode(v)
}

// page cuts items at the token ("" = the start) and returns the next
// token ("" = the last page).
func page[T any](items []T, token string, size int) ([]T, string, error) {
	start := 0
	if token != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(token, "page-"))
		if err != nil || n < 0 || n > len(items) {
			return nil, "", fmt.Errorf("bad token %q", token)
		}
		start = n
	}
	end := min(start+size, len(items))
	next := ""
	if end < len(items) {
		next = "page-" + strconv.Itoa(end)
	}
	return items[start:end], next, nil
}

func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// wellArchitected serves the Well-Architected Tool (restJson1).
func (f *Fake) wellArchitected(w http.ResponseWriter, r *http.Request) {
	const ct = "application/json"
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	var body struct {
		NextToken  string
		MaxResults int
	}
	if r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		if len(b) > 0 {
			if err := json.Unmarshal(b, &body); err != nil {
				writeError(w, true, 400, "ValidationException", err.Error())
				return
			}
		}
	}
	q := r.URL.Query()
	find := func(id string) *Workload {
		for i := range f.Workloads {
			if f.Workloads[i].ID == id {
				return &f.Workloads[i]
			}
		}
		return nil
	}
	summary := func(wl *Workload) map[string]any {
		return map[string]any{"WorkloadId": wl.ID, "WorkloadArn": arn(wl.ID), "WorkloadName": wl.Name, "Owner": Account,
			"UpdatedAt": epoch(wl.UpdatedAt), "Lenses": f.Lenses, "RiskCounts": map[string]int{}, "ImprovementStatus": "NOT_APPLICABLE"}
	}
	switch {
	case r.Method == http.MethodPost && len(parts) == 1 && parts[0] == "workloadsSummaries":
		if !f.gate(w, r, "wellarchitected:ListWorkloads", true) {
			return
		}
		items, next, err := page(f.Workloads, body.NextToken, f.PageSize)
		if err != nil {
			writeError(w, true, 400, "ValidationException", err.Error())
			return
		}
		out := []map[string]any{}
		for i := range items {
			out = append(out, summary(&items[i]))
		}
		writeJSON(w, ct, omitEmpty(map[string]any{"WorkloadSummaries": out, "NextToken": next}))
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "workloads":
		if !f.gate(w, r, "wellarchitected:GetWorkload", true) {
			return
		}
		wl := find(parts[1])
		if wl == nil {
			writeError(w, true, 404, "ResourceNotFoundException", "no workload "+parts[1])
			return
		}
		writeJSON(w, ct, map[string]any{"Workload": map[string]any{"WorkloadId": wl.ID, "WorkloadArn": arn(wl.ID), "WorkloadName": wl.Name,
			"Description": "a workload", "Environment": wl.Environment, "UpdatedAt": epoch(wl.UpdatedAt), "AwsRegions": []string{"eu-west-1"},
			"ReviewOwner": "owner@example.com", "Lenses": f.Lenses, "Owner": Account, "RiskCounts": map[string]int{}}})
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "workloads" && parts[2] == "milestonesSummaries":
		if !f.gate(w, r, "wellarchitected:ListMilestones", true) {
			return
		}
		wl := find(parts[1])
		if wl == nil {
			writeError(w, true, 404, "ResourceNotFoundException", "no workload "+parts[1])
			return
		}
		items, next, err := page(wl.Milestones, body.NextToken, f.PageSize)
		if err != nil {
			writeError(w, true, 400, "ValidationException", err.Error())
			return
		}
		out := []map[string]any{}
		for _, m := range items {
			out = append(out, map[string]any{"MilestoneNumber": m.Number, "MilestoneName": m.Name, "RecordedAt": epoch(m.RecordedAt), "WorkloadSummary": summary(wl)})
		}
		writeJSON(w, ct, omitEmpty(map[string]any{"WorkloadId": wl.ID, "MilestoneSummaries": out, "NextToken": next}))
	case r.Method == http.MethodGet && len(parts) >= 3 && parts[0] == "workloads" && parts[2] == "lensReviews":
		wl := find(parts[1])
		milestone, _ := strconv.Atoi(q.Get("MilestoneNumber"))
		var m *Milestone
		if wl != nil && milestone > 0 {
			for i := range wl.Milestones {
				if wl.Milestones[i].Number == milestone {
					m = &wl.Milestones[i]
				}
			}
		}
		action := map[int]string{3: "wellarchitected:ListLensReviews", 4: "wellarchitected:GetLensReview", 5: "wellarchitected:ListLensReviewImprovements"}[len(parts)]
		if action == "" || (len(parts) == 5 && parts[4] != "improvements") {
			writeError(w, true, 404, "ResourceNotFoundException", "no such path "+r.URL.Path)
			return
		}
		if !f.gate(w, r, action, true) {
			return
		}
		if wl == nil || (milestone > 0 && m == nil) {
			writeError(w, true, 404, "ResourceNotFoundException", "no workload or milestone")
			return
		}
		lens := func(alias string) map[string]any {
			return map[string]any{"LensAlias": alias, "LensArn": "arn:aws:wellarchitected::aws:lens/" + alias, "LensName": lensName(alias),
				"LensVersion": "2024-06-27", "LensStatus": "CURRENT", "UpdatedAt": epoch(wl.UpdatedAt)}
		}
		switch len(parts) {
		case 3:
			items, next, err := page(f.Lenses, q.Get("NextToken"), f.PageSize)
			if err != nil {
				writeError(w, true, 400, "ValidationException", err.Error())
				return
			}
			out := []map[string]any{}
			for _, a := range items {
				out = append(out, lens(a))
			}
			res := map[string]any{"WorkloadId": wl.ID, "LensReviewSummaries": out, "NextToken": next}
			if milestone > 0 {
				res["MilestoneNumber"] = milestone
			}
			writeJSON(w, ct, omitEmpty(res))
		case 4:
			lr := lens(parts[3])
			var pillars []map[string]any
			if m != nil {
				ids := make([]string, 0, len(m.Risks))
				for id := range m.Risks {
					ids = append(ids, id)
				}
				sort.Strings(ids)
				for _, id := range ids {
					pillars = append(pillars, map[string]any{"PillarId": id, "PillarName": id, "RiskCounts": m.Risks[id]})
				}
			}
			lr["PillarReviewSummaries"] = pillars
			res := map[string]any{"WorkloadId": wl.ID, "LensReview": lr}
			if milestone > 0 {
				res["MilestoneNumber"] = milestone
			}
			writeJSON(w, ct, res)
		case 5:
			items, next, err := page(wl.Improvements, q.Get("NextToken"), f.PageSize)
			if err != nil {
				writeError(w, true, 400, "ValidationException", err.Error())
				return
			}
			out := []map[string]any{}
			for _, im := range items {
				out = append(out, map[string]any{"QuestionId": im.QuestionID, "PillarId": im.PillarID, "QuestionTitle": im.Title, "Risk": im.Risk,
					"ImprovementPlanUrl": "https://docs.aws.amazon.com/wellarchitected/latest/framework/" + im.QuestionID + ".html"})
			}
			writeJSON(w, ct, omitEmpty(map[string]any{"WorkloadId": wl.ID, "LensAlias": parts[3], "LensArn": "arn:aws:wellarchitected::aws:lens/" + parts[3],
				"ImprovementSummaries": out, "NextToken": next}))
		}
	default:
		writeError(w, true, 404, "ResourceNotFoundException", "no such path "+r.Method+" "+r.URL.Path)
	}
}

func arn(id string) string {
	return "arn:aws:wellarchitected:eu-west-1:" + Account + ":workload/" + id
}

func lensName(alias string) string {
	if alias == "wellarchitected" {
		return "AWS Well-Architected Framework"
	}
	return "Lens " + alias
}

func omitEmpty(m map[string]any) map[string]any {
	for k, v := range m {
		if s, ok := v.(string); ok && s == "" {
			delete(m, k)
		}
	}
	return m
}

// trustedAdvisor serves Trusted Advisor's ListRecommendations (restJson1,
// GET /v1/recommendations).
func (f *Fake) trustedAdvisor(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.URL.Path != "/v1/recommendations" {
		writeError(w, true, 404, "ResourceNotFoundException", "no such path "+r.URL.Path)
		return
	}
	if !f.gate(w, r, "trustedadvisor:ListRecommendations", true) {
		return
	}
	q := r.URL.Query()
	items := f.TARecs
	if after := q.Get("afterLastUpdatedAt"); after != "" {
		items = filterTime(items, "lastUpdatedAt", after)
	}
	size := f.PageSize
	if n, _ := strconv.Atoi(q.Get("maxResults")); n > 0 && n < size {
		size = n
	}
	out, next, err := page(items, q.Get("nextToken"), size)
	if err != nil {
		writeError(w, true, 400, "ValidationException", err.Error())
		return
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, "application/json", omitEmpty(map[string]any{"recommendationSummaries": out, "nextToken": next}))
}

func filterTime(items []map[string]any, field, after string) []map[string]any {
	t, err := time.Parse(time.RFC3339Nano, after)
	if err != nil {
		return items
	}
	var out []map[string]any
	for _, it := range items {
		s, _ := it[field].(string)
		if v, err := time.Parse(time.RFC3339Nano, s); err == nil && !v.Before(t) {
			out = append(out, it)
		}
	}
	return out
}

// readTarget reads an awsJson request: its X-Amz-Target and body.
func readTarget(w http.ResponseWriter, r *http.Request, contentType, target string, body any) bool {
	if r.Method != http.MethodPost || r.URL.Path != "/" || r.Header.Get("Content-Type") != contentType || r.Header.Get("X-Amz-Target") != target {
		writeError(w, false, 400, "UnknownOperationException", fmt.Sprintf("want POST / %s %s, got %s %s %s %s", contentType, target,
			r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("X-Amz-Target")))
		return false
	}
	b, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(b, body); err != nil {
		writeError(w, false, 400, "ValidationException", err.Error())
		return false
	}
	return true
}

// costOptimizationHub serves ListRecommendations (awsJson1_0).
func (f *Fake) costOptimizationHub(w http.ResponseWriter, r *http.Request) {
	var in struct {
		NextToken  string `json:"nextToken"`
		MaxResults int    `json:"maxResults"`
	}
	if !readTarget(w, r, "application/x-amz-json-1.0", "CostOptimizationHubService.ListRecommendations", &in) {
		return
	}
	if !f.gate(w, r, "cost-optimization-hub:ListRecommendations", false) {
		return
	}
	out, next, err := page(f.COHRecs, in.NextToken, f.PageSize)
	if err != nil {
		writeError(w, false, 400, "ValidationException", err.Error())
		return
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, "application/x-amz-json-1.0", omitEmpty(map[string]any{"items": out, "nextToken": next}))
}

// support serves DescribeCases (awsJson1_1).
func (f *Fake) support(w http.ResponseWriter, r *http.Request) {
	var in struct {
		NextToken             string `json:"nextToken"`
		MaxResults            int    `json:"maxResults"`
		AfterTime             string `json:"afterTime"`
		IncludeResolvedCases  bool   `json:"includeResolvedCases"`
		IncludeCommunications *bool  `json:"includeCommunications"`
	}
	if !readTarget(w, r, "application/x-amz-json-1.1", "AWSSupport_20130415.DescribeCases", &in) {
		return
	}
	if !f.gate(w, r, "support:DescribeCases", false) {
		return
	}
	var items []map[string]any
	for _, c := range f.Cases {
		if !in.IncludeResolvedCases && c["status"] == "resolved" {
			continue
		}
		items = append(items, c)
	}
	if in.AfterTime != "" {
		items = filterTime(items, "timeCreated", in.AfterTime)
	}
	out, next, err := page(items, in.NextToken, f.PageSize)
	if err != nil {
		writeError(w, false, 400, "ValidationException", err.Error())
		return
	}
	if out == nil {
		out = []map[string]any{}
	}
	if in.IncludeCommunications != nil && !*in.IncludeCommunications {
		for i, c := range out {
			cp := map[string]any{}
			for k, v := range c {
				if k != "recentCommunications" {
					cp[k] = v
				}
			}
			out[i] = cp
		}
	}
	writeJSON(w, "application/x-amz-json-1.1", omitEmpty(map[string]any{"cases": out, "nextToken": next}))
}
