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
        Quarkus.run(args);
    }
}
