package dev.strongroom.auth;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/** The roles people hold, and the comma-separated form roles are stored in. */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String USER = "user";
    public static final String AUDITOR = "auditor";
    /** The roles a person may hold; service accounts and workloads may also hold service roles such as {@code kms}. */
    public static final Set<String> PERSON_ROLES = Set.of(ADMIN, USER, AUDITOR);
    /** Shape of any role name. */
    public static final String PATTERN = "[a-z][a-z0-9_-]{0,31}";

    private Roles() {}

    public static Set<String> parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(stored.split(",")));
    }

    public static String format(Collection<String> roles) {
        return String.join(",", new TreeSet<>(roles));
    }
}
