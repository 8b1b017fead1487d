// Runs embed.js (path in argv[2]) against a fake page at location.href = argv[3] (canonical link
// href = argv[4] when given), clicks its button, then delivers the postMessage events of argv[5]
// (a JSON list of {origin, data}) one by one. Prints what it did as JSON: the requests (the
// look-up) and windows opened (the popup), whether the click's default was prevented, the
// button's href, and the button's state and count after each message.
const fs = require("fs");
const [script, href, canonicalHref, messagesJson] = process.argv.slice(2);
const messages = messagesJson ? JSON.parse(messagesJson) : [];
const calls = [];
let clickHandler = null;
let messageHandler = null;
const el = {
  style: {},
  attrs: {},
  getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; },
  setAttribute(name, value) { this.attrs[name] = value; },
  addEventListener(type, fn) { if (type === "click") clickHandler = fn; },
  appendChild() {},
  set innerHTML(v) {},
  set textContent(v) {},
};
global.window = {
  location: { href, origin: new URL(href).origin },
  open(url, name, features) { calls.push({ open: url, name, features }); return {}; },
  addEventListener(type, fn) { if (type === "message") messageHandler = fn; },
};
global.document = {
  readyState: "complete",
  querySelectorAll() { return [el]; },
  querySelector(sel) { return canonicalHref && sel.indexOf("canonical") >= 0 ? { href: canonicalHref } : null; },
  createElement() { return {}; },
};
global.fetch = (url, init) => {
  calls.push({ url, body: init && init.body ? init.body : null });
  return Promise.resolve({ ok: false, status: 404, json: () => Promise.resolve({ thing_id: "x" }) });
};
eval(fs.readFileSync(script, "utf8"));
setImmediate(() => {
  const ev = { prevented: false, preventDefault() { this.prevented = true; } };
  clickHandler(ev);
  const seen = messages.map((m) => {
    messageHandler(m);
    return { state: el.getAttribute("data-trickle-state"), count: el.getAttribute("data-trickle-count") };
  });
  setImmediate(() =>
    process.stdout.write(JSON.stringify({ calls, prevented: ev.prevented, href: el.getAttribute("href"), seen }))
  );
});
