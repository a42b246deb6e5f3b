package render_test

import (
	"os"
	"testing"

	"github.com/tamledger/tamledger/demo"
	"github.com/tamledger/tamledger/render"
	"github.com/tamledger/tamledger/roi"
)

func TestTry(t *testing.T) {
	ls := ledgers(demo.Generate(1, demoAsOf))
	for _, c := range []struct{ org, doc string }{{"hoshizora-retail", "charter"}, {"hoshizora-retail", "ebr"}, {"kestrel-logistics", "reassignment"}, {"aurora-health", "edp"}} {
		in := render.Input{Ledger: ls[c.org], Books: roi.Books(nil), AsOf: demoAsOf, Store: "SQLite file tamledger.db"}
		os.WriteFile("/tmp/rp/"+c.doc+".pdf", renderDoc(t, c.doc, "pdf", in), 0o644)
	}
}
