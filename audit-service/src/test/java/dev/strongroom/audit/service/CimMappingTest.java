package dev.strongroom.audit.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.common.audit.ActorType;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.audit.AuditTarget;
import dev.strongroom.common.audit.Outcome;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CIM fields each kind of event gets at Splunk. */
class CimMappingTest {

    private final CimMapping cim = new CimMapping("strongroom", "strongroom:audit", Optional.empty(), Optional.empty());

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "user.login, success, success, user",
            "user.login, failure, failure, user",
            "user.login_failed, failure, failure, user",
            "service_account.login_failed, failure, failure, service_account",
            "workload.login, success, success, workload",
            "token.refreshed, success, success, session",
            "token.reuse_detected, denied, failure, session"})
    void authenticationEvents(String action, String outcome, String cimAction, String objectType) throws Exception {
        JsonNode event = map(AuditEvent.of(action).actor(AuditActor.user("u", "alice")).resource(AuditTarget.of(objectType, "o-1"))
                .outcome(Outcome.fromWire(outcome)));
        assertThat(event.path("action").asText()).isEqualTo(cimAction);
        assertThat(event.has("authentication_method")).isTrue();
        assertThat(event.has("change_type")).isFalse();
        assertThat(event.path("status").asText()).isEqualTo(outcome.equals("success") ? "success" : "failure");
    }

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource({
            "secret.created, created, application",
            "secret.read, read, application",
            "secret.access_denied, read, application",
            "secret.version_destroyed, deleted, application",
            "secret.access_changed, acl_modified, application",
            "secret.rolled_back, modified, application",
            "share.burnt, deleted, application",
            "key.rotated, modified, application",
            "user.locked, lockout, AAA",
            "user.password_changed, modified, AAA",
            "service_account.created, created, AAA",
            "kubernetes_role.deleted, deleted, AAA"})
    void changeEvents(String action, String cimAction, String changeType) throws Exception {
        JsonNode event = map(AuditEvent.of(action).actor(AuditActor.user("u", "alice")).resource("thing", "t-1"));
        assertThat(event.path("action").asText()).isEqualTo(cimAction);
        assertThat(event.path("change_type").asText()).isEqualTo(changeType);
        assertThat(event.path("signature").asText()).isEqualTo(action);
    }

    @ParameterizedTest
    @CsvSource({"user.updated"})
    void anAdminChangingAnAccountNamesTheAccountAsUserAndTheAdminAsSrcUser(String action) throws Exception {
        JsonNode event = map(AuditEvent.of(action).actor(new AuditActor("a-1", "root", ActorType.USER, "192.0.2.1", null))
                .resource(AuditTarget.of("user", "u-7", "bob")));
        assertThat(event.path("user").asText()).isEqualTo("bob");
        assertThat(event.path("src_user").asText()).isEqualTo("root");
        assertThat(event.path("src").asText()).isEqualTo("192.0.2.1");
        assertThat(event.path("object").asText()).isEqualTo("bob");
        assertThat(event.path("object_category").asText()).isEqualTo("user");
    }

    private JsonNode map(AuditEvent.Builder builder) throws Exception {
        AuditEvent event = builder.build("strongroom/auth-service");
        JsonNode envelope = cim.envelope(AuditJson.mapper().readTree(AuditJson.write(event)), 0, 1, "00");
        assertThat(envelope.path("host").asText()).isEqualTo("auth-service");
        assertThat(envelope.path("event").path("dest").asText()).isEqualTo("auth-service");
        assertThat(envelope.path("event").path("vendor_product").asText()).isEqualTo("Strongroom");
        assertThat(envelope.path("event").path("app").asText()).isEqualTo("strongroom");
        return envelope.path("event");
    }
}
