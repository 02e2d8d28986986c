package dev.posflow.store;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Binds instants to DATETIME(6) columns as UTC text {@code yyyy-MM-dd HH:mm:ss.SSSSSS}.
 * <p>
 * Why text: MySQL Connector/J reads MariaDB 10.x's handshake version as "5.5.5-10.11…", decides the server predates
 * fractional seconds (MySQL 5.6.4) and silently truncates every bound Timestamp, LocalDateTime or Instant to whole
 * seconds. A string literal is converted by the server itself, on MySQL 8 and MariaDB alike, and keeps the
 * microseconds. It also keeps the JVM's and the session's time zones out of the stored value.
 */
@Converter
public class UtcMicrosConverter implements AttributeConverter<Instant, String> {

    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    @Override
    public String convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : WRITE.format(instant.atOffset(ZoneOffset.UTC));
    }

    @Override
    public Instant convertToEntityAttribute(String text) {
        return text == null ? null : LocalDateTime.parse(text, READ).toInstant(ZoneOffset.UTC);
    }
}
