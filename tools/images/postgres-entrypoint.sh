#!/bin/sh
# The official postgres image's contract, in short: on an empty PGDATA, initdb with the
# superuser POSTGRES_USER (default postgres) and POSTGRES_PASSWORD (required), password
# authentication from anywhere, and POSTGRES_DB (default: the user's name) created; then the
# server in the foreground on every address, with any arguments passed on (`-c name=value`).
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres-entrypoint: POSTGRES_PASSWORD must be set (the superuser's password)" >&2
    exit 1
  fi
  # The password reaches initdb on stdin, never on a command line or in a file left behind.
  printf '%s\n' "$POSTGRES_PASSWORD" | initdb -D "$PGDATA" -U "$user" --pwfile=/dev/stdin --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$database" != postgres ]; then
    printf 'CREATE DATABASE "%s";\n' "$database" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  fi
  echo "postgres-entrypoint: initialised $PGDATA (superuser $user, database $database)" >&2
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c jit=off "$@"
