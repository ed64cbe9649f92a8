package dev.strongroom.audit.service;

import dev.strongroom.audit.rest.ForwardingStatusResponse;
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

    public Uni<ForwardingStatusResponse> status() {
        HecForwarder.Status live = forwarder.status();
        return pool.query(PENDING).execute()
                .map(rows -> rows.iterator().next())
                .map(row -> new ForwardingStatusResponse(live.enabled(), live.url(), live.ackEnabled(), live.state(),
                        live.lastSuccessAt(), live.lastAttemptAt(), live.lastError(),
                        row.getNumeric("pending").longValue(), live.forwarded(), live.failures(), row.getLong("dead")));
    }
}
