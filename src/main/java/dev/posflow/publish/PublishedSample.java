package dev.posflow.publish;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The value posflow writes to Kafka: the seed format ({@code id}, {@code x}, {@code y}) that existing consumers read
 * unchanged, plus {@code source} and the exact {@code sampledAt}.
 */
@JsonPropertyOrder({ "id", "x", "y", "source", "sampledAt" })
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record PublishedSample(String id, int x, int y, String source, String sampledAt) {
}
