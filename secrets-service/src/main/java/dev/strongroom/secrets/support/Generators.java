package dev.strongroom.secrets.support;

import dev.strongroom.common.problem.Problem;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.secrets.GeneratorSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Validates generator specs and makes values with the local generators (webhooks are {@code WebhookGenerator}'s). */
public final class Generators {

    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 1024;
    static final int MAX_BYTES = 4096;

    static final Map<String, String> ALPHABETS = Map.of(
            "alphanumeric", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "alphanumeric-symbols", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~!@#%^*+=",
            "hex", "0123456789abcdef",
            "digits", "0123456789");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Generators() {}

    /**
     * The spec with defaults filled in, or a 422 naming the bad field (prefixed by {@code field}).
     * Webhook URLs must be http(s) and their host:port in {@code allowedHosts}.
     */
    public static GeneratorSpec validate(GeneratorSpec spec, String field, List<String> allowedHosts) {
        if (spec == null) {
            return null;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String type = spec.type() == null ? "" : spec.type().toLowerCase(Locale.ROOT);
        GeneratorSpec result = switch (type) {
            case GeneratorSpec.PASSWORD -> {
                int length = spec.length() == null ? 32 : spec.length();
                if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
                    errors.add(new Problem.FieldError(field + ".length", "must be between " + MIN_PASSWORD + " and " + MAX_PASSWORD));
                }
                String alphabet = spec.alphabet() == null ? "alphanumeric-symbols" : spec.alphabet();
                if (!ALPHABETS.containsKey(alphabet)) {
                    String problem = literalAlphabetProblem(alphabet);
                    if (problem != null) {
                        errors.add(new Problem.FieldError(field + ".alphabet", problem));
                    }
                }
                yield new GeneratorSpec(GeneratorSpec.PASSWORD, length, alphabet, null, null);
            }
            case GeneratorSpec.BYTES -> {
                int length = spec.length() == null ? 32 : spec.length();
                if (length < 1 || length > MAX_BYTES) {
                    errors.add(new Problem.FieldError(field + ".length", "must be between 1 and " + MAX_BYTES));
                }
                String encoding = spec.encoding() == null ? "base64" : spec.encoding().toLowerCase(Locale.ROOT);
                if (!Set.of("hex", "base64", "base64url").contains(encoding)) {
                    errors.add(new Problem.FieldError(field + ".encoding", "must be hex, base64 or base64url"));
                }
                yield new GeneratorSpec(GeneratorSpec.BYTES, length, null, encoding, null);
            }
            case GeneratorSpec.UUID -> new GeneratorSpec(GeneratorSpec.UUID, null, null, null, null);
            case GeneratorSpec.WEBHOOK -> {
                String problem = webhookProblem(spec.url(), allowedHosts);
                if (problem != null) {
                    errors.add(new Problem.FieldError(field + ".url", problem));
                }
                yield new GeneratorSpec(GeneratorSpec.WEBHOOK, null, null, null, spec.url());
            }
            default -> {
                errors.add(new Problem.FieldError(field + ".type", "must be password, bytes, uuid or webhook"));
                yield null;
            }
        };
        if (!errors.isEmpty()) {
            throw new Problems.ValidationFailed(errors);
        }
        return result;
    }

    /** A value from a local generator (not webhook). */
    public static String generate(GeneratorSpec spec) {
        return switch (spec.type()) {
            case GeneratorSpec.PASSWORD -> password(spec.length(), ALPHABETS.getOrDefault(spec.alphabet(), spec.alphabet()));
            case GeneratorSpec.BYTES -> bytes(spec.length(), spec.encoding());
            case GeneratorSpec.UUID -> UUID.randomUUID().toString();
            default -> throw new IllegalArgumentException("not a local generator: " + spec.type());
        };
    }

    public static String password(int length, String alphabet) {
        int[] chars = alphabet.codePoints().toArray();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.appendCodePoint(chars[RANDOM.nextInt(chars.length)]);
        }
        return out.toString();
    }

    public static String bytes(int length, String encoding) {
        byte[] random = new byte[length];
        RANDOM.nextBytes(random);
        return switch (encoding) {
            case "hex" -> HexFormat.of().formatHex(random);
            case "base64url" -> Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            default -> Base64.getEncoder().encodeToString(random);
        };
    }

    private static String literalAlphabetProblem(String alphabet) {
        Set<Integer> distinct = new LinkedHashSet<>();
        for (int c : alphabet.codePoints().toArray()) {
            if (c < 0x21 || c > 0x7e) {
                return "must be a named set (" + String.join(", ", ALPHABETS.keySet().stream().sorted().toList())
                        + ") or printable ASCII characters without spaces";
            }
            distinct.add(c);
        }
        if (distinct.size() < 2 || distinct.size() != alphabet.length()) {
            return "must list at least 2 distinct characters, each once";
        }
        return null;
    }

    private static String webhookProblem(String url, List<String> allowedHosts) {
        if (allowedHosts.isEmpty()) {
            return "webhook generators are disabled on this server (strongroom.secrets.rotation.webhook-allowed-hosts)";
        }
        if (url == null || url.length() > 1024) {
            return "must be an http(s) URL of at most 1024 characters";
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "must be an http(s) URL";
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null || uri.getUserInfo() != null) {
            return "must be an http(s) URL without user info";
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String hostPort = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        boolean allowed = allowedHosts.stream()
                .map(h -> h.toLowerCase(Locale.ROOT).trim())
                .anyMatch(h -> h.equals(host) || h.equals(hostPort));
        return allowed ? null : "host " + hostPort + " is not in the webhook allow-list";
    }

    public static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
