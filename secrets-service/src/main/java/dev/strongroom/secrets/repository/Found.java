package dev.strongroom.secrets.repository;

import dev.strongroom.secrets.Secret;
import dev.strongroom.secrets.SecretVersion;

/**
 * A secret as one access query finds it: the secret, the version asked for (null when it is not kept),
 * and the OR of the permission bits granted to the caller's principals.
 */
public record Found(Secret secret, SecretVersion version, int grantedBits) {

    /** The same with more granted bits (another grant row of the caller). */
    public Found or(int bits) {
        return new Found(secret, version, grantedBits | bits);
    }
}
