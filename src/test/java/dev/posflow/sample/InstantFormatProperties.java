package dev.posflow.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * posflow writes its two instant formats digit by digit; each must give exactly what the DateTimeFormatter of its
 * pattern gives, for any instant: years of four digits, and the others (which the formatters are left to write).
 */
class InstantFormatProperties {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SEED = DateTimeFormatter.ofPattern("uuuu/MM/dd-HH:mm:ss:SSSSSS")
            .withResolverStyle(ResolverStyle.STRICT);

    @Provide
    Arbitrary<Instant> instants() {
        long earliest = LocalDateTime.of(-20000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long latest = LocalDateTime.of(20000, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        long year0 = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long year10000 = LocalDateTime.of(10000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        Arbitrary<Long> seconds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(year0, year10000 - 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(earliest, latest)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(year0 - 86400, year0 + 86400)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(year10000 - 86400, year10000 + 86400)));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.of(0, 1, 999, 1000, 42_000, 999_999_000, 999_999_999));
        return net.jqwik.api.Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZoneOffset.UTC, ZoneId.of("Europe/Paris"), ZoneId.of("America/St_Johns"),
                ZoneId.of("Pacific/Kiritimati"), ZoneOffset.ofHoursMinutes(-9, -30));
    }

    @Property(tries = 5000)
    void microsInstantWritesWhatItsFormatterWrites(@ForAll("instants") Instant instant) {
        assertEquals(ISO.format(instant), MicrosInstant.format(instant));
    }

    @Property(tries = 5000)
    void seedTimestampWritesWhatItsFormatterWrites(@ForAll("instants") Instant instant, @ForAll("zones") ZoneId zone) {
        assertEquals(SEED.format(instant.atZone(zone)), SeedTimestamp.format(instant, zone));
    }
}
