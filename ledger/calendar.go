package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/ics"
	"github.com/tamledger/tamledger/store"
)

// CalendarRequest imports the meetings of one iCalendar file into one
// organisation's engagements.
type CalendarRequest struct {
	Org    string
	Source Source
	// AsOf is the last date read (nil: today in the organisation's time
	// zone): later meetings have not happened and are not engagements.
	AsOf *tamledger.Date
	// From is the first date read (nil: the calendar's first meeting).
	From     *tamledger.Date
	MaxBytes int64 // as in Options
	DryRun   bool  // work everything out, then roll back
	// Force takes the calendar's values where another source (the CLI,
	// a file import) set a field since, instead of keeping theirs.
	Force bool
}

// CalendarMeeting is one meeting of the file that involves the account
// team, and what the import did with it.
type CalendarMeeting struct {
	ID         string                   `json:"id"`
	Meeting    ics.Meeting              `json:"-"`
	Engagement tamledger.Engagement     `json:"engagement"`
	Rule       tamledger.Classification `json:"-"`
	// Action: created, updated, unchanged (an engagement); removed (a
	// cancelled meeting whose engagement the calendar had imported);
	// cancelled (a cancelled meeting with no engagement to remove).
	Action string `json:"action"`
	// Kept are the fields another source set since, kept as they are
	// (with Force, none).
	Kept []string `json:"kept,omitempty"`
}

// CalendarResult is what ImportCalendar did.
type CalendarResult struct {
	Org      string
	From     *tamledger.Date
	AsOf     tamledger.Date
	Meetings []CalendarMeeting // in date order
	// Skipped counts the meetings without the account team; Later the
	// events after AsOf (a series that goes on counts once), Earlier
	// those before From, Frequent the series that recur more often than
	// daily.
	Skipped, Later, Earlier, Frequent int
	// Pruned are engagements the calendar had imported from a series of
	// this file whose occurrence is no longer in it (moved or deleted):
	// removed.
	Pruned []string
	Counts Counts // engagements created, updated, unchanged
	// Removed counts engagements removed: cancelled meetings and pruned
	// occurrences.
	Removed int
}

// ImportCalendar reads an iCalendar file and writes, as the calendar's
// manager (tamledger.ManagerCalendar, an applier), one engagement per
// meeting with the account team dated up to AsOf, in one transaction
// (docs/calendar.md):
//   - the engagement's id comes from the event's UID and the occurrence,
//     so a re-import updates instead of duplicating;
//   - a meeting cancelled in the file (STATUS:CANCELLED, EXDATE, a
//     cancelled occurrence), or an occurrence of one of the file's series
//     no longer in it, removes the engagement the calendar had imported,
//     keeping a tombstone (a user's own engagement is never removed);
//   - a field another source set since is kept, unless Force.
//
// Bad input is a document.ErrorList naming FILE:LINE:COL, and nothing is
// written; an unknown organisation is ENOTFOUND.
func ImportCalendar(ctx context.Context, st *store.Store, req CalendarRequest) (*CalendarResult, error) {
	tx, err := st.BeginAs(ctx, store.Write{Manager: tamledger.ManagerCalendar, Force: req.Force})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	org, err := Organization(ctx, tx, req.Org)
	if err != nil {
		return nil, err
	}
	loc := org.Location()
	res := &CalendarResult{Org: req.Org, From: req.From, AsOf: tamledger.Today(loc)}
	if req.AsOf != nil {
		res.AsOf = *req.AsOf
	}
	opt := ics.Options{Loc: loc, To: res.AsOf, MaxBytes: req.MaxBytes}
	if req.From != nil {
		if req.From.After(res.AsOf) {
			return nil, tamledger.Errorf(tamledger.EINVALID, "--from %s is after the as-of date %s (want a window that ends on or after it starts)", req.From, res.AsOf)
		}
		opt.From = *req.From
	}
	cal, err := ics.Read(req.Source.Name, req.Source.Reader, opt)
	if err != nil {
		return nil, err
	}
	res.Later, res.Earlier, res.Frequent = cal.Later, cal.Earlier, cal.Frequent

	produced := map[string]bool{}
	var active, cancelled []int
	cls := org.Classifier()
	for _, m := range cal.Meetings {
		if !withTeam(org, m) {
			res.Skipped++
			continue
		}
		cm := calendarMeeting(org, cls, m)
		if produced[cm.ID] {
			continue // the same event again (a file of several calendars): the first is kept
		}
		produced[cm.ID] = true
		res.Meetings = append(res.Meetings, cm)
		if m.Cancelled {
			cancelled = append(cancelled, len(res.Meetings)-1)
		} else {
			active = append(active, len(res.Meetings)-1)
		}
	}
	for from := 0; from < len(active); from += 500 {
		if err := putMeetings(ctx, tx, req.Org, res, active[from:min(from+500, len(active))], req.Force); err != nil {
			return nil, err
		}
	}
	for _, i := range cancelled {
		cm := &res.Meetings[i]
		removed, err := removeImported(ctx, tx, req.Org, cm.ID)
		if err != nil {
			return nil, err
		}
		cm.Action = "cancelled"
		if removed {
			cm.Action = "removed"
			res.Removed++
		}
	}
	if err := prune(ctx, tx, res, cal, opt, produced); err != nil {
		return nil, err
	}
	if req.DryRun {
		return res, tx.Rollback()
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}

// withTeam reports whether the organizer or an attendee is of the account
// team (tamledger.Organization.AWSSide).
func withTeam(org *tamledger.Organization, m ics.Meeting) bool {
	if m.Organizer != nil && org.AWSSide(m.Organizer.Email) {
		return true
	}
	for _, a := range m.Attendees {
		if org.AWSSide(a.Email) {
			return true
		}
	}
	return false
}

// calendarMeeting is the engagement of a meeting.
func calendarMeeting(org *tamledger.Organization, c *tamledger.Classifier, m ics.Meeting) CalendarMeeting {
	cls := c.Classify(m.Summary, m.Description)
	e := tamledger.Engagement{
		Date:        m.Date,
		Service:     cls.Service,
		InitiatedBy: "customer",
		Workloads:   c.NamedWorkloads(m.Summary, m.Description),
		Summary:     oneLine(m.Summary),
		Source:      "ics",
	}
	if m.Organizer != nil && org.AWSSide(m.Organizer.Email) {
		e.InitiatedBy = "tam"
	}
	seen := map[string]bool{}
	add := func(p *ics.Person) {
		s := p.Name
		if s == "" {
			s = p.Email
		}
		s = oneLine(s)
		k := strings.ToLower(p.Email)
		if k == "" {
			k = strings.ToLower(s)
		}
		if s == "" || seen[k] {
			return
		}
		seen[k] = true
		e.Attendees = append(e.Attendees, s)
	}
	if m.Organizer != nil {
		add(m.Organizer)
	}
	for i := range m.Attendees {
		add(&m.Attendees[i])
	}
	return CalendarMeeting{ID: CalendarID(m.UID, m.Instance), Meeting: m, Engagement: e, Rule: cls}
}

// oneLine folds line breaks and tabs into spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// CalendarID is the engagement id of an occurrence: "ics-" and the first
// 50 bits of the SHA-256 of the UID in 10 characters of lower-case base32,
// then "-" and the instance for an occurrence of a series
// ("ics-q3bon7dsse-20260113": 23 characters, which get's table shows
// whole).
func CalendarID(uid, instance string) string {
	id := calendarPrefix(uid)
	if instance != "" {
		id += "-" + strings.ToLower(instance)
	}
	return id
}

func calendarPrefix(uid string) string {
	h := sha256.Sum256([]byte(uid))
	return "ics-" + idEncoding.EncodeToString(h[:7])[:10]
}

// calendarPrefixLen is the length of calendarPrefix's ids.
const calendarPrefixLen = len("ics-") + 10

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// putMeetings writes the engagements of res.Meetings[idx]. A field another
// source set since the calendar last stated it is kept as it is: the
// calendar restates the value it had applied (its view), which leaves the
// field to whoever set it.
func putMeetings(ctx context.Context, tx *store.Tx, org string, res *CalendarResult, idx []int, force bool) error {
	recs := make([]tamledger.Record, len(idx))
	for n, i := range idx {
		e := res.Meetings[i].Engagement
		recs[n] = tamledger.Record{Kind: tamledger.KindEngagement, Org: org, ID: res.Meetings[i].ID, Value: &e}
		recs[n].SetKey()
	}
	changes, err := tx.PutBatch(ctx, recs)
	var ce *store.ConflictError
	if errors.As(err, &ce) && !force {
		again, at, err := restate(ctx, tx, recs, ce)
		if err != nil {
			return err
		}
		for _, n := range at {
			res.Meetings[idx[n]].Kept = again[n]
		}
		retry := make([]tamledger.Record, 0, len(at))
		for _, n := range at {
			retry = append(retry, recs[n])
		}
		ch, err := tx.PutBatch(ctx, retry)
		if errors.As(err, &ce) {
			c := ce.Records[0]
			return fmt.Errorf("calendar import: engagement %q still conflicts after keeping the fields others set: %s", c.ID, ce.Error())
		}
		if err != nil {
			return err
		}
		for k, n := range at {
			changes[n] = ch[k]
		}
	} else if err != nil {
		return err
	}
	for n, i := range idx {
		cm := &res.Meetings[i]
		if v, ok := recs[n].Value.(*tamledger.Engagement); ok {
			cm.Engagement = *v // the merge: with the fields others set
		}
		switch changes[n] {
		case tamledger.Created:
			cm.Action = "created"
			res.Counts.Created++
		case tamledger.Updated:
			cm.Action = "updated"
			res.Counts.Updated++
		default:
			cm.Action = "unchanged"
			res.Counts.Unchanged++
		}
	}
	return nil
}

// restate rewrites the conflicting records of a write so that each field
// another source set since holds the value the calendar had applied to it
// (or the stored value, when the calendar never applied one): the merge
// then leaves the field to its owner. It returns the fields kept per
// record index, and the indexes to write again.
func restate(ctx context.Context, tx *store.Tx, recs []tamledger.Record, ce *store.ConflictError) (map[int][]string, []int, error) {
	kept := map[int][]string{}
	var at []int
	for _, c := range ce.Records {
		r := &recs[c.Index]
		if c.DeletedBy != "" {
			// Deleted by someone else since: it stays deleted.
			kept[c.Index] = []string{"(deleted by " + c.DeletedBy + ")"}
			continue
		}
		if c.Invalid != "" {
			return nil, nil, fmt.Errorf("calendar import: engagement %q: %s", c.ID, c.Invalid)
		}
		_, meta, ok, err := tx.GetMeta(ctx, c.Kind, c.Org, c.ID)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return nil, nil, fmt.Errorf("calendar import: engagement %q conflicts but is not stored", c.ID)
		}
		spec, err := json.Marshal(r.Value)
		if err != nil {
			return nil, nil, err
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(spec, &fields); err != nil {
			return nil, nil, err
		}
		view := meta.Managed.Applied[tamledger.ManagerCalendar]
		for _, f := range c.Fields {
			v, known := view[f.Path]
			if !known {
				v = f.Live
			}
			if len(v) == 0 || string(v) == "null" {
				delete(fields, f.Path)
			} else {
				fields[f.Path] = v
			}
			kept[c.Index] = append(kept[c.Index], f.Path)
		}
		b, err := json.Marshal(fields)
		if err != nil {
			return nil, nil, err
		}
		e := &tamledger.Engagement{}
		if err := json.Unmarshal(b, e); err != nil {
			return nil, nil, fmt.Errorf("calendar import: engagement %q: %w", c.ID, err)
		}
		r.Value = e
		r.SetKey()
		at = append(at, c.Index)
	}
	return kept, at, nil
}

// removeImported removes an engagement the calendar created (it keeps a
// tombstone, as the calendar's); one another source created is left.
func removeImported(ctx context.Context, tx *store.Tx, org, id string) (bool, error) {
	_, meta, ok, err := tx.GetMeta(ctx, tamledger.KindEngagement, org, id)
	if err != nil || !ok {
		return false, err
	}
	if meta.Managed.Owner != tamledger.ManagerCalendar {
		return false, nil
	}
	if err := tx.Delete(ctx, tamledger.KindEngagement, org, id); err != nil {
		return false, err
	}
	return true, nil
}

// prune removes the engagements the calendar imported from this file's
// events, dated in the window, whose occurrence the file no longer has: a
// series moved to other days, an occurrence deleted, a single event that
// became a series.
func prune(ctx context.Context, tx *store.Tx, res *CalendarResult, cal *ics.Result, opt ics.Options, produced map[string]bool) error {
	prefixes := make(map[string]bool, len(cal.UIDs))
	for uid := range cal.UIDs {
		prefixes[calendarPrefix(uid)] = true
	}
	recs, err := tx.List(ctx, tamledger.KindEngagement, res.Org)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if !strings.HasPrefix(r.ID, "ics-") || produced[r.ID] {
			continue
		}
		p := r.ID
		if len(p) > calendarPrefixLen {
			p = p[:calendarPrefixLen]
		}
		if !prefixes[p] {
			continue
		}
		e := r.Value.(*tamledger.Engagement)
		if e.Date.After(opt.To) || (!opt.From.IsZero() && e.Date.Before(opt.From)) {
			continue
		}
		removed, err := removeImported(ctx, tx, res.Org, r.ID)
		if err != nil {
			return err
		}
		if removed {
			res.Pruned = append(res.Pruned, r.ID)
			res.Removed++
		}
	}
	return nil
}

// IsBadCalendar reports whether err is bad input of a calendar import (a
// document.ErrorList).
func IsBadCalendar(err error) bool {
	var el document.ErrorList
	return errors.As(err, &el)
}
