#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, the benchmarks and CI: never a system service.
#
#   scripts/pg-cluster.sh start DIR   initdb + pg_ctl start in DIR on a free loopback port; prints the URL
#   scripts/pg-cluster.sh stop DIR    stops it (immediate: nothing in it is worth a checkpoint) and removes DIR
#   scripts/pg-cluster.sh bindir      prints where initdb and pg_ctl are, or exits 1 when PostgreSQL is not installed
#
# initdb refuses to run as root, so as root the cluster belongs to `nobody`: DIR is handed over to it, and its
# parent must be one `nobody` can enter (pass a fresh `mktemp -d` itself, as test/support/postgres.ts does).
# Trust authentication on 127.0.0.1 only, fsync off: test data, gone with DIR.
set -euo pipefail

bindir() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return 0
  fi
  # Debian keeps them off PATH, one folder per major version: the newest wins.
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then
    echo "$found"
    return 0
  fi
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local dir=$1 bin port
  bin=$(bindir) || { echo "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin)" >&2; exit 1; }
  mkdir -p "$dir"
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown nobody "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U twir --auth=trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # A port can be taken between choosing and binding it: try a few.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >/dev/null; then
      echo "$port" >"$dir/port"
      echo "postgres://twir@127.0.0.1:$port/postgres"
      return 0
    fi
  done
  cat "$dir/postgres.log" >&2
  exit 1
}

stop() {
  local dir=$1 bin
  bin=$(bindir) || exit 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: pg-cluster.sh start DIR}" ;;
  stop) stop "${2:?usage: pg-cluster.sh stop DIR}" ;;
  bindir) bindir ;;
  *) echo "usage: pg-cluster.sh start DIR | stop DIR | bindir" >&2; exit 2 ;;
esac
