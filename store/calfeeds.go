package store

import (
	"context"
	"time"

	"github.com/tamledger/tamledger"
)

// Calendar feeds (migration 0005_calendar_feeds.sql): the secret
// addresses calendar clients subscribe to, one organisation each. As for
// API tokens, the store keeps no secret: callers hand it the SHA-256 of
// the token, and find a feed by the hash of what a client presents. Like
// the accounts' tables, these are no records: they are written here, in
// write transactions of their own.

// CreatedByCLI is the creator, or revoker, of a feed made on the command
// line.
const CreatedByCLI = "cli"

// CalendarFeed is a calendar feed as listed: never its token.
type CalendarFeed struct {
	ID        int64
	Org       string
	Name      string
	CreatedBy string // a user's email, or CreatedByCLI
	CreatedAt time.Time
	RevokedAt time.Time // zero while the feed works
	RevokedBy string    // an email, CreatedByCLI, or "user-removed:EMAIL"
}

// Revoked reports whether the feed was revoked.
func (f CalendarFeed) Revoked() bool { return !f.RevokedAt.IsZero() }

// CreateCalendarFeed stores a feed of org named name, made by createdBy,
// under the hash of its token; an organisation that does not exist is
// ENOTFOUND.
func (s *Store) CreateCalendarFeed(ctx context.Context, org, name, createdBy, hash string) (CalendarFeed, error) {
	f := CalendarFeed{Org: org, Name: name, CreatedBy: createdBy, CreatedAt: time.Now().UTC()}
	err := s.aux(ctx, "create calendar feed", func(c txConn) error {
		if _, found, err := queryOne(ctx, c, "SELECT id FROM organizations WHERE id = $1", org); err != nil {
			return err
		} else if !found {
			return tamledger.Errorf(tamledger.ENOTFOUND, "unknown organization %q (see tamledger portfolio for the ids)", org)
		}
		rs, err := c.rows(ctx, "INSERT INTO calendar_feeds (organization, name, hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			org, name, hash, createdBy, s.d.instant(f.CreatedAt))
		if err != nil {
			return err
		}
		defer rs.close()
		if rs.next() {
			f.ID = rs.integer(0)
		}
		return rs.err()
	})
	return f, err
}

// CalendarFeeds lists the feeds of org, revoked ones included, oldest
// first.
func (s *Store) CalendarFeeds(ctx context.Context, org string) ([]CalendarFeed, error) {
	var out []CalendarFeed
	err := s.auxRead(ctx, "list calendar feeds", func(c conn) error {
		rs, err := c.rows(ctx, "SELECT id, organization, name, created_by, created_at, revoked_at, revoked_by FROM calendar_feeds WHERE organization = $1 ORDER BY id", org)
		if err != nil {
			return err
		}
		defer rs.close()
		for rs.next() {
			f := CalendarFeed{ID: rs.integer(0), Org: rs.text(1), Name: rs.text(2), CreatedBy: rs.text(3), RevokedBy: rs.text(6)}
			f.CreatedAt, _ = rs.instant(4)
			if !rs.null(5) {
				f.RevokedAt, _ = rs.instant(5)
			}
			out = append(out, f)
		}
		return rs.err()
	})
	return out, err
}

// RevokeCalendarFeed revokes feed id of org on behalf of by: it serves
// nothing from then on. A feed that is not org's, or not there, is
// ENOTFOUND; revoking a revoked feed again changes nothing.
func (s *Store) RevokeCalendarFeed(ctx context.Context, org string, id int64, by string) error {
	return s.aux(ctx, "revoke calendar feed", func(c txConn) error {
		if _, found, err := queryOne(ctx, c, "SELECT id FROM calendar_feeds WHERE id = $1 AND organization = $2", id, org); err != nil {
			return err
		} else if !found {
			return tamledger.Errorf(tamledger.ENOTFOUND, "organization %s has no calendar feed %d (see tamledger calendar feed list --org %s)", org, id, org)
		}
		_, err := c.exec(ctx, "UPDATE calendar_feeds SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
			s.d.instant(time.Now()), by, id)
		return err
	})
}

// CalendarFeedOrg returns the organisation of the feed whose token hashes
// to hash: ok is false for an unknown or revoked feed, and for one whose
// organisation is gone.
func (s *Store) CalendarFeedOrg(ctx context.Context, hash string) (org string, ok bool, err error) {
	err = s.auxRead(ctx, "read calendar feed", func(c conn) error {
		org, ok, err = queryOne(ctx, c, "SELECT f.organization FROM calendar_feeds f JOIN organizations o ON o.id = f.organization WHERE f.hash = $1 AND f.revoked_at IS NULL", hash)
		return err
	})
	return org, ok, err
}
