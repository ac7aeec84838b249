#!/usr/bin/env bash
# Starts, stops and reports a private local PostgreSQL server for Lineage's tests, benchmarks and demo clusters.
# Installs nothing: scripts/setup.sh installs the Debian 'postgresql' package (which starts no server of its own).
#
#   scripts/postgres.sh start DIR PORT   create a cluster in DIR if it holds none, start it on 127.0.0.1:PORT with its
#                                        socket in DIR, and print the connection string
#   scripts/postgres.sh stop DIR         stop the server of DIR at once (immediate shutdown; committed data is kept)
#   scripts/postgres.sh status DIR       exit 0 and print the connection string if the server of DIR runs, else exit 3
#
# The server trusts every local connection (no password): it listens on loopback only and is meant for one machine's
# tests and demos, never for real data. Durable by default (fsync on). PGBIN overrides where the server binaries are.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR PORT | stop DIR | status DIR" >&2
  exit 2
}

pg_bin() {
  if [ -n "${PGBIN:-}" ]; then
    echo "$PGBIN"
    return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$newest" ] || [ ! -x "$newest/pg_ctl" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql; run scripts/setup.sh as root (installs 'postgresql')" >&2
    exit 1
  fi
  echo "$newest"
}

# Runs a server binary as the 'postgres' user when we are root (the server refuses to run as root), else as ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

connection_string() {
  echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=postgres"
}

# The port the running server of DIR was started with, read back from its pid file (line 4).
running_port() {
  sed -n 4p "$1/data/postmaster.pid" 2>/dev/null
}

[ $# -ge 2 ] || usage
command=$1
dir=$2

case "$command" in
  start)
    [ $# -eq 3 ] || usage
    port=$3
    case "$port" in
      '' | *[!0-9]*) echo "PORT must be a number, got '$port'" >&2; exit 2 ;;
    esac
    bin=$(pg_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$dir"
      runuser -u postgres -- test -x "$dir" \
        || { echo "the postgres user cannot reach $dir: every directory above it must be searchable by others (chmod o+x)" >&2; exit 1; }
    fi
    # The server and initdb start in the current directory, which the postgres user must be able to read.
    cd "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { echo "initdb failed; see $dir/initdb.log:" >&2; tail -n 20 "$dir/initdb.log" >&2; exit 1; }
    fi
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      running=$(running_port "$dir")
      if [ "$running" != "$port" ]; then
        echo "the server of $dir already runs on port $running, not $port" >&2
        exit 1
      fi
    else
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null \
        || { echo "PostgreSQL did not start; see $dir/server.log:" >&2; tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    connection_string "$port"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    bin=$(pg_bin)
    [ -d "$dir/data" ] || { echo "no PostgreSQL cluster in $dir" >&2; exit 1; }
    cd "$dir"
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    fi
    ;;
  status)
    [ $# -eq 2 ] || usage
    bin=$(pg_bin)
    [ -d "$dir/data" ] || { echo "no PostgreSQL cluster in $dir" >&2; exit 3; }
    cd "$dir"
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      connection_string "$(running_port "$dir")"
    else
      echo "stopped" >&2
      exit 3
    fi
    ;;
  *)
    usage
    ;;
esac
