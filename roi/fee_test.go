package roi_test

import (
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
)

func mon(s string) tamledger.Money { return tamledger.MustMoney(s) }

func monies(ss ...string) []tamledger.Money {
	var m []tamledger.Money
	for _, s := range ss {
		m = append(m, mon(s))
	}
	return m
}

func wantMoney(t *testing.T, what string, got tamledger.Money, want string) {
	t.Helper()
	if !got.Equal(mon(want).Decimal) {
		t.Errorf("%s = %s, want %s", what, got.String(), want)
	}
}

func plan(t *testing.T, book, name string) tamledger.Plan {
	t.Helper()
	b, ok := roi.Book(roi.Shipped(), book)
	if !ok {
		t.Fatalf("no shipped book %s", book)
	}
	p, ok := b.Plans[name]
	if !ok {
		t.Fatalf("book %s has no plan %s", book, name)
	}
	return p
}

func TestFee(t *testing.T) {
	tests := []struct {
		name   string
		book   string
		plan   string
		spends []string
		want   string
	}{
		// 150000 × 0.10 = 15000, exactly at the first break-point.
		{"enterprise at the 150K boundary", roi.Book2026, "enterprise", []string{"150000"}, "15000"},
		// 15000 + 0.01 × 0.07 = 15000.0007 (exact; rounding is the report's job)
		{"enterprise one cent above the boundary", roi.Book2026, "enterprise", []string{"150000.01"}, "15000.0007"},
		// 150000 × 0.10 + 270000 × 0.07 = 15000 + 18900 = 33900
		{"enterprise 420K", roi.Book2026, "enterprise", []string{"420000"}, "33900"},
		// 15000 + 350000 × 0.07 + 500000 × 0.05 + 1000000 × 0.03 = 15000 + 24500 + 25000 + 30000
		{"enterprise 2M, all tiers", roi.Book2026, "enterprise", []string{"2000000"}, "94500"},
		// 40000 × 0.10 = 4000 < minimum 5000
		{"enterprise minimum applies", roi.Book2026, "enterprise", []string{"40000"}, "5000"},
		// 100000 × 0.10 = 10000 < legacy minimum 15000
		{"legacy enterprise minimum applies", roi.BookLegacy, "enterprise", []string{"100000"}, "15000"},
		{"enterprise on no spend is the minimum", roi.Book2026, "enterprise", []string{"0"}, "5000"},
		// not per account: charged on the sum 300000 + 120000 = 420000
		{"enterprise on accounts is charged on the sum", roi.Book2026, "enterprise", []string{"300000", "120000"}, "33900"},
		// 10000 × 0.09 + 70000 × 0.07 + 170000 × 0.05 + 170000 × 0.03 = 900 + 4900 + 8500 + 5100
		{"business-plus one account 420K", roi.Book2026, "business-plus", []string{"420000"}, "19400"},
		// 300000: 900 + 4900 + 8500 + 50000 × 0.03 (1500) = 15800
		// 120000: 900 + 4900 + 40000 × 0.05 (2000)        =  7800
		{"business-plus per account 300K + 120K", roi.Book2026, "business-plus", []string{"300000", "120000"}, "23600"},
		// each 1000 × 0.09 = 90 > 29; 3 × 90
		{"business-plus three small accounts", roi.Book2026, "business-plus", []string{"1000", "1000", "1000"}, "270"},
		// each 100 × 0.09 = 9 < 29: the minimum applies per account, 3 × 29
		{"business-plus minimum per account", roi.Book2026, "business-plus", []string{"100", "100", "100"}, "87"},
		// 10000 × 0.10 + 70000 × 0.07 + 170000 × 0.05 + 170000 × 0.03 = 1000 + 4900 + 8500 + 5100
		{"legacy business 420K", roi.BookLegacy, "business", []string{"420000"}, "19500"},
		// 50 × 0.10 = 5 < 100
		{"legacy business minimum", roi.BookLegacy, "business", []string{"50"}, "100"},
		// 1000000 × 0.10 + 1000000 × 0.06 = 160000
		{"unified operations 2M", roi.Book2026, "unified-operations", []string{"2000000"}, "160000"},
		{"no spends at all is the minimum once", roi.Book2026, "business-plus", nil, "29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plan(t, tt.book, tt.plan)
			fee, lines := roi.Fee(p, monies(tt.spends...))
			wantMoney(t, "fee", fee, tt.want)
			var sum tamledger.Money
			for _, l := range lines {
				sum = tamledger.Money{Decimal: sum.Add(l.Charge.Decimal)}
			}
			if !sum.Equal(fee.Decimal) {
				t.Errorf("lines add up to %s, fee is %s", sum, fee)
			}
		})
	}
}

func TestFeeLines(t *testing.T) {
	p := plan(t, roi.Book2026, "business-plus")
	_, lines := roi.Fee(p, monies("300000", "20"))
	// account 0: four tiers; account 1: one tier (20 × 0.09 = 1.8) and a
	// top-up of 29 − 1.8 = 27.2
	if len(lines) != 6 {
		t.Fatalf("got %d lines, want 6: %+v", len(lines), lines)
	}
	last := lines[5]
	if !last.Minimum || last.Account != 1 {
		t.Errorf("last line = %+v, want the minimum top-up of account 1", last)
	}
	wantMoney(t, "top-up", last.Charge, "27.2")
	wantMoney(t, "tier 3 spend", lines[3].Spend, "50000")
	if lines[3].UpTo != nil {
		t.Errorf("the last tier has an upper bound %s", lines[3].UpTo)
	}
	text := roi.FeeText("business-plus", p, monies("300000", "20"))
	for _, want := range []string{"account 2, spend 20", "20 × 0.09 (0 to 10000) = 1.8", "+ 27.2 to reach the minimum 29", "fee = 15829"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q:\n%s", want, text)
		}
	}
}
