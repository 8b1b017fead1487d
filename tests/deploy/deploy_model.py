"""What the deployment files are checked against: the services in the code, their settings
fields and ports, their OpenAPI paths, and nginx's location matching for the gateway."""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic_settings import BaseSettings

REPO = Path(__file__).resolve().parents[2]


def code_services() -> list[str]:
    """Every service package in the tree (``services/<svc>/src/trickle_<svc>``): ``wallet``, ``click_ledger``…"""
    # Only the package named for its folder: a service may ship other packages next to it
    # (test helpers such as trickle_settlement_testing) that are not services.
    folders = (p.parent.parent.parent.name for p in REPO.glob("services/*/src/trickle_*/__init__.py"))
    return sorted(
        {
            f
            for f in folders
            if f.isidentifier() and (REPO / "services" / f / "src" / f"trickle_{f}" / "__init__.py").is_file()
        }
    )


def worker_services() -> list[str]:
    """The services with a worker process (``trickle_<svc>/worker.py``); the web front end has none."""
    return [svc for svc in code_services() if (REPO / f"services/{svc}/src/trickle_{svc}/worker.py").exists()]


def settings_class(svc: str) -> type[BaseSettings]:
    cls: type[BaseSettings] = importlib.import_module(f"trickle_{svc}.settings").Settings
    return cls


def env_prefix(svc: str) -> str:
    return str(settings_class(svc).model_config.get("env_prefix", "")).upper()


def field_of_env(svc: str, name: str) -> str | None:
    """The settings field of ``svc`` an environment variable sets, or None if it sets none.

    KitSettings.settings_customise_sources reads the service's own prefix first, then the
    deployment-wide ``TRICKLE_`` prefix (case-insensitive, pydantic-settings' default).
    """
    upper = name.upper()
    for prefix in (env_prefix(svc), "TRICKLE_"):
        if upper.startswith(prefix):
            field = upper[len(prefix) :].lower()
            if field in settings_class(svc).model_fields:
                return field
    return None


@cache
def openapi_operations(svc: str) -> dict[str, dict[str, dict[str, str]]]:
    """``{path template: {METHOD: {path parameter: its regex, or "" if unconstrained}}}`` of the
    service's OpenAPI (its app built with default settings)."""
    module = importlib.import_module(f"trickle_{svc}.app")
    app = module.build_app() if hasattr(module, "build_app") else module.app
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    out: dict[str, dict[str, dict[str, str]]] = {}
    for path, ops in paths.items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            params = {
                p["name"]: str(p.get("schema", {}).get("pattern", ""))
                for p in op.get("parameters", [])
                if p.get("in") == "path"
            }
            out.setdefault(path, {})[method.upper()] = params
    return out


# Sample values for path parameters: a period looks like 2026-11; other ids like prefix_hex.
def sample_path(template: str) -> str:
    def value(m: re.Match[str]) -> str:
        return "2026-11" if "period" in m.group(1) else f"{m.group(1).split('_')[0][:4]}_0190a1b2c3d4"

    return re.sub(r"\{([^}]+)\}", value, template)


def template_regex(template: str, patterns: dict[str, str] | None = None) -> re.Pattern[str]:
    """The URLs a path template answers: a parameter matches one segment, or its declared pattern."""

    def part(p: str) -> str:
        if not p.startswith("{"):
            return re.escape(p)
        pattern = (patterns or {}).get(p[1:-1], "")
        return f"(?:{pattern.removeprefix('^').removesuffix('$')})" if pattern else "[^/]+"

    return re.compile("^" + "".join(part(p) for p in re.split(r"(\{[^}]+\})", template)) + "$")


# ---- nginx -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    modifier: str  # "=", "~", "~*", "^~" or "" (plain prefix)
    pattern: str
    upstream: str | None  # the name after proxy_pass http://, None if it does not proxy


def _blocks(text: str) -> list[tuple[str, str]]:
    """Top-level ``head { body }`` blocks of an nginx file, honouring quotes and comments."""
    out: list[tuple[str, str]] = []
    depth, quote, head, body_start, i = 0, "", "", 0, 0
    stmt_start = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
            continue
        elif c in "'\"":
            quote = c
        elif c == "{":
            if depth == 0:
                head, body_start = text[stmt_start:i], i + 1
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                head = re.sub(r"#[^\n]*", "", head)  # comments before the block's head
                out.append((" ".join(head.split()), text[body_start:i]))
                stmt_start = i + 1
        elif c == ";" and depth == 0:
            stmt_start = i + 1
        i += 1
    return out


def parse_locations(text: str) -> list[Location]:
    """The ``location`` blocks of a server-level include such as deploy/gateway/routes.conf, in order."""
    locations = []
    for head, body in _blocks(text):
        words = head.split()
        if not words or words[0] != "location":
            continue
        modifier, pattern = (words[1], words[2]) if len(words) == 3 else ("", words[1])
        proxy = re.search(r"proxy_pass\s+https?://([A-Za-z0-9_.-]+)", body)
        locations.append(Location(modifier, pattern, proxy.group(1) if proxy else None))
    return locations


def parse_upstreams(text: str) -> dict[str, list[str]]:
    """``{upstream name: [server address…]}`` of every upstream block (inside ``http { }``)."""
    found: dict[str, list[str]] = {}
    for head, body in _blocks(text):
        if head.split()[0] == "http":
            for inner_head, inner_body in _blocks(body):
                words = inner_head.split()
                if words[0] == "upstream":
                    found[words[1]] = re.findall(r"^\s*server\s+(\S+?)[;\s]", inner_body, re.M)
    return found


def nginx_match(locations: list[Location], uri: str) -> Location | None:
    """The location nginx picks for ``uri``: an exact match; else the longest prefix if it is ``^~``;
    else the first matching regex in file order; else the longest prefix."""
    for loc in locations:
        if loc.modifier == "=" and loc.pattern == uri:
            return loc
    prefixes = [loc for loc in locations if loc.modifier in ("", "^~") and uri.startswith(loc.pattern)]
    longest = max(prefixes, key=lambda loc: len(loc.pattern), default=None)
    if longest is not None and longest.modifier == "^~":
        return longest
    for loc in locations:
        if loc.modifier in ("~", "~*"):
            flags = re.IGNORECASE if loc.modifier == "~*" else 0
            if re.search(loc.pattern, uri, flags):
                return loc
    return longest


def role_of(command: list[str] | str | None) -> tuple[str, str] | None:
    """("api" | "worker", service) from a container command, or None."""
    text = command if isinstance(command, str) else " ".join(command or [])
    if m := re.search(r"\buvicorn\s+trickle_(\w+)\.app:app\b", text):
        return "api", m.group(1)
    if m := re.search(r"\bpython\s+-m\s+trickle_(\w+)\.worker\b", text):
        return "worker", m.group(1)
    return None


def check_env(svc: str, env: dict[str, str], where: str) -> None:
    """Every TRICKLE_ variable names a field of the service's Settings, and Settings reads its value."""
    bad = [name for name in env if name.upper().startswith("TRICKLE_") and field_of_env(svc, name) is None]
    assert not bad, f"{where}: {bad} are not settings of {svc} (fields: {sorted(settings_class(svc).model_fields)})"
    trickle = {k: v for k, v in env.items() if k.upper().startswith("TRICKLE_")}
    with pytest.MonkeyPatch.context() as mp:
        for name, value in trickle.items():
            mp.setenv(name, value)
        settings = settings_class(svc)()
    for name, value in trickle.items():
        field = field_of_env(svc, name)
        assert field is not None
        own = f"{settings_class(svc).model_config.get('env_prefix', '')}{field}".upper()
        if name.upper() != own and own in {k.upper() for k in trickle}:
            continue  # the service-prefixed variable wins over the shared one
        raw: Any = json.loads(value) if value[:1] in "[{" else value
        expected = settings_class(svc).model_validate({field: raw})
        assert getattr(settings, field) == getattr(expected, field), f"{where}: {name}={value!r} not read as {field}"
