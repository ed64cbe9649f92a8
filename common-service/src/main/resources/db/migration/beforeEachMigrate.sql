-- Flyway callback, run before each migration of every service (shipped by common-service),
-- on the migration's own connection. Each service's database defaults to utf8mb4 with binary
-- collation, whoever created it (the JDBC driver's createDatabaseIfNotExist uses the server's
-- default), so tables and foreign keys are alike everywhere and names compare byte for byte.
-- It must run on the migrating session: MariaDB sessions keep the default collation they saw
-- when they selected the database, so an ALTER from another connection comes too late.
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
