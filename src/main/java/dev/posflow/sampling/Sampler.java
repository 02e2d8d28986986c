package dev.posflow.sampling;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.random.RandomGenerator;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.config.PosflowConfig;
import dev.posflow.publish.SamplePublisher;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SourceName;
import io.quarkus.scheduler.Scheduled;

/** Takes a sample from the configured source every posflow.sampler.interval and publishes it. */
@ApplicationScoped
public class Sampler {

    private final SamplePublisher publisher;
    private final Optional<PositionSource> source;
    private final String name;
    private final Clock clock = Clock.systemUTC();
    private final DroppedSamples drops;

    Sampler(SamplePublisher publisher, PosflowConfig config, DroppedSamples drops) {
        this.publisher = publisher;
        this.drops = drops;
        PosflowConfig.Sampler sampler = config.sampler();
        this.source = switch (sampler.source()) {
            case SIMULATED -> Optional.of(new RandomWalkSource(sampler.screenWidth(), sampler.screenHeight(),
                    RandomGenerator.getDefault()));
            case POINTER -> Optional.of(new MousePointerSource());
            case OFF -> Optional.empty();
        };
        this.name = sampler.name().orElseGet(Sampler::hostName);
        if (!SourceName.isValid(name)) {
            // every sample would be dead-lettered by ingest: refuse to start instead
            throw new IllegalArgumentException(SourceName.refusal("posflow.sampler.name", name));
        }
    }

    @Scheduled(every = "${posflow.sampler.interval}", skipExecutionIf = SamplerIdle.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        source.flatMap(PositionSource::current).ifPresent(point -> {
            Sample sample = new Sample(Optional.of(name), Instant.now(clock).truncatedTo(ChronoUnit.MICROS),
                    point.x(), point.y());
            try {
                publisher.publish(sample).whenComplete((ok, failure) -> {
                    if (failure == null) {
                        drops.published();
                    } else {
                        drops.dropped("Kafka refused it: " + failure);
                    }
                });
            } catch (IllegalStateException full) {
                drops.dropped("the outgoing buffer of posflow.publish.buffer-size samples is full");
            }
        });
    }

    public String name() {
        return name;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return truncate(fromEnv);
        }
        try {
            return truncate(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return "posflow";
        }
    }

    /** A host name that is not a valid source name (rare: host names are letters, digits, dots and dashes). */
    private static String truncate(String name) {
        String cut = name.length() > Sample.MAX_SOURCE_LENGTH ? name.substring(0, Sample.MAX_SOURCE_LENGTH) : name;
        return SourceName.isValid(cut) ? cut : "posflow";
    }
}
