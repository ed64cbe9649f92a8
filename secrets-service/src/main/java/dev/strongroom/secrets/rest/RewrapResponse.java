package dev.strongroom.secrets.rest;

/**
 * {@code POST /v1/secrets/rewrap}: the data keys of every kept version wrapped again under the KEK's primary version.
 * {@code kekVersion} is that version (0 when nothing needed a key-service call), {@code checked} versions were looked at,
 * {@code rewrapped} were moved to it, {@code alreadyCurrent} were under it, {@code skipped} changed or vanished meanwhile
 * (destroyed, trimmed, rewrapped by another replica), {@code failed} could not be rewrapped, {@code behind} are still under
 * an older version. Raise the KEK's {@code minDecryptionVersion} to {@code kekVersion} only when {@code behind} is 0.
 */
public record RewrapResponse(String kekName, int kekVersion, long checked, long rewrapped, long alreadyCurrent, long skipped,
        long failed, long behind) {}
