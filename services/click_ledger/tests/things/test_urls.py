"""URL canonicalisation: one page is one thing."""

from __future__ import annotations

import pytest

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
