package dev.posflow.sample;

/**
 * The rule every source name obeys, at both doors (POST and Kafka): 1 to 64 of the characters
 * {@code A-Z a-z 0-9 . _ : @ -}. Names end up in URLs, logs, HTML and Kafka keys; keeping them to these characters
 * means none of those can be made to carry markup, control characters or path tricks.
 */
public final class SourceName {

    public static final int MAX_LENGTH = 64;
    public static final String RULE = "[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}";

    private SourceName() {
    }

    /** Checked by hand rather than with the regex: every ingested record without a source field comes through here. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || c == '_' || c == ':' || c == '@' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** The reason a name is refused, with the name quoted safely (control characters escaped, long names cut). */
    public static String refusal(String what, String name) {
        return what + " must match " + RULE + " (1 to " + MAX_LENGTH + " of A-Z a-z 0-9 . _ : @ -), not "
                + quote(name);
    }

    static String quote(String name) {
        StringBuilder quoted = new StringBuilder("'");
        int shown = Math.min(name.length(), 40);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        quoted.append(name.length() > shown ? "'… (" + name.length() + " characters)" : "'");
        return quoted.toString();
    }
}
