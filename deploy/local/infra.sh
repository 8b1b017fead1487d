#!/usr/bin/env bash
# Project-local infrastructure (PostgreSQL + KRaft Kafka), no Docker.
#
#   deploy/local/infra.sh up|down|status
#
# See postgres.sh and kafka.sh for ports, files and environment variables.
# `status` exits 0 only when both are running.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  up|start)
    bash "$HERE/postgres.sh" up || exit 1
    bash "$HERE/kafka.sh" up || exit 1
    ;;
  down|stop)
    rc=0
    bash "$HERE/kafka.sh" down || rc=1
    bash "$HERE/postgres.sh" down || rc=1
    exit $rc
    ;;
  status)
    rc=0
    bash "$HERE/postgres.sh" status || rc=1
    bash "$HERE/kafka.sh" status || rc=1
    exit $rc
    ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
