package dev.posflow.testing;

import static org.hamcrest.Matchers.is;

import io.restassured.response.ValidatableResponse;

/** The browser security headers every answer of the public port carries (application.properties, "HTTP"). */
public final class SecurityHeaders {

    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    public static ValidatableResponse present(ValidatableResponse response) {
        return response.header("Content-Security-Policy", is(CSP))
                .header("X-Frame-Options", is("DENY"))
                .header("X-Content-Type-Options", is("nosniff"))
                .header("Referrer-Policy", is("no-referrer"));
    }
}
