-- The tables of every kind (PostgreSQL). Keep in step with
-- ../sqlite/0001_init.sql: same tables, columns and indexes.
--
-- Each table holds the record's canonical JSON in spec (TEXT, so the bytes
-- are kept exactly), rev (1 when created, +1 on every change) and
-- updated_at, plus typed columns for what is read in bulk. Optional values
-- are NULL when absent. Keys use the "C" collation so that they sort by
-- byte, as in SQLite and Go. Lists are ';'-joined TEXT ('\' escapes ';'
-- and '\'). Foreign keys are checked at commit, so that a transaction may
-- write an organisation's records before the organisation itself.

CREATE TABLE organizations (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    spec       TEXT        NOT NULL,
    rev        BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE price_books (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    effective  DATE,
    spec       TEXT        NOT NULL,
    rev        BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE charters (
    organization TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id           TEXT COLLATE "C" NOT NULL,
    effective    DATE,
    spec         TEXT        NOT NULL,
    rev          BIGINT      NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization, id)
);

CREATE INDEX charters_effective ON charters (organization, effective);

CREATE TABLE engagements (
    organization TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id           TEXT COLLATE "C" NOT NULL,
    date         DATE,
    service      TEXT        NOT NULL,
    initiated_by TEXT        NOT NULL,
    workloads    TEXT,
    attendees    TEXT,
    summary      TEXT,
    source       TEXT,
    spec         TEXT        NOT NULL,
    rev          BIGINT      NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization, id)
);

CREATE INDEX engagements_date ON engagements (organization, date);

CREATE TABLE recommendations (
    organization              TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id                        TEXT COLLATE "C" NOT NULL,
    raised_on                 DATE,
    engagement                TEXT,
    origin                    TEXT        NOT NULL,
    pillar                    TEXT,
    workload                  TEXT,
    title                     TEXT,
    risk                      TEXT,
    estimated_monthly_savings NUMERIC,
    status                    TEXT        NOT NULL,
    status_reason             TEXT,
    implemented_on            DATE,
    realized_monthly_savings  NUMERIC,
    downtime_hours            DOUBLE PRECISION,
    probability               DOUBLE PRECISION,
    architecture_value        NUMERIC,
    contextualized_by_tam     BOOLEAN     NOT NULL,
    spec                      TEXT        NOT NULL,
    rev                       BIGINT      NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization, id)
);

CREATE INDEX recommendations_raised_on ON recommendations (organization, raised_on);

CREATE TABLE cases (
    organization   TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id             TEXT COLLATE "C" NOT NULL,
    severity       TEXT        NOT NULL,
    subject        TEXT,
    opened_at      TIMESTAMPTZ,
    tam_engaged_at TIMESTAMPTZ,
    resolved_at    TIMESTAMPTZ,
    spec           TEXT        NOT NULL,
    rev            BIGINT      NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization, id)
);

CREATE INDEX cases_opened_at ON cases (organization, opened_at);

CREATE TABLE events (
    organization TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id           TEXT COLLATE "C" NOT NULL,
    date         DATE,
    spec         TEXT        NOT NULL,
    rev          BIGINT      NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization, id)
);

CREATE INDEX events_date ON events (organization, date);

CREATE TABLE reassignment_requests (
    organization TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) DEFERRABLE INITIALLY DEFERRED,
    id           TEXT COLLATE "C" NOT NULL,
    requested_on DATE,
    spec         TEXT        NOT NULL,
    rev          BIGINT      NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization, id)
);

CREATE INDEX reassignment_requests_requested_on ON reassignment_requests (organization, requested_on);

-- One row counting committed write transactions (SQLite only bumps it):
-- readers that open several connections compare it to know that they all
-- see the same state.
CREATE TABLE store_generation (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    n  BIGINT  NOT NULL
);

INSERT INTO store_generation (id, n) VALUES (1, 0);
