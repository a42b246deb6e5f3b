-- The web app's accounts (docs/web.md). Keep in step with
-- ../sqlite/0003_users.sql.
--
-- Secrets are never stored: a password as its argon2id hash (PHC string),
-- a session id, an API token and a one-time sign-in link as the hex
-- SHA-256 of the random value handed out. Instants are TIMESTAMPTZ,
-- as in 0001_init.sql.

CREATE TABLE users (
    email         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    role          TEXT NOT NULL,
    password_hash TEXT,
    created_at    TIMESTAMPTZ NOT NULL
);

-- The organisations an editor or a viewer may see. No foreign key to
-- organizations: a grant may be given before the organisation is imported,
-- and deleting an organisation does not need its grants gone first.
CREATE TABLE user_organizations (
    email        TEXT NOT NULL REFERENCES users (email) ON DELETE CASCADE,
    organization TEXT NOT NULL,
    PRIMARY KEY (email, organization)
);

CREATE TABLE sessions (
    id_hash    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    email      TEXT NOT NULL REFERENCES users (email) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_email ON sessions (email);

CREATE TABLE api_tokens (
    email      TEXT NOT NULL REFERENCES users (email) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (email, name)
);

-- One-time sign-in links (tamledger demo): used once, then deleted.
CREATE TABLE signin_links (
    hash       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    email      TEXT NOT NULL REFERENCES users (email) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL
);
