package dev.posflow.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What a {@code @QuarkusIntegrationTest} passes to the packaged application, which runs in the prod profile: the
 * tests' database (the one the {@code %test} profile names, or {@code _TEST_QUARKUS_DATASOURCE_JDBC_URL} as every
 * test run here is told), wiped at start because each run's broker restarts its offsets at 0; the tests' topics; no
 * sampler; authentication off, because the REST contract tests call without a token (the auth tests cover it); and a
 * free management port, not 9000, which another run on the machine may hold.
 * The broker's address comes from {@link KafkaBrokerResource}.
 */
public class PackagedAppConfig implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.datasource.jdbc.url", TestDatabase.jdbcUrl(),
                "quarkus.datasource.jdbc.additional-jdbc-properties.useSSL", "false",
                "quarkus.datasource.jdbc.additional-jdbc-properties.allowPublicKeyRetrieval", "true",
                "quarkus.datasource.reads.jdbc.additional-jdbc-properties.useSSL", "false",
                "quarkus.datasource.reads.jdbc.additional-jdbc-properties.allowPublicKeyRetrieval", "true",
                "quarkus.liquibase.clean-at-start", "true",
                "posflow.ingest.topics", "JSON,positions",
                "posflow.sampler.source", "off",
                "posflow.auth.enabled", "false",
                "quarkus.management.port", "0");
    }

    @Override
    public void stop() {
    }
}
