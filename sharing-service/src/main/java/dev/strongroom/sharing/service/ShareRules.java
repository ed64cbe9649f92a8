package dev.strongroom.sharing.service;

import dev.strongroom.common.problem.Problem;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.sharing.config.SharingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Validation of share requests: every broken field at once, as 422 with {@code errors}. */
public final class ShareRules {

    static final int MAX_PASSPHRASE = 1024;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");

    private ShareRules() {}

    public static ShareRequest create(String secretId, Integer version, Long ttlSeconds, Integer maxViews, String passphrase,
            String notifyEmail, SharingConfig config) {
        List<Problem.FieldError> errors = new ArrayList<>();
        UUID id = null;
        if (secretId == null) {
            errors.add(new Problem.FieldError("secretId", "is required"));
        } else {
            id = uuid(secretId);
            if (id == null) {
                errors.add(new Problem.FieldError("secretId", "must be a secret id (UUID)"));
            }
        }
        if (version != null && version < 1) {
            errors.add(new Problem.FieldError("version", "must be a version number (1 or more)"));
        }
        long ttl = ttlSeconds == null ? config.defaultTtlSeconds() : ttlSeconds;
        if (ttl < config.minTtlSeconds() || ttl > config.maxTtlSeconds()) {
            errors.add(new Problem.FieldError("ttlSeconds", "must be between " + config.minTtlSeconds() + " and " + config.maxTtlSeconds()));
        }
        int views = maxViews == null ? 1 : maxViews;
        if (views < 1 || views > config.maxViews()) {
            errors.add(new Problem.FieldError("maxViews", "must be between 1 and " + config.maxViews()));
        }
        if (passphrase != null && (passphrase.length() < config.minPassphraseLength() || passphrase.length() > MAX_PASSPHRASE)) {
            errors.add(new Problem.FieldError("passphrase", "must be " + config.minPassphraseLength() + " to " + MAX_PASSPHRASE + " characters"));
        }
        if (notifyEmail != null && !EMAIL.matcher(notifyEmail).matches()) {
            errors.add(new Problem.FieldError("notifyEmail", "must be an email address"));
        }
        if (!errors.isEmpty()) {
            throw new Problems.ValidationFailed(errors);
        }
        return new ShareRequest(id, version, ttl, views, passphrase, notifyEmail);
    }

    /** A UUID in canonical form, or null. */
    public static UUID uuid(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equalsIgnoreCase(text) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
