package score_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/score"
)

func TestSummarize(t *testing.T) {
	l := quiet()
	l.Events = []tamledger.Event{{ID: "soon", Date: date("2026-06-20")}, {ID: "later", Date: date("2026-07-10")}}
	l.Org.AccountTeam.BackupTAM = nil
	row := score.Summarize(l, date(asOf))
	got, _ := json.Marshal(row)
	// Adherence: April and May missed → 0; proactive 1 → (0·12 + 1·5)/17 = 29.4 → 29.
	want := `{"organization":"acme","name":"Acme Corp","asOf":"2026-06-15","score":29,"band":"reactive","adherence":0,` +
		`"proactiveRatio":1,"escalationResponsiveness":null,"critical":1,"high":1}`
	if string(got) != want {
		t.Errorf("row:\n got %s\nwant %s", got, want)
	}
}

func TestSortWorstFirst(t *testing.T) {
	rows := []score.PortfolioRow{
		{Organization: "good", Score: intp(90)},
		{Organization: "b-mid", Score: intp(60), High: 1},
		{Organization: "a-mid", Score: intp(60), High: 1},
		{Organization: "mid-critical", Score: intp(60), Critical: 1},
		{Organization: "mid-high", Score: intp(60), High: 3},
		{Organization: "unknown", Score: nil},
		{Organization: "bad", Score: intp(10)},
	}
	score.SortWorstFirst(rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.Organization)
	}
	want := []string{"unknown", "bad", "mid-critical", "mid-high", "a-mid", "b-mid", "good"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}
