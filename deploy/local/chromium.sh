#!/usr/bin/env bash
# Installs Debian's `chromium` for the browser tests (tests/browser): Playwright for Python
# drives /usr/bin/chromium (never `playwright install`, which downloads a browser build of its
# own). Idempotent: nothing to do when /usr/bin/chromium exists. Needs root (CI runs as root);
# otherwise it says what to run.
#
#   bash deploy/local/chromium.sh
set -uo pipefail
CHROMIUM="${TRICKLE_CHROMIUM:-/usr/bin/chromium}"

say() { echo "chromium: $*"; }

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  say "$CHROMIUM is missing; install Debian's package: sudo apt-get install -y chromium" >&2
  exit 1
fi
say "installing chromium (Debian package)"
export DEBIAN_FRONTEND=noninteractive
# Wait for dpkg's lock rather than fail when another install (nginx for the gateway) holds it.
apt=(apt-get -o DPkg::Lock::Timeout=300 -y -q --no-install-recommends)
"${apt[@]}" install chromium fonts-liberation >/dev/null 2>&1 \
  || { "${apt[@]}" update >/dev/null && "${apt[@]}" install chromium fonts-liberation >/dev/null; } \
  || { say "apt-get install chromium failed" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { say "installed, but $CHROMIUM is not there" >&2; exit 1; }
say "installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
