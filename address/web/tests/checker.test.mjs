// The address checker page (target/web/index.html) in headless Chromium, driven by
// puppeteer-core: what a person typing or pasting an address sees, that the page requests
// nothing from any server, and that it fits a phone in both colour schemes.
//
// Run by scripts/test-web.sh (which builds the page and installs Chromium); by hand:
//   node --test address/web/tests/
// Screenshots of each state go to target/web/screenshots/<state>.png.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import jsQR from "jsqr";
import puppeteer from "puppeteer-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const PAGE = process.env.BTCADDR_WEB_PAGE || join(ROOT, "target/web/index.html");
const PAGE_URL = pathToFileURL(PAGE).href;
const SHOTS = join(ROOT, "target/web/screenshots");
const CHROMIUM = process.env.BTCADDR_CHROMIUM || "/usr/bin/chromium";

const vectors = JSON.parse(readFileSync(join(ROOT, "address/tests/data/vectors.json"), "utf8"));
function vector(type, network = "btc") {
  const v = vectors.valid.find((x) => x.type === type && x.network === network && x.address.length < 100);
  assert.ok(v, `vectors.json has no ${type} vector on ${network}`);
  return v;
}
const P2WPKH = vector("p2wpkh");
const P2TR = vector("p2tr");
const P2WPKH_SIGNET = vector("p2wpkh", "signet");
const NONSTANDARD = vector("nonstandard");
const LONG = vectors.valid.find((x) => x.type === "nonstandard" && x.address.length > 500);
const ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769";

let browser;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install it with scripts/install-chromium.sh (apt-get install chromium)`);
  }
  if (!existsSync(PAGE)) {
    throw new Error(`${PAGE} not found: build it with scripts/build-web.sh`);
  }
  mkdirSync(SHOTS, { recursive: true });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  if (browser) await browser.close();
});

/**
 * Opens the page with every request recorded (and any request not to the page's own file or a
 * data: URL aborted), CSP violations and page errors collected, and waits for the codec to load.
 */
async function open({ width = 1000, height = 800, dark = false, clipboard = "record" } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: dark ? "dark" : "light" }]);
  const requests = [];
  const blocked = [];
  const errors = [];
  await page.setRequestInterception(true);
  page.on("request", (req) => {
    const url = req.url();
    requests.push(url);
    if (url === PAGE_URL || url.startsWith("data:")) {
      req.continue();
    } else {
      blocked.push(url);
      req.abort();
    }
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  await page.evaluateOnNewDocument((mode) => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
    if (mode === "record") {
      // Record what the page copies (headless has no clipboard to read back from file://).
      window.__copied = [];
      Object.defineProperty(navigator, "clipboard", {
        configurable: true,
        value: { writeText: async (text) => void window.__copied.push(text) },
      });
    } else if (mode === "none") {
      // A browser without the Clipboard API: the page must fall back to execCommand("copy").
      Object.defineProperty(navigator, "clipboard", { configurable: true, value: undefined });
      window.__copied = [];
      document.addEventListener("copy", () => window.__copied.push(String(document.getSelection())));
    }
  }, clipboard);
  await page.goto(PAGE_URL, { waitUntil: "load" });
  await page.waitForSelector("html[data-ready=true]", { timeout: 10000 });
  return { page, requests, blocked, errors };
}

/** Replaces the input's text the way a paste does: one input event with the whole text. */
async function paste(page, text) {
  await page.focus("#address");
  await page.$eval("#address", (el) => el.select());
  await page.keyboard.press("Backspace");
  await page.keyboard.sendCharacter(text);
  await settled(page);
}

/** Types the text one key at a time (an input event per letter). */
async function type(page, text) {
  await page.focus("#address");
  await page.$eval("#address", (el) => el.select());
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
  await settled(page);
}

async function settled(page) {
  await page.waitForFunction(() => document.getElementById("verdict").dataset.state !== undefined);
}

async function verdict(page) {
  return page.$eval("#verdict", (el) => ({
    state: el.dataset.state,
    kind: el.dataset.kind,
    text: el.textContent.replace(/\s+/g, " ").trim(),
  }));
}

async function field(page, name) {
  return page.$eval(`[data-field="${name}"]`, (el) => ({ text: el.textContent, value: el.dataset.value }));
}

async function suggestions(page) {
  return page.$$eval(".candidate-item", (items) =>
    items.map((li) => ({
      address: li.dataset.address,
      kind: li.dataset.kind,
      shown: li.querySelector(".candidate").textContent,
      changed: Array.from(li.querySelectorAll(".changed"), (c) => c.textContent),
      description: li.querySelector(".description").textContent,
    })),
  );
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** No horizontal scrolling: nothing is wider than the viewport. */
async function assertNoHorizontalOverflow(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: page is ${scroll} px wide in a ${client} px viewport`);
}

/** Replaces one letter after the colon with a different alphabet letter. */
function substitute(address, index) {
  const chars = Array.from(address);
  const i = ALPHABET.indexOf(chars[index]);
  chars[index] = ALPHABET[(i + 7) % ALPHABET.length];
  return chars.join("");
}

function swap(address, index) {
  const chars = Array.from(address);
  [chars[index], chars[index + 1]] = [chars[index + 1], chars[index]];
  return chars.join("");
}

describe("address checker page", () => {
  test("the built page is one file with a Content-Security-Policy that forbids requests", async () => {
    const html = readFileSync(PAGE, "utf8");
    assert.doesNotMatch(html, /<script[^>]+src=/i, "no external script");
    assert.doesNotMatch(html, /<link[^>]+href="(?!data:)/i, "no linked style sheet or icon");
    const { page, errors } = await open();
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    for (const directive of ["default-src 'none'", "connect-src 'none'", "img-src data:", "'wasm-unsafe-eval'"]) {
      assert.ok(csp.includes(directive), `CSP lacks ${directive}: ${csp}`);
    }
    assert.doesNotMatch(csp, /'unsafe-eval'|https?:|\*/, `CSP allows more than it should: ${csp}`);
    // The policy is in force: a fetch is refused before it reaches the network.
    const fetched = await page.evaluate(() =>
      fetch("https://example.invalid/x").then(() => "loaded", (e) => `refused: ${e.message}`),
    );
    assert.match(fetched, /^refused/);
    const violations = await page.evaluate(() => window.__violations);
    assert.ok(violations.some((v) => v.startsWith("connect-src")), `no connect-src violation: ${violations}`);
    assert.deepEqual(errors.filter((e) => !/example\.invalid|Content Security Policy/.test(e)), []);
    await page.close();
  });

  test("typing a valid P2WPKH address: verdict, network, type, forms and QR code, no request", async () => {
    const { page, requests, blocked, errors } = await open();
    await type(page, P2WPKH.address);
    const v = await verdict(page);
    assert.equal(v.state, "ok");
    assert.match(v.text, /^✓ ?Valid address/);
    assert.equal((await field(page, "network")).value, "btc");
    assert.equal((await field(page, "type")).value, "p2wpkh");
    assert.match((await field(page, "type")).text, /P2WPKH/);
    assert.equal((await field(page, "generic")).text, P2WPKH.address);
    assert.equal((await field(page, "uppercase")).text, P2WPKH.address.toUpperCase());
    assert.equal((await field(page, "standard")).text, P2WPKH.standard);
    const qr = await page.$eval(".qr img", (img) => ({
      src: img.src,
      alt: img.alt,
      loaded: img.complete && img.naturalWidth > 0,
    }));
    assert.ok(qr.src.startsWith("data:image/svg+xml"), `QR is not an inline SVG: ${qr.src.slice(0, 40)}`);
    assert.ok(decodeURIComponent(qr.src).includes("<svg"), "QR data is not an SVG document");
    assert.ok(qr.loaded, "the QR image did not render");
    assert.equal(qr.alt, `QR code of ${P2WPKH.address.toUpperCase()}`);
    await shot(page, "valid-p2wpkh");
    // Only the page itself and its data: URLs (the QR image) were requested.
    assert.deepEqual(blocked, [], `requests to elsewhere: ${blocked.join(", ")}`);
    assert.ok(requests.includes(PAGE_URL));
    assert.ok(requests.every((u) => u === PAGE_URL || u.startsWith("data:")), requests.join(", "));
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the QR code scans back to the uppercase form", async () => {
    const { page } = await open();
    await paste(page, P2TR.address);
    // Draw the shown image at a scanner-friendly size and hand its pixels to a QR decoder.
    const image = await page.$eval(".qr img", async (img) => {
      await img.decode();
      const size = 600;
      const canvas = document.createElement("canvas");
      canvas.width = size;
      canvas.height = size;
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, size, size);
      ctx.drawImage(img, 40, 40, size - 80, size - 80);
      return { size, data: Array.from(ctx.getImageData(0, 0, size, size).data) };
    });
    const code = jsQR(Uint8ClampedArray.from(image.data), image.size, image.size);
    assert.ok(code, "the QR image does not decode as a QR code");
    assert.equal(code.data, P2TR.address.toUpperCase());
    await page.close();
  });

  test("an address too long for a QR code is still checked, with the reason for no QR code", async () => {
    // A 3,000-byte script: valid, but about 4,800 characters, past a QR code's capacity.
    const { instantiate } = await import(pathToFileURL(join(ROOT, "target/bindings/wasm/core.js")).href);
    const codec = await instantiate(readFileSync(join(ROOT, "target/bindings/wasm/btcaddr.wasm")));
    const long = codec.encode("btc", new Uint8Array(3000).fill(0x51));
    const { page, errors } = await open({ width: 375 });
    await paste(page, long);
    assert.equal((await verdict(page)).state, "warn");
    assert.equal((await field(page, "generic")).text, long);
    assert.match((await field(page, "qr")).text, /^No QR code: .*too long/);
    assert.equal(await page.$(".qr img"), null);
    await assertNoHorizontalOverflow(page, "3,000-byte script");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("served from a static web host, the page requests nothing but itself", async () => {
    const html = readFileSync(PAGE);
    const served = [];
    const server = createServer((req, res) => {
      served.push(req.url);
      if (req.url === "/index.html") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(html);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (err) => errors.push(String(err)));
      const url = `http://127.0.0.1:${server.address().port}/index.html`;
      await page.goto(url, { waitUntil: "networkidle0" });
      await page.waitForSelector("html[data-ready=true]", { timeout: 10000 });
      await paste(page, P2TR.address);
      assert.equal((await verdict(page)).state, "ok");
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      assert.deepEqual(served, ["/index.html"], `the server saw: ${served.join(", ")}`);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      server.close();
    }
  });

  test("the npm package's own entry works in the browser without a bundler (one awaited import)", async () => {
    // target/bindings/wasm/ served as a static folder: index.js fetches btcaddr.wasm next to it.
    const pkg = join(ROOT, "target/bindings/wasm");
    const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
    const host = `<!doctype html><meta charset="utf-8"><script type="module">
      const b = await import("./index.js");
      const a = b.fromStandard("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
      let kind = null;
      try { b.decode(a.slice(0, -1) + (a.endsWith("y") ? "b" : "y")); } catch (e) { kind = e instanceof b.DecodeError && e.kind; }
      window.result = { a, type: b.decode(a).scriptType, back: b.toStandard(a), kind };
    </script>`;
    const served = [];
    const server = createServer((req, res) => {
      served.push(req.url);
      const name = req.url === "/" ? null : req.url.slice(1);
      const file = name && !name.includes("/") && !name.includes("..") ? join(pkg, name) : null;
      if (req.url === "/host.html") {
        res.writeHead(200, { "content-type": types[".html"] });
        res.end(host);
      } else if (file && existsSync(file)) {
        const ext = name.slice(name.lastIndexOf("."));
        res.writeHead(200, { "content-type": types[ext] || "application/octet-stream" });
        res.end(readFileSync(file));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (err) => errors.push(String(err)));
      await page.goto(`http://127.0.0.1:${server.address().port}/host.html`, { waitUntil: "networkidle0" });
      await page.waitForFunction(() => window.result !== undefined, { timeout: 10000 });
      const result = await page.evaluate(() => window.result);
      assert.deepEqual(errors, []);
      // BIP173's P2WPKH, whose generic form vectors.json and the README give.
      assert.equal(result.a, "btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a");
      assert.equal(result.type, "p2wpkh");
      assert.equal(result.back, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
      assert.ok(["damm_mismatch", "crc_mismatch"].includes(result.kind), JSON.stringify(result));
      assert.ok(served.includes("/index.js") && served.includes("/btcaddr.wasm"), served.join(", "));
      await page.close();
    } finally {
      server.close();
    }
  });

  test("a generic P2TR address shows its standard (bech32m) form", async () => {
    const { page, errors } = await open();
    await paste(page, P2TR.address);
    assert.equal((await verdict(page)).state, "ok");
    assert.equal((await field(page, "type")).value, "p2tr");
    const standard = await page.$eval('[data-form="standard"]', (el) => el.textContent);
    assert.ok(standard.includes(P2TR.standard), standard);
    assert.match(standard, /bech32m/);
    await shot(page, "valid-p2tr");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the uppercase form is accepted, with the canonical form shown", async () => {
    const { page } = await open();
    await paste(page, P2WPKH.address.toUpperCase());
    assert.equal((await verdict(page)).state, "ok");
    assert.equal((await field(page, "generic")).text, P2WPKH.address);
    assert.match(await page.$eval(".note", (n) => n.textContent), /uppercase/);
    await page.close();
  });

  test("a one-letter typo: error in words, highlight where there is a position, the right address suggested", async () => {
    const { page, errors } = await open();
    const typo = substitute(P2WPKH.address, 15);
    await paste(page, typo);
    const v = await verdict(page);
    assert.equal(v.state, "bad");
    assert.match(v.text, /Not a valid address/);
    assert.equal(v.kind, "damm_mismatch");
    const marks = await page.$$eval(".typed mark", (m) => m.map((x) => x.textContent));
    if (marks.length > 0) assert.equal(marks.length, 1);
    const found = await suggestions(page);
    const right = found.find((s) => s.address === P2WPKH.address);
    assert.ok(right, `suggestions lack the original: ${found.map((s) => s.address).join(", ")}`);
    assert.equal(right.kind, "substitution");
    assert.equal(right.shown, P2WPKH.address);
    assert.deepEqual(right.changed, [P2WPKH.address[15]]);
    assert.ok(right.description.length > 0);
    const heading = await page.$eval("#suggestions-heading", (h) => h.textContent);
    assert.match(heading, /unverified guesses/);
    assert.match(await page.$eval(".caution", (c) => c.textContent), /Confirm with whoever gave you the address/);
    await shot(page, "typo-substitution");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a character outside the alphabet is highlighted at its position", async () => {
    const { page, errors } = await open();
    // "0" typed for "o"'s look-alike; the vector file's invalid_char case.
    const bad = vectors.invalid.find((x) => x.error === "invalid_char" && x.address.includes("0"));
    await paste(page, bad.address);
    const v = await verdict(page);
    assert.equal(v.state, "bad");
    assert.equal(v.kind, "invalid_char");
    const position = Array.from(bad.address).indexOf("0");
    const typed = await page.$eval(".typed", (code) => ({
      text: code.textContent,
      mark: code.querySelector("mark").textContent,
      before: code.querySelector("mark").previousSibling.textContent,
    }));
    assert.equal(typed.text, bad.address);
    assert.equal(typed.mark, "0");
    assert.equal(Array.from(typed.before).length, position);
    assert.ok((await suggestions(page)).length > 0, "no candidates for an invalid character");
    await shot(page, "invalid-char");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("two swapped letters: the original is suggested as a transposition", async () => {
    const { page, errors } = await open();
    const chars = Array.from(P2TR.address);
    let i = 10;
    while (chars[i] === chars[i + 1]) i++;
    await paste(page, swap(P2TR.address, i));
    assert.equal((await verdict(page)).state, "bad");
    const found = await suggestions(page);
    const right = found.find((s) => s.address === P2TR.address);
    assert.ok(right, `suggestions lack the original: ${found.map((s) => s.address).join(", ")}`);
    assert.equal(right.kind, "transposition");
    assert.deepEqual(right.changed, [chars[i] + chars[i + 1]]);
    await shot(page, "typo-swapped");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a dropped letter: the original is suggested", async () => {
    const { page } = await open();
    const chars = Array.from(P2WPKH.address);
    chars.splice(20, 1);
    await paste(page, chars.join(""));
    const v = await verdict(page);
    assert.equal(v.state, "bad");
    assert.equal(v.kind, "invalid_length");
    const found = await suggestions(page);
    assert.ok(found.some((s) => s.address === P2WPKH.address && s.kind === "insertion"), JSON.stringify(found));
    await page.close();
  });

  test("mixed case: the error and the lowercase suggestion", async () => {
    const { page, errors } = await open();
    const mixed = vectors.invalid.find((x) => x.error === "mixed_case").address;
    await paste(page, mixed);
    const v = await verdict(page);
    assert.equal(v.state, "bad");
    assert.equal(v.kind, "mixed_case");
    assert.match(v.text, /case/i);
    const found = await suggestions(page);
    const lower = found.find((s) => s.address === mixed.toLowerCase());
    assert.ok(lower, `no lowercase suggestion: ${JSON.stringify(found)}`);
    assert.equal(lower.kind, "lowercase");
    // The letters whose case changed are the emphasised ones.
    const changedCount = Array.from(mixed).filter((c, i) => c !== mixed.toLowerCase()[i]).length;
    assert.equal(lower.changed.length, changedCount);
    await shot(page, "mixed-case");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a bech32 address pasted in shows its generic form", async () => {
    const { page, errors } = await open();
    await paste(page, P2WPKH.standard);
    const v = await verdict(page);
    assert.equal(v.state, "ok");
    assert.equal(v.kind, "standard");
    assert.match(v.text, /bech32/);
    assert.equal((await field(page, "generic")).text, P2WPKH.address);
    assert.equal((await field(page, "network")).value, "btc");
    await shot(page, "standard-bech32");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a base58 address pasted in shows its generic form", async () => {
    const { page } = await open();
    const p2pkh = vector("p2pkh");
    await paste(page, p2pkh.standard);
    assert.equal((await verdict(page)).state, "ok");
    assert.match((await verdict(page)).text, /base58/);
    assert.equal((await field(page, "generic")).text, p2pkh.address);
    await page.close();
  });

  test("a tb1 address fits testnet and signet: the reader picks the chain", async () => {
    const { page, errors } = await open();
    await paste(page, P2WPKH_SIGNET.standard);
    assert.equal((await verdict(page)).state, "ok");
    const options = await page.$$eval("#chain option", (os) => os.map((o) => o.value));
    assert.ok(options.includes("testnet") && options.includes("signet"), `chain options: ${options}`);
    await page.select("#chain", "signet");
    await page.waitForFunction(
      (want) => document.querySelector('[data-field="generic"]')?.textContent === want,
      {},
      P2WPKH_SIGNET.address,
    );
    assert.equal(await page.$eval("#chain", (s) => s.value), "signet");
    await shot(page, "standard-testnet-chain-pick");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a valid address with a non-standard script shows the warning, not a green valid", async () => {
    const { page, errors } = await open();
    await paste(page, NONSTANDARD.address);
    const v = await verdict(page);
    assert.equal(v.state, "warn");
    assert.match(v.text, /non-standard script of 1 bytes/);
    assert.match(v.text, /probably mistyped/);
    assert.doesNotMatch(v.text, /^✓/);
    assert.equal(await page.$eval("#verdict", (el) => el.classList.contains("verdict-ok")), false);
    assert.match((await field(page, "standard")).text, /^None/);
    await shot(page, "nonstandard-warning");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a pasted bitcoin: payment link offers to check the address in it", async () => {
    const { page, errors } = await open();
    await paste(page, `bitcoin:${P2WPKH.standard}?amount=0.001`);
    const v = await verdict(page);
    assert.equal(v.state, "bad");
    assert.equal(v.kind, "unknown_prefix");
    assert.equal(await page.$eval(".link-hint code", (c) => c.textContent), P2WPKH.standard);
    await shot(page, "payment-link");
    await page.click(".link-hint button");
    assert.equal((await verdict(page)).state, "ok");
    assert.equal((await field(page, "generic")).text, P2WPKH.address);
    // A wrong prefix that is no link gets no such offer.
    await paste(page, vectors.invalid.find((x) => x.address.startsWith("bct:")).address);
    assert.equal((await verdict(page)).kind, "unknown_prefix");
    assert.equal(await page.$(".link-hint"), null);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("text that is neither generic nor standard gets both reasons", async () => {
    const { page } = await open();
    await paste(page, "hello world");
    const v = await verdict(page);
    assert.equal(v.state, "bad");
    assert.equal(v.kind, "missing_colon");
    assert.match(v.text, /Not a generic address .* not a base58, bech32 or bech32m address either/);
    await shot(page, "not-an-address");
    await paste(page, "   ");
    assert.equal((await verdict(page)).state, "empty");
    await page.close();
  });

  test("the copy button copies the address and says Copied", async () => {
    const { page } = await open();
    await paste(page, P2WPKH.address);
    await page.click('[data-form="generic"] button.copy');
    await page.waitForFunction(() => document.querySelector('[data-form="generic"] button.copy').textContent === "Copied");
    assert.deepEqual(await page.evaluate(() => window.__copied), [P2WPKH.address]);
    assert.match(await page.$eval("#copy-status", (s) => s.textContent), /Copied/);
    await page.close();
  });

  test("without the Clipboard API the copy button falls back to a selection copy", async () => {
    const { page } = await open({ clipboard: "none" });
    await paste(page, P2TR.address);
    await page.click('[data-form="uppercase"] button.copy');
    await page.waitForFunction(() => /Cop/.test(document.querySelector('[data-form="uppercase"] button.copy').textContent));
    assert.equal(await page.$eval('[data-form="uppercase"] button.copy', (b) => b.textContent), "Copied");
    assert.deepEqual(await page.evaluate(() => window.__copied), [P2TR.address.toUpperCase()]);
    assert.match(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), /uppercase/);
    await page.close();
  });

  test("keyboard and screen reader: label, live verdict, reachable buttons with a focus ring", async () => {
    const { page } = await open();
    assert.equal(await page.$eval('label[for="address"]', (l) => l.textContent.trim()), "Address");
    const live = await page.$eval("#verdict", (v) => [v.getAttribute("aria-live"), v.getAttribute("role")]);
    assert.deepEqual(live, ["polite", "status"]);
    await paste(page, swap(P2WPKH.address, 12));
    // Tab from the input through to the first "Check this one" button and press it.
    let focused = "";
    for (let i = 0; i < 30 && !focused.startsWith("BUTTON use"); i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => `${document.activeElement.tagName} ${document.activeElement.className}`);
    }
    assert.ok(focused.startsWith("BUTTON use"), `Tab never reached a suggestion button (last: ${focused})`);
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(ring, "none", "the focused button has no visible focus outline");
    await shot(page, "keyboard-focus");
    await page.keyboard.press("Enter");
    // The picked guess is checked, but the verdict keeps saying it is a guess to confirm.
    await page.waitForFunction(() => document.getElementById("verdict").dataset.kind === "suggestion");
    const v = await verdict(page);
    assert.equal(v.state, "warn");
    assert.match(v.text, /confirm it with the payee/);
    assert.equal(await page.$eval("#address", (t) => t.value), P2WPKH.address);
    assert.equal(await page.evaluate(() => document.activeElement.id), "address");
    await shot(page, "suggestion-picked");
    // And the way back to what was typed.
    await page.click("button.back");
    assert.equal(await page.$eval("#address", (t) => t.value), swap(P2WPKH.address, 12));
    assert.equal((await verdict(page)).state, "bad");
    // Typing after picking a guess is an ordinary check again.
    await paste(page, P2WPKH.address);
    assert.equal((await verdict(page)).state, "ok");
    await page.close();
  });

  for (const dark of [false, true]) {
    const scheme = dark ? "dark" : "light";
    test(`at 375 px in the ${scheme} scheme: no horizontal scroll, readable contrast`, async () => {
      const { page, errors } = await open({ width: 375, height: 740, dark });
      const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      const luminanceOfBg = luminance(bg);
      assert.ok(dark ? luminanceOfBg < 0.1 : luminanceOfBg > 0.8, `${scheme} scheme background is ${bg}`);
      const cases = [
        ["valid", P2TR.address],
        ["suggestions", swap(P2TR.address, 20)],
        ["warning", NONSTANDARD.address],
        ["long-address", LONG.address],
        ["standard", P2WPKH.standard],
      ];
      for (const [name, text] of cases) {
        await paste(page, text);
        await assertNoHorizontalOverflow(page, `${scheme} ${name}`);
        const colours = await page.$eval("#verdict", (el) => {
          const s = getComputedStyle(el);
          return [s.color, s.backgroundColor];
        });
        const ratio = contrast(...colours);
        assert.ok(ratio >= 4.5, `${scheme} ${name}: verdict contrast ${ratio.toFixed(2)} (${colours})`);
        // Every visible piece of text against the background it sits on (WCAG AA: 4.5:1).
        const pairs = await page.evaluate(() => {
          const out = [];
          const opaque = (c) => c !== "rgba(0, 0, 0, 0)" && c !== "transparent";
          for (const node of document.querySelectorAll("body *")) {
            const own = Array.from(node.childNodes).some((c) => c.nodeType === 3 && c.textContent.trim());
            if (!own || node.closest(".visually-hidden, .offscreen, noscript, script")) continue;
            const box = node.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;
            let bg = "rgb(255, 255, 255)";
            for (let n = node; n; n = n.parentElement) {
              const b = getComputedStyle(n).backgroundColor;
              if (opaque(b)) {
                bg = b;
                break;
              }
            }
            out.push({ what: `${node.tagName.toLowerCase()}.${node.className}`, fg: getComputedStyle(node).color, bg });
          }
          return out;
        });
        assert.ok(pairs.length > 10, `only ${pairs.length} text elements found`);
        for (const { what, fg, bg } of pairs) {
          const r = contrast(fg, bg);
          assert.ok(r >= 4.5, `${scheme} ${name}: ${what} has contrast ${r.toFixed(2)} (${fg} on ${bg})`);
        }
        await shot(page, `phone-${scheme}-${name}`);
      }
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});

/** Relative luminance (WCAG) of a computed "rgb(r, g, b)" colour. */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
