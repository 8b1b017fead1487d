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
 * Shows the click button. A click opens Trickle's own page (%(base)s/click) in a popup, where the
 * patron signs in if needed and confirms; that page tells this one {type: "trickle:clicked", url,
 * count} by postMessage, accepted only from Trickle's origin. This page never sees a token. */
(function () {
  var base = %(base_json)s;
  var trickleOrigin = %(origin_json)s;
  var buttons = [];
  function render(el, thingId, count) {
    var img = document.createElement("img");
    img.alt = "Trickle";
    img.src = base + "/v1/things/" + encodeURIComponent(thingId) + "/button.svg?ts=" + Date.now();
    el.innerHTML = "";
    el.appendChild(img);
    if (count != null) {  // the popup's fresh count, as text too (the image may come from a cache)
      var text = document.createElement("span");
      text.textContent = " " + count + (count === 1 ? " click" : " clicks") + " this month";
      el.appendChild(text);
    }
  }
  function lookup(url) {
    return fetch(base + "/v1/things/lookup?url=" + encodeURIComponent(url)).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }
  function popupUrl(b) {
    var what = b.url ? "url=" + encodeURIComponent(b.url) : "thing_id=" + encodeURIComponent(b.thingId);
    return base + "/click?" + what + "&origin=" + encodeURIComponent(window.location.origin);
  }
  function setup(el) {
    var b = { el: el, thingId: el.getAttribute("data-thing-id"), url: null };
    var canonical = document.querySelector('link[rel="canonical"]');
    b.url = el.getAttribute("data-url") || (b.thingId ? null : (canonical && canonical.href) || window.location.href);
    buttons.push(b);
    var ready = b.thingId ? Promise.resolve(b.thingId) : lookup(b.url).then(function (t) { return t && t.id; });
    ready.then(function (id) {
      if (id) { b.thingId = id; render(el, id); } else { el.textContent = "Trickle"; }
    });
    el.style.cursor = "pointer";
    el.setAttribute("href", popupUrl(b));  // without script or popups: the same page in a tab
    el.addEventListener("click", function (ev) {
      var popup = window.open(popupUrl(b), "trickle-click", "popup,width=440,height=600");
      if (popup) { ev.preventDefault(); el.setAttribute("data-trickle-state", "confirming"); }
    });
  }
  function clicked(ev) {
    if (ev.origin !== trickleOrigin) { return; }  // anyone may post to this window: only Trickle counts
    var d = ev.data;
    if (!d || d.type !== "trickle:clicked") { return; }
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      if ((d.url && d.url === b.url) || (d.thing_id && d.thing_id === b.thingId)) {
        b.thingId = d.thing_id || b.thingId;
        b.el.setAttribute("data-trickle-state", "clicked");
        if (d.count != null) { b.el.setAttribute("data-trickle-count", String(d.count)); }
        render(b.el, b.thingId, d.count);
      }
    }
  }
  function init() {
    window.addEventListener("message", clicked);
    var els = document.querySelectorAll(".trickle-button");
    for (var i = 0; i < els.length; i++) { setup(els[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
"""


def embed_script(base_url: str) -> str:
    import json
    from urllib.parse import urlsplit

    base = base_url.rstrip("/")
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"  # what a message from Trickle's pages says it comes from
    return EMBED_JS % {"base": base, "base_json": json.dumps(base), "origin_json": json.dumps(origin)}
