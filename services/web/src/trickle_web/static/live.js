/* Pages that change by themselves (a pending deposit, a running close) without reloading: while
 * the page holds an element with data-live-poll="<ms>", fetch the page again after that long and
 * copy each element marked data-live (by its id) from the fresh copy, only when it changed, so
 * an aria-live="polite" region speaks once per change. Stops when the fresh page no longer asks
 * to poll, after an error, or when the tab is hidden for good. Without JavaScript the page's
 * Refresh link does the same by hand. */
(function () {
  "use strict";
  function delay() {
    var marker = document.querySelector("[data-live-poll]");
    if (!marker) { return null; }
    var ms = parseInt(marker.getAttribute("data-live-poll"), 10);
    return ms > 0 ? Math.max(ms, 1000) : null;
  }
  function update(fresh) {
    var parts = document.querySelectorAll("[data-live][id]");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var next = fresh.getElementById(part.id);
      if (next && next.innerHTML !== part.innerHTML) { part.innerHTML = next.innerHTML; }
    }
  }
  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        update(new DOMParser().parseFromString(html, "text/html"));
        schedule();
      })
      .catch(function () { /* the Refresh link still works */ });
  }
  function schedule() {
    var ms = delay();
    if (ms !== null) { window.setTimeout(poll, ms); }
  }
  schedule();
})();
