"""The SVG click button and the embed script (pure text builders)."""

from __future__ import annotations

import hashlib
from html import escape


def _width(text: str) -> int:
    return 12 + 7 * len(text)


def button_svg(count: int, label: str = "Trickle") -> str:
    """A shields-style button: label on the left, the open period's click count on the right."""
    value = f"{count:,}".replace(",", " ")
    left, right = _width(label), _width(value)
    total = left + right
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{escape(label)}: {escape(value)} clicks">'
        f"<title>{escape(label)}: {escape(value)} clicks this month</title>"
        f'<rect width="{left}" height="20" rx="3" fill="#444"/>'
        f'<rect x="{left}" width="{right}" height="20" rx="3" fill="#e8710a"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{left / 2}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2}" y="14">{escape(value)}</text></g></svg>'
    )


def etag_of(body: str) -> str:
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


EMBED_JS = r"""/* Trickle embed: <script src="%(base)s/v1/embed.js" async></script>
 * <a class="trickle-button" data-thing-id="thing_…" (or data-url="https://…")></a>
 * Without either, the page's <link rel="canonical">, else location.href, names the thing. The URL
 * is sent as the browser gives it (the server canonicalises: percent-encoding, NFC, dots…), once
 * encoded in a query string and never in JSON, so nothing is encoded twice.
 * Shows the click button; a click is sent with the signed-in patron's bearer token, given by
 * the page as window.TrickleToken = "…" or data-token="…" (never stored by this script). */
(function () {
  var base = %(base_json)s;
  function token(el) { return el.getAttribute("data-token") || window.TrickleToken || null; }
  function render(el, thingId) {
    var img = document.createElement("img");
    img.alt = "Trickle";
    img.src = base + "/v1/things/" + encodeURIComponent(thingId) + "/button.svg?ts=" + Date.now();
    el.innerHTML = "";
    el.appendChild(img);
  }
  function lookup(url) {
    return fetch(base + "/v1/things/lookup?url=" + encodeURIComponent(url)).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }
  function setup(el) {
    var thingId = el.getAttribute("data-thing-id");
    var canonical = document.querySelector('link[rel="canonical"]');
    var url = el.getAttribute("data-url") || (thingId ? null : (canonical && canonical.href) || window.location.href);
    var ready = thingId ? Promise.resolve(thingId) : lookup(url).then(function (t) { return t && t.id; });
    ready.then(function (id) {
      if (id) { thingId = id; render(el, id); } else { el.textContent = "Trickle"; }
    });
    el.style.cursor = "pointer";
    el.addEventListener("click", function (ev) {
      ev.preventDefault();
      var bearer = token(el);
      if (!bearer) { el.setAttribute("data-trickle-state", "signed-out"); return; }
      var body = thingId ? { thing_id: thingId } : { url: url };
      fetch(base + "/v1/clicks", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + bearer },
        body: JSON.stringify(body)
      }).then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
        .then(function (res) {
          el.setAttribute("data-trickle-state", res[0] < 300 ? "clicked" : "error");
          if (res[0] < 300) { thingId = res[1].thing_id; render(el, thingId); }
        });
    });
  }
  function init() {
    var els = document.querySelectorAll(".trickle-button");
    for (var i = 0; i < els.length; i++) { setup(els[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
"""


def embed_script(base_url: str) -> str:
    import json

    base = base_url.rstrip("/")
    return EMBED_JS % {"base": base, "base_json": json.dumps(base)}
