package dev.strongroom.common.audit;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps secret material out of audit events. Every detail key is split into words
 * ({@code clientSecret} → client, secret) and refused when a word names secret material, unless
 * its last word says it is only a reference ({@code secretId}, {@code keyVersion}, {@code tokenCount}).
 * Free text (details, reason) that looks like a JWT, a PEM private key or an
 * {@code Authorization} value is refused too. A refusal is an {@link IllegalArgumentException}:
 * a programming error that the service's own tests surface, never a silent leak.
 */
public final class SensitiveDataGuard {

    /** Words that name secret material. */
    static final Set<String> DENIED_WORDS = Set.of(
            "password", "passwd", "pwd", "passphrase", "secret", "token", "jwt", "bearer", "authorization",
            "cookie", "credential", "credentials", "key", "apikey", "plaintext", "ciphertext", "value",
            "otp", "totp", "recovery", "pin", "seed", "salt", "hash", "signature", "private");

    /** Last words that turn a denied word into a harmless reference. */
    static final Set<String> REFERENCE_WORDS = Set.of(
            "id", "ids", "name", "names", "count", "version", "versions", "type", "types", "kind",
            "length", "size", "age", "expiry", "expires", "expired", "at", "ttl", "algorithm", "state", "status",
            "enabled", "present", "changed", "rotated", "issuer", "audience", "family");

    static final int MAX_TEXT = 1024;

    private static final Pattern WORD_BREAK = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");
    private static final Pattern AUTH_VALUE = Pattern.compile("(?i)\\b(bearer|basic|splunk)\\s+[A-Za-z0-9._~+/=-]{16,}");
    private static final Pattern KEY_SHAPE = Pattern.compile("[a-z][A-Za-z0-9]{0,63}");

    private SensitiveDataGuard() {}

    /** Accepts a detail key, or throws when it is malformed or names secret material. */
    public static String checkKey(String key) {
        if (key == null || !KEY_SHAPE.matcher(key).matches()) {
            throw new IllegalArgumentException("Audit detail keys are camelCase words of at most 64 characters: " + key);
        }
        if (isSensitiveKey(key)) {
            throw new IllegalArgumentException("Audit detail key '" + key + "' names secret material; audit events never carry it");
        }
        return key;
    }

    public static boolean isSensitiveKey(String key) {
        List<String> words = List.of(WORD_BREAK.split(key)).stream()
                .filter(w -> !w.isEmpty())
                .map(w -> w.toLowerCase(Locale.ROOT))
                .toList();
        if (words.isEmpty()) {
            return false;
        }
        boolean named = words.stream().anyMatch(DENIED_WORDS::contains);
        return named && !REFERENCE_WORDS.contains(words.getLast());
    }

    /** What an event shows instead of a claimed name that is not shaped like one. */
    public static final String NOT_A_NAME = "[not a name]";

    private static final Pattern NAME_SHAPE = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    /**
     * A name a caller claimed but did not prove (the user name of a failed login, the client id of a failed
     * client-credentials grant), as an audit event may show it: kept when it is shaped like a name and does not
     * look like a credential, else {@link #NOT_A_NAME}. People type passwords into the user-name field; those
     * with spaces or punctuation, tokens and keys never reach the log this way. Never throws.
     */
    public static String claimedName(String name) {
        if (name == null) {
            return null;
        }
        if (!NAME_SHAPE.matcher(name).matches() || JWT.matcher(name).find() || AUTH_VALUE.matcher(name).find()) {
            return NOT_A_NAME;
        }
        return name;
    }

    /** Accepts free text (a detail value, a reason), or throws when it carries a credential or is too long. */
    public static String checkText(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("Audit text longer than " + MAX_TEXT + " characters");
        }
        if (JWT.matcher(text).find() || PEM_KEY.matcher(text).find() || AUTH_VALUE.matcher(text).find()) {
            throw new IllegalArgumentException("Audit text looks like a credential; audit events never carry one");
        }
        return text;
    }
}
