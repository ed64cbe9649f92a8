package dev.strongroom.secrets;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A named secret in an environment: its metadata, owner, version pointer, expiry and rotation
 * schedule. Its values live in {@link SecretVersion}s; times are UTC.
 */
@Entity
@Table(name = "secret")
@NamedQuery(name = Secret.WITH_GRANTS, query = "select s, g.permissions from Secret s" + Secret.GRANTS_JOIN + "s.id = :id")
public class Secret extends PanacheEntityBase {

    /**
     * The secret with the caller's grant bits, for metadata and grant changes (reveals use
     * {@code repository.AccessQuery}). Named, so it is parsed at start-up rather than on the first request;
     * the caller's principals fill a fixed number of parameters ({@link PrincipalSlots}), so the translated
     * SQL is cached too (a list parameter would be re-translated on every call).
     */
    static final String GRANTS_JOIN = " left join SecretGrant g on g.secretId = s.id and g.principal in ("
            + PrincipalSlots.PARAMETERS + ") where ";
    public static final String WITH_GRANTS = "Secret.withGrants";

    @Id
    @JdbcTypeCode(SqlTypes.BINARY)
    @Column(columnDefinition = "BINARY(16)")
    public UUID id;

    public String environment;
    public String name;
    public String type;
    public String description;
    /** JSON object of tags, as shown to clients. */
    public String tags;
    /** The principal with every permission. */
    public String owner;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public LocalDateTime createdAt;
    @Column(name = "updated_at")
    public LocalDateTime updatedAt;
    @Column(name = "expires_at")
    public LocalDateTime expiresAt;
    @Column(name = "deleted_at")
    public LocalDateTime deletedAt;
    @Column(name = "deleted_by")
    public String deletedBy;
    @Column(name = "current_version")
    public int currentVersion;
    @Column(name = "max_versions")
    public int maxVersions;
    @Column(name = "rotation_interval_days")
    public Integer rotationIntervalDays;
    /** JSON generator spec, see {@code GeneratorSpec}. */
    @Column(name = "rotation_generator")
    public String rotationGenerator;
    @Column(name = "rotation_due_at")
    public LocalDateTime rotationDueAt;
    @Column(name = "rotation_attempt_at")
    public LocalDateTime rotationAttemptAt;
    @Column(name = "rotation_failures")
    public int rotationFailures;
    @Column(name = "last_rotated_at")
    public LocalDateTime lastRotatedAt;

    public boolean deleted() {
        return deletedAt != null;
    }

    public boolean expiredAt(LocalDateTime now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    @Override
    public String toString() {
        return "Secret[" + id + ", " + environment + "/" + name + ", v" + currentVersion + "]";
    }
}
