package ledger

import (
	"context"
	"fmt"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// Revs a PutRequest may give besides a stored rev.
const (
	Create    int64 = 0  // the record must not exist yet
	AnyExists int64 = -1 // the record must exist, whatever its rev
)

// PutRequest is one record an editor writes whole: the web app's API
// creating or replacing a record of an organisation.
type PutRequest struct {
	Record tamledger.Record // Kind, Org, ID and Value; SetKey is applied
	// Rev is what the caller read: Create, AnyExists, or the stored rev
	// the record must still have.
	Rev     int64
	Manager string // who writes ("" = tamledger.ManagerCLI)
}

// Written is what Put did.
type Written struct {
	Change tamledger.Change
	Rev    int64 // the record's version after the write
}

// Put writes one record of an organisation as an editor (its fields become
// the Manager's). It checks what an import checks: the record is valid
// (the document reader's Validate), its organisation exists, the
// workloads and engagement it names exist in that organisation, a charter
// version takes effect on a date of its own. It refuses, with ECONFLICT
// naming the versions, a create of a record that exists and a replace of
// one whose rev changed; a replace of a record that does not exist is
// ENOTFOUND. Field problems are a tamledger.ProblemsError with paths of the
// record's fields.
func Put(ctx context.Context, st *store.Store, req PutRequest) (Written, error) {
	rec := req.Record
	info, ok := tamledger.KindOf(rec.Value)
	if !ok || info.Name != rec.Kind || !info.Scoped || info.Name == tamledger.KindOrganization {
		return Written{}, tamledger.Errorf(tamledger.EINVALID, "cannot write a %s here (want a record of an organisation: charter, engagement, recommendation, case, event or reassignment request)", rec.Kind)
	}
	if !tamledger.ValidID(rec.ID) {
		return Written{}, tamledger.Errorf(tamledger.EINVALID, "bad id %q (%s)", rec.ID, tamledger.IDHint)
	}
	rec.SetKey()
	if v, ok := rec.Value.(tamledger.Validator); ok {
		if err := v.Validate(); err != nil {
			return Written{}, err
		}
	}
	tx, err := st.BeginAs(ctx, store.Write{Manager: editor(req.Manager), Edit: true})
	if err != nil {
		return Written{}, err
	}
	defer tx.Rollback()
	o, err := Organization(ctx, tx, rec.Org)
	if err != nil {
		return Written{}, err
	}
	if err := references(ctx, tx, o, rec); err != nil {
		return Written{}, err
	}
	what := fmt.Sprintf("%s %q of organization %q", info.Noun, rec.ID, rec.Org)
	var ch tamledger.Change
	switch req.Rev {
	case Create:
		_, rev, found, err := tx.GetRev(ctx, rec.Kind, rec.Org, rec.ID)
		if err != nil {
			return Written{}, err
		}
		if found {
			return Written{}, tamledger.Errorf(tamledger.ECONFLICT, "%s already exists (rev %d): replace it, or give another id", what, rev)
		}
		ch, err = tx.Put(ctx, rec)
		if err != nil {
			return Written{}, err
		}
	case AnyExists:
		if _, found, err := tx.Get(ctx, rec.Kind, rec.Org, rec.ID); err != nil {
			return Written{}, err
		} else if !found {
			return Written{}, tamledger.Errorf(tamledger.ENOTFOUND, "no %s", what)
		}
		if ch, err = tx.Put(ctx, rec); err != nil {
			return Written{}, err
		}
	default:
		if ch, err = tx.PutIfRev(ctx, rec, req.Rev); err != nil {
			return Written{}, err
		}
	}
	_, rev, _, err := tx.GetRev(ctx, rec.Kind, rec.Org, rec.ID)
	if err != nil {
		return Written{}, err
	}
	if err := tx.Commit(); err != nil {
		return Written{}, err
	}
	return Written{Change: ch, Rev: rev}, nil
}

// references checks what rec names in its organisation o, as an import
// does: workloads, the engagement of a recommendation, and a charter's
// effective date (one version per date).
func references(ctx context.Context, tx *store.Tx, o *tamledger.Organization, rec tamledger.Record) error {
	var p tamledger.Problems
	workload := func(path, w string) {
		if o.Workload(w) == nil {
			p.Add(path, "unknown workload %q of organization %q (want one of: %s)", w, o.ID, o.WorkloadIDs())
		}
	}
	switch v := rec.Value.(type) {
	case *tamledger.Engagement:
		for i, w := range v.Workloads {
			workload(fmt.Sprintf("workloads[%d]", i), w)
		}
	case *tamledger.Recommendation:
		if v.Workload != "" {
			workload("workload", v.Workload)
		}
		if v.Engagement != "" {
			if _, ok, err := tx.Get(ctx, tamledger.KindEngagement, rec.Org, v.Engagement); err != nil {
				return err
			} else if !ok {
				p.Add("engagement", "unknown engagement %q of organization %q", v.Engagement, rec.Org)
			}
		}
	case *tamledger.Charter:
		others, err := tx.List(ctx, tamledger.KindCharter, rec.Org)
		if err != nil {
			return err
		}
		for _, r := range others {
			if c := r.Value.(*tamledger.Charter); r.ID != rec.ID && c.Effective == v.Effective {
				p.Add("effective", "charter %q takes effect on %s like the stored charter %q (each version needs its own effective date)", rec.ID, v.Effective, r.ID)
			}
		}
	}
	return p.Err()
}
