#!/usr/bin/env bash
# PostgreSQL for the VM Config list tests (libs/testing startPostgres), on every machine, Docker
# or not: Debian's server package, whose initdb/postgres run a throw-away cluster per test on
# loopback. Idempotent: does nothing when the binaries are there. About 25 s cold (download and
# unpack of postgresql-15 and its client; measured on a busy 2-core machine).
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then exit 0; fi
printf '[infra] %s\n' "installing postgresql from Debian" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postgresql >/dev/null
# Tests start their own clusters; the package's own cluster service is not wanted here.
systemctl disable --now postgresql >/dev/null 2>&1 || true
pg_lsclusters -h 2>/dev/null | while read -r version name _; do pg_ctlcluster "$version" "$name" stop >/dev/null 2>&1 || true; done
