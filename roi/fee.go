package roi

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tamledger/tamledger"
)

// TierLine is one step of a fee's arithmetic: the part of one account's spend
// that falls in one tier and what it is charged, or (Minimum) the top-up that
// raises the account's fee to the plan's minimum. The charges of a fee's
// lines add up to the fee exactly.
type TierLine struct {
	Account int              `json:"account"`        // index into the spends passed to Fee; always 0 for a plan that is not per account
	From    tamledger.Money  `json:"from"`           // the tier's lower bound
	UpTo    *tamledger.Money `json:"upTo,omitempty"` // the tier's upper bound; nil for the last tier
	Rate    tamledger.Rate   `json:"rate"`
	Spend   tamledger.Money  `json:"spend"` // the part of the spend inside the tier
	Charge  tamledger.Money  `json:"charge"`
	Minimum bool             `json:"minimum,omitempty"` // a top-up to the plan's minimum, not a tier
}

// Fee is a plan's monthly fee on the given monthly spends (docs/roi.md):
// max(minimum, Σ marginal tier rate × spend in the tier).
//
// A plan that is not per account is charged on the sum of spends. A plan
// marked PerAccount is charged on each spend separately and the fees are
// summed; the minimum applies to each account's fee (each account is charged
// as if it were alone, as AWS bills per-account plans), so ten accounts of
// 1,000 on business-plus cost 10 × max(29, 90) = 900 while one account of
// 10,000 costs 900 too, but ten idle accounts cost 10 × 29 = 290.
//
// With no spends at all the plan is charged once, on a spend of 0 (that is,
// its minimum). Negative spends are treated as 0.
func Fee(plan tamledger.Plan, spends []tamledger.Money) (tamledger.Money, []TierLine) {
	var charged []decimal.Decimal
	if plan.PerAccount {
		for _, s := range spends {
			charged = append(charged, s.Decimal)
		}
	} else {
		var sum decimal.Decimal
		for _, s := range spends {
			sum = sum.Add(s.Decimal)
		}
		charged = append(charged, sum)
	}
	if len(charged) == 0 {
		charged = append(charged, decimal.Zero)
	}
	var total decimal.Decimal
	var lines []TierLine
	for i, spend := range charged {
		if spend.IsNegative() {
			spend = decimal.Zero
		}
		var fee, lower decimal.Decimal
		for _, t := range plan.Tiers {
			if !spend.GreaterThan(lower) {
				break
			}
			part := spend.Sub(lower)
			if t.UpTo != nil && spend.GreaterThan(t.UpTo.Decimal) {
				part = t.UpTo.Sub(lower)
			}
			charge := part.Mul(t.Rate.Decimal)
			fee = fee.Add(charge)
			lines = append(lines, TierLine{Account: i, From: tamledger.Money{Decimal: lower}, UpTo: t.UpTo, Rate: t.Rate,
				Spend: tamledger.Money{Decimal: part}, Charge: tamledger.Money{Decimal: charge}})
			if t.UpTo == nil {
				break
			}
			lower = t.UpTo.Decimal
		}
		if fee.LessThan(plan.Minimum.Decimal) {
			lines = append(lines, TierLine{Account: i, Rate: tamledger.Money{}, Minimum: true,
				Charge: tamledger.Money{Decimal: plan.Minimum.Sub(fee)}})
			fee = plan.Minimum.Decimal
		}
		total = total.Add(fee)
	}
	return tamledger.Money{Decimal: total}, lines
}

// FeeSpends are the spends a plan is charged on for org: for a per-account
// plan, the monthlySpend of each account that has one, or (with none) one
// account holding the organisation's spend; for any other plan, the
// organisation's spend (monthlySpend, or the sum of its accounts).
func FeeSpends(org *tamledger.Organization, plan tamledger.Plan) []tamledger.Money {
	if plan.PerAccount {
		var s []tamledger.Money
		for _, a := range org.Accounts {
			if a.MonthlySpend != nil {
				s = append(s, *a.MonthlySpend)
			}
		}
		if len(s) > 0 {
			return s
		}
	}
	return []tamledger.Money{org.Spend()}
}

// ExplainFee writes a fee's arithmetic for people, one line per step:
//
//	enterprise (minimum 5000) on a spend of 420000:
//	  150000 × 0.1 (0 to 150000) = 15000
//	  270000 × 0.07 (150000 to 500000) = 18900
//	  fee = 33900
//
// A per-account plan on several accounts gets one block per account.
func ExplainFee(name string, plan tamledger.Plan, spends []tamledger.Money) []string {
	fee, lines := Fee(plan, spends)
	charged := spends
	if !plan.PerAccount || len(spends) == 0 {
		var sum decimal.Decimal
		for _, s := range spends {
			sum = sum.Add(s.Decimal)
		}
		charged = []tamledger.Money{{Decimal: sum}}
	}
	per := ""
	if plan.PerAccount {
		per = ", per account"
	}
	many := len(charged) > 1
	var out []string
	if many {
		out = append(out, fmt.Sprintf("%s (minimum %s%s) on %d accounts:", name, plan.Minimum.String(), per, len(charged)))
	} else {
		out = append(out, fmt.Sprintf("%s (minimum %s%s) on a spend of %s:", name, plan.Minimum.String(), per, charged[0].String()))
	}
	for i, s := range charged {
		indent := "  "
		if many {
			out = append(out, fmt.Sprintf("  account %d, spend %s:", i+1, s.String()))
			indent = "    "
		}
		var sum decimal.Decimal
		for _, l := range lines {
			if l.Account != i {
				continue
			}
			sum = sum.Add(l.Charge.Decimal)
			if l.Minimum {
				out = append(out, fmt.Sprintf("%s+ %s to reach the minimum %s", indent, l.Charge.String(), plan.Minimum.String()))
				continue
			}
			to := "and above"
			if l.UpTo != nil {
				to = "to " + l.UpTo.String()
			}
			out = append(out, fmt.Sprintf("%s%s × %s (%s %s) = %s", indent, l.Spend.String(), l.Rate.String(), l.From.String(), to, l.Charge.String()))
		}
		if many {
			out = append(out, fmt.Sprintf("%s= %s", indent, sum.String()))
		}
	}
	out = append(out, fmt.Sprintf("  fee = %s", fee.String()))
	return out
}

// FeeText is ExplainFee joined by newlines.
func FeeText(name string, plan tamledger.Plan, spends []tamledger.Money) string {
	return strings.Join(ExplainFee(name, plan, spends), "\n")
}
