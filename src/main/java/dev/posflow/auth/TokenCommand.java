package dev.posflow.auth;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * {@code java -jar quarkus-run.jar token [--role reader|writer|admin] [--name NAME] [--sources 'vehicle-*|truck-*']}:
 * prints a new token and its configuration entry. Runs without starting posflow (see dev.posflow.Main).
 */
public final class TokenCommand {

    static final String USAGE = "usage: token [--role reader|writer|admin] [--name NAME] [--sources 'GLOB|GLOB']"
            + " (a writer needs --sources)";

    private TokenCommand() {
    }

    /** @return the exit status */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Role role = Role.READER;
        String name = null;
        SourceGlobs sources = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || option.equals("-h")) {
                    out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--role" -> role = Role.of(value);
                    case "--name" -> name = value;
                    case "--sources" -> sources = SourceGlobs.parse(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (role == Role.WRITER && sources == null) {
                throw new IllegalArgumentException("a writer token names the sources it may write: --sources"
                        + " 'vehicle-*'");
            }
            if (role != Role.WRITER && sources != null) {
                throw new IllegalArgumentException("only writer tokens name sources; a " + role.roleName()
                        + " token " + (role == Role.ADMIN ? "writes every source" : "writes none"));
            }
            if (name == null) {
                byte[] suffix = new byte[3];
                new SecureRandom().nextBytes(suffix);
                name = role.roleName() + "-" + HexFormat.of().formatHex(suffix);
            }
            String token = ApiToken.mint();
            String entry = ApiToken.entry(name, role, token, sources);
            ApiToken.parse(entry); // the entry must read back, e.g. a name with ':' must fail here, not at start
            out.println("Token (give it to the client, who sends `Authorization: Bearer <token>`; posflow keeps"
                    + " only its hash, so it cannot be shown again):");
            out.println(token);
            out.println();
            out.println("Configuration entry (POSFLOW_AUTH_TOKENS holds these, separated by commas):");
            out.println(entry);
            out.println();
            out.println("For example:");
            out.println("POSFLOW_AUTH_TOKENS='" + entry + "'");
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }
}
