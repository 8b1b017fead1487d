"""Standalone Kubernetes JSON schemas for kubeconform, made offline from a kubernetes-validate wheel.

The wheel (a package on the Python registry, kept up to date with each Kubernetes release)
ships, per Kubernetes version, one schema per kind whose `$ref`s point into a shared
`/api/_definitions.json` by absolute URL. kubeconform would try to fetch that URL, so each
resource kind is written out here with the definitions it reaches copied into its own `$defs`
and every `$ref` made local: the layout kubeconform's `-schema-location` template expects,
`<out>/v<version>-standalone-strict/<kind>-<group>-<version>.json`.

    python3 deploy/local/k8s_schemas.py WHEEL KUBERNETES_VERSION OUT_DIR
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

SHARED = "/api/_definitions.json#/$defs/"
LOCAL = "#/$defs/"


def local_refs(node: Any, found: set[str]) -> Any:
    """`node` with every `$ref` into the shared definitions made local; their names added to `found`."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                for prefix in (SHARED, LOCAL):
                    if value.startswith(prefix):
                        found.add(value[len(prefix) :])
                        value = LOCAL + value[len(prefix) :]
                        break
                else:
                    raise ValueError(f"unexpected $ref {value!r}")
            out[key] = local_refs(value, found) if key != "$ref" else value
        return out
    if isinstance(node, list):
        return [local_refs(item, found) for item in node]
    return node


def standalone(kind: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """One kind's schema with the definitions it reaches, transitively, in its own `$defs`."""
    pending: set[str] = set()
    schema = local_refs({k: v for k, v in kind.items() if k != "$id"}, pending)
    defs: dict[str, Any] = {}
    while pending:
        name = pending.pop()
        if name in defs:
            continue
        reached: set[str] = set()
        defs[name] = local_refs(definitions[name], reached)
        pending |= reached - defs.keys()
    schema["$defs"] = defs
    return schema


def convert(wheel: Path, version: str, out: Path) -> int:
    """Write every resource kind of Kubernetes `version`; return how many."""
    folder = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
    target = out / f"v{version}-standalone-strict"
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if n.startswith(folder) and n.endswith(".json")]
        if not names:
            raise SystemExit(f"{wheel.name} has no schemas for Kubernetes {version}")
        definitions = json.loads(zf.read(folder + "_definitions.json"))["$defs"]
        for name in names:
            kind = json.loads(zf.read(name))
            if "x-kubernetes-group-version-kind" not in kind or not isinstance(kind.get("properties"), dict):
                continue  # _definitions.json, all.json and the parts of kinds
            (target / name[len(folder) :]).write_text(json.dumps(standalone(kind, definitions)))
            written += 1
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    count = convert(Path(argv[0]), argv[1].removeprefix("v"), Path(argv[2]))
    print(f"k8s_schemas: {count} kinds of Kubernetes {argv[1]} in {argv[2]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
