package dev.posflow.chaos;

import java.nio.file.Path;

import dev.posflow.devinfra.EmbeddedKafkaBroker;

/** A Kafka broker in a process of its own, so that the fault suite can stop it: {@code StandaloneKafka PORT DIR}. */
public final class StandaloneKafka {

    private StandaloneKafka() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Integer.parseInt(args[0]), Path.of(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        System.out.println("READY " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
