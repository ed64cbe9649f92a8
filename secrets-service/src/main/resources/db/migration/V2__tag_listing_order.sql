-- Tags carry their secret's (immutable) environment and name, so an admin's tag filter reads
-- ix_secret_tag_value in listing order instead of sorting every secret with the tag.
ALTER TABLE secret_tag
    ADD COLUMN environment VARCHAR(64)  NULL,
    ADD COLUMN name        VARCHAR(255) NULL;

UPDATE secret_tag t JOIN secret s ON s.id = t.secret_id
SET t.environment = s.environment, t.name = s.name;

ALTER TABLE secret_tag
    MODIFY environment VARCHAR(64)  NOT NULL,
    MODIFY name        VARCHAR(255) NOT NULL,
    DROP INDEX ix_secret_tag_value,
    ADD INDEX ix_secret_tag_value (tag_key, tag_value, environment, name);
