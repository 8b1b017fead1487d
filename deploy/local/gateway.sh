#!/usr/bin/env bash
# The local gateway: nginx (Debian's package) on 127.0.0.1:8080 in front of the four APIs and
# the web front end.
#
#   deploy/local/gateway.sh up|down|status|run|config
#
#   up      start it in the background (idempotent: a running gateway is left alone)
#   down    stop it (idempotent)
#   status  exit 0 when it runs and answers /healthz
#   run     run it in the foreground (honcho's Procfile line for `make run`)
#   config  render the configuration and check it with `nginx -t`
#
# The configuration is deploy/gateway/nginx.local.conf (upstreams and listener) including
# deploy/gateway/routes.conf (the routing table), rendered into $TRICKLE_GATEWAY_DIR/nginx.conf
# with these settings:
#   TRICKLE_GATEWAY_HOST (127.0.0.1)   TRICKLE_GATEWAY_PORT (8080)
#   TRICKLE_WALLET_PORT (8101)  TRICKLE_CLICK_LEDGER_PORT (8102)
#   TRICKLE_SETTLEMENT_PORT (8103)  TRICKLE_WEBHOOK_PORT (8104)  TRICKLE_WEB_PORT (8105)
#   TRICKLE_GATEWAY_DIR (var/gateway; var/gateway-PORT on another port): pid, logs/ and tmp/
# nginx is installed with apt-get when missing. It runs from that directory, never as the
# system service.
set -uo pipefail
PATH="$PATH:/usr/sbin:/sbin"  # nginx lives in /usr/sbin
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TEMPLATE="$REPO/deploy/gateway/nginx.local.conf"
ROUTES="$REPO/deploy/gateway/routes.conf"

# A gateway on another port (e.g. next to a running `make run`) keeps its files apart.
DIR_DEFAULT="$REPO/var/gateway"
[ "${TRICKLE_GATEWAY_PORT:-8080}" = 8080 ] || DIR_DEFAULT="$REPO/var/gateway-${TRICKLE_GATEWAY_PORT}"
DIR="${TRICKLE_GATEWAY_DIR:-$DIR_DEFAULT}"
HOST="${TRICKLE_GATEWAY_HOST:-127.0.0.1}"
PORT="${TRICKLE_GATEWAY_PORT:-8080}"
WALLET="${TRICKLE_WALLET_PORT:-8101}"
CLICK_LEDGER="${TRICKLE_CLICK_LEDGER_PORT:-8102}"
SETTLEMENT="${TRICKLE_SETTLEMENT_PORT:-8103}"
WEBHOOK="${TRICKLE_WEBHOOK_PORT:-8104}"
WEB="${TRICKLE_WEB_PORT:-8105}"
CONF="$DIR/nginx.conf"
PIDFILE="$DIR/nginx.pid"

say() { echo "gateway: $*"; }

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "nginx is missing; install Debian's package: sudo apt-get install -y nginx" >&2
    return 1
  fi
  say "installing nginx (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for dpkg's lock rather than fail when another install (a parallel test) holds it.
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -q)
  "${apt[@]}" install nginx >/dev/null 2>&1 || { "${apt[@]}" update >/dev/null && "${apt[@]}" install nginx >/dev/null; } || {
    say "apt-get install nginx failed" >&2
    return 1
  }
}

render() {
  mkdir -p "$DIR/logs" "$DIR/tmp"
  sed -e "s|listen 127.0.0.1:8080;|listen $HOST:$PORT;|" \
      -e "s|server 127.0.0.1:8101;|server 127.0.0.1:$WALLET;|" \
      -e "s|server 127.0.0.1:8102;|server 127.0.0.1:$CLICK_LEDGER;|" \
      -e "s|server 127.0.0.1:8103;|server 127.0.0.1:$SETTLEMENT;|" \
      -e "s|server 127.0.0.1:8104;|server 127.0.0.1:$WEBHOOK;|" \
      -e "s|server 127.0.0.1:8105;|server 127.0.0.1:$WEB;|" \
      -e "s|include routes.conf;|include $ROUTES;|" \
      "$TEMPLATE" >"$CONF.new"
  # The template's literal defaults are what gets replaced: fail if one went missing.
  for want in "listen $HOST:$PORT;" "server 127.0.0.1:$WALLET;" "server 127.0.0.1:$CLICK_LEDGER;" \
      "server 127.0.0.1:$SETTLEMENT;" "server 127.0.0.1:$WEBHOOK;" "server 127.0.0.1:$WEB;" "include $ROUTES;"; do
    grep -qF "$want" "$CONF.new" || { say "cannot render $TEMPLATE: no '$want'" >&2; return 1; }
  done
  mv "$CONF.new" "$CONF"
  nginx -q -t -p "$DIR/" -c "$CONF" || { say "invalid configuration $CONF" >&2; return 1; }
}

master_pid() {
  [ -s "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

healthy() {
  python3 - "$HOST" "$PORT" <<'EOF'
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://{sys.argv[1]}:{sys.argv[2]}/healthz", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}

up() {
  if pid="$(master_pid)"; then
    say "running (pid $pid) on http://$HOST:$PORT"
    return 0
  fi
  ensure_nginx && render || return 1
  nginx -p "$DIR/" -c "$CONF" || { say "nginx did not start; see $DIR/logs/error.log" >&2; return 1; }
  for _ in $(seq 1 50); do
    if healthy; then
      say "up on http://$HOST:$PORT (pid $(cat "$PIDFILE"), logs $DIR/logs)"
      return 0
    fi
    sleep 0.2
  done
  say "started but http://$HOST:$PORT/healthz does not answer; see $DIR/logs/error.log" >&2
  return 1
}

down() {
  local pid
  if ! pid="$(master_pid)"; then
    say "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  kill -QUIT "$pid"  # graceful: finish requests in flight
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { say "stopped"; return 0; }
    sleep 0.2
  done
  kill -TERM "$pid" 2>/dev/null
  sleep 1
  kill -0 "$pid" 2>/dev/null && { say "pid $pid did not stop" >&2; return 1; }
  say "stopped"
}

status() {
  local pid
  if pid="$(master_pid)" && healthy; then
    say "running (pid $pid) on http://$HOST:$PORT"
    return 0
  fi
  say "stopped"
  return 1
}

case "${1:-}" in
  up|start) up ;;
  down|stop) down ;;
  status) status ;;
  run)
    ensure_nginx && render || exit 1
    say "serving http://$HOST:$PORT (logs $DIR/logs)"
    exec nginx -p "$DIR/" -c "$CONF" -g "daemon off;"
    ;;
  config) ensure_nginx && render && say "configuration OK: $CONF" ;;
  *) echo "usage: $0 up|down|status|run|config" >&2; exit 2 ;;
esac
