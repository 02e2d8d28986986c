package dev.posflow.sample;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * The values a coordinate may take, inclusive, written {@code min..max} in configuration (e.g. {@code 0..4095}).
 * The default is the whole 32-bit range that the database column holds.
 */
public record CoordinateRange(int min, int max) {

    public static final CoordinateRange ALL = new CoordinateRange(Integer.MIN_VALUE, Integer.MAX_VALUE);

    public CoordinateRange {
        if (min > max) {
            throw new IllegalArgumentException("a coordinate range must not be empty: " + min + ".." + max);
        }
    }

    public boolean contains(long value) {
        return value >= min && value <= max;
    }

    @Override
    public String toString() {
        return min + ".." + max;
    }

    public static CoordinateRange parse(String text) {
        String[] bounds = text.trim().split("\\.\\.", -1);
        if (bounds.length != 2) {
            throw new IllegalArgumentException("a coordinate range is written min..max, e.g. 0..4095, not '" + text + "'");
        }
        try {
            return new CoordinateRange(Integer.parseInt(bounds[0].trim()), Integer.parseInt(bounds[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the bounds of a coordinate range are 32-bit integers: '" + text + "'");
        }
    }

    /** For {@code posflow.sample.x-range} / {@code y-range}. */
    public static class FromConfig implements Converter<CoordinateRange> {

        @Override
        public CoordinateRange convert(String value) {
            return parse(value);
        }
    }
}
