package dev.strongroom.secrets.repository;

import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of the secrets a caller may see, in (environment, name) order from a keyset cursor. Each
 * access path is its own index range read in that order and stopped at the page size: the admin path
 * (every secret, {@code ux_secret_environment_name}), the owner path ({@code ix_secret_owner}) and one
 * path per grant principal ({@code ix_secret_grant_principal}). Their union is sorted and cut once more.
 * The cost follows the page size and the caller's own secrets, not the table size; there is no OFFSET.
 */
@ApplicationScoped
public class SecretListing {

    /** What to list. Null fields do not filter. */
    public record Filter(String environment, String namePrefix, String type, Map<String, String> tags, boolean deleted) {}

    /** Where the previous page stopped. */
    public record After(String environment, String name) {}

    /** Who lists: the owner principal, grant principals, and whether the admin role lets it see every secret. */
    public record Viewer(String owner, List<String> grantPrincipals, boolean admin) {}

    public Uni<List<Secret>> page(Viewer viewer, Filter filter, After after, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("limit", limit);
        List<String> paths = new ArrayList<>();
        if (viewer.admin()) {
            paths.add(secretPath(null, filter, after, params));
        } else {
            params.put("owner", viewer.owner());
            paths.add(secretPath("s.owner = :owner", filter, after, params));
            // ADMIN lets a grantee see metadata (and deleted secrets, to restore them); READ only live ones.
            int bits = filter.deleted() ? Permission.ADMIN.bit() : Permission.READ.bit() | Permission.ADMIN.bit();
            params.put("bits", bits);
            for (int i = 0; i < viewer.grantPrincipals().size(); i++) {
                params.put("p" + i, viewer.grantPrincipals().get(i));
                paths.add(grantPath("p" + i, filter, after, params));
            }
        }
        String sql = "SELECT s.* FROM (" + String.join(" UNION ", paths) + ") u JOIN secret s ON s.id = u.id"
                + " ORDER BY s.environment, s.name LIMIT :limit";
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(sql, Secret.class);
                    params.forEach(query::setParameter);
                    return query.getResultList();
                });
    }

    private static String secretPath(String access, Filter filter, After after, Map<String, Object> params) {
        List<String> where = new ArrayList<>();
        if (access != null) {
            where.add(access);
        }
        filters("s.environment", "s.name", filter, after, params, where);
        return "(SELECT s.id, s.environment, s.name FROM secret s WHERE " + String.join(" AND ", where)
                + " ORDER BY s.environment, s.name LIMIT :limit)";
    }

    private static String grantPath(String principalParam, Filter filter, After after, Map<String, Object> params) {
        List<String> where = new ArrayList<>();
        where.add("g.principal = :" + principalParam);
        where.add("(g.permissions & :bits) <> 0");
        filters("g.environment", "g.name", filter, after, params, where);
        return "(SELECT s.id, s.environment, s.name FROM secret_grant g JOIN secret s ON s.id = g.secret_id WHERE "
                + String.join(" AND ", where) + " ORDER BY g.environment, g.name LIMIT :limit)";
    }

    /** Conditions on the driving index's (environment, name) columns, then on the secret row. */
    private static void filters(String environment, String name, Filter filter, After after, Map<String, Object> params,
            List<String> where) {
        if (filter.environment() != null) {
            params.put("environment", filter.environment());
            where.add(environment + " = :environment");
        }
        if (filter.namePrefix() != null) {
            params.put("prefix", escapeLike(filter.namePrefix()) + "%");
            where.add(name + " LIKE :prefix ESCAPE '!'");
        }
        if (after != null) {
            params.put("afterEnvironment", after.environment());
            params.put("afterName", after.name());
            where.add("(" + environment + " > :afterEnvironment OR (" + environment + " = :afterEnvironment AND "
                    + name + " > :afterName))");
        }
        where.add(filter.deleted() ? "s.deleted_at IS NOT NULL" : "s.deleted_at IS NULL");
        if (filter.type() != null) {
            params.put("type", filter.type());
            where.add("s.type = :type");
        }
        int i = 0;
        for (Map.Entry<String, String> tag : filter.tags().entrySet()) {
            params.put("tagKey" + i, tag.getKey());
            params.put("tagValue" + i, tag.getValue());
            where.add("EXISTS (SELECT 1 FROM secret_tag t WHERE t.secret_id = s.id AND t.tag_key = :tagKey" + i
                    + " AND t.tag_value = :tagValue" + i + ")");
            i++;
        }
    }

    /** Names hold only [a-zA-Z0-9._/-], but escape LIKE's wildcards and the escape character anyway. */
    static String escapeLike(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
