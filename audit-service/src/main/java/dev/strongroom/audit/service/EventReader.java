package dev.strongroom.audit.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.strongroom.common.audit.AuditJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads an incoming record in one streaming pass: its canonical form (the bytes the hash chain
 * covers; the tests check it against the tree-based {@code CanonicalJson}) and the envelope fields
 * the log checks and indexes. No tree of nodes is built: on the consumer's hot path a {@code JsonNode} tree and a
 * second walk over it cost about twice as much CPU as this.
 *
 * <p>Like Jackson's tree, a member repeated in one object keeps its last value.
 */
final class EventReader {

    private static final JsonFactory FACTORY = AuditJson.mapper().getFactory();
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    /** Where a value sits, for the few places whose text the log needs. */
    private enum Place {
        ROOT, DATA, ACTOR, RESOURCE, OTHER;

        Place child(String name) {
            return switch (this) {
                case ROOT -> name.equals("data") ? DATA : OTHER;
                case DATA -> switch (name) {
                    case "actor" -> ACTOR;
                    case "resource" -> RESOURCE;
                    default -> OTHER;
                };
                default -> OTHER;
            };
        }
    }

    /** The envelope fields, as text (null when absent or not a string), plus the canonical form. */
    static final class Read {
        String specVersion;
        String id;
        String type;
        String source;
        String time;
        boolean dataIsObject;
        String action;
        String outcome;
        String actorName;
        String actorId;
        String resourceId;
        String environment;
        String canonical;
    }

    private EventReader() {}

    /** Reads one JSON document; fails on malformed JSON or a top-level value that is not an object. */
    static Read read(String json) throws IOException {
        Read read = new Read();
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            StringBuilder out = new StringBuilder(json.length());
            object(parser, Place.ROOT, read, out);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON object");
            }
            read.canonical = out.toString();
        }
        return read;
    }

    /**
     * Writes the object the parser is at (after START_OBJECT), members sorted by name (UTF-16
     * order). Members are written through as they come; only an object whose names arrive out of
     * order is rearranged afterwards, from slices of what was written.
     */
    private static void object(JsonParser parser, Place place, Read read, StringBuilder out) throws IOException {
        forget(place, read);
        int base = out.length();
        out.append('{');
        List<String> names = new ArrayList<>(8);
        List<int[]> slices = new ArrayList<>(8);
        boolean sorted = true;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            parser.nextToken();
            if (!names.isEmpty()) {
                sorted &= names.getLast().compareTo(name) < 0;
                out.append(',');
            }
            int start = out.length();
            string(name, out);
            out.append(':');
            value(parser, place.child(name), read, out);
            capture(place, name, parser, read);
            names.add(name);
            slices.add(new int[] {start, out.length()});
        }
        if (!sorted) {
            rearrange(out, base, names, slices);
        }
        out.append('}');
    }

    /** Rewrites the members after {@code base} in name order; of a repeated name only the last member stays. */
    private static void rearrange(StringBuilder out, int base, List<String> names, List<int[]> slices) {
        String written = out.substring(base);
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(names::get));
        out.setLength(base);
        out.append('{');
        boolean first = true;
        for (int i = 0; i < order.length; i++) {
            int member = order[i];
            if (i + 1 < order.length && names.get(order[i + 1]).equals(names.get(member))) {
                continue; // a later member of the same name wins (stable sort: later index comes after)
            }
            if (!first) {
                out.append(',');
            }
            out.append(written, slices.get(member)[0] - base, slices.get(member)[1] - base);
            first = false;
        }
    }

    /** A repeated object replaces the earlier one entirely, as in a tree: its captured fields start empty. */
    private static void forget(Place place, Read read) {
        switch (place) {
            case DATA -> {
                read.action = null;
                read.outcome = null;
                read.actorName = null;
                read.actorId = null;
                read.resourceId = null;
                read.environment = null;
            }
            case ACTOR -> {
                read.actorName = null;
                read.actorId = null;
            }
            case RESOURCE -> {
                read.resourceId = null;
                read.environment = null;
            }
            default -> { }
        }
    }

    private static void value(JsonParser parser, Place place, Read read, StringBuilder out) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> object(parser, place, read, out);
            case START_ARRAY -> {
                out.append('[');
                boolean first = true;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (!first) {
                        out.append(',');
                    }
                    value(parser, Place.OTHER, read, out);
                    first = false;
                }
                out.append(']');
            }
            case VALUE_STRING -> string(parser.getText(), out);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.append(parser.getNumberValue().toString());
            case VALUE_TRUE -> out.append(true);
            case VALUE_FALSE -> out.append(false);
            default -> out.append("null");
        }
    }

    /** After a member's value was read: keeps it when it is one of the envelope fields. */
    private static void capture(Place place, String name, JsonParser parser, Read read) throws IOException {
        JsonToken token = parser.currentToken();
        String text = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        switch (place) {
            case ROOT -> {
                switch (name) {
                    case "specversion" -> read.specVersion = text;
                    case "id" -> read.id = text;
                    case "type" -> read.type = text;
                    case "source" -> read.source = text;
                    case "time" -> read.time = text;
                    case "data" -> read.dataIsObject = token == JsonToken.END_OBJECT;
                    default -> { }
                }
            }
            case DATA -> {
                switch (name) {
                    case "action" -> read.action = text;
                    case "outcome" -> read.outcome = text;
                    case "actor" -> {
                        if (token != JsonToken.END_OBJECT) {
                            read.actorName = null;
                            read.actorId = null;
                        }
                    }
                    case "resource" -> {
                        if (token != JsonToken.END_OBJECT) {
                            read.resourceId = null;
                            read.environment = null;
                        }
                    }
                    default -> { }
                }
            }
            case ACTOR -> {
                switch (name) {
                    case "name" -> read.actorName = text;
                    case "id" -> read.actorId = text;
                    default -> { }
                }
            }
            case RESOURCE -> {
                switch (name) {
                    case "id" -> read.resourceId = text;
                    case "environment" -> read.environment = text;
                    default -> { }
                }
            }
            default -> { }
        }
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        if (needsEscaping(value)) {
            ENCODER.quoteAsString(value, out);
        } else {
            out.append(value); // nearly every string: one copy, not Jackson's character-by-character append
        }
        out.append('"');
    }

    /** Whether Jackson's encoder would change the string: a quote, a backslash or a control character. */
    private static boolean needsEscaping(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
