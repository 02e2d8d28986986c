package dev.posflow.sampling;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A pointer that drifts like a hand on a mouse: its velocity changes a little each step, so the path is smooth, and
 * it bounces off the screen's edges.
 */
public class RandomWalkSource implements PositionSource {

    private static final double MAX_SPEED = 40;
    private static final double MAX_NUDGE = 6;

    private final int width;
    private final int height;
    private final RandomGenerator random;
    private double x;
    private double y;
    private double dx;
    private double dy;

    public RandomWalkSource(int width, int height, RandomGenerator random) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("screen size must be positive, not " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.random = random;
        this.x = width / 2.0;
        this.y = height / 2.0;
    }

    @Override
    public synchronized Optional<Point> current() {
        dx = clamp(dx + random.nextDouble(-MAX_NUDGE, MAX_NUDGE), -MAX_SPEED, MAX_SPEED);
        dy = clamp(dy + random.nextDouble(-MAX_NUDGE, MAX_NUDGE), -MAX_SPEED, MAX_SPEED);
        x += dx;
        y += dy;
        if (x < 0 || x > width - 1) {
            dx = -dx;
            x = clamp(x, 0, width - 1);
        }
        if (y < 0 || y > height - 1) {
            dy = -dy;
            y = clamp(y, 0, height - 1);
        }
        return Optional.of(new Point((int) Math.round(x), (int) Math.round(y)));
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
