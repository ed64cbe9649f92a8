package dev.strongroom.secrets.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strongroom.secrets.GeneratorSpec;
import java.util.Map;
import java.util.TreeMap;

/** The JSON columns of a secret: tags and the rotation generator spec (neither ever holds a value). */
public final class SecretJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> TAGS = new TypeReference<>() {};

    private SecretJson() {}

    public static String tags(Map<String, String> tags) {
        return write(new TreeMap<>(tags));
    }

    public static Map<String, String> tags(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tags are not a JSON object");
        }
    }

    public static String generator(GeneratorSpec spec) {
        return spec == null ? null : write(spec);
    }

    public static GeneratorSpec generator(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            return JSON.readValue(json, GeneratorSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored generator spec is not valid JSON");
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
