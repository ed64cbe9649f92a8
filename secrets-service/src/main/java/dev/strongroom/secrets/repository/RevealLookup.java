package dev.strongroom.secrets.repository;

import dev.strongroom.common.audit.UuidV7;
import dev.strongroom.secrets.PrincipalSlots;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretVersion;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The access query of a reveal on the reactive pool, without a Hibernate session: the hot path of
 * {@code GET …/value}. The same rows as {@link SecretRepository#findForAccess}, but only the columns a
 * reveal reads, into detached, <b>partly filled</b> entities: secret id, environment, name, owner,
 * current version, expiry and deletion; version number, ciphertext, creation and destruction. (Each
 * execution sends the column definitions again: 32 columns were 2.5 KB per reveal.) The principals
 * are bound one parameter each (SQL per count, each prepared once per connection): padding to twelve
 * slots cost MariaDB about 40 µs per query in range planning.
 */
@ApplicationScoped
public class RevealLookup {

    private static final String COLUMNS = "SELECT s.id, s.environment, s.name, s.owner, s.current_version, s.expires_at,"
            + " s.deleted_at, v.version, v.ciphertext, v.created_at, v.destroyed_at, g.permissions"
            + " FROM secret s LEFT JOIN secret_version v ON v.secret_id = s.id AND v.version = ";
    private static final int PERMISSIONS = 11;

    /** [by name?][version given?][principals - 1] */
    private static final String[][][] SQL = new String[2][2][PrincipalSlots.SLOTS];

    static {
        for (int byName = 0; byName < 2; byName++) {
            for (int versioned = 0; versioned < 2; versioned++) {
                for (int count = 1; count <= PrincipalSlots.SLOTS; count++) {
                    SQL[byName][versioned][count - 1] = COLUMNS + (versioned == 1 ? "?" : "s.current_version")
                            + " LEFT JOIN secret_grant g ON g.secret_id = s.id AND g.principal IN ("
                            + String.join(", ", Collections.nCopies(count, "?")) + ")"
                            + (byName == 1 ? " WHERE s.environment = ? AND s.name = ?" : " WHERE s.id = ?");
                }
            }
        }
    }

    @Inject
    Pool pool;

    /** Whether this path can take the caller: at most {@link PrincipalSlots#SLOTS} principals. */
    public static boolean takes(List<String> principals) {
        return !principals.isEmpty() && principals.size() <= PrincipalSlots.SLOTS;
    }

    /** The secret by id, the version (null: current) and the principals' grants; null when absent. */
    public Uni<Found> byId(UUID id, Integer version, List<String> principals) {
        Tuple parameters = Tuple.tuple();
        if (version != null) {
            parameters.addInteger(version);
        }
        principals.forEach(parameters::addString);
        parameters.addValue(Buffer.buffer(UuidV7.toBytes(id))); // BINARY(16): a byte[] would bind as something else
        return query(SQL[0][version == null ? 0 : 1][principals.size() - 1], parameters);
    }

    /** The same, addressed by environment and name. */
    public Uni<Found> byName(String environment, String name, Integer version, List<String> principals) {
        Tuple parameters = Tuple.tuple();
        if (version != null) {
            parameters.addInteger(version);
        }
        principals.forEach(parameters::addString);
        parameters.addString(environment).addString(name);
        return query(SQL[1][version == null ? 0 : 1][principals.size() - 1], parameters);
    }

    private Uni<Found> query(String sql, Tuple parameters) {
        return pool.preparedQuery(sql).execute(parameters).map(RevealLookup::found);
    }

    /** One row per matching grant (or one without): OR the bits. */
    private static Found found(RowSet<Row> rows) {
        Found found = null;
        for (Row row : rows) {
            int bits = row.getInteger(PERMISSIONS) == null ? 0 : row.getInteger(PERMISSIONS);
            if (found == null) {
                Secret secret = secret(row);
                found = new Found(secret, version(row, secret.id), bits);
            } else {
                found = new Found(found.secret(), found.version(), found.grantedBits() | bits);
            }
        }
        return found;
    }

    private static Secret secret(Row row) {
        Secret s = new Secret();
        s.id = UuidV7.fromBytes(row.getBuffer(0).getBytes());
        s.environment = row.getString(1);
        s.name = row.getString(2);
        s.owner = row.getString(3);
        s.currentVersion = row.getInteger(4);
        s.expiresAt = row.getLocalDateTime(5);
        s.deletedAt = row.getLocalDateTime(6);
        return s;
    }

    private static SecretVersion version(Row row, UUID secretId) {
        if (row.getInteger(7) == null) {
            return null;
        }
        SecretVersion v = new SecretVersion();
        v.secretId = secretId;
        v.version = row.getInteger(7);
        v.ciphertext = row.getBuffer(8) == null ? null : row.getBuffer(8).getBytes();
        v.createdAt = row.getLocalDateTime(9);
        v.destroyedAt = row.getLocalDateTime(10);
        return v;
    }
}
