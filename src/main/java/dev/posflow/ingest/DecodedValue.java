package dev.posflow.ingest;

import java.util.Optional;

import dev.posflow.sample.Sample;

/**
 * A record's value as ingest receives it: already decoded into a sample (its source may still come from the record's
 * key or topic), or the reason it can never be stored, with the bytes that its dead letter carries.
 */
public final class DecodedValue {

    private final Sample sample;
    private final String poison;
    private final RuntimeException failure;
    private final byte[] raw;

    private DecodedValue(Sample sample, String poison, RuntimeException failure, byte[] raw) {
        this.sample = sample;
        this.poison = poison;
        this.failure = failure;
        this.raw = raw;
    }

    static DecodedValue sample(Sample sample, byte[] raw) {
        return new DecodedValue(sample, null, null, raw);
    }

    static DecodedValue poison(String reason, byte[] raw) {
        return new DecodedValue(null, reason, null, raw);
    }

    /** Not the record's fault (a defect): the batch fails and is retried, as any failure of ingest is. */
    static DecodedValue failed(RuntimeException failure, byte[] raw) {
        return new DecodedValue(null, null, failure, raw);
    }

    /** Why the record can never be stored (its dead letter's reason), or empty if it holds a sample. */
    Optional<String> poison() {
        return Optional.ofNullable(poison);
    }

    /**
     * @return the sample, its source possibly absent (see {@link RecordDecoder#withSource}); throws the decoder's own
     *         failure, which fails the batch. Only for a value that is not {@link #poison()}.
     */
    Sample sample() {
        if (failure != null) {
            throw failure;
        }
        if (poison != null) {
            throw new IllegalStateException("A poison record has no sample: " + poison);
        }
        return sample;
    }

    /** The same bytes, with a sample that now has its source, or found poison after all. */
    DecodedValue with(Sample withSource) {
        return sample(withSource, raw);
    }

    DecodedValue asPoison(String reason) {
        return poison(reason, raw);
    }

    /** The value as the broker has it: a good sample's too, whose key may still make it a dead letter. */
    byte[] raw() {
        return raw;
    }
}
