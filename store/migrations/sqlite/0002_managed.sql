-- Field ownership (docs/documents.md, "Who changed what"). Keep in step
-- with ../postgres/0002_managed.sql.
--
-- managed is the record's tamledger.Managed as JSON: which source (import,
-- cli, ...) last set each field, and the values an importing source had
-- applied to the fields others took from it. NULL when the import owns
-- every field: most records, and those stored before ownership was
-- recorded.

ALTER TABLE organizations ADD COLUMN managed TEXT;
ALTER TABLE price_books ADD COLUMN managed TEXT;
ALTER TABLE charters ADD COLUMN managed TEXT;
ALTER TABLE engagements ADD COLUMN managed TEXT;
ALTER TABLE recommendations ADD COLUMN managed TEXT;
ALTER TABLE cases ADD COLUMN managed TEXT;
ALTER TABLE events ADD COLUMN managed TEXT;
ALTER TABLE reassignment_requests ADD COLUMN managed TEXT;

-- A deleted record, kept so that a re-import of the file it came from does
-- not bring it back: its last spec and ownership (the deleter owns every
-- field; the sources that had set fields keep their view of them).
-- organization is '' for the kinds that belong to none.
CREATE TABLE deleted_records (
    kind         TEXT    NOT NULL,
    organization TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    spec         TEXT    NOT NULL,
    managed      TEXT    NOT NULL,
    deleted_at   TEXT    NOT NULL,
    PRIMARY KEY (kind, organization, id)
) WITHOUT ROWID;
