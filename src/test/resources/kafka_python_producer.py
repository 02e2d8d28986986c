# The field's producer, verbatim but for the broker address and the sample: kafka-python, JSON string serializer,
# no key, topic JSON.
import json
import sys

from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers=sys.argv[1],
                         value_serializer=lambda m: json.dumps(m).encode("utf-8"))
producer.send("JSON", {"id": sys.argv[2], "x": 910, "y": 454})
producer.flush()
producer.close()
