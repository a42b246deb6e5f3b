-- Calendar feeds (docs/calendar.md, docs/web.md): the secret addresses
-- /calendar/TOKEN.ics that calendar clients subscribe to, one organisation
-- each. Keep in step with ../postgres/0005_calendar_feeds.sql.
--
-- The token is never stored: hash is the hex SHA-256 of the random value
-- handed out once, and a feed is looked up by it. created_by is the email
-- of the user who made it in the web app or the API, or "cli". A revoked
-- feed keeps its row (revoked_at, revoked_by: an email, "cli", or
-- "user-removed:EMAIL") and serves nothing. Deleting the organisation
-- deletes its feeds. Instants are TEXT RFC 3339 in UTC with nine fraction
-- digits, as in 0001_init.sql.

CREATE TABLE calendar_feeds (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    organization TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    hash         TEXT    NOT NULL UNIQUE,
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT,
    revoked_by   TEXT
);

CREATE INDEX calendar_feeds_organization ON calendar_feeds (organization, id);
CREATE INDEX calendar_feeds_created_by ON calendar_feeds (created_by);
