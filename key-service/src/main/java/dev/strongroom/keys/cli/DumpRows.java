package dev.strongroom.keys.cli;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the rows of a {@code mariadb-dump} as it streams past: each statement {@code INSERT INTO `t` VALUES (..),(..);}
 * (one line, or since MariaDB 10.11's client one tuple per line) adds its top-level tuples to {@code t}; quoted
 * strings, with backslash escapes, are skipped, and the statement ends at a {@code ;} outside them. Also notes
 * whether the dump ended with mariadb-dump's {@code -- Dump completed} line, which a dump cut short lacks.
 */
final class DumpRows extends OutputStream {

    private static final byte[] INSERT = "INSERT INTO `".getBytes(StandardCharsets.US_ASCII);
    private static final String COMPLETED = "-- Dump completed";

    private enum State { PREFIX, TABLE, VALUES, QUOTED, ESCAPED, SKIP }

    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final StringBuilder table = new StringBuilder();
    private final StringBuilder lastLine = new StringBuilder();
    private String completedLine = "";
    private State state = State.PREFIX;
    private int matched;
    private int depth;

    @Override
    public void write(int b) {
        accept((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            accept(bytes[i]);
        }
    }

    private void accept(byte b) {
        if (lastLine.length() < 64) {
            lastLine.append((char) (b & 0xff));
        }
        if (b == '\n') {
            String line = lastLine.toString();
            if (!line.isBlank()) {
                completedLine = line;
            }
            lastLine.setLength(0);
            if (state == State.VALUES || state == State.QUOTED || state == State.ESCAPED) {
                return; // the statement goes on
            }
            state = State.PREFIX;
            matched = 0;
            depth = 0;
            return;
        }
        switch (state) {
            case PREFIX -> {
                if (b == INSERT[matched]) {
                    if (++matched == INSERT.length) {
                        table.setLength(0);
                        state = State.TABLE;
                    }
                } else {
                    state = State.SKIP;
                }
            }
            case TABLE -> {
                if (b == '`') {
                    state = State.VALUES;
                } else {
                    table.append((char) (b & 0xff));
                }
            }
            case VALUES -> {
                if (b == '\'') {
                    state = State.QUOTED;
                } else if (b == '(') {
                    if (depth++ == 0) {
                        rows.merge(table.toString(), 1L, Long::sum);
                    }
                } else if (b == ')') {
                    depth--;
                } else if (b == ';' && depth == 0) {
                    state = State.SKIP;
                }
            }
            case QUOTED -> {
                if (b == '\\') {
                    state = State.ESCAPED;
                } else if (b == '\'') {
                    state = State.VALUES;
                }
            }
            case ESCAPED -> state = State.QUOTED;
            case SKIP -> {
                // not an INSERT line
            }
        }
    }

    /** Rows per table seen so far (tables without rows are absent). */
    Map<String, Long> rows() {
        return rows;
    }

    /** Whether the last non-blank line is mariadb-dump's completion mark. */
    boolean completed() {
        String last = lastLine.toString().isBlank() ? completedLine : lastLine.toString();
        return last.startsWith(COMPLETED);
    }
}
