package dev.strongroom.keys.rest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;

/**
 * {@code PATCH /v1/keys/{name}}: fields left out stay as they are. {@code autoRotatePeriod} is an
 * ISO-8601 duration ({@code P30D}, {@code PT12H}); null or {@code PT0S} turns scheduled rotation off.
 */
public class UpdateKeyRequest {

    public Integer minDecryptionVersion;

    private String autoRotatePeriod;
    private boolean autoRotatePeriodSet;

    @JsonSetter("autoRotatePeriod")
    public void setAutoRotatePeriod(String autoRotatePeriod) {
        this.autoRotatePeriod = autoRotatePeriod;
        this.autoRotatePeriodSet = true;
    }

    public String getAutoRotatePeriod() {
        return autoRotatePeriod;
    }

    @JsonIgnore
    public boolean autoRotatePeriodSet() {
        return autoRotatePeriodSet;
    }
}
