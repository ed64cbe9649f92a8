package dev.strongroom.secrets.repository;

import dev.strongroom.common.id.UuidV7;
import dev.strongroom.secrets.PrincipalSlots;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretVersion;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The access query of every reveal (by id, by name, batches), on the reactive pool without a Hibernate session:
 * one definition for the fast path of {@code GET …/value} and for the path that decides and audits refusals.
 * Secret, version and the OR of the caller's grant bits in one round trip (one row per matching grant), only
 * the columns a reveal reads, into detached, <b>partly filled</b> entities: secret id, environment, name, owner,
 * current version, expiry and deletion; version number, ciphertext, creation and destruction. (Each
 * execution sends the column definitions again: 32 columns were 2.5 KB per reveal.) The principals
 * are bound one parameter each (SQL per count, each prepared once per connection): padding to twelve
 * slots cost MariaDB about 40 µs per query in range planning. A caller with more than
 * {@link PrincipalSlots#SLOTS} principals is looked up in several rounds, their bits OR-ed.
 */
@ApplicationScoped
public class AccessQuery {

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
                            + grantsJoin(count)
                            + (byName == 1 ? " WHERE s.environment = ? AND s.name = ?" : " WHERE s.id = ?");
                }
            }
        }
    }

    @Inject
    Pool pool;

    /** The secret by id, the version (null: current) and the principals' grants; null when absent. */
    public Uni<Found> byId(UUID id, Integer version, List<String> principals) {
        return inRounds(principals, group -> {
            Tuple parameters = Tuple.tuple();
            if (version != null) {
                parameters.addInteger(version);
            }
            group.forEach(parameters::addString);
            parameters.addValue(Buffer.buffer(UuidV7.toBytes(id))); // BINARY(16): a byte[] would bind as something else
            return query(SQL[0][version == null ? 0 : 1][group.size() - 1], parameters);
        });
    }

    /** The same, addressed by environment and name. */
    public Uni<Found> byName(String environment, String name, Integer version, List<String> principals) {
        return inRounds(principals, group -> {
            Tuple parameters = Tuple.tuple();
            if (version != null) {
                parameters.addInteger(version);
            }
            group.forEach(parameters::addString);
            parameters.addString(environment).addString(name);
            return query(SQL[1][version == null ? 0 : 1][group.size() - 1], parameters);
        });
    }

    /** Current versions of several secrets of one environment, keyed by name; absent names are missing. */
    public Uni<Map<String, Found>> byNames(String environment, Collection<String> names, List<String> principals) {
        return Multi.createFrom().iterable(PrincipalSlots.groups(principals))
                .onItem().transformToUniAndConcatenate(group -> {
                    Tuple parameters = Tuple.tuple();
                    group.forEach(parameters::addString);
                    parameters.addString(environment);
                    names.forEach(parameters::addString);
                    String sql = COLUMNS + "s.current_version" + grantsJoin(group.size())
                            + " WHERE s.environment = ? AND s.name IN (" + String.join(", ", Collections.nCopies(names.size(), "?")) + ")";
                    return pool.preparedQuery(sql).execute(parameters);
                })
                .collect().in(LinkedHashMap<String, Found>::new, (byName, rows) -> {
                    for (Row row : rows) {
                        Secret secret = secret(row);
                        Found previous = byName.get(secret.name);
                        int bits = bits(row);
                        byName.put(secret.name, previous == null ? new Found(secret, version(row, secret.id), bits) : previous.or(bits));
                    }
                });
    }

    /** One query per group of at most {@link PrincipalSlots#SLOTS} principals (one for nearly every caller), bits OR-ed. */
    private static Uni<Found> inRounds(List<String> principals, Function<List<String>, Uni<Found>> round) {
        if (principals.size() <= PrincipalSlots.SLOTS) {
            return round.apply(principals);
        }
        return Multi.createFrom().iterable(PrincipalSlots.groups(principals))
                .onItem().transformToUniAndConcatenate(group -> round.apply(group))
                .collect().in(() -> new Found[1], (result, found) -> {
                    if (found != null) {
                        result[0] = result[0] == null ? found : result[0].or(found.grantedBits());
                    }
                })
                .map(result -> result[0]);
    }

    private static String grantsJoin(int principals) {
        return " LEFT JOIN secret_grant g ON g.secret_id = s.id AND g.principal IN ("
                + String.join(", ", Collections.nCopies(principals, "?")) + ")";
    }

    private Uni<Found> query(String sql, Tuple parameters) {
        return pool.preparedQuery(sql).execute(parameters).map(AccessQuery::found);
    }

    private static int bits(Row row) {
        Integer permissions = row.getInteger(PERMISSIONS);
        return permissions == null ? 0 : permissions;
    }

    /** One row per matching grant (or one without): OR the bits. */
    private static Found found(RowSet<Row> rows) {
        Found found = null;
        for (Row row : rows) {
            if (found == null) {
                Secret secret = secret(row);
                found = new Found(secret, version(row, secret.id), bits(row));
            } else {
                found = found.or(bits(row));
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
