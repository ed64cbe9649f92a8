package dev.strongroom.common.audit;

import dev.strongroom.common.problem.Problems;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.Map;

/** Test-only endpoint: writes a note and records its audit event in the same transaction. */
@Path("/test/notes")
public class NoteExamplesResource {

    @Inject
    AuditOutbox auditOutbox;

    /** Creates a note; with {@code fail=true} the transaction rolls back after the event was recorded. */
    @POST
    @WithTransaction
    public Uni<Map<String, String>> create(@QueryParam("text") String text, @QueryParam("fail") boolean fail) {
        Note note = new Note();
        note.text = text;
        return note.<Note>persist()
                .chain(saved -> auditOutbox.record(AuditEvent.of("note.created")
                        .resource(AuditTarget.of("note", saved.id.toString(), saved.text))
                        .detail("length", (long) text.length())))
                .invoke(event -> {
                    if (fail) {
                        throw new Problems.Conflict("rolled-back", "Rolled back on purpose after the audit event was recorded");
                    }
                })
                .map(event -> Map.of("eventId", event.id(), "noteId", event.data().resource().id()));
    }
}
