-- API tokens may expire (docs/web.md, "Accounts and roles"). Keep in step
-- with ../postgres/0006_token_expiry.sql.
--
-- expires_at is the instant a token stops working: a token is refused once
-- expires_at <= now. NULL, as every token made before this migration has,
-- is a token that never expires. Instants are TEXT RFC 3339 in UTC with
-- nine fraction digits, as in 0001_init.sql.

ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
