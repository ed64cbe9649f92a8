package dev.strongroom.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.common.audit.AuditJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a stored audit event into a Splunk HEC event envelope whose {@code event} carries the
 * Splunk CIM fields of the Authentication and Change data models beside the CloudEvent itself
 * (mapping table in docs/audit.md).
 */
public final class CimMapping {

    /** Token actions that are authentication attempts (CIM Authentication), beside every {@code *.login} and {@code *.login_failed}. */
    static final Set<String> TOKEN_AUTHENTICATION = Set.of("token.refreshed", "token.reuse_detected");

    /** Object types whose changes are identity changes (CIM change_type AAA). */
    static final Set<String> IDENTITY_OBJECTS = Set.of("user", "token", "service_account", "kubernetes_role", "workload", "session");

    static boolean authentication(String action) {
        return action.endsWith(".login") || action.endsWith(".login_failed") || TOKEN_AUTHENTICATION.contains(action);
    }

    static boolean failedAuthentication(String action, String outcome) {
        return action.endsWith(".login_failed") || action.equals("token.reuse_detected") || !outcome.equals("success");
    }

    /** CIM Change actions by event verb. */
    static final Map<String, String> CHANGE_ACTIONS = Map.ofEntries(
            Map.entry("created", "created"), Map.entry("registered", "created"),
            Map.entry("read", "read"), Map.entry("opened", "read"), Map.entry("access_denied", "read"),
            Map.entry("deleted", "deleted"), Map.entry("version_destroyed", "deleted"), Map.entry("destroyed", "deleted"),
            Map.entry("revoked", "deleted"), Map.entry("burnt", "deleted"),
            Map.entry("access_changed", "acl_modified"), Map.entry("locked", "lockout"),
            Map.entry("updated", "modified"), Map.entry("metadata_updated", "modified"), Map.entry("rotated", "modified"),
            Map.entry("rolled_back", "modified"), Map.entry("restored", "modified"), Map.entry("mfa_enabled", "modified"),
            Map.entry("mfa_disabled", "modified"), Map.entry("unlocked", "modified"), Map.entry("password_changed", "modified"), Map.entry("logout", "stopped"),
            Map.entry("raised", "created"));

    private final String source;
    private final String sourcetype;
    private final Optional<String> index;
    private final Optional<String> host;

    public CimMapping(String source, String sourcetype, Optional<String> index, Optional<String> host) {
        this.source = source;
        this.sourcetype = sourcetype;
        this.index = index.filter(i -> !i.isBlank());
        this.host = host.filter(h -> !h.isBlank());
    }

    /** One HEC envelope: {@code time, host, source, sourcetype, index?, event, fields}. */
    public ObjectNode envelope(JsonNode cloudEvent, int partition, long sequence, String hash) {
        JsonNode data = cloudEvent.path("data");
        JsonNode actor = data.path("actor");
        JsonNode resource = data.path("resource");
        String action = data.path("action").asText();
        String verb = action.substring(action.indexOf('.') + 1);
        String outcome = data.path("outcome").asText();
        String service = service(cloudEvent.path("source").asText());
        String actorName = text(actor, "name").orElse(text(actor, "id").orElse("unknown"));

        ObjectNode envelope = AuditJson.mapper().createObjectNode();
        envelope.put("time", epochSeconds(cloudEvent.path("time").asText()));
        envelope.put("host", host.orElse(service));
        envelope.put("source", source);
        envelope.put("sourcetype", sourcetype);
        index.ifPresent(i -> envelope.put("index", i));

        ObjectNode event = envelope.putObject("event");
        event.put("id", cloudEvent.path("id").asText());
        event.put("type", cloudEvent.path("type").asText());
        event.put("source", cloudEvent.path("source").asText());
        event.put("time", cloudEvent.path("time").asText());
        if (cloudEvent.hasNonNull("subject")) {
            event.put("subject", cloudEvent.path("subject").asText());
        }
        // CIM fields.
        boolean authentication = authentication(action);
        boolean accountChange = resource.path("type").asText().equals("user") && !authentication;
        if (authentication) {
            event.put("action", failedAuthentication(action, outcome) ? "failure" : "success");
            event.put("authentication_method", action.startsWith("token.") ? "refresh_token" : "password");
        } else {
            event.put("action", CHANGE_ACTIONS.getOrDefault(verb, "modified"));
            event.put("change_type", IDENTITY_OBJECTS.contains(action.substring(0, action.indexOf('.'))) ? "AAA" : "application");
        }
        event.put("status", outcome.equals("success") ? "success" : "failure");
        event.put("outcome", outcome);
        String user = accountChange ? text(resource, "name").orElse(actorName) : actorName;
        event.put("user", user);
        event.put("src_user", actorName);
        event.put("user_type", text(actor, "type").orElse("unknown"));
        text(actor, "ip").ifPresent(ip -> event.put("src", ip));
        text(actor, "userAgent").ifPresent(ua -> event.put("http_user_agent", ua));
        event.put("app", "strongroom");
        event.put("dest", service);
        event.put("vendor_product", "Strongroom");
        event.put("signature", action);
        text(resource, "type").ifPresent(type -> event.put("object_category", type));
        text(resource, "id").ifPresent(id -> event.put("object_id", id));
        Optional<String> objectName = text(resource, "name").or(() -> text(resource, "id"));
        objectName.ifPresent(name -> event.put("object", name));
        text(data, "reason").ifPresent(reason -> event.put("reason", reason));
        event.set("data", data);
        ObjectNode chain = event.putObject("chain");
        chain.put("partition", partition);
        chain.put("sequence", sequence);
        chain.put("hash", hash);

        ObjectNode fields = envelope.putObject("fields");
        fields.put("strongroom_type", cloudEvent.path("type").asText());
        fields.put("strongroom_outcome", outcome);
        fields.put("strongroom_service", service);
        fields.put("strongroom_actor_type", text(actor, "type").orElse("unknown"));
        text(resource, "environment").ifPresent(env -> fields.put("strongroom_environment", env));
        return envelope;
    }

    /** {@code strongroom/secrets-service} → {@code secrets-service}. */
    static String service(String source) {
        int slash = source.lastIndexOf('/');
        return slash >= 0 ? source.substring(slash + 1) : source;
    }

    /** RFC 3339 → epoch seconds with milliseconds, as HEC's {@code time} wants. */
    static BigDecimal epochSeconds(String time) {
        Instant instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(time, Instant::from);
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isEmpty() ? Optional.of(value.textValue()) : Optional.empty();
    }
}
