package dev.strongroom.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Tables for people (the default), JSON for scripts ({@code --output json}). */
public final class Output {

    public enum Format { table, json }

    private final Format format;
    private final PrintStream out;

    Output(Format format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    public boolean json() {
        return format == Format.json;
    }

    /** Prints {@code node} as JSON, or the table made from it. */
    public void print(JsonNode node, java.util.function.Function<JsonNode, Table> table) {
        if (json()) {
            printJson(node);
        } else {
            out.print(table.apply(node).render());
        }
    }

    /** Prints {@code node} as JSON, or {@code message} as one line. */
    public void done(JsonNode node, String message) {
        if (json()) {
            printJson(node);
        } else {
            out.println(message);
        }
    }

    public void printJson(JsonNode node) {
        try {
            out.println(Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.ERROR, "cannot print JSON");
        }
    }

    /** A plain table: upper-case headers, columns padded to their widest cell, two spaces apart. */
    public static final class Table {
        private final List<String> headers;
        private final List<List<String>> rows = new ArrayList<>();

        public Table(String... headers) {
            this.headers = List.of(headers);
        }

        public Table row(Object... cells) {
            List<String> row = new ArrayList<>();
            for (Object cell : cells) {
                row.add(cell == null ? "-" : Problems.oneLine(cell.toString()));
            }
            rows.add(row);
            return this;
        }

        /** A two-column table of a JSON object's scalar fields (objects and arrays as compact JSON). */
        public static Table fields(JsonNode node, String... names) {
            Table table = new Table("FIELD", "VALUE");
            for (String name : names) {
                JsonNode value = node.get(name);
                table.row(name, value == null || value.isNull() ? "-" : value.isValueNode() ? value.asText() : value.toString());
            }
            return table;
        }

        public String render() {
            int[] widths = new int[headers.size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = headers.get(i).length();
                for (List<String> row : rows) {
                    widths[i] = Math.max(widths[i], i < row.size() ? row.get(i).length() : 0);
                }
            }
            StringBuilder text = new StringBuilder();
            line(text, headers, widths);
            for (List<String> row : rows) {
                line(text, row, widths);
            }
            return text.toString();
        }

        private static void line(StringBuilder text, List<String> cells, int[] widths) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = i < cells.size() ? cells.get(i) : "";
                line.append(cell);
                if (i < widths.length - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** A JSON field as text, or "-". */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.isValueNode() ? value.asText() : value.toString();
    }
}
