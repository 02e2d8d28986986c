package dev.posflow;

import java.util.Arrays;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import dev.posflow.auth.TokenCommand;

/**
 * {@code java -jar quarkus-run.jar} starts posflow; {@code java -jar quarkus-run.jar token …} mints an API token and
 * exits without starting anything (no Kafka, no database, no port).
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        skipChangelogSchemaValidation();
        Quarkus.run(args);
    }

    /**
     * Liquibase validates the XML changelog against its XSD at every start, before it finds nothing to do: about a
     * quarter of Liquibase's share of a restart (docs/deployment.md, "Running in production: JVM setup"). The changelog is a
     * resource of this jar, and every {@code @QuarkusTest}, which does not start through this class, still validates
     * it. Liquibase reads its global settings from system properties and the environment, not from Quarkus's
     * configuration, hence a property here; an operator's own setting of it wins.
     */
    private static void skipChangelogSchemaValidation() {
        if (System.getProperty("liquibase.validateXmlChangelogFiles") == null
                && System.getenv("LIQUIBASE_VALIDATE_XML_CHANGELOG_FILES") == null) {
            System.setProperty("liquibase.validateXmlChangelogFiles", "false");
        }
    }
}
