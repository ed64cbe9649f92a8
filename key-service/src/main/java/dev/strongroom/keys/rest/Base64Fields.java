package dev.strongroom.keys.rest;

import dev.strongroom.common.problem.Problems;
import java.util.Base64;

/** Decodes base64 request fields; bad base64 is a 400 that names the field, never its content. */
final class Base64Fields {

    private Base64Fields() {}

    static byte[] decode(String field, String value) {
        if (value == null) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new Problems.MalformedRequest("Field '" + field + "' is not valid base64.");
        }
    }

    static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
