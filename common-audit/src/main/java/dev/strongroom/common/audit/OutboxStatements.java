package dev.strongroom.common.audit;

import dev.strongroom.common.id.UuidV7;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Records events in the outbox over JDBC, for code that works on a JDBC connection rather than a
 * Hibernate Reactive session (audit-service's own alerts). Joins the connection's transaction.
 */
public final class OutboxStatements {

    private OutboxStatements() {}

    public static void insert(Connection connection, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_outbox"
                + " (id, record_key, event, created_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, 0, ?)")) {
            for (AuditEvent event : events) {
                LocalDateTime at = LocalDateTime.ofInstant(event.time(), ZoneOffset.UTC);
                insert.setBytes(1, UuidV7.toBytes(UUID.fromString(event.id())));
                String key = event.key();
                insert.setString(2, key.length() <= 255 ? key : key.substring(0, 255));
                insert.setString(3, AuditJson.write(event));
                insert.setObject(4, at);
                insert.setObject(5, at);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
