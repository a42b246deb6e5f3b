-- API tokens may expire (docs/web.md, "Accounts and roles"). Keep in step
-- with ../sqlite/0006_token_expiry.sql.
--
-- expires_at is the instant a token stops working: a token is refused once
-- expires_at <= now. NULL, as every token made before this migration has,
-- is a token that never expires. Instants are TIMESTAMPTZ, as in
-- 0001_init.sql.

ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
