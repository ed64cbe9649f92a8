package dev.strongroom.stack;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The chained audit log as a stack test checks it against what {@link SteadyLoad}'s clients were told. */
final class AuditChainEvents {

    /** Opens a connection to the stack's audit database. */
    interface AuditDatabase {
        Connection connect() throws SQLException;
    }

    private AuditChainEvents() {}

    /**
     * Waits (up to {@code limitMillis}) until the chained log holds an event for every acknowledged action, matched by
     * request id and action; returns "requestId action" -> the ids of the events found (more than one: a duplicate).
     */
    static Map<String, List<String>> await(AuditDatabase audit, List<SteadyLoad.Outcome> acknowledged, long limitMillis)
            throws SQLException, InterruptedException {
        Set<String> wanted = new HashSet<>();
        for (SteadyLoad.Outcome o : acknowledged) {
            wanted.add(o.requestId() + " " + o.kind().auditAction);
        }
        long deadline = System.currentTimeMillis() + limitMillis;
        while (true) {
            Map<String, List<String>> found = new HashMap<>();
            try (Connection c = audit.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT JSON_VALUE(event, '$.data.requestId'), action, JSON_VALUE(event, '$.id')"
                            + " FROM audit_record WHERE JSON_VALUE(event, '$.data.requestId') LIKE 'load-%'")) {
                while (rs.next()) {
                    String key = rs.getString(1) + " " + rs.getString(2);
                    if (wanted.contains(key)) {
                        found.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getString(3));
                    }
                }
            }
            if (found.size() == wanted.size() || System.currentTimeMillis() > deadline) {
                if (found.size() < wanted.size()) {
                    Set<String> missing = new HashSet<>(wanted);
                    missing.removeAll(found.keySet());
                    System.out.println("acknowledged actions without an audit event: " + missing.stream().limit(20).toList());
                }
                return found;
            }
            Thread.sleep(500);
        }
    }
}
