#!/usr/bin/env bash
# Starts and stops a local Lineage cluster on 127.0.0.1 for demos, manual tests and benchmarks.
#
#   scripts/cluster.sh start [N] [--sqlite]   build the silo, start PostgreSQL (unless --sqlite) and N silos (default 3);
#                                             silo i serves HTTP on 7070+i and messages on 11111+i
#   scripts/cluster.sh stop                   stop every silo gracefully (SIGTERM: leave, hand off, flush), then PostgreSQL
#   scripts/cluster.sh status                 list the silos and whether each answers /health
#
# State lives in .cluster/ at the repository root (override with LINEAGE_CLUSTER_DIR): the PostgreSQL data directory or
# the shared SQLite file, the cluster secret, one log per silo, and the PIDs this script started (it stops only those).
# Extra silo settings pass through the environment, e.g. LINEAGE_Cluster__ProbePeriod=00:00:00.500.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=${LINEAGE_CLUSTER_DIR:-$root/.cluster}
pg_port=${LINEAGE_CLUSTER_PG_PORT:-55432}
http_base=7070
silo_base=11111

usage() {
  echo "usage: $0 start [N] [--sqlite] | stop | status" >&2
  exit 2
}

health() {
  curl -fsS --max-time 2 "http://127.0.0.1:$1/health" >/dev/null 2>&1
}

start() {
  local count=3 storage=postgres
  for arg in "$@"; do
    case "$arg" in
      --sqlite) storage=sqlite ;;
      ''|*[!0-9]*) usage ;;
      *) count=$arg ;;
    esac
  done
  [ "$count" -ge 1 ] || usage
  if [ -s "$dir/pids" ]; then
    echo "a cluster started from $dir is still recorded as running; run '$0 stop' first" >&2
    exit 1
  fi

  mkdir -p "$dir/logs"
  if [ ! -s "$dir/cluster.secret" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 > "$dir/cluster.secret")
  fi

  dotnet build Silo -c Release --nologo -v quiet >/dev/null
  local dll=$root/Silo/bin/Release/net10.0/Lineage.Silo.dll

  local -a settings=("LINEAGE_Cluster__Secret=$(cat "$dir/cluster.secret")")
  if [ "$storage" = postgres ]; then
    local connection
    connection=$(bash scripts/postgres.sh start "$dir/postgres" "$pg_port")
    echo "$dir/postgres" > "$dir/postgres.started"
    settings+=("LINEAGE_Storage__Provider=Postgres" "LINEAGE_Storage__Postgres__ConnectionString=$connection")
  else
    settings+=("LINEAGE_Storage__Provider=Sqlite" "LINEAGE_Storage__Sqlite__DataDirectory=$dir/sqlite")
  fi

  : > "$dir/pids"
  for i in $(seq 0 $((count - 1))); do
    local http=$((http_base + i)) port=$((silo_base + i))
    env "${settings[@]}" LINEAGE_Cluster__SiloPort=$port LINEAGE_Urls="http://127.0.0.1:$http" \
      setsid dotnet "$dll" </dev/null >"$dir/logs/silo-$i.log" 2>&1 &
    echo "$! $http $port" >> "$dir/pids"
  done

  local deadline=$((SECONDS + 60))
  while read -r pid http port; do
    until health "$http"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "silo on port $http exited during start-up; its log ($dir/logs) ends with:" >&2
        tail -n 20 "$dir/logs/silo-$(( http - http_base )).log" >&2
        stop
        exit 1
      fi
      if [ $SECONDS -ge $deadline ]; then
        echo "silo on port $http did not answer /health within 60 s; see $dir/logs" >&2
        stop
        exit 1
      fi
      sleep 0.2
    done
  done < "$dir/pids"
  status
}

stop() {
  if [ -s "$dir/pids" ]; then
    while read -r pid _ _; do
      kill -TERM "$pid" 2>/dev/null || true
    done < "$dir/pids"
    # Graceful leave takes as long as handing off and flushing grains; wait for every silo we started, within a deadline.
    local deadline=$((SECONDS + 90))
    while read -r pid _ _; do
      while kill -0 "$pid" 2>/dev/null; do
        if [ $SECONDS -ge $deadline ]; then
          echo "silo $pid did not leave within 90 s; killing it (its peers will detect it by probes)" >&2
          kill -KILL "$pid" 2>/dev/null || true
          break
        fi
        sleep 0.2
      done
    done < "$dir/pids"
    : > "$dir/pids"
  fi
  if [ -s "$dir/postgres.started" ]; then
    bash scripts/postgres.sh stop "$(cat "$dir/postgres.started")" >/dev/null
    : > "$dir/postgres.started"
  fi
  echo "cluster in $dir stopped"
}

status() {
  if [ ! -s "$dir/pids" ]; then
    echo "no cluster started from $dir"
    return 3
  fi
  printf '%-8s %-28s %-8s %s\n' PID HTTP SILO STATE
  while read -r pid http port; do
    local state=down
    if kill -0 "$pid" 2>/dev/null; then
      state=starting
      health "$http" && state=up
    fi
    printf '%-8s %-28s %-8s %s\n' "$pid" "http://127.0.0.1:$http" "$port" "$state"
  done < "$dir/pids"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
