package dev.posflow.ingest.incarnations;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Finds lost commits on partitions that get no new records. A batch checks the marks of its own partitions in its
 * write transaction; a partition whose last records were stored before the database went back in time (a failover
 * to a replica that lacked the last commits) would otherwise wait for its next record, possibly forever, with
 * records missing from MySQL and already behind the consumer. Written by hand: neither SmallRye nor Kafka knows
 * where MySQL's marks stand.
 */
@ApplicationScoped
public class MarksCheck {

    private static final Logger LOG = Logger.getLogger(MarksCheck.class);

    private final LostCommits lostCommits;

    MarksCheck(LostCommits lostCommits) {
        this.lostCommits = lostCommits;
    }

    /** The job's identity, for whoever must pause it (a test that moves a mark back on purpose). */
    public static final String JOB = "posflow-marks-check";

    @Scheduled(identity = JOB, every = "${posflow.ingest.marks-check}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            lostCommits.check();
        } catch (RuntimeException unreachable) {
            // the database is down or failing over: the next check, or the next batch, finds what it lost
            LOG.debugf("Marks not checked: %s", unreachable);
        }
    }
}
