package dev.posflow.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import dev.posflow.sample.CoordinateRange;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
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

    SampleRules sample();

    Live live();
    Auth auth();

    Retention retention();

    Schema schema();

    Reads reads();

    Export export();

    HeatmapLimits heatmap();

    /**
     * Read by dev mode's infrastructure (dev.posflow.devinfra) as a system property before the app starts; mapped here
     * so that config validation knows the key (unmapped, -Dposflow.dev.database stopped dev mode at every start).
     */
    Dev dev();

    interface Dev {
        /** {@code embedded}: dev mode starts its embedded MySQL 8 even when a server answers on 127.0.0.1:3306. */
        Optional<String> database();
    }

    interface Sampler {
        /** Where samples come from: nowhere unless asked (application.properties turns the walk on in dev mode). */
        @WithDefault("off")
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

        /** Most samples one POST may carry; more is answered 413. */
        @WithDefault("1000")
        int maxSamplesPerRequest();

        /**
         * Samples one caller (token, else remote address) may POST per {@link #ratePeriod()}; beyond it 429 with
         * Retry-After. Must be at least {@link #maxSamplesPerRequest()}.
         */
        @WithDefault("5000")
        int rateLimit();

        @WithDefault("1s")
        Duration ratePeriod();

        /**
         * Sources one caller may create (POST samples of a source that has no stored position yet) on this instance;
         * beyond it 403. 0 lets a caller write only sources that already exist.
         */
        @WithDefault("1000")
        int maxNewSourcesPerWriter();
    }

    interface Ingest {
        @WithDefault("positions")
        List<String> topics();

        /** Zone of the seed-format {@code id} timestamps, which field producers write in local wall-clock time. */
        @WithDefault("UTC")
        ZoneId zone();

        @WithDefault("positions-dlq")
        String deadLetterTopic();

        /**
         * Largest dead letter posflow sends (value, key and headers, plus an allowance for Kafka's record overhead);
         * a record beyond it is dead-lettered truncated. Keep it below the dead-letter producer's max.request.size
         * and the topic's max.message.bytes (both about 1 MB by default); a letter the broker still refuses as too
         * large is sent once more without its value.
         */
        @WithDefault("1000000")
        int deadLetterMaxBytes();

        /** How long ingest waits for the broker to acknowledge a batch's dead letters before the topic counts as unavailable. */
        @WithDefault("30s")
        Duration deadLetterTimeout();

        /** What ingest does while the dead-letter topic cannot be written (readiness is DOWN in both cases). */
        @WithDefault("pause")
        DeadLetterUnavailable deadLetterUnavailable();

        /** Most records per poll, and so per MySQL transaction (max.poll.records). */
        @WithDefault("5000")
        int batchSize();

        /**
         * Kafka static membership (group.instance.id): an instance restarted under the same id gets its partitions
         * back at once instead of after the session timeout. Must differ between running instances.
         */
        Optional<String> instanceId();

        /** How often gauge posflow.ingest.lag is refreshed (a broker request and a MySQL read). */
        @WithDefault("10s")
        Duration lagRefresh();

        /**
         * How often MySQL's marks are compared with what this instance committed, to find commits the database lost
         * on partitions that get no new records (a batch checks its own partitions as it writes).
         */
        @WithDefault("5s")
        Duration marksCheck();

        enum DeadLetterUnavailable {
            /** Retry the batch with backoff until the letter is taken: nothing lost, ingest waits. */
            PAUSE,
            /** Commit the record's offset without its letter, logged at ERROR with its coordinates and digest. */
            SKIP
        }
    }

    interface SampleRules {
        /** Accepted x coordinates, min..max inclusive (e.g. 0..4095); others are refused at both doors. */
        @WithDefault("-2147483648..2147483647")
        @WithConverter(CoordinateRange.FromConfig.class)
        CoordinateRange xRange();

        @WithDefault("-2147483648..2147483647")
        @WithConverter(CoordinateRange.FromConfig.class)
        CoordinateRange yRange();

        /**
         * How far after the time posflow receives a sample its sampling time may lie (clock skew); later samples are
         * refused at both doors (400 over HTTP, a dead letter over Kafka), since they would pin the latest position
         * and escape retention.
         */
        @WithDefault("5m")
        Duration maxFuture();
    }

    interface Live {
        /** Live-stream subscribers across all callers; beyond it 429. */
        @WithDefault("1000")
        int maxSubscribers();

        /** Live-stream subscribers of one caller (token, else remote address); beyond it 429. */
        @WithDefault("10")
        int maxSubscribersPerCaller();

        /** A comment line sent on every live stream this often, so that dead connections are noticed and freed. */
        @WithDefault("15s")
        Duration heartbeat();
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

    interface Auth {
        /**
         * Whether /positions* and /sources need a token. Off only when the operator says so (a warning at start);
         * dev mode and the tests turn it off in their profiles.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The API tokens, comma-separated entries {@code name:role:sha256-hex[:glob|glob...]}; see
         * the auth package's ApiToken and docs/security.md. Only hashes: the tokens themselves are never configured.
         */
        Optional<List<String>> tokens();
    }

    interface Retention {
        /**
         * Positions sampled longer ago than this are purged (e.g. 30d, 12h, PT36H); unset keeps everything. Quarkus's
         * duration format: a number with ms, s, m, h or d, or ISO-8601.
         */
        Optional<Duration> maxAge();

        /** How often the purge runs. */
        @WithDefault("1h")
        Duration interval();

        /** Most rows deleted per transaction, by the purge and by erasure requests alike. */
        @WithDefault("5000")
        int batchSize();
    }

    interface Schema {
        /**
         * What a start does with the schema: when-behind runs Liquibase's update only when a change set of this build
         * is missing from DATABASECHANGELOG; always runs it at every start (and so checks the checksums of applied
         * change sets); verify never migrates and refuses to start unless every change set of this build is applied,
         * for a separate migration step (docs/deployment.md, "Migrating as a separate step").
         */
        @WithDefault("when-behind")
        Migrate migrate();

        enum Migrate {
            WHEN_BEHIND,
            ALWAYS,
            VERIFY
        }
    }

    interface Reads {
        /**
         * Longest a read statement of a page, /sources, /positions/latest or a heatmap may run on the reads datasource
         * before the database ends it (MySQL 8 MAX_EXECUTION_TIME, MariaDB max_statement_time).
         */
        @WithDefault("30s")
        Duration statementTimeout();
    }

    interface Export {
        /** Exports running at once, of every caller; beyond it 429 with Retry-After. */
        @WithDefault("8")
        int maxConcurrent();

        /** Exports one caller (token, else remote address) may run at once; beyond it 429 with Retry-After. */
        @WithDefault("2")
        int maxConcurrentPerCaller();

        /**
         * Longest an export may stream, however slowly the client reads: the database then ends its statement and the
         * response ends without its final chunk (the client sees a truncated transfer, never a short file that looks
         * whole). Narrow the range ('from', 'to', 'source') to export more.
         */
        @WithDefault("30m")
        Duration maxDuration();
    }

    interface HeatmapLimits {
        /** Heatmaps computed at once, of every caller; beyond it 429 with Retry-After. */
        @WithDefault("4")
        int maxConcurrent();

        /** Heatmaps one caller may have computed at once; beyond it 429 with Retry-After. */
        @WithDefault("2")
        int maxConcurrentPerCaller();

        /** Most cells a heatmap's grid may have over its bounding box; beyond it 400 before any query. */
        @WithDefault("10000")
        int maxCells();

        /**
         * Seconds of database time the heatmaps of this instance may take per second, all callers together (0.25: a
         * quarter of one database core), charged by each heatmap's run time; beyond it 429 with Retry-After.
         */
        @WithDefault("0.25")
        double databaseTimeShare();
    }
}
