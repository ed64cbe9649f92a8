package dev.strongroom.auth.rest;

import java.util.List;

/** The ten single-use recovery codes, shown once. */
public record RecoveryCodesResponse(List<String> recoveryCodes) {

    @Override
    public String toString() {
        return "RecoveryCodesResponse[" + recoveryCodes.size() + " codes]";
    }
}
