package dev.strongroom.secrets.access;

import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.secrets.Permission;
import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.support.SecretProblems;
import dev.strongroom.security.Caller;
import java.util.ArrayList;
import java.util.List;

/**
 * What one caller may do with one secret. Deny by default: the owner has every permission; grants to
 * the caller's principal ({@code user:alice}, {@code service:ci}, {@code workload:ns/sa}) and to its
 * roles ({@code role:dev}) add theirs; the {@code admin} role adds ADMIN on every secret (it reveals
 * values only with an explicit, audited READ grant). A caller that knows the secret (owner, READ or
 * ADMIN) gets 403 for a missing permission; anyone else gets 404, the same as for an absent secret.
 */
public record Access(int permissions, boolean owner, boolean adminRole) {

    public static final String ADMIN_ROLE = "admin";

    /** The grant principals that stand for this caller: itself, then one per role. */
    public static List<String> principalsOf(Caller caller) {
        List<String> principals = new ArrayList<>(1 + caller.roles().size());
        principals.add(caller.principal());
        for (String role : caller.roles()) {
            principals.add("role:" + role);
        }
        return principals;
    }

    /** The caller's access given the OR of its matching grants' bits. */
    public static Access of(Caller caller, Secret secret, int grantedBits) {
        boolean owner = caller.principal().equals(secret.owner);
        boolean admin = caller.hasRole(ADMIN_ROLE);
        int bits = owner ? Permission.ALL : grantedBits;
        if (admin) {
            bits |= Permission.ADMIN.bit();
        }
        return new Access(bits, owner, admin);
    }

    public boolean has(Permission permission) {
        return permission.in(permissions);
    }

    /** Whether the caller may learn the secret exists (and see its metadata). */
    public boolean knows() {
        return owner || has(Permission.READ) || has(Permission.ADMIN);
    }

    /** The refusal for a missing permission: 403 to a caller that knows the secret, else 404. */
    public ProblemException refusal(Permission missing) {
        return knows() ? SecretProblems.missing(missing.name()) : SecretProblems.secretNotFound();
    }

    /** How the access was obtained, for audit details. */
    public String via() {
        if (owner) {
            return "owner";
        }
        return adminRole && permissions == Permission.ADMIN.bit() ? "admin-role" : "grant";
    }
}
