package dev.posflow.api;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.inject.Instance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import dev.posflow.auth.Role;
import dev.posflow.config.PosflowConfig;
import dev.posflow.limits.CallerKey;
import dev.posflow.live.LiveFeed;
import dev.posflow.limits.LiveSubscribers;
import dev.posflow.store.write.IncomingPosition;
import dev.posflow.view.LivePositionView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;

@Path("/positions/stream")
public class LiveResource {

    private final LiveFeed feed;
    private final LiveSubscribers subscribers;
    private final Instance<SecurityIdentity> identity;
    private final PosflowConfig config;

    LiveResource(LiveFeed feed, LiveSubscribers subscribers, Instance<SecurityIdentity> identity,
            PosflowConfig config) {
        this.feed = feed;
        this.subscribers = subscribers;
        this.identity = identity;
        this.config = config;
    }

    /**
     * Server-sent events: every position as it is stored, of every source or of one, and a comment line every
     * {@code posflow.live.heartbeat}: writing it fails on a dead connection, which ends the subscription and frees its
     * slot. Subscribers are capped in total and per caller (429 beyond).
     */
    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@QueryParam("source") String source, @Context HttpServerRequest request,
            @Context Sse sse) {
        String wanted = source == null ? null : HistoryParameters.requireSource(source);
        String caller = CallerKey.of(identity, request);
        subscribers.take(caller);
        AtomicBoolean released = new AtomicBoolean();
        Multi<IncomingPosition> positions = wanted == null ? feed.subscribe()
                : feed.subscribe().filter(position -> position.sample().source().orElseThrow().equals(wanted));
        Multi<OutboundSseEvent> events = positions.map(position -> sse.newEventBuilder()
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(LivePositionView.class, LivePositionView.of(position)).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(config.live().heartbeat())
                .onOverflow().drop()
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy().merging().streams(events, heartbeats)
                .onTermination().invoke(() -> {
                    if (released.compareAndSet(false, true)) {
                        subscribers.release(caller);
                    }
                });
    }
}
