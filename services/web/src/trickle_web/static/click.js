/* The button's popup, after the click: tell the page that opened it (only at the origin it said
 * it has, so nobody else hears), then close, or offer to. No token ever leaves this origin. */
(function () {
  var holder = document.getElementById("trickle-message");
  var message = JSON.parse(holder.textContent);
  var origin = holder.getAttribute("data-origin");
  var sent = false;
  if (window.opener && origin) {
    try { window.opener.postMessage(message, origin); sent = true; } catch (e) { sent = false; }
  }
  var close = document.getElementById("close-popup");
  close.addEventListener("click", function () { window.close(); });
  if (sent) { setTimeout(function () { window.close(); }, 1500); }
})();
