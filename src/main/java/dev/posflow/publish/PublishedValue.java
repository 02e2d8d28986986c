package dev.posflow.publish;

import java.time.ZoneId;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SeedTimestamp;

/**
 * The value posflow writes to Kafka: the seed format ({@code id}, {@code x}, {@code y}) that existing consumers read
 * unchanged, plus {@code source} (when known) and the exact {@code sampledAt}, in that order, e.g.
 * {@code {"id":"2021/04/10-20:51:36:287301","x":910,"y":454,"source":"desk-1","sampledAt":"2021-04-10T20:51:36.287301Z"}}.
 * <p>
 * Written into one builder rather than through a record and {@code ObjectMapper}: with the two timestamps'
 * formatters that was 19 % of what POST /positions allocated for an array, churn of the young generation that held
 * the arrays at the ingest rate (docs/performance.md, "the door's garbage"). Jackson still escapes the source.
 */
final class PublishedValue {

    private PublishedValue() {
    }

    static String of(Sample sample, ZoneId seedZone) {
        StringBuilder json = new StringBuilder(128).append("{\"id\":\"");
        SeedTimestamp.append(json, sample.sampledAt(), seedZone)
                .append("\",\"x\":").append(sample.x())
                .append(",\"y\":").append(sample.y());
        sample.source().ifPresent(source -> {
            json.append(",\"source\":\"");
            JsonStringEncoder.getInstance().quoteAsString(source, json);
            json.append('"');
        });
        json.append(",\"sampledAt\":\"");
        return MicrosInstant.append(json, sample.sampledAt()).append("\"}").toString();
    }
}
