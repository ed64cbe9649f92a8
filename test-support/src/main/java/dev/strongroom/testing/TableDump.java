package dev.strongroom.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Every column of every row of a database's tables as one text, for confidentiality checks that a value,
 * token or key is nowhere in storage: each column as UTF-8 text, base64 and hex, so neither a text nor a
 * binary column can hide it.
 */
public final class TableDump {

    private TableDump() {}

    /** The named tables, or every table of the connection's database when none are named. */
    public static String of(Connection c, String... tables) throws SQLException {
        List<String> names = new ArrayList<>(List.of(tables));
        if (names.isEmpty()) {
            try (ResultSet all = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
                while (all.next()) {
                    names.add(all.getString("TABLE_NAME"));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String table : names) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM `" + table.replace("`", "``") + "`")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        byte[] bytes = binary(meta.getColumnType(i)) ? rs.getBytes(i) : utf8(rs.getString(i));
                        if (bytes != null) {
                            out.append(new String(bytes, StandardCharsets.UTF_8)).append('\n')
                                    .append(Base64.getEncoder().encodeToString(bytes)).append('\n')
                                    .append(HexFormat.of().formatHex(bytes)).append('\n');
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean binary(int type) {
        return type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB;
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
