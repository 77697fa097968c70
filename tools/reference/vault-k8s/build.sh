#!/usr/bin/env bash
# Builds the vault-k8s v1.7.6 reference injector (main.go here, our own program importing its
# agent-inject package) from the Go module proxy into the cache, never into the repository:
# ${OPZERO_CACHE:-~/.cache/opzero}/vault-k8s/vault-k8s-reference. Idempotent.
#
# Note: on this project's machines the module proxy refuses github.com/hashicorp/vault-k8s
# ("403 Forbidden: This module version is not available"); the script then stops with that
# error. The recorded outcomes in libs/annotations/corpus/vault-k8s-v1.7.6.json let the
# compatibility test run without the reference.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${OPZERO_CACHE:-$HOME/.cache/opzero}/vault-k8s"
binary="$cache/vault-k8s-reference"
build="$cache/build"
mkdir -p "$build"

if [[ -x "$binary" && "$binary" -nt "$here/main.go" && "$binary" -nt "$here/go.mod" ]]; then
  echo "$binary"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is not installed" >&2; exit 1; }
cp "$here/main.go" "$here/go.mod" "$here/go.sum" "$build/"
cd "$build"
if ! nice -n 10 go mod download github.com/hashicorp/vault-k8s 2>"$build/proxy.log"; then
  echo "build.sh: the Go module proxy refused github.com/hashicorp/vault-k8s@v1.7.6:" >&2
  cat "$build/proxy.log" >&2
  exit 1
fi
nice -n 10 go build -trimpath -o "$binary.tmp" .
mv "$binary.tmp" "$binary"
echo "$binary"
