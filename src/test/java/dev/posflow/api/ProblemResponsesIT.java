package dev.posflow.api;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.PackagedAppConfig;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ProblemResponsesTest} against the packaged application (the jar, or the native binary where one is built). */
@QuarkusIntegrationTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = PackagedAppConfig.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ProblemResponsesIT extends ProblemResponsesTest {
}
