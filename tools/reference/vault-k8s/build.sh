#!/usr/bin/env bash
# Builds the vault-k8s v1.7.6 reference injector (main.go here) into the cache, never into the
# repository: ${OPZERO_CACHE:-~/.cache/opzero}/vault-k8s/vault-k8s-reference. Idempotent: a
# binary newer than its sources is kept.
#
# github.com/hashicorp/vault-k8s comes from the Go module proxy. Where the proxy refuses it
# (proxy.golang.org answers "403 This module version is not available" for this module), set
# VAULT_K8S_SRC to a checkout of the v1.7.6 tag and the build uses it through a `replace`;
# a tree already unpacked at <cache>/vault-k8s/src/vault-k8s-v1.7.6 is used the same way.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${OPZERO_CACHE:-$HOME/.cache/opzero}/vault-k8s"
binary="$cache/vault-k8s-reference"
build="$cache/build"
mkdir -p "$build"

if [[ -x "$binary" && "$binary" -nt "$here/main.go" && "$binary" -nt "$here/go.mod" && "$binary" -nt "$here/go.sum" ]]; then
  echo "$binary"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is not installed; the vault-k8s reference needs Go >= 1.26" >&2; exit 1; }

cp "$here/main.go" "$here/go.mod" "$here/go.sum" "$build/"
cd "$build"
if ! nice -n 10 go mod download github.com/hashicorp/vault-k8s 2>"$build/proxy.log"; then
  src="${VAULT_K8S_SRC:-$cache/src/vault-k8s-v1.7.6}"
  if [[ ! -f "$src/agent-inject/handler.go" ]]; then
    echo "build.sh: the Go module proxy refused github.com/hashicorp/vault-k8s@v1.7.6:" >&2
    cat "$build/proxy.log" >&2
    echo "build.sh: set VAULT_K8S_SRC to a checkout of hashicorp/vault-k8s at tag v1.7.6" >&2
    exit 1
  fi
  echo "build.sh: module proxy refused vault-k8s; building from $src" >&2
  go mod edit -replace "github.com/hashicorp/vault-k8s=$src"
  nice -n 10 go mod tidy >&2
fi
nice -n 10 go build -trimpath -o "$binary.tmp" .
mv "$binary.tmp" "$binary"
echo "$binary"
