#!/usr/bin/env bash
# Builds the helm CLI (Apache-2.0) from the Go module proxy with `go install
# helm.sh/helm/v3/cmd/helm@<version>` into
#   ~/.cache/opzero/helm/<version>/helm
# helm's go.mod has no replace directives, so no wrapper module is needed; the
# ldflags are the ones helm's Makefile stamps (version, Kubernetes version that
# `helm template`/`helm lint` assume when no cluster is asked).
# Idempotent: exits at once if that binary is already there and reports the version.
# Needs the Go version helm's go.mod asks for (1.26 for v3.22) and the Go module proxy;
# nothing is written into the repo.
#
# Env overrides: OPZERO_HELM_VERSION (default below), OPZERO_HELM_CACHE (default
# ~/.cache/opzero/helm), OPZERO_HELM_FORCE=1 (rebuild even if the binary works).
# Prints the binary's path on its last line.
set -euo pipefail

HELM_VERSION=${OPZERO_HELM_VERSION:-v3.22.0}
CACHE=${OPZERO_HELM_CACHE:-$HOME/.cache/opzero/helm}
OUT_DIR=$CACHE/$HELM_VERSION
OUT=$OUT_DIR/helm

binary_ok() {
  [[ -x "$OUT" ]] && [[ "$("$OUT" version --template '{{.Version}}' 2>/dev/null)" == "$HELM_VERSION" ]]
}

if [[ "${OPZERO_HELM_FORCE:-0}" != 1 ]] && binary_ok; then
  echo "$OUT"
  exit 0
fi

command -v go >/dev/null || { echo "build.sh: Go is not installed" >&2; exit 1; }
mkdir -p "$OUT_DIR"
# One build at a time per cache dir; a second caller waits and then finds the binary.
exec 9>"$OUT_DIR/.lock"
flock 9
if [[ "${OPZERO_HELM_FORCE:-0}" != 1 ]] && binary_ok; then
  echo "$OUT"
  exit 0
fi

start=$(date +%s)
# The Kubernetes version helm assumes offline is derived from its client-go, as its Makefile does.
client_go=$(cd "$OUT_DIR" && GOFLAGS=-mod=mod go mod download -json "helm.sh/helm/v3@$HELM_VERSION" |
  sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' | xargs awk '$1 == "k8s.io/client-go" { print $2 }')
[[ "$client_go" =~ ^v0\.([0-9]+)\. ]] || { echo "build.sh: no k8s.io/client-go in helm $HELM_VERSION's go.mod" >&2; exit 1; }
k8s_minor=${BASH_REMATCH[1]}

ldflags="-s -w"
ldflags+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ldflags+=" -X helm.sh/helm/v3/internal/version.metadata="
ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  ldflags+=" -X helm.sh/helm/v3/$pkg.k8sVersionMajor=1 -X helm.sh/helm/v3/$pkg.k8sVersionMinor=$k8s_minor"
done

# Built into a scratch GOBIN and moved, so a half-written binary never sits at $OUT (niced: shared machine).
rm -rf "$OUT_DIR/gobin"
CGO_ENABLED=0 GOBIN="$OUT_DIR/gobin" nice -n 10 go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
mv -f "$OUT_DIR/gobin/helm" "$OUT"
rm -rf "$OUT_DIR/gobin"

binary_ok || { echo "build.sh: built $OUT but 'helm version' does not report $HELM_VERSION" >&2; exit 1; }
echo "built helm $HELM_VERSION in $(( $(date +%s) - start ))s" >&2
echo "$OUT"
