package dev.strongroom.audit.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.strongroom.common.audit.ActorType;
import dev.strongroom.common.audit.AuditActor;
import dev.strongroom.common.audit.AuditEvent;
import dev.strongroom.common.audit.AuditJson;
import dev.strongroom.common.audit.AuditTarget;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming reader must give exactly the canonical form of the tree-based {@link CanonicalJson}. */
class EventReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"b\":1,\"a\":2}",
            "{ \"z\" : [3, 2.5, -1e3, 12345678901234567890, true, false, null, \"x\"], \"a\" : {\"d\": {}, \"c\": []} }",
            "{\"é\":\"\\u00e9\\n\\t\\\"\\\\/\",\"E\":\"\\ud83d\\ude00\",\"\\u0000\":\"ctl\\u001f\"}",
            "{\"a\":1,\"a\":{\"x\":2},\"b\":[{\"y\":1,\"x\":0}]}",
            "{\"n\":1.0,\"m\":0.1,\"o\":-0,\"p\":1E-7,\"q\":123456789012}",
            "{\"B\":1,\"a\":2,\"_\":3,\"ä\":4,\"aa\":5,\"\":6}"
    })
    void canonicalFormMatchesTheTreeBasedOne(String json) throws IOException {
        assertThat(EventReader.read(json).canonical).isEqualTo(CanonicalJson.of(json));
    }

    @Test
    void readsTheEnvelopeFieldsOfARealEvent() throws IOException {
        AuditEvent event = AuditEvent.of("secret.read")
                .actor(new AuditActor("u-1", "alice", ActorType.USER, "10.0.0.1", "cli/1"))
                .resource(AuditTarget.of("secret", "s-1", "team/db").inEnvironment("production").atVersion(3))
                .detail("nested", true)
                .build("strongroom/secrets-service");
        String json = AuditJson.write(event);

        EventReader.Read read = EventReader.read(json);

        assertThat(read.canonical).isEqualTo(CanonicalJson.of(json));
        assertThat(read.specVersion).isEqualTo("1.0");
        assertThat(read.id).isEqualTo(event.id().toString());
        assertThat(read.type).isEqualTo("strongroom.secret.read");
        assertThat(read.source).isEqualTo("strongroom/secrets-service");
        assertThat(read.time).isNotBlank();
        assertThat(read.dataIsObject).isTrue();
        assertThat(read.action).isEqualTo("secret.read");
        assertThat(read.outcome).isEqualTo("success");
        assertThat(read.actorName).isEqualTo("alice");
        assertThat(read.actorId).isEqualTo("u-1");
        assertThat(read.resourceId).isEqualTo("s-1");
        assertThat(read.environment).isEqualTo("production");
    }

    @Test
    void fieldsElsewhereOrOfTheWrongTypeAreNotTaken() throws IOException {
        EventReader.Read read = EventReader.read("""
                {"id": 7, "type": ["x"], "extra": {"action": "nope", "id": "inner"},
                 "data": {"action": "a.b", "actor": "just-a-string", "resource": {"id": {"deep": "x"}, "environment": "dev"},
                          "details": {"outcome": "success", "resource": {"id": "not-this"}}}}
                """);
        assertThat(read.id).isNull();
        assertThat(read.type).isNull();
        assertThat(read.action).isEqualTo("a.b");
        assertThat(read.outcome).isNull();
        assertThat(read.actorName).isNull();
        assertThat(read.actorId).isNull();
        assertThat(read.resourceId).isNull();
        assertThat(read.environment).isEqualTo("dev");
    }

    @Test
    void aRepeatedMemberKeepsItsLastValueAsInATree() throws IOException {
        EventReader.Read read = EventReader.read("""
                {"data": {"actor": {"name": "first", "id": "1"}, "actor": {"id": "2"}}, "id": "a", "id": "b"}
                """);
        assertThat(read.actorName).isNull();
        assertThat(read.actorId).isEqualTo("2");
        assertThat(read.id).isEqualTo("b");
        assertThat(read.dataIsObject).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "[]", "\"text\"", "42", "{\"a\":", "{\"a\":1}}", "{\"a\":1} {\"b\":2}", "{'a':1}"})
    void anythingButOneJsonObjectIsRefused(String json) {
        assertThatThrownBy(() -> EventReader.read(json)).isInstanceOfAny(IllegalArgumentException.class, JsonProcessingException.class);
    }
}
