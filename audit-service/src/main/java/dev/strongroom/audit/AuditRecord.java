package dev.strongroom.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/**
 * A stored audit event, link of its partition's hash chain. Written only by the log consumer
 * (JDBC, append-only); this mapping serves queries.
 */
@Entity
@Table(name = "audit_record")
public class AuditRecord extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "chain_partition")
    public int chainPartition;

    public long sequence;

    @Column(name = "event_id")
    public byte[] eventId;

    /** UTC. */
    @Column(name = "event_time")
    public LocalDateTime eventTime;

    public String action;

    public String actor;

    @Column(name = "resource_id")
    public String resourceId;

    public String outcome;

    /** The CloudEvent, canonical JSON. */
    public String event;

    @Column(name = "prev_hash")
    public byte[] prevHash;

    public byte[] hash;
}
