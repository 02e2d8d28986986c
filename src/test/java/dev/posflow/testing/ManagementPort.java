package dev.posflow.testing;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The port of the running @QuarkusTest's management interface (/q/metrics, /q/openapi): quarkus.management.test-port
 * as the app sees it (QUARKUS_MANAGEMENT_TEST_PORT included), else Quarkus's default.
 */
public final class ManagementPort {

    private ManagementPort() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
    }
}
