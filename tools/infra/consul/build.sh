#!/usr/bin/env bash
# Builds the Consul 1.16.3 agent/CLI (MPL-2.0, the last open-licence line) from
# the Go module proxy, through this wrapper module, into
#   ~/.cache/opzero/consul/1.16.3/consul
# Idempotent: exits at once if that binary is already there and runs.
# Needs Go >= 1.22 and the Go module proxy; nothing is written into the repo.
#
# Env overrides: OPZERO_CONSUL_CACHE (default ~/.cache/opzero/consul),
#                OPZERO_CONSUL_FORCE=1 (rebuild even if the binary works).
set -euo pipefail

CONSUL_VERSION=1.16.3
# Facts of the v1.16.3 tag, stamped into `consul version` like upstream's Makefile.
CONSUL_GIT_COMMIT=1123b47f3a7e43a763d2cf9e37f0f3eea7a0b18a
CONSUL_BUILD_DATE=2023-10-31T14:28:19Z

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${OPZERO_CONSUL_CACHE:-$HOME/.cache/opzero/consul}"
OUT_DIR="$CACHE/$CONSUL_VERSION"
OUT="$OUT_DIR/consul"
BUILD="$CACHE/build"

binary_ok() {
  local v
  [[ -x "$OUT" ]] && v="$("$OUT" version 2>/dev/null)" && [[ "${v%%$'\n'*}" == "Consul v$CONSUL_VERSION" ]]
}

if [[ "${OPZERO_CONSUL_FORCE:-0}" != 1 ]] && binary_ok; then
  "$OUT" version
  exit 0
fi

command -v go >/dev/null || { echo "build.sh: Go is not installed" >&2; exit 1; }

mkdir -p "$OUT_DIR" "$BUILD"
# One build at a time per cache dir.
if command -v flock >/dev/null; then
  exec 9>"$BUILD/.lock"
  flock 9
  if [[ "${OPZERO_CONSUL_FORCE:-0}" != 1 ]] && binary_ok; then
    "$OUT" version
    exit 0
  fi
fi

start=$(date +%s)
SRC="$BUILD/src"
MOD="$BUILD/consul-module"

# 1. A scratch copy of this wrapper module (go.mod gets edited below).
rm -rf "$SRC"
mkdir -p "$SRC"
cp -R "$HERE/go.mod" "$HERE/go.sum" "$HERE/main.go" "$HERE/stubs" "$SRC/"

# 2. Consul itself, fetched and checked against go.sum, then copied so that our
#    compat file can be added to one of its packages.
cd "$SRC"
export CGO_ENABLED=0
consul_dir="$(go mod download -json "github.com/hashicorp/consul@v$CONSUL_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -n "$consul_dir" && -f "$consul_dir/go.mod" ]] || {
  echo "build.sh: could not download github.com/hashicorp/consul@v$CONSUL_VERSION" >&2; exit 1; }
rm -rf "$MOD"
cp -R "$consul_dir" "$MOD"
chmod -R u+w "$MOD"
cp "$HERE/_compat/hcp_client_compat.go" "$MOD/agent/hcp/client/zz_opzero_compat.go"
go mod edit -replace "github.com/hashicorp/consul=$MOD"

# 3. Build (niced: the machine is shared).
ldflags="-s -w"
ldflags+=" -X github.com/hashicorp/consul/version.GitCommit=$CONSUL_GIT_COMMIT"
ldflags+=" -X github.com/hashicorp/consul/version.BuildDate=$CONSUL_BUILD_DATE"
nice -n 10 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$OUT.tmp" .
mv -f "$OUT.tmp" "$OUT"
rm -rf "$MOD"

binary_ok || { echo "build.sh: built $OUT but 'consul version' does not report v$CONSUL_VERSION" >&2; exit 1; }
echo "built $OUT in $(( $(date +%s) - start ))s"
"$OUT" version
