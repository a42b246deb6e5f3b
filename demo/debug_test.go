package demo_test

import (
	"os"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/demo"
)

func TestDebug(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	asOf := tamledger.MustDate(os.Getenv("ASOF"))
	for _, l := range ledgers(demo.Generate(18, asOf)) {
		if l.Org.ID != os.Getenv("ORG") {
			continue
		}
		loc := l.Org.Location()
		for _, c := range l.Cases {
			d := tamledger.DateIn(c.OpenedAt, loc)
			ch := charterOn(l, d)
			e := "nil"
			if c.TAMEngagedAt != nil {
				e = c.TAMEngagedAt.Sub(c.OpenedAt).String()
			}
			id := ""; if ch != nil { id = ch.ID }; if d.After(asOf.AddYears(-1)) { t.Logf("%s %s %s %s charter %s", c.ID, d, c.Severity, e, id) }
		}
	}
}
