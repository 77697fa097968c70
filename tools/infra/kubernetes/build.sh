#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager (Kubernetes v1.36.3) and etcd v3.6.8 from
# the Go module proxy alone, through this wrapper module, into
#   ~/.cache/opzero/kubernetes/v1.36.3/{kube-apiserver,kube-controller-manager,etcd}
# Idempotent: exits at once when those binaries are there and report their versions.
# Nothing is written into the repository.
#
# Why a wrapper module: k8s.io/kubernetes replaces its ~30 k8s.io/* staging modules with local
# ./staging paths that a module download does not contain, and a dependency's replaces are
# ignored anyway. go.mod here replaces each by the published k8s.io/<name> v0.36.3 of the same
# release, and lists the three commands as `tool`s so `go build` can name them.
# etcd: Kubernetes 1.36 supports etcd 3.5 and 3.6 and pins go.etcd.io/etcd/* v3.6.8 in its own
# go.mod. Debian 12's etcd-server is 3.4.23, which Kubernetes no longer supports, so etcd is
# built from go.etcd.io/etcd/server/v3 at exactly the version Kubernetes pins: the module graph
# stays the one Kubernetes is tested with, and the build shares its compiled dependencies.
#
# Env overrides: OPZERO_KUBERNETES_CACHE (default ~/.cache/opzero/kubernetes),
#                OPZERO_KUBERNETES_FORCE=1 (rebuild even if the binaries work).
set -euo pipefail

KUBERNETES_VERSION=v1.36.3
ETCD_VERSION=3.6.8
# The release's tag time (the module proxy's .info), stamped as the build date for reproducibility.
KUBERNETES_BUILD_DATE=2026-07-22T18:07:38Z

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${OPZERO_KUBERNETES_CACHE:-$HOME/.cache/opzero/kubernetes}"
OUT_DIR="$CACHE/$KUBERNETES_VERSION"
BUILD="$CACHE/build"

binaries_ok() {
  [[ -x "$OUT_DIR/kube-apiserver" && -x "$OUT_DIR/kube-controller-manager" && -x "$OUT_DIR/etcd" ]] &&
    [[ "$("$OUT_DIR/kube-apiserver" --version 2>/dev/null)" == "Kubernetes $KUBERNETES_VERSION" ]] &&
    [[ "$("$OUT_DIR/kube-controller-manager" --version 2>/dev/null)" == "Kubernetes $KUBERNETES_VERSION" ]] &&
    "$OUT_DIR/etcd" --version 2>/dev/null | grep -x "etcd Version: $ETCD_VERSION" >/dev/null
}

# Pipes read etcd's whole output (no grep -q, no head): a reader that stops early can kill
# etcd with SIGPIPE, which pipefail reports as a failure.
report() {
  "$OUT_DIR/kube-apiserver" --version
  "$OUT_DIR/etcd" --version | sed -n 1p
}

if [[ "${OPZERO_KUBERNETES_FORCE:-0}" != 1 ]] && binaries_ok; then report; exit 0; fi

command -v go >/dev/null || { echo "build.sh: Go is not installed" >&2; exit 1; }

mkdir -p "$OUT_DIR" "$BUILD"
# One build at a time per cache dir; a second caller waits and then finds the binaries.
exec 9>"$BUILD/.lock"
flock 9
if [[ "${OPZERO_KUBERNETES_FORCE:-0}" != 1 ]] && binaries_ok; then report; exit 0; fi

start=$(date +%s)
# A scratch copy of the wrapper module, so the build never touches the work tree.
SRC="$BUILD/src"
rm -rf "$SRC"
mkdir -p "$SRC"
cp "$HERE/go.mod" "$HERE/go.sum" "$SRC/"
cd "$SRC"

# Without these, the binaries call themselves v0.0.0-master, which clients and the
# controller-manager's version checks reject. Both version packages, as hack/lib/version.sh does.
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION"
  ldflags+=" -X $pkg.gitMajor=1 -X $pkg.gitMinor=36"
  ldflags+=" -X $pkg.buildDate=$KUBERNETES_BUILD_DATE"
done

# One `go build` for all three so they share one compile of the common packages (niced: the
# machine is shared). CGO off: static binaries, no C toolchain needed.
export CGO_ENABLED=0
nice -n 10 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$BUILD/out/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  go.etcd.io/etcd/server/v3
mv -f "$BUILD/out/kube-apiserver" "$BUILD/out/kube-controller-manager" "$OUT_DIR/"
mv -f "$BUILD/out/server" "$OUT_DIR/etcd"  # go names a /v3 module's command by the element before
rm -rf "$SRC" "$BUILD/out"

binaries_ok || { echo "build.sh: built into $OUT_DIR but the versions are not $KUBERNETES_VERSION / $ETCD_VERSION" >&2; exit 1; }
echo "built Kubernetes $KUBERNETES_VERSION and etcd $ETCD_VERSION into $OUT_DIR in $(( $(date +%s) - start ))s"
report
