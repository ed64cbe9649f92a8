-- Test-only: tables that rely on the database default, the pattern that broke against
-- servers whose default collation is not utf8mb4_bin (a parent with explicit collation,
-- a child inheriting the default, joined by a foreign key).
CREATE TABLE probe_parent (
    id CHAR(36) NOT NULL PRIMARY KEY
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE probe_child (
    id        CHAR(36) NOT NULL PRIMARY KEY,
    parent_id CHAR(36) NOT NULL,
    CONSTRAINT fk_probe_child_parent FOREIGN KEY (parent_id) REFERENCES probe_parent (id)
) ENGINE = InnoDB;
