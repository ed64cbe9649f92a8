-- Test-only table: the state change the test resource audits.
CREATE TABLE note (
    id   BIGINT       NOT NULL AUTO_INCREMENT,
    text VARCHAR(200) NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;
