package dev.strongroom.audit.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Combines the forwarder's live state with what the database says is pending and parked. */
@ApplicationScoped
public class ForwardingStatusService {

    static final String PENDING = "SELECT COALESCE(SUM(r.head - COALESCE(h.sequence, 0)), 0) AS pending,"
            + " (SELECT COUNT(*) FROM hec_dead_letter) AS dead"
            + " FROM (SELECT chain_partition, MAX(sequence) AS head FROM audit_record GROUP BY chain_partition) r"
            + " LEFT JOIN hec_position h ON h.chain_partition = r.chain_partition";

    @Inject
    HecForwarder forwarder;

    @Inject
    Pool pool;

    public Uni<ForwardingStatus> status() {
        HecForwarder.Status live = forwarder.status();
        return pool.query(PENDING).execute()
                .map(rows -> rows.iterator().next())
                .map(row -> new ForwardingStatus(live, row.getNumeric("pending").longValue(), row.getLong("dead")));
    }
}
