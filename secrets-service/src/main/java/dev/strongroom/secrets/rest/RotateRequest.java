package dev.strongroom.secrets.rest;

/** {@code POST /v1/secrets/{id}/rotate}: the new value, or none to let the secret's generator make one. */
public record RotateRequest(String value) {

    @Override
    public String toString() {
        return "RotateRequest[value=" + (value == null ? "generated" : "********") + "]";
    }
}
