#!/usr/bin/env bash
# The demo, from a fresh clone: installs dependencies, builds/starts real Kafka, OpenBao and
# Consul (tools/infra/setup.sh), starts the five apps and shows events crossing the bus.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash tools/infra/setup.sh
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node --require @swc-node/register tools/demo/main.ts "$@"
