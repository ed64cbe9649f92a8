package dev.strongroom.secrets;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How rotation makes a new value when none is supplied. Stored as JSON on the secret; never holds a value.
 * <ul>
 *   <li>{@code {"type":"password","length":32,"alphabet":"alphanumeric-symbols"}}: random characters
 *       from a named set ({@code alphanumeric}, {@code alphanumeric-symbols}, {@code hex}, {@code digits})
 *       or from the literal characters given</li>
 *   <li>{@code {"type":"bytes","length":32,"encoding":"base64"}}: random bytes as hex, base64 or base64url</li>
 *   <li>{@code {"type":"uuid"}}: a random UUID</li>
 *   <li>{@code {"type":"webhook","url":"https://rotator.internal/rotate"}}: the value a webhook answers</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GeneratorSpec(String type, Integer length, String alphabet, String encoding, String url) {

    public static final String PASSWORD = "password";
    public static final String BYTES = "bytes";
    public static final String UUID = "uuid";
    public static final String WEBHOOK = "webhook";

    public static GeneratorSpec defaultPassword() {
        return new GeneratorSpec(PASSWORD, 32, "alphanumeric-symbols", null, null);
    }
}
