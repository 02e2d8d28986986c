package dev.posflow.devinfra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Lets {@code quarkus:dev} run on a laptop with only a JDK: in the dev profile, supplies a Kafka broker and a database
 * for whichever of the two the configuration leaves unset. Every other profile gets nothing and starts nothing.
 */
public final class DevInfrastructureConfigSourceFactory implements ConfigSourceFactory {

    /** Below application.properties (250) and environment variables (300), so any explicit setting wins. */
    static final int ORDINAL = 50;

    private static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String USERNAME = "quarkus.datasource.username";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")) {
            return List.of();
        }
        Map<String, String> properties = new HashMap<>();
        if (isUnset(context, KAFKA_BOOTSTRAP_SERVERS)) {
            String bootstrapServers = DevKafka.bootstrapServers();
            if (bootstrapServers != null) {
                properties.put(KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
            }
        }
        if (isUnset(context, JDBC_URL)) {
            String jdbcUrl = DevDatabase.jdbcUrl();
            if (jdbcUrl != null) {
                properties.put(JDBC_URL, jdbcUrl);
                // Both servers accept root with an empty password; an empty config value counts as unset, so no
                // password property is needed.
                if (isUnset(context, USERNAME)) {
                    properties.put(USERNAME, "root");
                }
            }
        }
        return List.of(new PropertiesConfigSource(properties, "posflow-dev-infrastructure", ORDINAL));
    }

    private static boolean isUnset(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }
}
