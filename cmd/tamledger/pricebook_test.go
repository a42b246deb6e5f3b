package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/roi"

	"github.com/tamledger/tamledger/internal/testdb"
)

func TestPriceBookCommands(t *testing.T) {
	// no store file: the shipped books, and no file is created
	missing := filepath.Join(t.TempDir(), "none.db")
	out, errOut, code := roiCLI(t, missing, "pricebook", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	roiContains(t, out, "aws-support-legacy  2000-01-01  shipped", "aws-support-2026    2026-01-01  shipped",
		"enterprise, business-plus,", "unified-operations", "AWS Support plan restructure …") // the source clipped
	if fileExists(missing) {
		t.Error("pricebook list created a store file")
	}

	out, errOut, code = roiCLI(t, testdb.DSN(t), "pricebook", "show", "aws-support-2026")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	roiContains(t, out, "Price book aws-support-2026 (shipped)", "effective  2026-01-01",
		"source     AWS Support plan restructure announced 2025-12-02, applied from January 2026 usage",
		"enterprise: minimum 5,000.00 a month", "business-plus: minimum 29.00 a month, charged per account",
		"150,000.00", "and above", "10 %", "3 %")

	out, _, code = roiCLI(t, missing, "pricebook", "show", "aws-support-legacy", "-o", "json")
	var b struct {
		ID, Effective, Origin, Source string
		Plans                         map[string]struct {
			Minimum    float64
			PerAccount bool
			Tiers      []struct {
				UpTo *float64
				Rate float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if b.ID != "aws-support-legacy" || b.Plans["enterprise"].Minimum != 15000 || !b.Plans["business"].PerAccount ||
		b.Plans["business"].Minimum != 100 || b.Plans["business"].Tiers[0].Rate != 0.10 || *b.Plans["business"].Tiers[0].UpTo != 10000 {
		t.Errorf("book = %+v", b)
	}

	out, errOut, code = roiCLI(t, missing, "pricebook", "show", "aws-support-2026", "-o", "yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	roiContains(t, out, "apiVersion: tamledger/v1", "kind: PriceBook", "id: aws-support-2026", "effective: 2026-01-01",
		"business-plus:", "perAccount: true", "upTo: 150000")
	// the YAML imports back as the same book
	docs := document.NewReader("book.yaml", strings.NewReader(out), document.Options{})
	doc, err := docs.Next()
	if err != nil {
		t.Fatal(err)
	}
	shipped, _ := roi.Book(roi.Shipped(), "aws-support-2026")
	got, ok := doc.Record.Value.(*tamledger.PriceBook)
	if !ok {
		t.Fatalf("read back a %T", doc.Record.Value)
	}
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(shipped)
	if got.ID != shipped.ID || string(gj) != string(wj) { // JSON: 0.10 and 0.1 are the same rate
		t.Errorf("read back %s %s, want %s %s", got.ID, gj, shipped.ID, wj)
	}

	_, errOut, code = roiCLI(t, missing, "pricebook", "show", "nope")
	if code != 2 {
		t.Errorf("unknown book: exit %d", code)
	}
	roiContains(t, errOut, `unknown price book "nope"`, "aws-support-2026")
}

func TestFeeCommand(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		name  string
		args  []string
		wants []string
	}{
		{"enterprise 420K", []string{"--plan", "enterprise", "--spend", "420000", "--as-of", "2026-03-01"},
			[]string{"aws-support-2026", "150000 × 0.1 (0 to 150000) = 15000", "270000 × 0.07 (150000 to 500000) = 18900", "fee = 33900"}},
		{"business-plus per account", []string{"--plan", "business-plus", "--accounts", "300000,120000", "--as-of", "2026-03-01"},
			[]string{"account 1, spend 300000", "account 2, spend 120000", "= 15800", "= 7800", "fee = 23600"}},
		{"legacy business", []string{"--plan", "business", "--spend", "420000", "--as-of", "2025-12-31"},
			[]string{"aws-support-legacy", "fee = 19500"}},
		{"minimum", []string{"--plan", "enterprise", "--spend", "40000", "--as-of", "2026-01-01"},
			[]string{"40000 × 0.1 (0 to 150000) = 4000", "+ 1000 to reach the minimum 5000", "fee = 5000"}},
		{"explicit book", []string{"--plan", "enterprise", "--spend", "100000", "--book", "aws-support-legacy"},
			[]string{"+ 5000 to reach the minimum 15000", "fee = 15000"}},
		{"sub-cent fee", []string{"--plan", "enterprise", "--spend", "150000.01", "--as-of", "2026-01-01"},
			[]string{"fee = 15000.0007", "(15,000.00 to the cent)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := roiCLI(t, missing, append([]string{"fee"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			roiContains(t, out, tt.wants...)
		})
	}

	out, _, code := roiCLI(t, missing, "fee", "--plan", "business-plus", "--spend", "420000", "--accounts", "300000,120000", "--as-of", "2026-02-01", "-o", "json")
	var f struct {
		Book  string
		Fee   float64
		Tiers []struct {
			Account int
			Charge  float64
		}
	}
	if err := json.Unmarshal([]byte(out), &f); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if f.Book != "aws-support-2026" || f.Fee != 23600 || len(f.Tiers) != 7 || f.Tiers[6].Account != 1 {
		t.Errorf("fee = %+v", f)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--plan", "enterprise"}, "give the monthly spend"},
		{[]string{"--spend", "-5"}, "negative"},
		{[]string{"--spend", "abc"}, "--spend"},
		{[]string{"--spend", "420000", "--accounts", "1,2"}, "disagrees"},
		{[]string{"--plan", "business-plus", "--spend", "1", "--as-of", "2025-06-01"}, `no plan "business-plus"`},
		{[]string{"--spend", "1", "--as-of", "1999-01-01"}, "no price book"},
		{[]string{"--spend", "1", "--book", "nope"}, "unknown price book"},
	} {
		_, errOut, code := roiCLI(t, missing, append([]string{"fee"}, tt.args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", tt.args, code)
		}
		roiContains(t, errOut, tt.want)
	}
}
