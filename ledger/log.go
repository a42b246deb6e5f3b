package ledger

import (
	"context"
	"fmt"
	"strings"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/store"
)

// LogRequest is one engagement to record by hand.
type LogRequest struct {
	Org        string
	ID         string // "" picks e-DATE-SERVICE, then -2, -3, ...
	Engagement tamledger.Engagement
	NoDate     bool  // the date is today in the organisation's time zone
	Replace    bool  // an existing ID is replaced
	Again      bool  // the same engagement may be recorded twice
	Rev        int64 // with Replace: the rev the caller read (0: any)
	// Manager is who records it ("" = tamledger.ManagerCLI); the web app
	// names its user (tamledger.WebManager).
	Manager string
}

// Logged is what Log did.
type Logged struct {
	ID     string
	Change tamledger.Change
	Value  *tamledger.Engagement
}

// Log records one engagement as the CLI's manager (an editor: the fields it
// sets become the CLI's). It refuses, with EINVALID naming what is there:
//   - an ID that exists, unless Replace;
//   - the same engagement as a recorded one (same date, service, initiator
//     and summary), unless Again: a command run twice by mistake.
//
// Field problems are a tamledger.ProblemsError with paths of the
// Engagement's fields ("workloads[0]"); an unknown organisation is
// ENOTFOUND.
func Log(ctx context.Context, st *store.Store, req LogRequest) (Logged, error) {
	tx, err := st.BeginAs(ctx, store.Write{Manager: editor(req.Manager), Edit: true})
	if err != nil {
		return Logged{}, err
	}
	defer tx.Rollback()
	o, err := Organization(ctx, tx, req.Org)
	if err != nil {
		return Logged{}, err
	}
	e := req.Engagement
	if req.NoDate {
		e.Date = tamledger.Today(o.Location())
	}
	var p tamledger.Problems
	if err := e.Validate(); err != nil {
		p.List = append(p.List, err.(tamledger.ProblemsError)...)
	}
	for i, w := range e.Workloads {
		if o.Workload(w) == nil {
			p.Add(fmt.Sprintf("workloads[%d]", i), "unknown workload %q (want one of: %s)", w, o.WorkloadIDs())
		}
	}
	if req.ID != "" && !tamledger.ValidID(req.ID) {
		p.Add("id", "bad id %q (%s)", req.ID, tamledger.IDHint)
	}
	if err := p.Err(); err != nil {
		return Logged{}, err
	}

	id := req.ID
	exists := false
	if id != "" {
		old, ok, err := tx.Get(ctx, tamledger.KindEngagement, req.Org, id)
		if err != nil {
			return Logged{}, err
		}
		if ok && !req.Replace {
			return Logged{}, tamledger.Errorf(tamledger.EINVALID, "engagement %q of organization %q already exists (%s); give another id, or replace it with --replace",
				id, req.Org, describe(old.Value.(*tamledger.Engagement)))
		}
		exists = ok
	}
	if !req.Again && !exists {
		dup, err := sameEngagement(ctx, tx, req.Org, &e)
		if err != nil {
			return Logged{}, err
		}
		if dup != "" {
			return Logged{}, tamledger.Errorf(tamledger.EINVALID, "the same engagement is already recorded as %q (%s); to record another one like it, add --again",
				dup, describe(&e))
		}
	}
	if id == "" {
		if id, err = freeID(ctx, tx, req.Org, "e-"+e.Date.String()+"-"+e.Service); err != nil {
			return Logged{}, err
		}
	}
	rec := tamledger.Record{Kind: tamledger.KindEngagement, Org: req.Org, ID: id, Value: &e}
	rec.SetKey()
	var ch tamledger.Change
	if req.Replace && req.Rev > 0 {
		ch, err = tx.PutIfRev(ctx, rec, req.Rev)
	} else {
		ch, err = tx.Put(ctx, rec)
	}
	if err != nil {
		return Logged{}, err
	}
	if err := tx.Commit(); err != nil {
		return Logged{}, err
	}
	return Logged{ID: id, Change: ch, Value: &e}, nil
}

func describe(e *tamledger.Engagement) string {
	s := fmt.Sprintf("%s on %s, initiated by %s", e.Service, e.Date, e.InitiatedBy)
	if e.Summary != "" {
		s += fmt.Sprintf(": %q", e.Summary)
	}
	return s
}

// sameEngagement returns the id of a recorded engagement with e's date,
// service, initiator and summary, or "".
func sameEngagement(ctx context.Context, tx *store.Tx, org string, e *tamledger.Engagement) (string, error) {
	recs, err := tx.List(ctx, tamledger.KindEngagement, org)
	if err != nil {
		return "", err
	}
	for _, r := range recs {
		x := r.Value.(*tamledger.Engagement)
		if x.Date == e.Date && x.Service == e.Service && x.InitiatedBy == e.InitiatedBy &&
			strings.TrimSpace(x.Summary) == strings.TrimSpace(e.Summary) {
			return r.ID, nil
		}
	}
	return "", nil
}

// freeID is base, or base-2, base-3 ...: the first id that is neither
// stored nor deleted (a deleted id stays taken, so that a re-import of the
// file it came from does not meet a new record under its name).
func freeID(ctx context.Context, tx *store.Tx, org, base string) (string, error) {
	for n := 1; ; n++ {
		id := base
		if n > 1 {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		_, taken, err := tx.Get(ctx, tamledger.KindEngagement, org, id)
		if err != nil {
			return "", err
		}
		if !taken {
			if taken, err = tx.Deleted(ctx, tamledger.KindEngagement, org, id); err != nil {
				return "", err
			}
		}
		if !taken {
			return id, nil
		}
	}
}

// editor is the manager of an edit: m, else the CLI's.
func editor(m string) string {
	if m == "" {
		return tamledger.ManagerCLI
	}
	return m
}

// Organization reads an organisation inside tx; an unknown id is ENOTFOUND.
func Organization(ctx context.Context, tx *store.Tx, id string) (*tamledger.Organization, error) {
	rec, ok, err := tx.Get(ctx, tamledger.KindOrganization, "", id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, tamledger.Errorf(tamledger.ENOTFOUND, "unknown organization %q (see tamledger get organizations for the ids)", id)
	}
	return rec.Value.(*tamledger.Organization), nil
}
