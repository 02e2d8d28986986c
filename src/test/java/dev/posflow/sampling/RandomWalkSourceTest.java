package dev.posflow.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RandomWalkSourceTest {

    private static final int WIDTH = 1920;
    private static final int HEIGHT = 1080;
    private static final int STEPS = 10_000;

    private static List<Point> walk(int width, int height, long seed) {
        RandomWalkSource source = new RandomWalkSource(width, height, new Random(seed));
        List<Point> points = new ArrayList<>(STEPS);
        for (int i = 0; i < STEPS; i++) {
            points.add(source.current().orElseThrow());
        }
        return points;
    }

    private static boolean onEdge(int coordinate, int size) {
        return coordinate == 0 || coordinate == size - 1;
    }

    @Test
    void tenThousandStepsStayInsideTheScreen() {
        for (long seed : new long[] { 42, 7, 2024 }) {
            for (Point p : walk(WIDTH, HEIGHT, seed)) {
                assertTrue(p.x() >= 0 && p.x() < WIDTH && p.y() >= 0 && p.y() < HEIGHT, p + " seed " + seed);
            }
        }
    }

    @Test
    void tinyScreenKeepsThePointerInside() {
        for (Point p : walk(3, 2, 42)) {
            assertTrue(p.x() >= 0 && p.x() < 3 && p.y() >= 0 && p.y() < 2, p.toString());
        }
        for (Point p : walk(1, 1, 42)) {
            assertEquals(new Point(0, 0), p);
        }
    }

    @Test
    void consecutiveStepsMoveAtMost60Pixels() {
        List<Point> points = walk(WIDTH, HEIGHT, 42);
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            double distance = Math.hypot(b.x() - a.x(), b.y() - a.y());
            assertTrue(distance <= 60, "step " + i + " from " + a + " to " + b + " is " + distance + " px");
        }
    }

    @Test
    void velocityChangesSmoothlyExceptWhenBouncingOffAnEdge() {
        // the velocity changes by at most 6 px a step on each axis (+1 for rounding); only a bounce reverses it,
        // and the step that reaches the edge is cut short
        List<Point> points = walk(WIDTH, HEIGHT, 42);
        int bounces = 0;
        for (int i = 2; i < points.size(); i++) {
            Point a = points.get(i - 2);
            Point b = points.get(i - 1);
            Point c = points.get(i);
            int ddx = (c.x() - b.x()) - (b.x() - a.x());
            int ddy = (c.y() - b.y()) - (b.y() - a.y());
            if (Math.abs(ddx) > 8) {
                assertTrue(onEdge(b.x(), WIDTH) || onEdge(c.x(), WIDTH), "x turns by " + ddx + " at " + a + " " + b + " " + c);
                bounces++;
            }
            if (Math.abs(ddy) > 8) {
                assertTrue(onEdge(b.y(), HEIGHT) || onEdge(c.y(), HEIGHT), "y turns by " + ddy + " at " + a + " " + b + " " + c);
                bounces++;
            }
        }
        assertTrue(bounces > 0, "the walk never bounced off an edge");
    }

    @Test
    void walkActuallyMovesAndCoversADecentArea() {
        List<Point> points = walk(WIDTH, HEIGHT, 42);
        int minX = Integer.MAX_VALUE, maxX = Integer.MIN_VALUE, minY = Integer.MAX_VALUE, maxY = Integer.MIN_VALUE;
        Set<Point> cells = new HashSet<>();
        Set<Point> distinct = new HashSet<>(points);
        for (Point p : points) {
            minX = Math.min(minX, p.x());
            maxX = Math.max(maxX, p.x());
            minY = Math.min(minY, p.y());
            maxY = Math.max(maxY, p.y());
            cells.add(new Point(p.x() / 100, p.y() / 100));
        }
        // over 10,000 steps at up to 40 px a step the pointer reaches every edge
        assertEquals(0, minX);
        assertEquals(WIDTH - 1, maxX);
        assertEquals(0, minY);
        assertEquals(HEIGHT - 1, maxY);
        // 20 x 11 cells of 100 px on the screen
        assertTrue(cells.size() >= 180, cells.size() + " of 220 cells visited");
        assertTrue(distinct.size() >= STEPS * 9 / 10, distinct.size() + " distinct points");
    }

    @Test
    void sameSeedGivesTheSameWalk() {
        assertEquals(walk(WIDTH, HEIGHT, 42), walk(WIDTH, HEIGHT, 42));
    }

    @Test
    void nonPositiveScreenSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomWalkSource(0, 1080, new Random(42)));
        assertEquals("screen size must be positive, not 0x1080", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RandomWalkSource(1920, -1, new Random(42)));
    }
}
