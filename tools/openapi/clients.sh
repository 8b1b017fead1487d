#!/usr/bin/env bash
# Generate the clients from openapi.json (make clients):
#
#   tools/openapi/clients.sh [OUT_DIR]      (default: clients/)
#
#   OUT_DIR/python/                 openapi-python-client, package trickle_client (python-client.yaml)
#   OUT_DIR/typescript/trickle.d.ts openapi-typescript types
#
# The generators live beside this script, pinned and out of the services' environment:
# openapi-python-client in tools/openapi/.venv (requirements.txt: it pins typer and friends
# differently from constraints.txt) and openapi-typescript in tools/openapi/node_modules
# (package.json + package-lock.json). Both are installed on first use. Output is deterministic
# (no dates, no caches), so tests/platform/test_clients.py can diff a fresh run against clients/.
set -euo pipefail
TOOLS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$TOOLS/../.." && pwd)"
OUT="$(mkdir -p "${1:-$REPO/clients}" && cd "${1:-$REPO/clients}" && pwd)"
SPEC="$REPO/openapi.json"

ensure_python_generator() {
  local stamp="$TOOLS/.venv/.installed"
  if [ ! -f "$stamp" ] || [ "$TOOLS/requirements.txt" -nt "$stamp" ]; then
    echo "clients: installing openapi-python-client into tools/openapi/.venv" >&2
    [ -x "$TOOLS/.venv/bin/python" ] || python3 -m venv "$TOOLS/.venv"
    "$TOOLS/.venv/bin/pip" install -q --disable-pip-version-check -r "$TOOLS/requirements.txt" >&2
    touch "$stamp"
  fi
}

ensure_typescript_generator() {
  local stamp="$TOOLS/node_modules/.installed"
  if [ ! -f "$stamp" ] || [ "$TOOLS/package-lock.json" -nt "$stamp" ]; then
    echo "clients: installing openapi-typescript into tools/openapi/node_modules" >&2
    (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >&2)
    touch "$stamp"
  fi
}

ensure_python_generator
ensure_typescript_generator

# openapi-python-client replaces its output directory; generate aside, then swap in.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Its post-hooks run `ruff` from PATH: the pinned one in the tool venv.
(cd "$work" && PATH="$TOOLS/.venv/bin:$PATH" "$TOOLS/.venv/bin/openapi-python-client" generate \
  --path "$SPEC" --config "$TOOLS/python-client.yaml" --meta uv --output-path "$work/python" >"$work/python.log" 2>&1) || {
  cat "$work/python.log" >&2
  exit 1
}
grep "^WARNING" "$work/python.log" | sed 's/^/clients: python: /' >&2 || true
rm -rf "$work/python/.ruff_cache"

mkdir -p "$work/typescript"
"$TOOLS/node_modules/.bin/openapi-typescript" "$SPEC" --root-types --root-types-no-schema-prefix \
  -o "$work/typescript/trickle.d.ts" >"$work/typescript.log" 2>&1 || {
  cat "$work/typescript.log" >&2
  exit 1
}

rm -rf "$OUT/python" "$OUT/typescript"
mv "$work/python" "$work/typescript" "$OUT/"
echo "clients: wrote $OUT/python (trickle_client) and $OUT/typescript/trickle.d.ts"
