package ledger

import (
	"context"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// StatusRequest changes a recommendation's status.
type StatusRequest struct {
	Org, ID  string
	Status   string
	On       *tamledger.Date  // implemented on (implemented only; default: as recorded, else today)
	Realized *tamledger.Money // realized monthly saving (implemented only)
	Reason   string           // why; required for rejected and deferred
	Rev      int64            // the rev the caller read (0: any)
	Manager  string           // who changes it ("" = tamledger.ManagerCLI)
}

// StatusSet is what SetStatus did.
type StatusSet struct {
	Change  tamledger.Change
	Value   *tamledger.Recommendation
	Cleared []string // fields that leaving implemented cleared, with their old values
}

// SetStatus records a recommendation's status as the CLI's manager (an
// editor: the fields it changes become the CLI's, so a re-import of the
// file the recommendation came from keeps them). The transitions:
//   - implemented: implementedOn is On, else the date already recorded,
//     else today in the organisation's time zone, and not before raisedOn;
//     Realized sets realizedMonthlySavings (0 is a measurement);
//   - rejected and deferred need a Reason;
//   - leaving implemented clears implementedOn and realizedMonthlySavings;
//   - a change of status without a Reason clears the old one.
//
// Bad requests are EINVALID; an unknown organisation or recommendation is
// ENOTFOUND; a stale Rev is ECONFLICT.
func SetStatus(ctx context.Context, st *store.Store, req StatusRequest) (StatusSet, error) {
	if !tamledger.Statuses.Has(req.Status) {
		return StatusSet{}, tamledger.Errorf(tamledger.EINVALID, "unknown status %q (want one of: %s)", req.Status, tamledger.Statuses.String())
	}
	implemented := req.Status == "implemented"
	switch {
	case (req.Status == "rejected" || req.Status == "deferred") && req.Reason == "":
		return StatusSet{}, tamledger.Errorf(tamledger.EINVALID, "a reason is required with status %s (say why, for the record)", req.Status)
	case req.On != nil && !implemented:
		return StatusSet{}, tamledger.Errorf(tamledger.EINVALID, "the implementation date applies to status implemented only, not %s", req.Status)
	case req.Realized != nil && !implemented:
		return StatusSet{}, tamledger.Errorf(tamledger.EINVALID, "the realized saving applies to status implemented only, not %s", req.Status)
	case req.Realized != nil && req.Realized.IsNegative():
		return StatusSet{}, tamledger.Errorf(tamledger.EINVALID, "the realized saving %s is negative (want 0 or more)", req.Realized)
	}
	tx, err := st.BeginAs(ctx, store.Write{Manager: editor(req.Manager), Edit: true})
	if err != nil {
		return StatusSet{}, err
	}
	defer tx.Rollback()
	o, err := Organization(ctx, tx, req.Org)
	if err != nil {
		return StatusSet{}, err
	}
	rec, ok, err := tx.Get(ctx, tamledger.KindRecommendation, req.Org, req.ID)
	if err != nil {
		return StatusSet{}, err
	}
	if !ok {
		return StatusSet{}, tamledger.Errorf(tamledger.ENOTFOUND, "unknown recommendation %q of organization %q (see tamledger get recommendations --org %s)", req.ID, req.Org, req.Org)
	}
	r := rec.Value.(*tamledger.Recommendation)
	var out StatusSet
	if implemented {
		switch {
		case req.On != nil:
			r.ImplementedOn = req.On
		case r.ImplementedOn == nil || r.ImplementedOn.IsZero():
			today := tamledger.Today(o.Location())
			r.ImplementedOn = &today
		}
		if r.ImplementedOn.Before(r.RaisedOn) {
			return StatusSet{}, tamledger.Errorf(tamledger.EINVALID, "implemented on %s is before the recommendation was raised on %s", r.ImplementedOn, r.RaisedOn)
		}
		if req.Realized != nil {
			r.RealizedMonthlySavings = req.Realized
		}
	} else {
		if r.ImplementedOn != nil {
			out.Cleared = append(out.Cleared, "implementedOn "+r.ImplementedOn.String())
			r.ImplementedOn = nil
		}
		if r.RealizedMonthlySavings != nil {
			out.Cleared = append(out.Cleared, "realizedMonthlySavings "+r.RealizedMonthlySavings.String())
			r.RealizedMonthlySavings = nil
		}
	}
	if req.Reason != "" || req.Status != r.Status {
		r.StatusReason = req.Reason
	}
	r.Status = req.Status
	if err := r.Validate(); err != nil {
		return StatusSet{}, tamledger.Errorf(tamledger.EINVALID, "recommendation %s: %v", req.ID, err)
	}
	rec.SetKey()
	if req.Rev > 0 {
		out.Change, err = tx.PutIfRev(ctx, rec, req.Rev)
	} else {
		out.Change, err = tx.Put(ctx, rec)
	}
	if err != nil {
		return StatusSet{}, err
	}
	if err := tx.Commit(); err != nil {
		return StatusSet{}, err
	}
	out.Value = r
	return out, nil
}

// Delete deletes one record as the CLI's manager: it keeps a tombstone, so
// that a re-import of the file the record came from leaves it deleted
// (docs/documents.md). rev is the rev the caller read (0: any). An unknown
// record is ENOTFOUND naming it; a stale rev is ECONFLICT; an organisation
// that still has records is EINVALID.
func Delete(ctx context.Context, st *store.Store, kind, org, id string, rev int64) error {
	return DeleteAs(ctx, st, tamledger.ManagerCLI, kind, org, id, rev)
}

// DeleteAs is Delete by another editor (the web app's user).
func DeleteAs(ctx context.Context, st *store.Store, manager, kind, org, id string, rev int64) error {
	tx, err := st.BeginAs(ctx, store.Write{Manager: editor(manager), Edit: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if org != "" {
		if _, err := Organization(ctx, tx, org); err != nil {
			return err
		}
	}
	if rev <= 0 {
		rev = -1
	}
	if err := tx.DeleteIfRev(ctx, kind, org, id, rev); err != nil {
		return err
	}
	return tx.Commit()
}
