#!/bin/sh
# Writes server.properties from KAFKA_* variables (KAFKA_LOG_DIRS -> log.dirs), formats the log
# directory on first start only (so a restarted container keeps its topics), then runs the broker.
set -eu
props=/opt/kafka/server.properties
: > "$props"
env | grep '^KAFKA_' | grep -v '^KAFKA_HEAP_OPTS=' | while IFS='=' read -r name value; do
  key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z_' 'a-z.')
  printf '%s=%s\n' "$key" "$value" >> "$props"
done
logdir=$(sed -n 's/^log\.dirs=//p' "$props")
cp="/opt/kafka/libs/*"
if [ ! -f "$logdir/meta.properties" ]; then
  java -cp "$cp" kafka.tools.StorageTool format -t "${CLUSTER_ID:-$(java -cp "$cp" kafka.tools.StorageTool random-uuid)}" -c "$props" --ignore-formatted
fi
exec java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m} -XX:+UseSerialGC -cp "$cp" kafka.Kafka "$props"
