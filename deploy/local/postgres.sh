#!/usr/bin/env bash
# Project-local PostgreSQL cluster for tests and `make run` (no Docker).
#
#   deploy/local/postgres.sh up|down|status
#
# Data:    <repo>/var/postgres/data     Sockets: <repo>/var/postgres/run
# Log:     <repo>/var/postgres/postgres.log
# Listens: 127.0.0.1:${TRICKLE_PG_PORT:-55432}, user postgres, auth trust (loop-back only).
#
# Environment:
#   TRICKLE_PG_PORT=55432   TCP port.
#   TRICKLE_PG_HOME=<repo>/var/postgres
#                           Where the cluster lives (data, sockets, log): a second cluster
#                           (the benchmarks' durable one, var/postgres-bench) gets its own.
#   TRICKLE_PG_SHARED_BUFFERS=1GB, TRICKLE_PG_MAX_WAL_SIZE=4GB
#                           Server memory and WAL between checkpoints (applied at start).
#   TRICKLE_PG_OPTS="-c name=value ..."
#                           Further server settings for this start (e.g. a profiling extension).
#   TRICKLE_PG_DURABLE=1    Start with PostgreSQL's durable defaults. By default the
#                           throw-away cluster runs with fsync=off, synchronous_commit=off
#                           and full_page_writes=off (much faster; a crash of the machine
#                           can corrupt it). Use TRICKLE_PG_DURABLE=1 for benchmarks.
#
# Idempotent: `up` initialises the cluster only if it does not exist, is a no-op if
# it is already running, and creates the project databases only if missing.
# PostgreSQL refuses to run as root: as root, initdb/pg_ctl run as the `postgres`
# system user (created by the Debian package) and var/postgres is owned by it.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=deploy/local/daemon.sh
source "$REPO/deploy/local/daemon.sh"
PG_ROOT="${TRICKLE_PG_HOME:-$REPO/var/postgres}"
PG_DATA="$PG_ROOT/data"
PG_RUN="$PG_ROOT/run"
PG_LOG="$PG_ROOT/postgres.log"
PG_PORT="${TRICKLE_PG_PORT:-55432}"
DATABASES=(trickle_wallet trickle_click_ledger trickle_settlement trickle_webhook trickle_web)

log() { echo "[postgres] $*" >&2; }

find_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; fi
}

ensure_installed() {
  BINDIR="$(find_bindir)"
  if [[ -z "$BINDIR" ]]; then
    log "no /usr/lib/postgresql/*/bin/initdb; installing the postgresql package"
    if [[ $EUID -ne 0 ]]; then log "need root to install PostgreSQL"; exit 1; fi
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    BINDIR="$(find_bindir)"
    [[ -n "$BINDIR" ]] || { log "PostgreSQL install failed"; exit 1; }
  fi
}

# Run a PostgreSQL server binary as the right user.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

psql_q() {
  local psql="$BINDIR/psql"
  [[ -x "$psql" ]] || psql="psql"
  PGCONNECT_TIMEOUT=5 "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

is_running() {
  [[ -f "$PG_DATA/PG_VERSION" ]] || return 1
  as_pg "$BINDIR/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

prepare_dirs() {
  mkdir -p "$PG_DATA" "$PG_RUN"
  if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { log "no 'postgres' system user"; exit 1; }
    chown -R postgres:postgres "$PG_ROOT"
    # The postgres user must be able to traverse every parent folder.
    local d="$PG_ROOT"
    while [[ "$d" != "/" ]]; do
      d="$(dirname "$d")"
      chmod o+x "$d" 2>/dev/null || true
    done
  fi
  chmod 700 "$PG_DATA"
}

cmd_up() {
  ensure_installed
  if is_running; then
    log "already running on 127.0.0.1:$PG_PORT"
  else
    prepare_dirs
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
      log "initdb $PG_DATA"
      local locale=C.UTF-8
      locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || locale=C
      as_pg "$BINDIR/initdb" -D "$PG_DATA" --auth=trust -U postgres -E UTF8 \
        --locale="$locale" >"$PG_ROOT/initdb.log" 2>&1 \
        || { cat "$PG_ROOT/initdb.log" >&2; exit 1; }
    fi
    local opts="-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_RUN -c max_connections=400"
    # PostgreSQL's defaults (128 MB of buffers, a checkpoint every ~0.5 GB of WAL) are sized for a
    # small machine: a period close writes ~1.1 GB of WAL and its backends evicted and wrote back
    # pages themselves. Closer to what deploy/k8s/operators/cloudnative-pg.yaml gives a server.
    opts+=" -c shared_buffers=${TRICKLE_PG_SHARED_BUFFERS:-1GB} -c max_wal_size=${TRICKLE_PG_MAX_WAL_SIZE:-4GB}"
    opts+=" ${TRICKLE_PG_OPTS:-}"
    if [[ "${TRICKLE_PG_DURABLE:-0}" != "1" ]]; then
      opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    [[ $EUID -eq 0 ]] && { touch "$PG_LOG"; chown postgres:postgres "$PG_LOG"; }
    log "starting on 127.0.0.1:$PG_PORT (durable=${TRICKLE_PG_DURABLE:-0})"
    if ! (close_inherited_fds; as_pg "$BINDIR/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "$opts" -w -t 60 start >/dev/null); then
      log "failed to start; tail of $PG_LOG:"; tail -n 30 "$PG_LOG" >&2; exit 1
    fi
  fi
  local db
  for db in "${DATABASES[@]}"; do
    if [[ "$(psql_q -tA -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]]; then
      log "create database $db"
      psql_q -c "CREATE DATABASE \"$db\" OWNER postgres"
    fi
  done
  log "ready: postgresql://postgres@127.0.0.1:$PG_PORT/"
}

cmd_down() {
  ensure_installed
  if is_running; then
    log "stopping"
    as_pg "$BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    log "stopped"
  else
    log "not running"
  fi
}

cmd_status() {
  ensure_installed
  if is_running; then
    echo "postgres: running (127.0.0.1:$PG_PORT)"
  else
    echo "postgres: stopped"
    return 1
  fi
}

case "${1:-}" in
  up|start) cmd_up ;;
  down|stop) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
