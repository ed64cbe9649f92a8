package dev.strongroom.secrets.rest;

/** {@code PUT /v1/secrets/{id}/value}: a new version, only if {@code cas} (when given) is the current version. */
public record WriteValueRequest(String value, Integer cas) {

    @Override
    public String toString() {
        return "WriteValueRequest[cas=" + cas + ", value=********]";
    }
}
