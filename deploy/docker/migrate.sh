#!/bin/sh
# Upgrade the database of each named service (default: all five) to its newest migration.
# Each service's env.py reads TRICKLE_<SERVICE>_DATABASE_URL, so the environment decides where.
set -eu
[ "$#" -gt 0 ] || set -- wallet click_ledger settlement webhook web
for svc in "$@"; do
  echo "migrating $svc"
  (cd "/app/services/$svc" && alembic upgrade head)
done
