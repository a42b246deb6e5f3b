package ledger

import (
	"context"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// EngagedRequest records when the TAM joined a case: what AWS's Support
// API does not say, and what escalation responsiveness reads.
type EngagedRequest struct {
	Org, ID string
	At      *time.Time // nil clears it
	Rev     int64      // the rev the caller read (0: any)
	Manager string     // who records it ("" = tamledger.ManagerCLI)
}

// EngagedSet is what SetTAMEngaged did.
type EngagedSet struct {
	Change tamledger.Change
	Value  *tamledger.Case
}

// SetTAMEngaged sets (or clears) a case's tamEngagedAt as an editor: the
// field becomes the Manager's, so a later import or sync from AWS, which
// does not state it, keeps it. An instant before the case was opened is
// EINVALID; an unknown organisation or case is ENOTFOUND; a stale Rev is
// ECONFLICT.
func SetTAMEngaged(ctx context.Context, st *store.Store, req EngagedRequest) (EngagedSet, error) {
	tx, err := st.BeginAs(ctx, store.Write{Manager: editor(req.Manager), Edit: true})
	if err != nil {
		return EngagedSet{}, err
	}
	defer tx.Rollback()
	if _, err := Organization(ctx, tx, req.Org); err != nil {
		return EngagedSet{}, err
	}
	rec, ok, err := tx.Get(ctx, tamledger.KindCase, req.Org, req.ID)
	if err != nil {
		return EngagedSet{}, err
	}
	if !ok {
		return EngagedSet{}, tamledger.Errorf(tamledger.ENOTFOUND, "unknown case %q of organization %q (see tamledger get cases --org %s)", req.ID, req.Org, req.Org)
	}
	c := rec.Value.(*tamledger.Case)
	if req.At != nil {
		at := req.At.UTC()
		if at.Before(c.OpenedAt) {
			return EngagedSet{}, tamledger.Errorf(tamledger.EINVALID, "the TAM engaged at %s, before case %s was opened at %s (want an instant on or after it)",
				at.Format(time.RFC3339Nano), req.ID, c.OpenedAt.Format(time.RFC3339Nano))
		}
		c.TAMEngagedAt = &at
	} else {
		c.TAMEngagedAt = nil
	}
	rec.SetKey()
	var out EngagedSet
	if req.Rev > 0 {
		out.Change, err = tx.PutIfRev(ctx, rec, req.Rev)
	} else {
		out.Change, err = tx.Put(ctx, rec)
	}
	if err != nil {
		return EngagedSet{}, err
	}
	if err := tx.Commit(); err != nil {
		return EngagedSet{}, err
	}
	out.Value = c
	return out, nil
}
