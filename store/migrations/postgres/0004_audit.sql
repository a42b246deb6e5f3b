-- The audit trail (docs/web.md): one row per write that changed a record —
-- created, updated or deleted — with who made it (the manager: import,
-- cli, web:EMAIL, ...), when, the record's rev after it (for a deletion, the
-- rev deleted) and the fields it changed (';'-joined paths into the spec;
-- NULL for a creation or a deletion: every field). Keep in step with
-- ../sqlite/0004_audit.sql. organization is '' for the kinds that belong to
-- none.

CREATE TABLE audit_log (
    seq          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT COLLATE "C" NOT NULL,
    organization TEXT COLLATE "C" NOT NULL,
    id           TEXT COLLATE "C" NOT NULL,
    rev          INTEGER NOT NULL,
    action       TEXT    NOT NULL,
    manager      TEXT    NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    fields       TEXT
);

CREATE INDEX audit_log_record ON audit_log (kind, organization, id, seq);
