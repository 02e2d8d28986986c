package dev.posflow.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Strings for property-based tests: anything, text shaped like posflow's inputs, and what an attacker tries first. */
public final class HostileText {

    private HostileText() {
    }

    /** Anything, text shaped like the accepted forms, and the strings an attacker tries first. */
    public static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("0123456789/-:.TZ+ ").ofMaxLength(32),
                Arbitraries.strings().withChars("abcXYZ09._:@-").ofMinLength(0).ofMaxLength(70),
                Arbitraries.of("", " ", "\u0000", "a\u0000b", "<img src=x onerror=alert(1)>", "../../etc/passwd",
                        "' or 1=1 --", "%00", "\r\nX-Injected: 1", "\uFEFF", "\uD800", "é", "s".repeat(65),
                        "2021/04/10-20:51:36:287301", "2021/02/30-20:51:36:287301", "9999/12/31-23:59:59:999999",
                        "0000/01/01-00:00:00:000000", "2021/04/10-24:00:00:000000", "2021-04-10T20:51:36.287301Z",
                        "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z"));
    }

}
