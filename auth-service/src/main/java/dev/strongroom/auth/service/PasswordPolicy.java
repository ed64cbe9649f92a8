package dev.strongroom.auth.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * NIST SP 800-63B / ASVS V2 password rules: any Unicode, NFKC-normalised, 12–128 code points, not a
 * common or breached password (the shipped list of ~49,000, plus an optional operator list), not
 * containing the username; no composition rules.
 */
public final class PasswordPolicy {

    static final String SHIPPED_LIST = "/passwords/common-passwords.txt";

    private final int minLength;
    private final int maxLength;
    private final Set<String> denied;

    public PasswordPolicy(int minLength, int maxLength, Optional<String> extraList) {
        this.minLength = minLength;
        this.maxLength = maxLength;
        Set<String> words = new HashSet<>(64_000);
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(SHIPPED_LIST)) {
            if (in == null) {
                throw new IllegalStateException("The shipped common-password list " + SHIPPED_LIST + " is missing");
            }
            load(in, words);
            if (extraList.isPresent()) {
                try (InputStream extra = Files.newInputStream(Path.of(extraList.get()))) {
                    load(extra, words);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a password deny list", e);
        }
        words.add("strongroom");
        this.denied = Set.copyOf(words);
    }

    /** NFKC: the same password typed on different keyboards or input methods is the same password. */
    public static String normalize(String password) {
        return password == null ? null : Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    /** Why the (normalised) password is refused, or null when it is acceptable. */
    public String problem(String normalized, String username) {
        if (normalized == null || normalized.isEmpty()) {
            return "must not be empty";
        }
        int length = normalized.codePointCount(0, normalized.length());
        if (length < minLength) {
            return "must be at least " + minLength + " characters";
        }
        if (length > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        String lower = normalized.toLowerCase(Locale.ROOT);
        if (denied.contains(lower) || denied.contains(lower.strip())) {
            return "is too common: it appears in lists of breached passwords";
        }
        if (username != null && username.length() >= 3 && lower.contains(username.toLowerCase(Locale.ROOT))) {
            return "must not contain the username";
        }
        return null;
    }

    public int deniedCount() {
        return denied.size();
    }

    private static void load(InputStream in, Set<String> words) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    words.add(normalize(line.strip()).toLowerCase(Locale.ROOT));
                }
            }
        }
    }
}
