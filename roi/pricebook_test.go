package roi_test

import (
	"testing"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/roi"
)

func TestShippedBooksValidate(t *testing.T) {
	for _, b := range roi.Shipped() {
		if err := b.Validate(); err != nil {
			t.Errorf("%s: %v", b.ID, err)
		}
		if b.Source == "" {
			t.Errorf("%s: no source", b.ID)
		}
	}
}

func TestShippedIsACopy(t *testing.T) {
	a := roi.Shipped()
	delete(a[0].Plans, "enterprise")
	if _, ok := roi.Shipped()[0].Plans["enterprise"]; !ok {
		t.Fatal("changing one Shipped() result changed the next")
	}
}

func TestBookFor(t *testing.T) {
	later := tamledger.PriceBook{ID: "acme-2026-06", Effective: tamledger.MustDate("2026-06-15"),
		Plans: map[string]tamledger.Plan{"enterprise": {Minimum: mon("1")}}}
	books := roi.Books([]tamledger.PriceBook{later})
	tests := []struct {
		date, want string
	}{
		{"2025-12-31", roi.BookLegacy},
		{"2026-01-01", roi.Book2026},
		{"2026-01-31", roi.Book2026},
		// a book effective mid-month takes over from the next month: the
		// book for a month is the one in force on its first day
		{"2026-06-20", roi.Book2026},
		{"2026-07-01", "acme-2026-06"},
		{"2000-01-01", roi.BookLegacy},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			b, ok := roi.BookFor(books, tamledger.MustDate(tt.date))
			if !ok || b.ID != tt.want {
				t.Errorf("BookFor(%s) = %q, %v; want %q", tt.date, b.ID, ok, tt.want)
			}
		})
	}
	if _, ok := roi.BookFor(books, tamledger.MustDate("1999-12-31")); ok {
		t.Error("a book was found for 1999")
	}
}

func TestBooksOverride(t *testing.T) {
	over := tamledger.PriceBook{ID: roi.Book2026, Effective: tamledger.MustDate("2026-01-01"),
		Plans: map[string]tamledger.Plan{"enterprise": {Minimum: mon("7")}}}
	books := roi.Books([]tamledger.PriceBook{over})
	if len(books) != 2 {
		t.Fatalf("got %d books, want 2 (the import replaces the shipped book of the same id)", len(books))
	}
	b, _ := roi.BookFor(books, tamledger.MustDate("2026-03-01"))
	wantMoney(t, "minimum", b.Plans["enterprise"].Minimum, "7")

	// same effective date, another id: the imported book wins the tie
	tie := tamledger.PriceBook{ID: "mine", Effective: tamledger.MustDate("2026-01-01"),
		Plans: map[string]tamledger.Plan{"enterprise": {Minimum: mon("8")}}}
	b, _ = roi.BookFor(roi.Books([]tamledger.PriceBook{tie}), tamledger.MustDate("2026-03-01"))
	if b.ID != "mine" {
		t.Errorf("tie went to %s, want the imported book", b.ID)
	}
}

func TestBaselinePlan(t *testing.T) {
	for _, tt := range []struct{ book, want string }{{roi.Book2026, "business-plus"}, {roi.BookLegacy, "business"}} {
		b, _ := roi.Book(roi.Shipped(), tt.book)
		name, _, err := roi.BaselinePlan(b)
		if err != nil || name != tt.want {
			t.Errorf("%s: baseline %q, %v; want %q", tt.book, name, err, tt.want)
		}
	}
	_, _, err := roi.BaselinePlan(tamledger.PriceBook{ID: "x", Plans: map[string]tamledger.Plan{"enterprise": {}}})
	if tamledger.ErrorCode(err) != tamledger.EINVALID {
		t.Errorf("a book without a baseline: %v, want an invalid error", err)
	}
}
