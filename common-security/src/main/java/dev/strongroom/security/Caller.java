package dev.strongroom.security;

import java.util.Set;

/**
 * Who is calling, as every service sees it after the access token is verified.
 *
 * @param id        stable subject id ({@code sub})
 * @param name      user name, service-account name, or {@code <namespace>/<serviceaccount>} ({@code upn})
 * @param type      what kind of principal this is
 * @param roles     the token's {@code groups}: admin, user, auditor, kms, ...
 * @param sessionId the login session ({@code sid}), used for revocation; null for tokens without one
 */
public record Caller(String id, String name, PrincipalType type, Set<String> roles, String sessionId) {

    /** The claim carrying {@link PrincipalType}; tokens without it are users. */
    public static final String TYPE_CLAIM = "principal_type";

    public enum PrincipalType {
        USER, SERVICE, WORKLOAD;

        /** The prefix of grant principals: {@code user:alice}, {@code service:ci}, {@code workload:ns/sa}. */
        public String prefix() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static PrincipalType fromClaim(String claim) {
            if (claim == null) {
                return USER;
            }
            return switch (claim) {
                case "service" -> SERVICE;
                case "workload" -> WORKLOAD;
                default -> USER;
            };
        }
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** This caller as a grant principal, e.g. {@code user:alice}. */
    public String principal() {
        return type.prefix() + ":" + name;
    }
}
