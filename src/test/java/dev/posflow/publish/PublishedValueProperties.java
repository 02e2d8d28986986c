package dev.posflow.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.sample.Sample;
import dev.posflow.testing.HostileText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The value published to Kafka is written by hand; consumers in the field read what Jackson wrote from a record of
 * the same fields before, and must keep getting those exact bytes, whatever the sample.
 */
class PublishedValueProperties {

    /** The value's shape as it was written through Jackson until 2026-12-07. */
    @JsonPropertyOrder({ "id", "x", "y", "source", "sampledAt" })
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JacksonShape(String id, int x, int y, String source, String sampledAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Provide
    Arbitrary<Sample> samples() {
        Arbitrary<Optional<String>> sources = Arbitraries.oneOf(Arbitraries.just(Optional.empty()),
                Arbitraries.strings().withChars("AZaz09._:@-").ofMinLength(1).ofMaxLength(64).map(Optional::of),
                HostileText.strings().map(Optional::of));
        Arbitrary<Instant> times = Arbitraries.longs()
                .between(Instant.parse("1000-01-01T00:00:00Z").getEpochSecond() * 1_000_000,
                        Instant.parse("9999-12-31T23:59:59.999999Z").getEpochSecond() * 1_000_000)
                .map(micros -> Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                        Math.floorMod(micros, 1_000_000) * 1000));
        return Combinators.combine(sources, times, Arbitraries.integers(), Arbitraries.integers()).as(Sample::new);
    }

    @Property(tries = 3000)
    void thePublishedValueIsWhatJacksonWroteFromTheRecord(@ForAll("samples") Sample sample) throws Exception {
        for (ZoneId zone : new ZoneId[] { ZoneOffset.UTC, PARIS }) {
            JacksonShape shape = new JacksonShape(
                    DateTimeFormatter.ofPattern("uuuu/MM/dd-HH:mm:ss:SSSSSS").format(sample.sampledAt().atZone(zone)),
                    sample.x(), sample.y(), sample.source().orElse(null),
                    DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC)
                            .format(sample.sampledAt()));

            assertEquals(JSON.writeValueAsString(shape), PublishedValue.of(sample, zone));
        }
    }
}
