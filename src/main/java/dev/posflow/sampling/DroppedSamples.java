package dev.posflow.sampling;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts sampled positions that Kafka did not take (metric posflow.sampler.dropped). Logs once when dropping starts
 * and once, with the count, when publishing works again, rather than a line per sample during an outage.
 */
@ApplicationScoped
public class DroppedSamples {

    private static final Logger LOG = Logger.getLogger(DroppedSamples.class);

    private final Counter counter;
    private final AtomicLong sinceLastPublished = new AtomicLong();

    DroppedSamples(MeterRegistry registry) {
        this.counter = Counter.builder("posflow.sampler.dropped")
                .description("Sampled positions dropped because Kafka did not take them").register(registry);
    }

    void dropped(String why) {
        counter.increment();
        if (sinceLastPublished.getAndIncrement() == 0) {
            LOG.warnf("Dropping sampled positions until Kafka takes them again: %s", why);
        }
    }

    void published() {
        long dropped = sinceLastPublished.getAndSet(0);
        if (dropped > 0) {
            LOG.infof("Publishing sampled positions again; %d were dropped meanwhile", dropped);
        }
    }

    public double total() {
        return counter.count();
    }
}
