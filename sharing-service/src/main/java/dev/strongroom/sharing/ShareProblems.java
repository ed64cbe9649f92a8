package dev.strongroom.sharing;

import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.sharing.ShareState;

/** The problems only sharing-service answers; docs/sharing.md lists every type. */
public final class ShareProblems {

    private ShareProblems() {}

    /** 404: no share has this token (or id, for its creator). The same answer whether it never existed or was purged. */
    public static Problems.NotFound notFound() {
        return new Problems.NotFound("No such share.");
    }

    /** 410: the share cannot be opened any more; the type says why. */
    public static Problems.Gone gone(ShareState state) {
        return switch (state) {
            case USED -> new Problems.Gone("share-used-up", "This share was already viewed as often as it allows.");
            case EXPIRED -> new Problems.Gone("share-expired", "This share expired.");
            case REVOKED -> new Problems.Gone("share-revoked", "This share was revoked by its creator.");
            case BURNT -> new Problems.Gone("share-burnt", "This share was destroyed after too many wrong passphrases.");
            case ACTIVE -> throw new IllegalArgumentException("an active share is not gone");
        };
    }

    /** 403: the share has a passphrase and the request has none. Costs no try. */
    public static class PassphraseRequired extends ProblemException {
        public PassphraseRequired() {
            super(403, "passphrase-required", "Passphrase required", "This share is protected by a passphrase.");
        }
    }

    /** 403: a wrong passphrase; says how many tries are left before the share is destroyed. */
    public static class PassphraseWrong extends ProblemException {
        private final int triesLeft;

        public PassphraseWrong(int triesLeft) {
            super(403, "passphrase-wrong", "Wrong passphrase",
                    "Wrong passphrase; " + triesLeft + " more wrong " + (triesLeft == 1 ? "try destroys" : "tries destroy") + " the share.");
            this.triesLeft = triesLeft;
        }

        public int triesLeft() {
            return triesLeft;
        }
    }

    /** 422: the key of a reveal does not open the share (nothing was spent). */
    public static Problems.ValidationFailed wrongKey() {
        return Problems.ValidationFailed.of("key", "does not open this share (use the part after # of the link)");
    }

    /** 401: secrets-service did not accept the sharer's token (e.g. the session was just revoked). */
    public static class Unauthenticated extends ProblemException {
        public Unauthenticated() {
            super(401, "unauthenticated", "Unauthenticated", "The access token was not accepted.");
        }
    }

    /** 503: secrets-service cannot be reached or sharing-service has no identity to call it with. */
    public static class SecretsUnavailable extends ProblemException {
        public SecretsUnavailable() {
            super(503, "secrets-unavailable", "secrets-service unavailable", "The secret's value cannot be fetched now; try again shortly.");
        }

        @Override
        public Long retryAfterSeconds() {
            return 5L;
        }
    }

    /** 503: opening failed for a reason of ours (logged); nothing is known to be spent. */
    public static class OpenUnavailable extends ProblemException {
        public OpenUnavailable() {
            super(503, "share-unavailable", "Share unavailable", "The share cannot be opened right now; try again shortly.");
        }
    }

    /** 503: the audit event could not be stored, so nothing happened. */
    public static class AuditUnavailable extends ProblemException {
        public AuditUnavailable() {
            super(503, "audit-unavailable", "Audit unavailable", "The action could not be audited and did not happen; try again shortly.");
        }
    }
}
