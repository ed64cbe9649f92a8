package dev.strongroom.security.issuers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Base64;

/**
 * What a compact JWT's payload claims, <b>unverified</b>: its {@code iss} and {@code exp}. Good only for choosing
 * a verifier and for refusing early, never for accepting. Runs on every request, so it reads the payload as a
 * stream of tokens rather than into a map: only top-level members count, and a repeated member counts as its
 * last value, as in a map.
 *
 * @param issuer the {@code iss}, or null when absent or not a string
 * @param expiresAt the {@code exp} in seconds since the epoch, or 0 when absent or not a number
 */
public record UnverifiedJwt(String issuer, long expiresAt) {

    private static final JsonFactory JSON = new JsonFactory();

    /** The claims of this token, or null when it is not a compact JWT with a JSON object as payload. */
    public static UnverifiedJwt read(String jwt) {
        if (jwt == null) {
            return null;
        }
        int first = jwt.indexOf('.');
        int second = first < 0 ? -1 : jwt.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(Base64.getUrlDecoder().decode(jwt.substring(first + 1, second)))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String issuer = null;
            long expiresAt = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("iss".equals(name)) {
                    issuer = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                } else if ("exp".equals(name)) {
                    expiresAt = seconds(parser, value);
                } else {
                    parser.skipChildren();
                }
            }
            return parser.currentToken() == JsonToken.END_OBJECT ? new UnverifiedJwt(issuer, expiresAt) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A NumericDate (integer or not); 0 for anything else, or out of range. */
    private static long seconds(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? 0 : Math.max(0, parser.getLongValue());
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double seconds = parser.getDoubleValue();
            return seconds > 0 && seconds < Long.MAX_VALUE ? (long) seconds : 0;
        }
        return 0;
    }
}
