package dev.posflow.sample;

import java.time.LocalDateTime;

/**
 * Writes a date and time as fixed-width digits with the given separators, the way both of posflow's instant formats
 * ({@link MicrosInstant}, {@link SeedTimestamp}) lay them out. Written by hand because the two formatters, called for
 * every published sample, allocated 14 % of what POST /positions allocated for an array (docs/performance.md, "the
 * door's garbage").
 */
final class DateTimeDigits {

    private DateTimeDigits() {
    }

    /** Years a four-digit field holds; formatters write others with a sign or more digits, and are left to. */
    static boolean fitsFourDigits(LocalDateTime time) {
        return time.getYear() >= 0 && time.getYear() <= 9999;
    }

    /**
     * @param separators six characters: between year and month, month and day, date and time, hour and minute, minute
     *        and second, second and microseconds
     */
    static StringBuilder append(StringBuilder to, LocalDateTime time, String separators) {
        digits(to, time.getYear(), 4).append(separators.charAt(0));
        digits(to, time.getMonthValue(), 2).append(separators.charAt(1));
        digits(to, time.getDayOfMonth(), 2).append(separators.charAt(2));
        digits(to, time.getHour(), 2).append(separators.charAt(3));
        digits(to, time.getMinute(), 2).append(separators.charAt(4));
        digits(to, time.getSecond(), 2).append(separators.charAt(5));
        return digits(to, time.getNano() / 1000, 6);
    }

    /** A non-negative value below 10^width, zero-padded to width digits. */
    private static StringBuilder digits(StringBuilder to, int value, int width) {
        for (int unit = pow10(width - 1); unit > 0; unit /= 10) {
            to.append((char) ('0' + value / unit % 10));
        }
        return to;
    }

    private static int pow10(int exponent) {
        int value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
