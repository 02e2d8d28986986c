package dev.posflow.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every posflow setting. Each key can be overridden by its environment variable (POSFLOW_SAMPLER_INTERVAL for
 * posflow.sampler.interval, and so on).
 */
@ConfigMapping(prefix = "posflow")
public interface PosflowConfig {

    Sampler sampler();

    Publish publish();

    Ingest ingest();

    Latest latest();

    interface Sampler {
        /** Where samples come from. */
        @WithDefault("simulated")
        SourceKind source();

        @WithDefault("1s")
        Duration interval();

        /** Source name of the samples; the host name when unset. */
        Optional<String> name();

        /** Screen the simulated walk stays inside. */
        @WithDefault("1920")
        int screenWidth();

        @WithDefault("1080")
        int screenHeight();

        enum SourceKind {
            SIMULATED,
            POINTER,
            OFF
        }
    }

    interface Publish {
        /** Informational: the Kafka topic of channel positions-out (mp.messaging.outgoing.positions-out.topic). */
        @WithDefault("positions")
        String topic();

        /** How long POST /positions waits for the broker to acknowledge before answering 503. */
        @WithDefault("10s")
        Duration ackTimeout();

        /**
         * Samples held while Kafka is slow or down (mp.messaging.emitter.default-buffer-size); beyond it, sampled
         * positions are dropped and counted, and POST answers 503.
         */
        @WithDefault("10000")
        int bufferSize();
    }

    interface Ingest {
        @WithDefault("positions")
        List<String> topics();

        /** Zone of the seed-format {@code id} timestamps, which field producers write in local wall-clock time. */
        @WithDefault("UTC")
        ZoneId zone();

        @WithDefault("positions-dlq")
        String deadLetterTopic();

        /** Most records per poll, and so per MySQL transaction (max.poll.records). */
        @WithDefault("5000")
        int batchSize();

        /**
         * Kafka static membership (group.instance.id): an instance restarted under the same id gets its partitions
         * back at once instead of after the session timeout. Must differ between running instances.
         */
        Optional<String> instanceId();
    }

    interface Latest {
        /**
         * How often /positions/latest is reloaded from MySQL, for what other instances store; this instance's own
         * batches show as soon as they commit.
         */
        @WithDefault("1s")
        Duration refresh();

        /**
         * Most sources whose latest position is held in memory (the first ones by name); pages and sources beyond it
         * are read from MySQL, so that memory does not grow with the number of sources.
         */
        @WithDefault("100000")
        int maxSourcesInMemory();
    }
}
