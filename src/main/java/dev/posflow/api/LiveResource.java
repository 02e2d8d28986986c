package dev.posflow.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;

import dev.posflow.auth.Role;
import dev.posflow.live.LiveFeed;
import dev.posflow.live.LivePosition;
import io.smallrye.mutiny.Multi;

@Path("/positions/stream")
public class LiveResource {

    private final LiveFeed feed;

    LiveResource(LiveFeed feed) {
        this.feed = feed;
    }

    /** Server-sent events: every position as it is stored, of every source or of one. */
    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<LivePosition> stream(@QueryParam("source") String source) {
        if (source == null) {
            return feed.subscribe();
        }
        String wanted = HistoryParameters.requireSource(source);
        return feed.subscribe().filter(position -> position.source().equals(wanted));
    }
}
