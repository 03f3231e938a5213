// Inlines the checker page into one self-contained HTML file (called by scripts/build-web.sh):
//
//   node address/web/build.mjs <core.js> <codec.wasm> <out.html>
//
// The template (index.html) gets style.css, the wasm bytes (base64, in a data block), and one
// classic script: the codec's ES module core.js wrapped in a function scope (its `export`s
// turned into the fields of `btcaddrCore`) followed by app.js. The Content-Security-Policy
// names the SHA-256 of that script and of the style sheet, so nothing else can run or load.
//
// Plain string work, no bundler: core.js must be one self-contained module (no import, no
// import.meta, no default export); anything else is an error naming what was found.

import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function fail(message) {
  console.error(`build.mjs: error: ${message}`);
  process.exit(1);
}

function read(path, encoding = "utf8") {
  try {
    return readFileSync(path, encoding);
  } catch (err) {
    fail(`cannot read ${path}: ${err.message}`);
  }
}

/** core.js as statements of a function body, and the names it exported. */
function unmodule(source, path) {
  const lines = source.split("\n");
  const names = [];
  const out = [];
  lines.forEach((line, i) => {
    const where = `${path}:${i + 1}`;
    const comment = /^\s*(\/\/|\/\*|\*)/.test(line);
    if (!comment && (/^\s*import\s*[\w*{"'(]/.test(line) || /\bimport\.meta\b/.test(line))) {
      fail(`${where}: core.js imports (${line.trim()}); the inliner takes a self-contained module only`);
    }
    if (/^\s*export\s+default\b/.test(line)) {
      fail(`${where}: core.js has a default export; the inliner takes named exports only`);
    }
    const decl = /^(\s*)export\s+((?:async\s+)?function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/.exec(line);
    if (decl) {
      names.push(decl[3]);
      out.push(line.replace(/^(\s*)export\s+/, "$1"));
      return;
    }
    const list = /^\s*export\s*\{([^}]*)\}\s*;?\s*$/.exec(line);
    if (list) {
      for (const part of list[1].split(",")) {
        const spec = part.trim();
        if (!spec) continue;
        const m = /^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(spec);
        if (!m) fail(`${where}: cannot read the export "${spec}"`);
        names.push(m[2] ? `${m[2]}: ${m[1]}` : m[1]);
      }
      return;
    }
    if (/^\s*export\b/.test(line)) fail(`${where}: an export form the inliner does not know: ${line.trim()}`);
    out.push(line);
  });
  if (!names.some((n) => n === "instantiate" || n.startsWith("instantiate:"))) {
    fail(`${path} exports no "instantiate" (found: ${names.join(", ") || "nothing"})`);
  }
  return { body: out.join("\n"), names };
}

/** Text safe inside <script>…</script> or <style>…</style>: the closing tag cannot appear. */
function checkInlinable(text, tag, what) {
  if (new RegExp(`</${tag}`, "i").test(text) || /<!--/.test(text)) {
    fail(`${what} contains "</${tag}" or "<!--", which would end or confuse the inlined element`);
  }
}

function sha256(text) {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

function fill(template, name, value) {
  const token = `{{${name}}}`;
  const parts = template.split(token);
  if (parts.length !== 2) fail(`index.html must contain ${token} exactly once (found ${parts.length - 1})`);
  // split/join, not String.replace: "$&" and friends in the value must stay literal.
  return parts.join(value);
}

const [corePath, wasmPath, outPath] = process.argv.slice(2);
if (!corePath || !wasmPath || !outPath) fail("usage: node build.mjs <core.js> <codec.wasm> <out.html>");

const template = read(join(here, "index.html"));
const style = read(join(here, "style.css"));
const app = read(join(here, "app.js"));
const core = unmodule(read(corePath), corePath);
const wasm = read(wasmPath, null);
if (wasm.length < 8 || wasm.readUInt32BE(0) !== 0x0061736d) fail(`${wasmPath} is not a WebAssembly module`);

const script = [
  '"use strict";',
  "// The codec's JavaScript module (target/bindings/wasm/core.js), as a namespace object.",
  "const btcaddrCore = (() => {",
  core.body,
  `return Object.freeze({ ${core.names.join(", ")} });`,
  "})();",
  app,
].join("\n");
checkInlinable(script, "script", "the page's script (core.js + app.js)");
checkInlinable(style, "style", "style.css");

const csp = [
  "default-src 'none'",
  `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
  `style-src ${sha256(style)}`,
  "img-src data:",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

let html = template;
html = fill(html, "CSP", csp);
html = fill(html, "STYLE", style);
html = fill(html, "WASM_BASE64", wasm.toString("base64"));
html = fill(html, "SCRIPT", script);

mkdirSync(dirname(outPath), { recursive: true });
const tmp = `${outPath}.tmp`;
writeFileSync(tmp, html);
renameSync(tmp, outPath);
console.log(`build.mjs: wrote ${outPath} (${html.length} bytes, wasm ${wasm.length} bytes)`);
