package ledger_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/ledger"
	"github.com/tamledger/tamledger/store"
)

// TestHistoryRecordsEveryWrite: imports, the CLI's edits, the web app's
// writes and deletions each leave one revision naming who, the rev and the
// fields changed; writes that change nothing leave none; a write rolled
// back leaves none.
func TestHistoryRecordsEveryWrite(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	mustImport(t, st, "acme.yaml", org, "recs.yaml", recs)
	mustImport(t, st, "acme.yaml", org, "recs.yaml", recs) // unchanged: no revision
	implement(t, st)                                       // cli: status, implementedOn, realized saving
	rec, _, _ := st.Get(ctx, tamledger.KindRecommendation, "acme", "r-17")
	r := rec.Value.(*tamledger.Recommendation)
	r.Title = "Graviton for the payment API"
	if _, err := ledger.Put(ctx, st, ledger.PutRequest{Record: rec, Rev: 2, Manager: tamledger.WebManager("ana@example.com")}); err != nil {
		t.Fatal(err)
	}
	// A stale write is refused and leaves no trace.
	if _, err := ledger.Put(ctx, st, ledger.PutRequest{Record: rec, Rev: 2, Manager: tamledger.WebManager("bo@example.com")}); tamledger.ErrorCode(err) != tamledger.ECONFLICT {
		t.Fatalf("stale put: %v", err)
	}
	if err := ledger.DeleteAs(ctx, st, tamledger.WebManager("ana@example.com"), tamledger.KindRecommendation, "acme", "r-17", 3); err != nil {
		t.Fatal(err)
	}
	h, err := st.History(ctx, tamledger.KindRecommendation, "acme", "r-17")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Revision{
		{Rev: 1, Action: "created", Manager: "import"},
		{Rev: 2, Action: "updated", Manager: "cli", Fields: []string{"implementedOn", "realizedMonthlySavings", "status"}},
		{Rev: 3, Action: "updated", Manager: "web:ana@example.com", Fields: []string{"title"}},
		{Rev: 3, Action: "deleted", Manager: "web:ana@example.com"},
	}
	if len(h) != len(want) {
		t.Fatalf("history of r-17: %+v, want %+v", h, want)
	}
	for i, w := range want {
		g := h[i]
		if g.Rev != w.Rev || g.Action != w.Action || g.Manager != w.Manager || !slices.Equal(g.Fields, w.Fields) || g.At.Before(before) || g.At.After(time.Now().Add(time.Second)) {
			t.Errorf("revision %d: %+v, want %+v", i, g, w)
		}
	}
	// The organisation's own history, and a record never written.
	if h, err := st.History(ctx, tamledger.KindOrganization, "", "acme"); err != nil || len(h) != 1 || h[0].Action != "created" {
		t.Errorf("history of acme: %+v, %v", h, err)
	}
	if h, err := st.History(ctx, tamledger.KindRecommendation, "acme", "r-99"); err != nil || len(h) != 0 {
		t.Errorf("history of r-99: %+v, %v", h, err)
	}
	// A record imported into an organisation that has records (on
	// PostgreSQL, inserted by the look-up itself).
	mustImport(t, st, "more.yaml", `apiVersion: tamledger/v1
kind: Recommendation
metadata: {id: r-19, organization: acme}
spec: {raisedOn: 2026-02-05, origin: tam, title: Savings Plans, status: open}
`)
	if h, err := st.History(ctx, tamledger.KindRecommendation, "acme", "r-19"); err != nil || len(h) != 1 || h[0].Action != "created" || h[0].Rev != 1 || h[0].Manager != "import" {
		t.Errorf("history of r-19: %+v, %v", h, err)
	}
	// A change to an organisation names the nested fields it changed.
	changed := strings.Replace(org, "name: Acme", "name: Acme Corp", 1)
	mustImport(t, st, "acme.yaml", changed)
	if h, _ := st.History(ctx, tamledger.KindOrganization, "", "acme"); len(h) != 2 || !slices.Equal(h[1].Fields, []string{"name"}) || h[1].Rev != 2 {
		t.Errorf("history of acme after a rename: %+v", h)
	}
}

// TestHistoryOfABulkImport: an import of more records than one audit
// statement holds records each once.
func TestHistoryOfABulkImport(t *testing.T) {
	st := open(t)
	var b strings.Builder
	const n = 1234
	for i := range n {
		fmt.Fprintf(&b, "---\napiVersion: tamledger/v1\nkind: Recommendation\nmetadata: {id: r-%d, organization: acme}\nspec: {raisedOn: 2026-02-03, origin: tam, status: open}\n", i)
	}
	mustImport(t, st, "acme.yaml", org, "many.yaml", b.String())
	var rows, distinct int
	if err := st.DB().QueryRow("SELECT count(*), count(DISTINCT id) FROM audit_log WHERE kind = 'Recommendation' AND action = 'created' AND rev = 1 AND manager = 'import'").Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != n || distinct != n {
		t.Errorf("audit_log holds %d rows of %d records, want %d of %d", rows, distinct, n, n)
	}
	if h, err := st.History(context.Background(), tamledger.KindRecommendation, "acme", "r-1233"); err != nil || len(h) != 1 {
		t.Errorf("history of r-1233: %+v, %v", h, err)
	}
}
