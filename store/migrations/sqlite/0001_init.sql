-- The tables of every kind (SQLite). Keep in step with
-- ../postgres/0001_init.sql: same tables, columns and indexes.
--
-- Each table holds the record's canonical JSON in spec, rev (1 when
-- created, +1 on every change) and updated_at, plus typed columns for what
-- is read in bulk. Optional values are NULL when absent. Dates are TEXT
-- YYYY-MM-DD, instants TEXT RFC 3339 in UTC with nine fraction digits,
-- money exact decimal TEXT, lists ';'-joined TEXT ('\' escapes ';' and '\').
-- Tables are WITHOUT ROWID so that a row lives in its primary-key order.
-- Foreign keys are checked at commit, so that a transaction may write an
-- organisation's records before the organisation itself.

CREATE TABLE organizations (
    id         TEXT    NOT NULL PRIMARY KEY,
    spec       TEXT    NOT NULL,
    rev        INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE price_books (
    id         TEXT    NOT NULL PRIMARY KEY,
    effective  TEXT,
    spec       TEXT    NOT NULL,
    rev        INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE charters (
    organization TEXT    NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id           TEXT    NOT NULL,
    effective    TEXT,
    spec         TEXT    NOT NULL,
    rev          INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (organization, id)
) WITHOUT ROWID;

CREATE INDEX charters_effective ON charters (organization, effective);

CREATE TABLE engagements (
    organization TEXT    NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id           TEXT    NOT NULL,
    date         TEXT,
    service      TEXT    NOT NULL,
    initiated_by TEXT    NOT NULL,
    workloads    TEXT,
    attendees    TEXT,
    summary      TEXT,
    source       TEXT,
    spec         TEXT    NOT NULL,
    rev          INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (organization, id)
) WITHOUT ROWID;

CREATE INDEX engagements_date ON engagements (organization, date);

CREATE TABLE recommendations (
    organization              TEXT    NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id                        TEXT    NOT NULL,
    raised_on                 TEXT,
    engagement                TEXT,
    origin                    TEXT    NOT NULL,
    pillar                    TEXT,
    workload                  TEXT,
    title                     TEXT,
    risk                      TEXT,
    estimated_monthly_savings TEXT,
    status                    TEXT    NOT NULL,
    status_reason             TEXT,
    implemented_on            TEXT,
    realized_monthly_savings  TEXT,
    downtime_hours            REAL,
    probability               REAL,
    architecture_value        TEXT,
    contextualized_by_tam     INTEGER NOT NULL,
    spec                      TEXT    NOT NULL,
    rev                       INTEGER NOT NULL,
    updated_at                TEXT    NOT NULL,
    PRIMARY KEY (organization, id)
) WITHOUT ROWID;

CREATE INDEX recommendations_raised_on ON recommendations (organization, raised_on);

CREATE TABLE cases (
    organization   TEXT    NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id             TEXT    NOT NULL,
    severity       TEXT    NOT NULL,
    subject        TEXT,
    opened_at      TEXT,
    tam_engaged_at TEXT,
    resolved_at    TEXT,
    spec           TEXT    NOT NULL,
    rev            INTEGER NOT NULL,
    updated_at     TEXT    NOT NULL,
    PRIMARY KEY (organization, id)
) WITHOUT ROWID;

CREATE INDEX cases_opened_at ON cases (organization, opened_at);

CREATE TABLE events (
    organization TEXT    NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id           TEXT    NOT NULL,
    date         TEXT,
    spec         TEXT    NOT NULL,
    rev          INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (organization, id)
) WITHOUT ROWID;

CREATE INDEX events_date ON events (organization, date);

CREATE TABLE reassignment_requests (
    organization TEXT    NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id           TEXT    NOT NULL,
    requested_on TEXT,
    spec         TEXT    NOT NULL,
    rev          INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (organization, id)
) WITHOUT ROWID;

CREATE INDEX reassignment_requests_requested_on ON reassignment_requests (organization, requested_on);

-- One row counting committed write transactions (SQLite only bumps it):
-- readers that open several connections compare it to know that they all
-- see the same state.
CREATE TABLE store_generation (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    n  BIGINT  NOT NULL
);

INSERT INTO store_generation (id, n) VALUES (1, 0);
