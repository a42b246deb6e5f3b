package roi

import (
	"fmt"
	"slices"

	"github.com/tamledger/tamledger"
)

// Plan names the ROI reads from a price book.
const (
	PlanEnterprise        = "enterprise"
	PlanBusinessPlus      = "business-plus"
	PlanBusiness          = "business"
	PlanUnifiedOperations = "unified-operations"
)

// Ids of the shipped price books.
const (
	Book2026   = "aws-support-2026"
	BookLegacy = "aws-support-legacy"
)

func money(s string) tamledger.Money { return tamledger.MustMoney(s) }

func upTo(s string) *tamledger.Money { m := money(s); return &m }

func tiers(pairs ...string) []tamledger.Tier {
	var ts []tamledger.Tier
	for i := 0; i+1 < len(pairs); i += 2 {
		t := tamledger.Tier{Rate: money(pairs[i+1])}
		if pairs[i] != "" {
			t.UpTo = upTo(pairs[i])
		}
		ts = append(ts, t)
	}
	return ts
}

// Shipped returns the price books that ship with tamledger (docs/roi.md), oldest
// first. Each call returns fresh values: callers may modify them.
//
//   - aws-support-legacy, effective 2000-01-01 (so it covers every month
//     before the 2026 restructure): enterprise, minimum 15,000, 10 % / 7 % /
//     5 % / 3 % at 150K / 500K / 1M; business, minimum 100 per account, 10 %
//     / 7 % / 5 % / 3 % at 10K / 80K / 250K.
//   - aws-support-2026, effective 2026-01-01: enterprise, minimum 5,000, same
//     tiers; business-plus, minimum 29 per account, 9 % / 7 % / 5 % / 3 % at
//     10K / 80K / 250K; unified-operations, minimum 50,000, 10 % / 6 % / 5 %
//     at 1M / 5M.
func Shipped() []tamledger.PriceBook {
	return []tamledger.PriceBook{
		{
			ID:        BookLegacy,
			Effective: tamledger.MustDate("2000-01-01"),
			Source: "AWS Support pricing page (aws.amazon.com/premiumsupport/pricing) before the January 2026 restructure: " +
				"Enterprise Support, greater of $15,000 a month or 10% of the first $150K of monthly AWS usage, 7% from $150K to $500K, " +
				"5% from $500K to $1M, 3% above $1M; Business Support, per account, greater of $100 a month or 10% of the first $10K, " +
				"7% from $10K to $80K, 5% from $80K to $250K, 3% above $250K",
			Plans: map[string]tamledger.Plan{
				PlanEnterprise: {Minimum: money("15000"),
					Tiers: tiers("150000", "0.10", "500000", "0.07", "1000000", "0.05", "", "0.03")},
				PlanBusiness: {Minimum: money("100"), PerAccount: true,
					Tiers: tiers("10000", "0.10", "80000", "0.07", "250000", "0.05", "", "0.03")},
			},
		},
		{
			ID:        Book2026,
			Effective: tamledger.MustDate("2026-01-01"),
			Source:    "AWS Support plan restructure announced 2025-12-02, applied from January 2026 usage",
			Plans: map[string]tamledger.Plan{
				PlanEnterprise: {Minimum: money("5000"),
					Tiers: tiers("150000", "0.10", "500000", "0.07", "1000000", "0.05", "", "0.03")},
				PlanBusinessPlus: {Minimum: money("29"), PerAccount: true,
					Tiers: tiers("10000", "0.09", "80000", "0.07", "250000", "0.05", "", "0.03")},
				PlanUnifiedOperations: {Minimum: money("50000"),
					Tiers: tiers("1000000", "0.10", "5000000", "0.06", "", "0.05")},
			},
		},
	}
}

// Books merges imported price books into the shipped ones: an imported book
// with the id of a shipped one replaces it; any other imported book takes over
// from its own effective date. The result is ordered by effective date
// (stable, so that between two books effective on the same day the imported
// one comes last and wins in BookFor).
func Books(imported []tamledger.PriceBook) []tamledger.PriceBook {
	books := Shipped()
	for _, b := range imported {
		if i := slices.IndexFunc(books, func(s tamledger.PriceBook) bool { return s.ID == b.ID }); i >= 0 {
			books = slices.Delete(books, i, i+1)
		}
		books = append(books, b)
	}
	slices.SortStableFunc(books, func(a, b tamledger.PriceBook) int { return a.Effective.Compare(b.Effective) })
	return books
}

// BookFor returns the price book in force for the month of d: the one with
// the latest effective date on or before the first day of that month (on a
// tie, the later one in books). ok is false when no book is that old.
func BookFor(books []tamledger.PriceBook, d tamledger.Date) (book tamledger.PriceBook, ok bool) {
	first := tamledger.NewDate(d.Year, d.Month, 1)
	for _, b := range books {
		if b.Effective.After(first) {
			continue
		}
		if !ok || !b.Effective.Before(book.Effective) {
			book, ok = b, true
		}
	}
	return book, ok
}

// Book returns the book with id, or false.
func Book(books []tamledger.PriceBook, id string) (tamledger.PriceBook, bool) {
	for _, b := range books {
		if b.ID == id {
			return b, true
		}
	}
	return tamledger.PriceBook{}, false
}

// BaselinePlan is the plan the cost of the TAM is measured against in book:
// business-plus, or business in a book that predates business-plus.
func BaselinePlan(book tamledger.PriceBook) (name string, plan tamledger.Plan, err error) {
	for _, name := range []string{PlanBusinessPlus, PlanBusiness} {
		if p, ok := book.Plans[name]; ok {
			return name, p, nil
		}
	}
	return "", tamledger.Plan{}, tamledger.Errorf(tamledger.EINVALID,
		"price book %s has neither a business-plus nor a business plan to measure the cost of the TAM against", book.ID)
}

// EnterprisePlan is the enterprise plan of book.
func EnterprisePlan(book tamledger.PriceBook) (tamledger.Plan, error) {
	p, ok := book.Plans[PlanEnterprise]
	if !ok {
		return tamledger.Plan{}, tamledger.Errorf(tamledger.EINVALID, "price book %s has no enterprise plan", book.ID)
	}
	return p, nil
}

func noBook(d tamledger.Date) error {
	return tamledger.Errorf(tamledger.EINVALID, "no price book is in force for %s (the oldest shipped book takes effect %s; import an older PriceBook)",
		fmt.Sprintf("%04d-%02d", d.Year, d.Month), Shipped()[0].Effective)
}
