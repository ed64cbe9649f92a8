package dev.strongroom.secrets.support;

import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.common.problem.Problems;

/** The problems only secrets-service answers; docs/secrets.md lists every type. */
public final class SecretProblems {

    private SecretProblems() {}

    /** 404 for absent secrets and for secrets the caller may not learn exist: the same answer for both. */
    public static Problems.NotFound secretNotFound() {
        return new Problems.NotFound("No such secret.");
    }

    /** 403: the caller knows the secret (owner, READ or ADMIN) but lacks this permission. */
    public static Problems.Forbidden missing(String permission) {
        return new Problems.Forbidden("This needs the " + permission + " permission on the secret.");
    }

    /**
     * 403 for a create the caller may not make: in a protected environment it is no creator of, or under a name an
     * existing secret it cannot see holds. One answer for both, so it tells nothing about that secret.
     */
    public static Problems.Forbidden cannotCreate(String environment) {
        return new Problems.Forbidden("You may not create this secret in environment '" + environment
                + "': the environment is protected or the name is not available to you.");
    }

    /** 403 for a metadata change that would delete kept versions, asked without ADMIN. */
    public static Problems.Forbidden historyNeedsAdmin(int kept, int asked) {
        return new Problems.Forbidden("maxVersions " + asked + " would delete " + (kept - asked)
                + " of the kept versions: destroying history needs the ADMIN permission on the secret.");
    }

    /** 410 after the secret's expiresAt. */
    public static class SecretExpired extends ProblemException {
        public SecretExpired() {
            super(410, "secret-expired", "Secret expired",
                    "The secret expired; its value is served again once it is rotated or its expiresAt is extended.");
        }
    }

    /** 410 for a version whose ciphertext was destroyed. */
    public static class VersionDestroyed extends ProblemException {
        public VersionDestroyed(int version) {
            super(410, "version-destroyed", "Version destroyed", "Version " + version + " of this secret was destroyed.");
        }
    }

    /** 404 for a version outside the kept history. */
    public static Problems.NotFound versionNotFound(int version) {
        return new Problems.NotFound("The secret has no version " + version + ".");
    }

    /** 409 when the check-and-set version is not the current one. */
    public static Problems.Conflict casMismatch(int expected, int current) {
        return new Problems.Conflict("cas-mismatch", "cas " + expected + " does not match the current version " + current + ".");
    }

    /** 409 for a name already used in the environment (also by a soft-deleted secret). */
    public static Problems.Conflict duplicate(String environment, String name) {
        return new Problems.Conflict("secret-exists",
                "A secret named '" + name + "' already exists in environment '" + environment
                        + "' (possibly soft-deleted: restore it instead).");
    }

    /** 409 for restoring a secret that is not deleted. */
    public static Problems.Conflict notDeleted() {
        return new Problems.Conflict("not-deleted", "The secret is not deleted.");
    }

    /** 503 when key-service cannot wrap or unwrap a data key. */
    public static class KeyServiceUnavailable extends ProblemException {
        public KeyServiceUnavailable(String detail) {
            super(503, "key-service-unavailable", "Key service unavailable", detail);
        }
    }

    /** 500 when a stored envelope does not open: tampered row or wrong key. Never says more. */
    public static class ValueUndecryptable extends ProblemException {
        public ValueUndecryptable() {
            super(500, "value-undecryptable", "Value cannot be decrypted",
                    "The stored value does not decrypt; an operator must check its integrity.");
        }
    }

    /** 503 when the audit event of a reveal or change cannot be stored: the action does not happen. */
    public static class AuditUnavailable extends ProblemException {
        public AuditUnavailable() {
            super(503, "audit-unavailable", "Audit unavailable",
                    "The audit event could not be recorded, so the request was not carried out. Retry later.");
        }
    }

    /** 502 when a webhook generator fails to produce a value. */
    public static class GeneratorFailed extends ProblemException {
        public GeneratorFailed(String detail) {
            super(502, "generator-failed", "Generator failed", detail);
        }
    }
}
