-- Flyway callback, run before every migration of every service (shipped by common-service).
-- Each service's database defaults to utf8mb4 with binary collation, whoever created it
-- (the JDBC driver's createDatabaseIfNotExist uses the server's default collation), so
-- tables and foreign keys are alike everywhere and names compare byte for byte.
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
