// Package demo generates realistic TAM-relationship portfolios: a small,
// hand-designed one that shows a newcomer every part of the product
// (Generate), and a large, streaming one for benchmarks (Stream).
//
// Both are deterministic: the same seed and asOf give the same records.
// Every date is placed relative to asOf, so the stories below hold whatever
// day the demo is generated on. Every record passes its Validate(), every
// reference (organisation, workload, engagement) resolves, ids are unique
// per (kind, organisation), and each organisation's records come together:
// the Organization first, then its charters, engagements, recommendations,
// cases, events and reassignment requests.
//
// # The newcomer portfolio
//
// Generate returns twelve organisations, each with two to three years of
// history, built so that every health band and every action of docs/scorecard.md
// appears at any asOf. Stories lists them; in short:
//
//   - Kestrel Logistics (reactive): associate TAM, 58 accounts; delivery
//     collapsed over the last ten months (no cost, security or
//     Well-Architected reviews, strategy calls skipped, slow escalations) →
//     reassignment-suggested, portfolio-rebalance, senior-tam-request,
//     war-overdue, specialist-intro.
//   - Harbour & Vale Insurance (reactive, Europe/London): TAM with 48
//     accounts delivering a third of the charter; a reassignment request
//     unacknowledged for 45 days → reassignment-escalate,
//     portfolio-rebalance, senior-tam-request, specialist-intro.
//   - Hoshizora Retail (proactive, Asia/Tokyo): senior TAM who delivers;
//     the seasonal sale is 21 days away without IEM → iem-request-now.
//   - Pinecrest Games (mixed, America/Los_Angeles): multi-region, ML
//     moderation, a launch in 9 days without IEM → iem-too-late,
//     senior-tam-request, specialist-intro.
//   - Aurora Health Partners (proactive): principal TAM, 14 accounts; the EDP
//     ends within 180 days → edp-renewal-prep.
//   - Fjordline Energy (reactive): no charter, mostly customer-driven
//     contact, grid telemetry without a WAR → no-charter, war-overdue.
//   - Cobalt Payments (mixed): a charter lacking four minimum terms, no
//     backup TAM, the latest cost review without figures →
//     charter-missing-term, no-backup-tam, cost-review-unquantified,
//     senior-tam-request.
//   - Wattle Bank (proactive): five regulated primary workloads and a
//     senior TAM who delivers everything → no actions.
//   - Tiberius Media (mixed): portfolio size undisclosed, charter without
//     backup coverage, no data specialist lately → portfolio-unknown,
//     charter-missing-term, specialist-intro.
//   - Condor Mining (mixed): the smallest account; a reassignment request
//     acknowledged and resolved, a new TAM and charter, recovering → no
//     actions.
//   - Meridian Telecom (proactive, about 3M a month): principal TAM, two
//     charter versions, proactive on every term → no actions.
//   - Maplestone Foods (mixed): a TAM stretched over 52 accounts who drops
//     the security reviews → portfolio-rebalance.
//
// The stories are built to hold for any seed and any asOf: delivery is
// drawn by error diffusion rather than coin flips, so each relationship's
// adherence, proactivity and responsiveness stay near its profile in every
// window. The package's tests check every organisation's actions and band
// against Stories over a grid of seeds and days, evaluating the rules of docs/scorecard.md
// on the records themselves (TAMLEDGER_DEMO_WIDE=1 widens the grid to
// 60 seeds × 64 days).
//
// docs/demo.md tells the same stories for users.
package demo

import (
	"slices"

	"github.com/tamledger/tamledger"
)

// Story is what one organisation of the newcomer portfolio is built to show.
type Story struct {
	Org     string   `json:"organization"`
	Name    string   `json:"name"`
	Summary string   `json:"summary"`
	Band    string   `json:"band"`    // the health band it lands in: proactive, mixed or reactive
	Actions []string `json:"actions"` // the action codes it raises at any asOf, sorted
}

// Stories lists the organisations of Generate's portfolio, in its order.
func Stories() []Story {
	specs := portfolio()
	out := make([]Story, len(specs))
	for i, s := range specs {
		st := s.story
		st.Actions = slices.Clone(st.Actions)
		slices.Sort(st.Actions)
		out[i] = st
	}
	return out
}

// Generate returns the newcomer portfolio: twelve organisations with their
// history up to asOf, organisation by organisation (see the package
// documentation and Stories). The same seed and asOf give the same records;
// the seed varies the details (dates, amounts, which periods slip), never
// the stories.
func Generate(seed int64, asOf tamledger.Date) []tamledger.Record {
	var out []tamledger.Record
	specs := portfolio()
	for i := range specs {
		b := newBuilder(newGen(seed, uint64(i)), &specs[i], asOf)
		_ = b.build(func(r tamledger.Record) error {
			out = append(out, r)
			return nil
		})
	}
	return out
}
