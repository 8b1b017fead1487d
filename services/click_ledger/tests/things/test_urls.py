"""URL canonicalisation: one page is one thing."""

from __future__ import annotations

import string
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trickle_click_ledger.things.urls import InvalidUrl, canonical_domain, canonical_url, domain_of

CANONICAL = [
    ("HTTPS://Example.ORG/Post", "https://example.org/Post"),
    ("https://example.org", "https://example.org/"),
    ("https://example.org:443/a", "https://example.org/a"),
    ("http://example.org:80/a", "http://example.org/a"),
    ("http://example.org:8080/a", "http://example.org:8080/a"),
    ("https://example.org:80/a", "https://example.org:80/a"),
    ("https://example.org/a#section-2", "https://example.org/a"),
    ("https://example.org/a?utm_source=x&utm_medium=y&id=7", "https://example.org/a?id=7"),
    ("https://example.org/a?UTM_Campaign=x&id=7", "https://example.org/a?id=7"),
    ("https://example.org/a?fbclid=abc&gclid=def&mc_cid=1&mc_eid=2&msclkid=3", "https://example.org/a"),
    ("https://example.org/a?b=2&a=1&c=3", "https://example.org/a?a=1&b=2&c=3"),
    ("https://example.org/a?b=2&a=1&a=0", "https://example.org/a?a=0&a=1&b=2"),
    ("https://example.org/search?q=hello+world", "https://example.org/search?q=hello%20world"),
    ("https://example.org/a?flag", "https://example.org/a?flag="),
    ("https://bücher.example/", "https://xn--bcher-kva.example/"),
    ("https://MÜNCHEN.de/x", "https://xn--mnchen-3ya.de/x"),
    ("https://example.org./a", "https://example.org/a"),
    ("  https://example.org/a  ", "https://example.org/a"),
    ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
    ("http://127.0.0.1:8000/x", "http://127.0.0.1:8000/x"),
    ("https://example.org/A/B/", "https://example.org/A/B/"),
    ("https://example.org/a?utm_source=x#frag", "https://example.org/a"),
]


@pytest.mark.parametrize(("raw", "expected"), CANONICAL)
def test_canonical_form(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


def test_canonical_form_is_idempotent() -> None:
    for raw, _ in CANONICAL:
        once = canonical_url(raw)
        assert canonical_url(once) == once


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ftp://example.org/file",
        "javascript:alert(1)",
        "mailto:someone@example.org",
        "example.org/no-scheme",
        "https://user:pw@example.org/",
        "https:///no-host",
        "https://exa mple.org/",
        "https://example.org:99999/",
        "https://" + "a" * 64 + ".org/",
        "https://example.org/" + "x" * 2100,
        "https://exa_mple..org/",
    ],
)
def test_not_a_trackable_url_is_refused(raw: str) -> None:
    with pytest.raises(InvalidUrl):
        canonical_url(raw)


def test_domain_of_a_canonical_url_has_no_port() -> None:
    assert domain_of("http://blog.example.org:8080/a") == "blog.example.org"
    assert domain_of("https://[2001:db8::1]/a") == "2001:db8::1"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Blog.Example.ORG", "blog.example.org"), ("bücher.example", "xn--bcher-kva.example"), ("[::1]", "::1")],
)
def test_claimable_domains_are_canonical(raw: str, expected: str) -> None:
    assert canonical_domain(raw) == expected


@pytest.mark.parametrize("raw", ["https://example.org", "example.org/path", "example.org:8080", "", "a@b.org"])
def test_claimable_domains_are_bare_host_names(raw: str) -> None:
    with pytest.raises(InvalidUrl):
        canonical_domain(raw)


# ---- One page is one thing: every spelling of a page has one canonical URL (RFC 3986 §6.2.2). ----

E_NFC = "\u00e9"
E_NFD = "e\u0301"
ONE_PAGE = [
    f"https://example.org/caf{E_NFC}",
    f"https://example.org/caf{E_NFD}",
    "https://example.org/caf%C3%A9",
    "https://example.org/caf%c3%a9",
    "https://example.org/caf%65%CC%81",
    "https://example.org/./caf%C3%A9",
    "https://example.org/x/../caf%C3%A9",
    "https://example.org\u3002/caf%C3%A9",
    "https://example.org\uff0e/caf%C3%A9",
    "https://EXAMPLE.org:443/caf%C3%A9",
    "HTTPS://ex%61mple.org/caf%C3%A9",
]


def test_every_spelling_of_a_unicode_path_is_one_canonical_url() -> None:
    assert {canonical_url(u) for u in ONE_PAGE} == {"https://example.org/caf%C3%A9"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.org/~alice", "https://example.org/%7ealice"),
        ("https://example.org/a/b", "https://example.org/a/%2E/b"),
        ("https://example.org/a?q=%c3%a9", "https://example.org/a?q=" + E_NFD),
        ("https://example.org/a?q=%7E", "https://example.org/a?q=~"),
    ],
)
def test_spellings_of_one_page_agree(a: str, b: str) -> None:
    assert canonical_url(a) == canonical_url(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.org/a%2Fb", "https://example.org/a/b"),
        ("https://example.org/a%3Fb", "https://example.org/a?b"),
        ("https://example.org/a%23b", "https://example.org/a#b"),
        ("https://example.org/a%21", "https://example.org/a!"),
        ("https://example.org/A", "https://example.org/a"),
        ("https://example.org/a/", "https://example.org/a"),
        ("https://example.org/a?x=1%262", "https://example.org/a?x=1&2"),
        ("https://example.org/%FF", "https://example.org/%FE"),
        ("http://example.org/a", "https://example.org/a"),
        ("https://example.org:8443/a", "https://example.org/a"),
    ],
)
def test_different_pages_stay_different(a: str, b: str) -> None:
    assert canonical_url(a) != canonical_url(b)


# A page: what identifies it (after NFC), from which spellings are generated.
UNRESERVED_CHARS = string.ascii_letters + string.digits + "-._~"
SEGMENT_RAW_ONLY = "!$&'()*+,;=:@"  # sub-delims, ":" and "@": raw and encoded differ, so spelled raw
MUST_ENCODE = '/?#% "<>[]\\^`{|}'
NON_ASCII = [E_NFC, "\u00fc", "\u00f1", "\u6f22", "\u00c5", "\u1e9b\u0323", "\U0001f600", "\u00df"]

segment_char = st.one_of(
    st.sampled_from(UNRESERVED_CHARS), st.sampled_from(SEGMENT_RAW_ONLY + MUST_ENCODE), st.sampled_from(NON_ASCII)
)
segment = st.lists(segment_char, min_size=0, max_size=6).map(lambda cs: unicodedata.normalize("NFC", "".join(cs)))
query_char = st.one_of(st.sampled_from(UNRESERVED_CHARS + " &=+/%#"), st.sampled_from(NON_ASCII))
query_text = st.lists(query_char, min_size=0, max_size=5).map(lambda cs: unicodedata.normalize("NFC", "".join(cs)))


@st.composite
def pages(draw: st.DrawFn) -> dict[str, Any]:
    segments = draw(st.lists(segment.filter(lambda s: s not in (".", "..")), max_size=4))
    names = draw(st.lists(st.sampled_from(["q", "id", "p", "page", "x\u00e9"]), max_size=3))
    return {
        "scheme": draw(st.sampled_from(["http", "https"])),
        "host": draw(st.sampled_from(["example.org", "blog.example.org", "b\u00fccher.example", "127.0.0.9"])),
        "port": draw(st.sampled_from([None, 8080])),
        "segments": segments or [""],
        "query": sorted((n, draw(query_text)) for n in names),
    }


def _pct(data: bytes, upper: bool) -> str:
    return "".join(f"%{b:02X}" if upper else f"%{b:02x}" for b in data)


@st.composite
def spellings(draw: st.DrawFn, page: dict[str, Any]) -> str:
    """One way of writing ``page``: case of scheme, host and hex; encoded or raw unreserved and
    non-ASCII characters; NFC or NFD; dot segments; the host's trailing dot; an explicit default port."""

    def flip(text: str) -> str:
        return "".join(c.upper() if draw(st.booleans()) else c for c in text)

    def char(c: str, raw_ok: str) -> str:
        if c in raw_ok and draw(st.booleans()):
            return c
        if c.isascii() and c not in UNRESERVED_CHARS and c not in MUST_ENCODE and c not in " &=+":
            return c  # a reserved character spelled raw stays raw
        if not c.isascii():
            form = draw(st.sampled_from(["NFC", "NFD"]))
            text = unicodedata.normalize(form, c)
            return text if draw(st.booleans()) else _pct(text.encode(), draw(st.booleans()))
        return _pct(c.encode(), draw(st.booleans()))

    host = page["host"]
    if not host[0].isdigit():
        host = flip(host) if host.isascii() or draw(st.booleans()) else idna_encode(host)
        host += draw(st.sampled_from(["", ".", "\u3002", "\uff0e", "\uff61"]))
    default = {"http": 80, "https": 443}[page["scheme"]]
    port = page["port"] if page["port"] is not None else draw(st.sampled_from([None, default]))
    netloc = host + (f":{port}" if port is not None else "")
    parts: list[str] = []
    for seg in page["segments"]:
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(st.sampled_from([".", "%2E", "%2e", "zz/.."])))
        parts.append("".join(char(c, UNRESERVED_CHARS) for c in seg))
    path = "/" + "/".join(parts)
    if path == "/" and draw(st.booleans()):
        path = ""
    query = "&".join(
        "".join(char(c, UNRESERVED_CHARS) if c != " " else draw(st.sampled_from(["+", "%20"])) for c in name)
        + "="
        + "".join(char(c, UNRESERVED_CHARS) if c != " " else draw(st.sampled_from(["+", "%20"])) for c in value)
        for name, value in page["query"]
    )
    if page["query"] and draw(st.booleans()):
        query += "&utm_source=" + draw(st.sampled_from(["x", "news"]))
    return (
        flip(page["scheme"])
        + "://"
        + netloc
        + path
        + ("?" + query if query else "")
        + draw(st.sampled_from(["", "#top", "#"]))
    )


def idna_encode(host: str) -> str:
    return host.encode("idna").decode("ascii")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_spelling_of_a_page_maps_to_one_canonical_url(data: st.DataObject) -> None:
    page = data.draw(pages())
    first = canonical_url(data.draw(spellings(page)))
    for _ in range(3):
        spelling = data.draw(spellings(page))
        assert canonical_url(spelling) == first, spelling
    assert canonical_url(first) == first


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_two_different_pages_never_share_a_canonical_url(data: st.DataObject) -> None:
    one, other = data.draw(pages()), data.draw(pages())
    assume(one != other)
    assert canonical_url(data.draw(spellings(one))) != canonical_url(data.draw(spellings(other)))


@settings(max_examples=500, deadline=None)
@given(
    tail=st.lists(
        st.one_of(st.characters(), st.sampled_from([*"%/.?#&=+:@[]", "%2e", "%C3", "%a9", "\u3002"])),
        max_size=30,
    ).map("".join)
)
def test_any_text_is_refused_cleanly_or_canonicalised_for_good(tail: str) -> None:
    for raw in (f"https://{tail}", f"https://example.org/{tail}", f"http://ex.org/a?{tail}"):
        try:
            once = canonical_url(raw)
        except InvalidUrl:
            continue
        assert canonical_url(once) == once, raw
        assert once.isascii(), once
