package document_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

// The reader's fast paths must agree with the domain's definitions.
func TestFastPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var dates []string
	for y := 1999; y <= 2101; y++ {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				dates = append(dates, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	dates = append(dates, "0000-01-01", "9999-12-31", "2026-1-20", "2026-01-2x", "+026-01-20", "2026-01-20 ", "")
	for _, s := range dates {
		want, err := tamledger.ParseDate(s)
		got, ok := document.ParseDate([]byte(s))
		if ok != (err == nil) || ok && got != want {
			t.Errorf("%q: fast %v %v, ParseDate %v %v", s, got, ok, want, err)
		}
	}
	alphabet := "az09._-A /é"
	for range 20000 {
		b := make([]byte, rng.Intn(6))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		if document.ValidID(b) != tamledger.ValidID(string(b)) {
			t.Errorf("%q: validID %v, ValidID %v", b, document.ValidID(b), tamledger.ValidID(string(b)))
		}
	}
	for _, n := range []int{127, 128, 129} {
		b := []byte(fmt.Sprintf("%0*d", n, 0))
		if document.ValidID(b) != tamledger.ValidID(string(b)) {
			t.Errorf("length %d: validID %v, ValidID %v", n, document.ValidID(b), tamledger.ValidID(string(b)))
		}
	}
}
