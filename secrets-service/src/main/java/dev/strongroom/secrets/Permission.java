package dev.strongroom.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a grant allows on one secret. Permissions do not imply each other: ADMIN manages the secret
 * (grants, delete, restore, destroy) and sees its metadata, but reveals its value only with READ.
 * Stored as a bit set.
 */
public enum Permission {
    READ(1), WRITE(2), ROTATE(4), SHARE(8), ADMIN(16);

    /** Every permission: what the owner has. */
    public static final int ALL = 31;

    private final int bit;

    Permission(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public boolean in(int bits) {
        return (bits & bit) != 0;
    }

    public static int bits(Collection<Permission> permissions) {
        int bits = 0;
        for (Permission p : permissions) {
            bits |= p.bit;
        }
        return bits;
    }

    public static List<Permission> of(int bits) {
        List<Permission> list = new ArrayList<>(5);
        for (Permission p : values()) {
            if (p.in(bits)) {
                list.add(p);
            }
        }
        return list;
    }
}
