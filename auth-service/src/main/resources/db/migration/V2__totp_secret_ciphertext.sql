-- TOTP secrets are stored sealed (envelope encryption through key-service, see docs/auth.md "TOTP secrets
-- at rest"): binary envelopes of about 150-200 bytes instead of 32 base32 characters. Existing base32
-- values keep their bytes (ASCII) and are sealed by auth-service at start-up (TotpSecretUpgrade);
-- an envelope starts with the byte 0x01, which base32 text never does.
ALTER TABLE users
    MODIFY totp_secret         VARBINARY(1024) NULL,
    MODIFY totp_pending_secret VARBINARY(1024) NULL;
