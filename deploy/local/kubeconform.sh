#!/usr/bin/env bash
# Validates every Kubernetes manifest in deploy/k8s (with gateway/ and operators/) against the
# Kubernetes JSON schemas, offline, with kubeconform (`make k8s-check`, part of `make test`).
#
#   deploy/local/kubeconform.sh [FILE OR FOLDER]...     (default: deploy/k8s)
#
# Built and cached under <repo>/var/kubeconform (idempotent; a second run builds nothing):
#   bin/kubeconform-<version>, bin/kustomize-<version>
#                               built from their Go modules with the machine's `go`;
#   schemas/v<k8s>-standalone-strict/<kind>-<group>-<version>.json
#                               made by deploy/local/k8s_schemas.py from the schemas that the
#                               Python package kubernetes-validate ships (its wheel, fetched
#                               with pip), since kubeconform's own schema download needs a
#                               host this machine does not reach.
#
# Environment:
#   KUBERNETES_VERSIONS="1.31.0 1.37.0"  validated against each (oldest and newest supported here).
#
# Without arguments it also renders deploy/k8s and deploy/k8s/operators with kustomize (the
# kustomizations and the gateway component must build) and validates what they render.
#
# Strict: an unknown field or a duplicated key fails. Kinds with no Kubernetes schema are
# skipped only when listed in CUSTOM_KINDS below (the operators' custom resources and
# kustomize's own files); any other kind without a schema fails.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROOT="$REPO/var/kubeconform"
KUBECONFORM_VERSION=v0.8.0
KUSTOMIZE_VERSION=v5.7.1
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBERNETES_VERSIONS="${KUBERNETES_VERSIONS:-1.31.0 1.37.0}"
BIN="$ROOT/bin/kubeconform-$KUBECONFORM_VERSION"
PY="$REPO/.venv/bin/python"
[[ -x "$PY" ]] || PY=python3
CUSTOM_KINDS=(
  kustomize.config.k8s.io/v1beta1/Kustomization
  kustomize.config.k8s.io/v1alpha1/Component
  kafka.strimzi.io/v1beta2/Kafka
  kafka.strimzi.io/v1beta2/KafkaNodePool
  postgresql.cnpg.io/v1/Cluster
  postgresql.cnpg.io/v1/Database
)

log() { echo "[kubeconform] $*" >&2; }

# build NAME MODULE_PATH VERSION: bin/NAME-VERSION from the Go module, once.
build() {
  local name="$1" module="$2" version="$3"
  [[ -x "$ROOT/bin/$name-$version" ]] && return
  command -v go >/dev/null || { log "needs Go (go install) to build $name"; exit 1; }
  log "building $name $version"
  # Go keeps its module and build caches under $HOME; without one, under var/ too.
  [[ -n "${HOME:-}" ]] || export GOPATH="$ROOT/go" GOCACHE="$ROOT/go-build"
  local tmp="$ROOT/bin/.build-$name"
  rm -rf "$tmp" && mkdir -p "$tmp"
  GOBIN="$tmp" GOFLAGS=-buildvcs=false GOTOOLCHAIN=local go install "$module@$version"
  mv "$tmp/$name" "$ROOT/bin/$name-$version"
  rm -rf "$tmp"
}

schemas() {
  local version="$1" done="$ROOT/schemas/v$1-standalone-strict/.complete-$KUBERNETES_VALIDATE_VERSION"
  [[ -f "$done" ]] && return
  local wheels="$ROOT/wheels"
  local wheel="$wheels/kubernetes_validate-$KUBERNETES_VALIDATE_VERSION-py3-none-any.whl"
  if [[ ! -f "$wheel" ]]; then
    log "fetching the schemas of kubernetes-validate $KUBERNETES_VALIDATE_VERSION"
    "$PY" -m pip download -q --no-deps --only-binary=:all: -d "$wheels" \
      "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  fi
  rm -rf "$ROOT/schemas/v$version-standalone-strict"
  "$PY" "$REPO/deploy/local/k8s_schemas.py" "$wheel" "$version" "$ROOT/schemas"
  touch "$done"
}

mkdir -p "$ROOT/bin"
build kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
rendered=()
if [[ $# -eq 0 ]]; then
  build kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
  mkdir -p "$ROOT/rendered"
  for dir in deploy/k8s deploy/k8s/operators; do
    out="$ROOT/rendered/$(echo "$dir" | tr / -).yaml"
    "$ROOT/bin/kustomize-$KUSTOMIZE_VERSION" build "$REPO/$dir" >"$out"
    rendered+=("$out")
  done
  set -- "$REPO/deploy/k8s"
fi
skip="$(IFS=,; echo "${CUSTOM_KINDS[*]}")"
for version in $KUBERNETES_VERSIONS; do
  schemas "$version"
  log "Kubernetes $version (skipped, no schema here: ${CUSTOM_KINDS[*]})"
  "$BIN" -strict -summary -n 2 \
    -kubernetes-version "$version" \
    -schema-location "$ROOT/schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -skip "$skip" \
    "$@"
  if [[ ${#rendered[@]} -gt 0 ]]; then
    log "Kubernetes $version, as kustomize renders deploy/k8s and deploy/k8s/operators"
    "$BIN" -strict -summary -n 2 -kubernetes-version "$version" \
      -schema-location "$ROOT/schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
      -skip "$skip" \
      "${rendered[@]}"
  fi
done
