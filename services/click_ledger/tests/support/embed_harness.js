// Runs embed.js (path in argv[2]) against a fake page at location.href = argv[3] (canonical link
// href = argv[4] when given) and prints the requests it makes: the look-up, then a click.
const fs = require("fs");
const [script, href, canonicalHref] = process.argv.slice(2);
const calls = [];
let clickHandler = null;
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
global.window = { location: { href }, TrickleToken: "tok" };
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
  clickHandler({ preventDefault() {} });
  setImmediate(() => process.stdout.write(JSON.stringify(calls)));
});
