package dev.strongroom.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.common.audit.AuditJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of an event, which the hash chain covers: JSON without insignificant
 * whitespace, object members sorted by name (UTF-16 code units, as RFC 8785), strings with
 * Jackson's minimal escaping, numbers as parsed. The same event always gives the same bytes,
 * whatever field order or spacing the producer used. Test code: the reference that
 * {@link EventReader}'s streaming form and the stored events are checked against.
 */
public final class CanonicalJson {

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private CanonicalJson() {}

    public static String of(String json) throws JsonProcessingException {
        return of(AuditJson.mapper().readTree(json));
    }

    public static String of(JsonNode node) {
        StringBuilder out = new StringBuilder(512);
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
                node.fields().forEachRemaining(members::add);
                members.sort(Map.Entry.comparingByKey());
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(members.get(i).getKey(), out);
                    out.append(':');
                    write(members.get(i).getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                Iterator<JsonNode> items = node.elements();
                boolean first = true;
                while (items.hasNext()) {
                    if (!first) {
                        out.append(',');
                    }
                    write(items.next(), out);
                    first = false;
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> out.append(node.numberValue().toString());
            case BOOLEAN -> out.append(node.booleanValue());
            default -> out.append("null");
        }
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        ENCODER.quoteAsString(value, out);
        out.append('"');
    }
}
