#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster on 127.0.0.1 (initdb into a temp folder,
# pg_ctl start on a free port, password login), with its URL in MARQUEE_TEST_POSTGRES_URL; stops
# and deletes the cluster afterwards. As root, the server runs as the `postgres` user (initdb
# refuses root). Without a PostgreSQL server installed: fails in CI, else runs the command without
# (the PostgreSQL tests then skip, naming `make setup`).
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "${CI:-}" = true ]; then
    echo "with-postgres: no PostgreSQL server under /usr/lib/postgresql (make setup installs it)" >&2
    exit 1
  fi
  echo "with-postgres: no PostgreSQL server installed (make setup); the PostgreSQL tests skip" >&2
  "$@"
  exit $?
fi
dir=$(mktemp -d /tmp/marquee-pg-XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
as_server=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_server=(runuser -u postgres --)
fi
"${as_server[@]}" bash -c "umask 077 && printf '%s\n' '$password' > '$dir/pw'"
cleanup() {
  "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_server[@]}" "$bindir/initdb" -D "$dir/data" -U marquee --pwfile="$dir/pw" --auth-host=scram-sha-256 \
  --auth-local=trust --no-locale -E UTF8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# A throwaway cluster: no fsync (a test kills clients, never the machine).
"${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
export MARQUEE_TEST_POSTGRES_URL="postgres://marquee:$password@127.0.0.1:$port/postgres?sslmode=disable"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
set +e
"$@"
status=$?
exit $status
