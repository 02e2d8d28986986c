package dev.posflow.auth;

/** A writer sent a sample of a source its token does not name: 403. */
public class SourceNotAllowedException extends RuntimeException {

    public SourceNotAllowedException(String detail) {
        super(detail, null, false, false);
    }
}
