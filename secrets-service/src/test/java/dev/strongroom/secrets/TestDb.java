package dev.strongroom.secrets;

import dev.strongroom.common.id.UuidV7;
import java.util.UUID;

/** Row ids as the database stores them (plain JDBC to the app's database: test-support's {@code AppDatabase}). */
final class TestDb {

    private TestDb() {}

    static byte[] idBytes(String id) {
        return UuidV7.toBytes(UUID.fromString(id));
    }
}
