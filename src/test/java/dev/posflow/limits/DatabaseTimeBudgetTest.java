package dev.posflow.limits;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The heatmaps' share of database time, on a clock the test moves. */
class DatabaseTimeBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(42 * SECOND);
    private final DatabaseTimeBudget budget = new DatabaseTimeBudget("heatmaps", "posflow.heatmap.database-time-share",
            0.25, Duration.ofSeconds(10), clock::get);

    @Test
    void aQuietServiceAnswersABurstUpToTheShareOfItsWindow() {
        budget.charge(2 * SECOND);
        assertDoesNotThrow(budget::check, "0.5 s of the 2.5 s a 10 s window holds at 0.25 is left");
        budget.charge(SECOND);
        assertRefused(2);
    }

    @Test
    void aSpentBudgetRefusesUntilTheDebtIsEarnedBackAtItsShare() {
        budget.charge(4 * SECOND); // 1.5 s of debt: 6 s of wall clock at 0.25
        assertRefused(6);
        clock.addAndGet(5 * SECOND);
        assertRefused(1);
        clock.addAndGet(SECOND + 4); // a nanosecond of balance beyond the debt, at a quarter
        assertDoesNotThrow(budget::check);
    }

    @Test
    void unusedTimeIsKeptOnlyUpToTheWindow() {
        clock.addAndGet(3600 * SECOND);
        budget.charge(3 * SECOND);
        assertRefused(2);
    }

    @Test
    void aShareOfZeroIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new DatabaseTimeBudget("heatmaps", "key", 0,
                Duration.ofSeconds(10), clock::get));
    }

    private void assertRefused(int retryAfterSeconds) {
        LimitExceededException refused = assertThrows(LimitExceededException.class, budget::check);
        assertEquals(LimitExceededException.Kind.RATE, refused.kind());
        assertEquals(retryAfterSeconds, refused.retryAfterSeconds());
        assertTrue(refused.getMessage().contains("posflow.heatmap.database-time-share"), refused.getMessage());
    }
}
