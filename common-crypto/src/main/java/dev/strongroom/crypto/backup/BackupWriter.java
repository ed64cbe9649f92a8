package dev.strongroom.crypto.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import dev.strongroom.crypto.Tink;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an encrypted backup archive ({@link BackupFormat}) in constant memory: parts one after the other,
 * then {@link #finish} writes the manifest and seals the end. Closing without {@code finish} leaves an
 * archive every reader refuses (no manifest, no final segment).
 */
public final class BackupWriter implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutputStream encrypted;
    private final DataOutputStream body;
    private final long keyId;
    private final List<BackupManifest.Part> parts = new ArrayList<>();
    private PartStream open;
    private boolean finished;

    private BackupWriter(OutputStream encrypted, long keyId) {
        this.encrypted = encrypted;
        this.body = new DataOutputStream(encrypted);
        this.keyId = keyId;
    }

    /** Writes the header to {@code archive} and starts the encrypted body under a fresh data key. */
    public static BackupWriter open(OutputStream archive, BackupKeys.PublicKey key) throws IOException, GeneralSecurityException {
        Tink.init();
        KeysetHandle dataKey = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
        byte[] wrapped = key.encrypt().encrypt(
                TinkProtoKeysetFormat.serializeKeyset(dataKey, InsecureSecretKeyAccess.get()), BackupFormat.CONTEXT);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(header);
        out.write(BackupFormat.MAGIC);
        out.writeByte(BackupFormat.VERSION);
        out.writeInt((int) key.keyId());
        out.writeShort(wrapped.length);
        out.write(wrapped);
        byte[] headerBytes = header.toByteArray();
        archive.write(headerBytes);
        StreamingAead aead = dataKey.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        return new BackupWriter(aead.newEncryptingStream(archive, headerBytes), key.keyId());
    }

    /** Starts the next part; close the returned stream before starting another or finishing. */
    public OutputStream part(String name) throws IOException {
        if (finished || open != null) {
            throw new IllegalStateException(finished ? "the archive is finished" : "part " + open.name + " is still open");
        }
        if (!BackupFormat.PART_NAME.matcher(name).matches() || parts.stream().anyMatch(p -> p.name().equals(name))) {
            throw new IllegalArgumentException("part names are 1-64 of [a-zA-Z0-9._-] and unique: " + name);
        }
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        body.writeByte(BackupFormat.PART);
        body.writeShort(bytes.length);
        body.write(bytes);
        open = new PartStream(name);
        return open;
    }

    /** Adds notes on an already written part (row counts, schema version, ...) to the manifest. */
    public void describe(String part, Map<String, Object> info) {
        for (int i = 0; i < parts.size(); i++) {
            BackupManifest.Part p = parts.get(i);
            if (p.name().equals(part)) {
                Map<String, Object> merged = new LinkedHashMap<>(p.info());
                merged.putAll(info);
                parts.set(i, new BackupManifest.Part(p.name(), p.bytes(), p.sha256(), merged));
                return;
            }
        }
        throw new IllegalArgumentException("no part " + part + " was written");
    }

    /** Writes the manifest (with {@code info} about the whole backup) and seals the archive's end. */
    public BackupManifest finish(Map<String, Object> info) throws IOException {
        if (open != null) {
            throw new IllegalStateException("part " + open.name + " is still open");
        }
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, Instant.now().toString(), keyId,
                List.copyOf(parts), new LinkedHashMap<>(info));
        byte[] json = JSON.writeValueAsBytes(manifest);
        body.writeByte(BackupFormat.MANIFEST);
        body.writeInt(json.length);
        body.write(json);
        finished = true;
        encrypted.close();
        return manifest;
    }

    /** Ends the stream; without {@link #finish} the archive is left incomplete (and unreadable). */
    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            encrypted.close();
        }
    }

    /** One part's bytes, cut into length-prefixed chunks and hashed on the way. */
    private final class PartStream extends OutputStream {
        private final String name;
        private final byte[] buffer = new byte[BackupFormat.CHUNK];
        private final MessageDigest sha256;
        private int filled;
        private long total;
        private boolean closed;

        PartStream(String name) {
            this.name = name;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("part " + name + " is closed");
            }
            sha256.update(bytes, offset, length);
            total += length;
            while (length > 0) {
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == buffer.length) {
                    flushChunk();
                }
            }
        }

        private void flushChunk() throws IOException {
            if (filled > 0) {
                body.writeInt(filled);
                body.write(buffer, 0, filled);
                filled = 0;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            flushChunk();
            body.writeInt(0);
            parts.add(new BackupManifest.Part(name, total, BackupFormat.hex(sha256.digest()), Map.of()));
            open = null;
        }
    }
}
