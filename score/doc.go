// Package score holds the pure rules of tamledger: the charter scorecard
// (docs/scorecard.md), the next actions and the portfolio summary. It
// does no I/O: every function takes a *tamledger.Ledger and a date and
// returns values that marshal to the documented JSON. The CLI, the web pages
// and the API all call it, so each rule has one implementation.
//
// All dates are calendar dates in the organisation's time zone; instants
// (case timestamps) are converted with Organization.Location. docs/scorecard.md
// describes every rule and every choice made where the specification is
// silent.
package score
