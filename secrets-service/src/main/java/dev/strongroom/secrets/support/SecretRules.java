package dev.strongroom.secrets.support;

import dev.strongroom.common.problem.Problem;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.secrets.GeneratorSpec;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.config.SecretsConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The validation rules of secrets (names, environments, types, tags, grants); each breach is a field error. */
public final class SecretRules {

    public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._/-]{1,255}");
    public static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    public static final Pattern TAG_KEY = Pattern.compile("[a-zA-Z0-9._/-]{1,64}");
    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG_VALUE = 256;
    public static final int MAX_DESCRIPTION = 1024;
    public static final int MAX_INTERVAL_DAYS = 3650;
    public static final Set<String> TYPES = Set.of("generic", "password", "api-key", "token", "certificate",
            "private-key", "ssh-key", "database-credentials", "connection-string");
    public static final String DEFAULT_TYPE = "generic";

    static final Pattern USER = Pattern.compile("user:[a-zA-Z0-9._@-]{1,128}");
    static final Pattern ROLE = Pattern.compile("role:[a-zA-Z0-9._-]{1,64}");
    static final Pattern SERVICE = Pattern.compile("service:[a-zA-Z0-9._-]{1,128}");
    static final Pattern WORKLOAD = Pattern.compile(
            "workload:[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** Collects field errors and throws them together as one 422. */
    public static final class Errors {
        private final List<Problem.FieldError> errors = new ArrayList<>();

        public Errors add(String field, String message) {
            errors.add(new Problem.FieldError(field, message));
            return this;
        }

        public boolean isEmpty() {
            return errors.isEmpty();
        }

        public void throwIfAny() {
            if (!errors.isEmpty()) {
                throw new Problems.ValidationFailed(errors);
            }
        }
    }

    private SecretRules() {}

    public static void name(String name, Errors errors) {
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add("name", "must be 1-255 characters of [a-zA-Z0-9._/-]");
        }
    }

    public static void environment(String environment, SecretsConfig config, Errors errors) {
        if (environment == null || !config.environments().contains(environment)) {
            errors.add("environment", "must be one of " + String.join(", ", config.environments()));
        }
    }

    public static String type(String type, Errors errors) {
        if (type == null) {
            return DEFAULT_TYPE;
        }
        if (!TYPES.contains(type)) {
            errors.add("type", "must be one of " + String.join(", ", TYPES.stream().sorted().toList()));
        }
        return type;
    }

    public static void description(String description, Errors errors) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            errors.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
    }

    /** Tags in key order; null stands for none. */
    public static Map<String, String> tags(Map<String, String> tags, Errors errors) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            errors.add("tags", "at most " + MAX_TAGS + " tags");
        }
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!TAG_KEY.matcher(tag.getKey()).matches()) {
                errors.add("tags", "tag keys are 1-64 characters of [a-zA-Z0-9._/-]");
            } else if (tag.getValue() == null || tag.getValue().length() > MAX_TAG_VALUE || CONTROL.matcher(tag.getValue()).find()) {
                errors.add("tags[" + tag.getKey() + "]", "must be a string of at most " + MAX_TAG_VALUE + " characters without control characters");
            } else {
                sorted.put(tag.getKey(), tag.getValue());
            }
        }
        return sorted;
    }

    public static void expiresAt(Instant expiresAt, Instant now, Errors errors) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            errors.add("expiresAt", "must be in the future");
        }
    }

    public static void intervalDays(Integer days, Errors errors) {
        if (days == null || days < 1 || days > MAX_INTERVAL_DAYS) {
            errors.add("rotation.intervalDays", "must be between 1 and " + MAX_INTERVAL_DAYS);
        }
    }

    public static GeneratorSpec generator(GeneratorSpec spec, SecretsConfig config) {
        return Generators.validate(spec, "rotation.generator", config.rotation().webhookAllowedHosts().orElse(List.of()));
    }

    public static int maxVersions(Integer maxVersions, SecretsConfig config, Errors errors) {
        if (maxVersions == null) {
            return config.defaultMaxVersions();
        }
        if (maxVersions < 1 || maxVersions > config.maxVersionsLimit()) {
            errors.add("maxVersions", "must be between 1 and " + config.maxVersionsLimit());
        }
        return maxVersions;
    }

    /** The value's UTF-8 bytes; 422 when missing, 413 when over the limit. */
    public static byte[] value(String value, SecretsConfig config) {
        if (value == null || value.isEmpty()) {
            throw Problems.ValidationFailed.of("value", "must be a non-empty string");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > config.maxValueBytes()) {
            throw new Problems.TooLarge("A value is at most " + config.maxValueBytes() + " bytes (UTF-8); this one has " + bytes.length + ".");
        }
        return bytes;
    }

    public static boolean validPrincipal(String principal) {
        return principal != null && (USER.matcher(principal).matches() || ROLE.matcher(principal).matches()
                || SERVICE.matcher(principal).matches() || WORKLOAD.matcher(principal).matches());
    }

    /** Grants keyed by principal, as permission bits; 422 for malformed principals, permissions or duplicates. */
    public static Map<String, Integer> grants(List<GrantSpec> grants, int max) {
        Errors errors = new Errors();
        Map<String, Integer> result = new LinkedHashMap<>();
        if (grants == null) {
            errors.add("grants", "must be a list (empty to revoke every grant)");
            errors.throwIfAny();
        }
        if (grants.size() > max) {
            errors.add("grants", "at most " + max + " grants");
        }
        for (int i = 0; i < grants.size(); i++) {
            GrantSpec grant = grants.get(i);
            String field = "grants[" + i + "]";
            if (grant == null || !validPrincipal(grant.principal())) {
                errors.add(field + ".principal", "must be user:<name>, role:<role>, service:<name> or workload:<namespace>/<serviceaccount>");
                continue;
            }
            if (result.containsKey(grant.principal())) {
                errors.add(field + ".principal", "appears more than once");
                continue;
            }
            if (grant.permissions() == null || grant.permissions().isEmpty()) {
                errors.add(field + ".permissions", "must list at least one of READ, WRITE, ROTATE, SHARE, ADMIN");
                continue;
            }
            Set<Permission> permissions = new LinkedHashSet<>();
            boolean bad = false;
            for (String p : grant.permissions()) {
                try {
                    permissions.add(Permission.valueOf(p));
                } catch (IllegalArgumentException | NullPointerException e) {
                    bad = true;
                }
            }
            if (bad) {
                errors.add(field + ".permissions", "each must be one of READ, WRITE, ROTATE, SHARE, ADMIN");
                continue;
            }
            result.put(grant.principal(), Permission.bits(permissions));
        }
        errors.throwIfAny();
        return result;
    }

    /** One grant as clients send it. */
    public record GrantSpec(String principal, List<String> permissions) {}
}
