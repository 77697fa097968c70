#!/usr/bin/env bash
# Builds the vault-k8s v1.7.6 reference injector (main.go here, our own program importing its
# agent-inject package) from the Go module proxy into the cache, never into the repository:
# ${OPZERO_CACHE:-~/.cache/opzero}/vault-k8s/vault-k8s-reference. Idempotent.
#
# Note: on this project's machines the module proxy refuses github.com/hashicorp/vault-k8s
# ("403 Forbidden: This module version is not available"). Then point VAULT_K8S_SOURCE at a
# checkout of the v1.7.6 tag outside the repository (e.g. `git archive v1.7.6` of a mirror);
# the build replaces the module with it (its dependencies still come from the proxy). Without
# either the script stops with the proxy's error; the recorded outcomes in
# libs/annotations/corpus/vault-k8s-v1.7.6.json let the compatibility test run without it.
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
if [[ -n "${VAULT_K8S_SOURCE:-}" ]]; then
  grep -q '^module github.com/hashicorp/vault-k8s$' "$VAULT_K8S_SOURCE/go.mod" || { echo "build.sh: $VAULT_K8S_SOURCE is not a vault-k8s checkout" >&2; exit 1; }
  go mod edit -replace "github.com/hashicorp/vault-k8s=$VAULT_K8S_SOURCE"
  GOFLAGS=-mod=mod nice -n 10 go build -trimpath -o "$binary.tmp" .
  mv "$binary.tmp" "$binary"
  echo "$binary"
  exit 0
fi
if ! nice -n 10 go mod download github.com/hashicorp/vault-k8s 2>"$build/proxy.log"; then
  echo "build.sh: the Go module proxy refused github.com/hashicorp/vault-k8s@v1.7.6:" >&2
  cat "$build/proxy.log" >&2
  exit 1
fi
nice -n 10 go build -trimpath -o "$binary.tmp" .
mv "$binary.tmp" "$binary"
echo "$binary"
