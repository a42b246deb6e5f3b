package roi

import (
	"fmt"

	"github.com/tamledger/tamledger"
)

// QuarterRow is the value and cost of the TAM in one calendar quarter of a
// period, clipped to the period.
type QuarterRow struct {
	Quarter     string          `json:"quarter"` // 2026-Q1
	From        tamledger.Date  `json:"from"`
	To          tamledger.Date  `json:"to"`
	Value       Value           `json:"value"`
	Cost        Cost            `json:"cost"`
	ROIMultiple *float64        `json:"roiMultiple"`
	NetValue    tamledger.Money `json:"netValue"`
}

// ByQuarter computes a report for each calendar quarter overlapping
// [from, to], clipped to it. Accrual and pro-rating are linear in days, so
// the quarters' exact amounts add up to the whole period's; their rounded
// amounts may differ from the whole period's by a cent per quarter.
func ByQuarter(l *tamledger.Ledger, books []tamledger.PriceBook, from, to tamledger.Date, opt Options) ([]QuarterRow, error) {
	if to.Before(from) {
		return nil, tamledger.Errorf(tamledger.EINVALID, "the period ends %s before it starts %s", to, from)
	}
	var rows []QuarterRow
	q := tamledger.NewDate(from.Year, from.Month-(from.Month-1)%3, 1)
	for ; !q.After(to); q = tamledger.NewDate(q.Year, q.Month+3, 1) {
		start, end := q, tamledger.NewDate(q.Year, q.Month+3, 0)
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		r, err := Compute(l, books, start, end, opt)
		if err != nil {
			return nil, err
		}
		rows = append(rows, QuarterRow{
			Quarter: fmt.Sprintf("%04d-Q%d", q.Year, (int(q.Month)-1)/3+1),
			From:    start, To: end,
			Value: r.Value, Cost: r.Cost, ROIMultiple: r.ROIMultiple, NetValue: r.NetValue,
		})
	}
	return rows, nil
}
