package tamledger_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/tamledger/tamledger"
)

func TestValidIDMatchesThePattern(t *testing.T) {
	pattern := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,127}$`)
	cases := []string{"", "a", "0", "acme-2026", "e-2026-01-20", "a.b_c-d", "-a", ".a", "_a", "A", "aB", "a b",
		"é", "a/b", strings.Repeat("a", 128), strings.Repeat("a", 129), "a\x00", "111122223333"}
	for _, c := range cases {
		if got, want := tamledger.ValidID(c), pattern.MatchString(c); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", c, got, want)
		}
	}
}

func TestDates(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{{"2026-02-28", true}, {"2028-02-29", true}, {"2026-02-29", false}, {"2026-13-01", false}, {"2026-1-01", false}, {"20260101", false}, {"2026-04-31", false}} {
		_, err := tamledger.ParseDate(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
	d := tamledger.MustDate("2028-02-29")
	if got := d.AddYears(-1).String(); got != "2027-02-28" {
		t.Errorf("2028-02-29 minus a year = %s, want 2027-02-28", got)
	}
	if got := d.AddYears(4).String(); got != "2032-02-29" {
		t.Errorf("2028-02-29 plus four years = %s, want 2032-02-29", got)
	}
	if got := tamledger.MustDate("2027-03-01").AddYears(1).String(); got != "2028-03-01" {
		t.Errorf("2027-03-01 plus a year = %s", got)
	}
	if got := tamledger.MustDate("2026-01-01").DaysUntil(tamledger.MustDate("2027-01-01")); got != 365 {
		t.Errorf("days in 2026 = %d", got)
	}
	if got := tamledger.MustDate("2028-02-10").DaysInMonth(); got != 29 {
		t.Errorf("days in February 2028 = %d", got)
	}
}

func TestOrganizationValidate(t *testing.T) {
	m := func(s string) *tamledger.Money { v := tamledger.MustMoney(s); return &v }
	o := &tamledger.Organization{Timezone: "Mars/Olympus", MonthlySpend: m("100"),
		Accounts: []tamledger.Account{{ID: "1", MonthlySpend: m("60")}, {ID: "2", MonthlySpend: m("50")}}}
	err := o.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"timezone", "unknown time zone", "disagrees with the sum"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	o = &tamledger.Organization{MonthlySpend: m("110"), Accounts: []tamledger.Account{{ID: "1", MonthlySpend: m("60")}, {ID: "2", MonthlySpend: m("50")}}}
	if err := o.Validate(); err != nil {
		t.Errorf("agreeing spend: %v", err)
	}
	if got := (&tamledger.Organization{Accounts: o.Accounts}).Spend().String(); got != "110" {
		t.Errorf("spend from accounts = %s", got)
	}
}
