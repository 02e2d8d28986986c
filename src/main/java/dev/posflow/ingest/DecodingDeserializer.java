package dev.posflow.ingest;

import org.apache.kafka.common.serialization.Deserializer;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;

/**
 * The ingest channel's value deserializer: decodes each record into a sample (or a poison reason) on the consumer's
 * polling thread, which fetches the next batch while the worker thread writes the previous one to MySQL. Decoding
 * batch n + 1 thus overlaps the commit of batch n, without a thread or queue of posflow's own, and the order of the
 * records and batches stays the connector's.
 * <p>
 * Kafka instantiates deserializers by class name, outside CDI: the decoder (configured zone, coordinate ranges,
 * the application's ObjectMapper) is looked up in the container. It never throws: a record Kafka could not hand over
 * would fail the channel, while a poison record is dead-lettered by {@link PositionIngestor}.
 */
public class DecodingDeserializer implements Deserializer<DecodedValue> {

    private volatile RecordDecoder decoder;

    @Override
    public DecodedValue deserialize(String topic, byte[] data) {
        RecordDecoder decoder = this.decoder;
        if (decoder == null) {
            // the bean itself, not its client proxy: the proxy looks the bean up in its context on every call
            decoder = ClientProxy.unwrap(Arc.container().instance(RecordDecoder.class).get());
            this.decoder = decoder;
        }
        return decoder.decodeValue(data);
    }
}
