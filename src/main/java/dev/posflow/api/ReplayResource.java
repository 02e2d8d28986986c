package dev.posflow.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.posflow.auth.Role;
import dev.posflow.ingest.incarnations.Replay;

/**
 * {@code POST /admin/replay {"topic": "JSON", "partition": 0, "from": 1200}}: ingest reads the partition of the topic's
 * current incarnation again from that offset up to where it was; what is stored stays as it is (a no-op), what is
 * missing is stored. Answers 202 with the range, 409 when this instance does not ingest that partition or Kafka no
 * longer holds the offset.
 */
@Path("/admin/replay")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ReplayResource {

    /** The request body. */
    public record ReplayRequest(String topic, Integer partition, Long from) {
    }

    private final Replay replay;

    ReplayResource(Replay replay) {
        this.replay = replay;
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response replay(ReplayRequest request) {
        if (request == null || request.topic() == null || request.topic().isBlank() || request.partition() == null
                || request.partition() < 0 || request.from() == null || request.from() < 0) {
            throw ProblemException.badRequest(
                    "expected {\"topic\": \"...\", \"partition\": n >= 0, \"from\": offset >= 0}");
        }
        try {
            return Response.accepted(replay.from(request.topic(), request.partition(), request.from())).build();
        } catch (Replay.Refused e) {
            throw new ProblemException(Response.Status.CONFLICT, e.getMessage());
        }
    }
}
