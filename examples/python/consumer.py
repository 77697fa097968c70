#!/usr/bin/env python3
"""Example opzero event consumer for teams outside the TypeScript monorepo.

It needs nothing from our code: only the published JSON Schemas (docs/events/*.schema.json),
kafka-python and jsonschema. Each schema names its topic (x-opzero-topic) and CloudEvents type
(x-cloudevents-type); messages are CloudEvents 1.0 in Kafka binary mode (ce_* headers, JSON value).

Prints one JSON line per record: {"topic", "key", "id", "type", "valid", "error", "duplicate"}.
Stops after --expect distinct valid events (or --max-records records of any kind), or after
--timeout seconds (exit 1 if --expect was not reached).

    python consumer.py --brokers 127.0.0.1:9092 --group my-team --expect 7
"""
import argparse
import glob
import json
import os
import sys
import time

from jsonschema import Draft202012Validator
from kafka import KafkaConsumer

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMAS = os.path.join(HERE, "..", "..", "docs", "events")
REQUIRED_HEADERS = ("ce_id", "ce_source", "ce_type", "ce_specversion")


def load_schemas(directory):
    """Topic -> (CloudEvents type, validator), from every *.schema.json in directory."""
    schemas = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.schema.json"))):
        with open(path, encoding="utf-8") as handle:
            schema = json.load(handle)
        Draft202012Validator.check_schema(schema)
        schemas[schema["x-opzero-topic"]] = (schema["x-cloudevents-type"], Draft202012Validator(schema))
    return schemas


def check(record, schemas):
    """The CloudEvent id and type of a record, and the first problem found (None when valid)."""
    headers = {name: (value or b"").decode("utf-8") for name, value in (record.headers or [])}
    event_id, event_type = headers.get("ce_id", ""), headers.get("ce_type", "")
    missing = [name for name in REQUIRED_HEADERS if not headers.get(name)]
    if missing:
        return event_id, event_type, "header %s is missing" % missing[0]
    expected_type, validator = schemas[record.topic]
    if event_type != expected_type:
        return event_id, event_type, "ce_type %s is not %s" % (event_type, expected_type)
    try:
        data = json.loads(record.value or b"")
    except ValueError as error:
        return event_id, event_type, "value is not JSON: %s" % error
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        field = ".".join(str(part) for part in errors[0].absolute_path) or "(root)"
        return event_id, event_type, "%s: %s" % (field, errors[0].message)
    return event_id, event_type, None


def done(args, valid, records):
    """True once the requested number of valid events or of records has been read."""
    if args.max_records:
        return records >= args.max_records
    return args.expect > 0 and valid >= args.expect


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brokers", required=True, help="comma-separated host:port list")
    parser.add_argument("--group", required=True, help="consumer group id")
    parser.add_argument("--schemas", default=DEFAULT_SCHEMAS, help="directory of *.schema.json")
    parser.add_argument("--expect", type=int, default=0, help="stop after this many distinct valid events")
    parser.add_argument("--max-records", type=int, default=0, help="stop after this many records, valid or not")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before giving up")
    args = parser.parse_args()

    schemas = load_schemas(args.schemas)
    consumer = KafkaConsumer(
        *sorted(schemas),
        bootstrap_servers=args.brokers.split(","),
        group_id=args.group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    # At-least-once delivery: the same event may arrive twice; the CloudEvents id de-duplicates.
    seen = set()
    records_seen = 0
    deadline = time.monotonic() + args.timeout
    try:
        while time.monotonic() < deadline and not done(args, len(seen), records_seen):
            batches = consumer.poll(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    records_seen += 1
                    event_id, event_type, error = check(record, schemas)
                    duplicate = error is None and event_id in seen
                    if error is None:
                        seen.add(event_id)
                    line = {"topic": record.topic, "key": (record.key or b"").decode("utf-8"), "id": event_id,
                            "type": event_type, "valid": error is None, "error": error, "duplicate": duplicate}
                    print(json.dumps(line), flush=True)
            if batches:
                # Commit after handling, so a crash re-delivers rather than loses.
                consumer.commit()
    finally:
        consumer.close()
    return 0 if args.expect == 0 or len(seen) >= args.expect else 1


if __name__ == "__main__":
    sys.exit(main())
