"""Which service the gateway sends a path to, read from nginx's route table (deploy/gateway/routes.conf).

The table is plain nginx: ``location = /exact``, ``location ~ regex`` (first match in file order)
and prefix locations, each ending in ``proxy_pass http://trickle_<service>`` or a ``return``.
This module applies nginx's precedence (exact, then regexes in order, then the longest prefix)
so the OpenAPI merge can keep only what a client can reach through the gateway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROUTES_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gateway" / "routes.conf"
UPSTREAM_PREFIX = "trickle_"

_PROXY = re.compile(r"https?://([A-Za-z0-9_]+)")
_PARAM = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True)
class Location:
    modifier: str  # "=", "~", "~*", "^~" or "" (prefix)
    pattern: str
    service: str | None  # None: answered by the gateway itself (return ...)

    def matches(self, path: str) -> bool:
        if self.modifier == "=":
            return path == self.pattern
        if self.modifier == "~":
            return re.search(self.pattern, path) is not None
        if self.modifier == "~*":
            return re.search(self.pattern, path, re.I) is not None
        return path.startswith(self.pattern)


def _tokens(text: str) -> list[str]:
    """nginx config tokens: words, quoted strings (unquoted), and the punctuation ``{ } ;``."""
    tokens: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif c in "{};":
            tokens.append(c)
            i += 1
        elif c in "\"'":
            end = i + 1
            while text[end] != c:
                end += 2 if text[end] == "\\" else 1
            tokens.append(text[i + 1 : end])
            i = end + 1
        else:
            end = i
            while end < len(text) and not text[end].isspace() and text[end] not in "{};\"'":
                end += 1
            tokens.append(text[i:end])
            i = end
    return tokens


def parse_routes(text: str) -> list[Location]:
    """The locations of a route table, in file order."""
    tokens = _tokens(text)
    locations = []
    i = 0
    while i < len(tokens):
        if tokens[i] != "location":
            i += 1
            continue
        head = []
        i += 1
        while tokens[i] != "{":
            head.append(tokens[i])
            i += 1
        modifier, pattern = (head[0], head[1]) if len(head) == 2 else ("", head[0])
        depth, service = 1, None
        i += 1
        while depth:
            if tokens[i] == "{":
                depth += 1
            elif tokens[i] == "}":
                depth -= 1
            elif tokens[i] == "proxy_pass" and (upstream := _PROXY.match(tokens[i + 1])):
                service = upstream.group(1).removeprefix(UPSTREAM_PREFIX)
            i += 1
        if not pattern.startswith("@"):  # named locations are jump targets, not routes
            locations.append(Location(modifier, pattern, service))
    return locations


def route(locations: list[Location], path: str) -> Location | None:
    """The location nginx picks for ``path`` (exact, then ``^~`` / regexes in order, then longest prefix)."""
    for loc in locations:
        if loc.modifier == "=" and loc.matches(path):
            return loc
    prefixes = [loc for loc in locations if loc.modifier in ("", "^~") and loc.matches(path)]
    longest = max(prefixes, key=lambda loc: len(loc.pattern), default=None)
    if longest is not None and longest.modifier == "^~":
        return longest
    for loc in locations:
        if loc.modifier in ("~", "~*") and loc.matches(path):
            return loc
    return longest


def sample_path(template: str) -> str:
    """A concrete path for an OpenAPI path template: each ``{param}`` becomes an opaque id."""
    return _PARAM.sub("x_1", template)


def service_for(locations: list[Location], template: str) -> str | None:
    """The service the gateway sends ``template`` (with sample parameter values) to, or None."""
    loc = route(locations, sample_path(template))
    return loc.service if loc else None


def load_routes(path: Path = ROUTES_CONF) -> list[Location]:
    return parse_routes(path.read_text())
