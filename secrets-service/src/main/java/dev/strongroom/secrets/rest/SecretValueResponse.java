package dev.strongroom.secrets.rest;

import java.time.Instant;

/** A revealed value: {@code {value, version}} plus where it belongs. {@code toString} hides the value. */
public record SecretValueResponse(String value, int version, String id, String name, String environment, Instant createdAt) {

    @Override
    public String toString() {
        return "SecretValueResponse[" + environment + "/" + name + " v" + version + ", value=********]";
    }
}
