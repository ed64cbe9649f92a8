package dev.strongroom.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Set;

/** A service account; {@code clientSecret} only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceAccountResponse(String id, String name, String clientId, String clientSecret, Set<String> roles, String origin,
        Instant createdAt) {

    @Override
    public String toString() {
        return "ServiceAccountResponse[" + name + "]";
    }
}
