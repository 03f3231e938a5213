// The address checker page: reads what the person types or pastes, asks the codec (the Rust
// crate compiled to WebAssembly, `btcaddrCore`, inlined before this file by
// scripts/build-web.sh) and shows the verdict. Nothing here knows the address format: every
// check, conversion and correction comes from the codec; this file only lays out its answers.
//
// User text only ever reaches the page through textContent, never as HTML.

/* global btcaddrCore */

const NETWORK_NAMES = {
  btc: "Bitcoin (mainnet)",
  testnet: "testnet (testnet3 or testnet4)",
  signet: "signet",
  regtest: "regtest (local test chain)",
};

const SCRIPT_TYPE_NAMES = {
  p2pk: "P2PK: pay to a public key (old style)",
  p2pkh: "P2PKH: pay to a public key hash (legacy)",
  p2sh: "P2SH: pay to a script hash",
  p2wpkh: "P2WPKH: pay to a witness public key hash (SegWit v0)",
  p2wsh: "P2WSH: pay to a witness script hash (SegWit v0)",
  p2tr: "P2TR: pay to Taproot (SegWit v1)",
  p2a: "P2A: pay to anchor",
  op_return: "OP_RETURN: data only, unspendable",
  multisig: "bare multisig",
  nonstandard: "non-standard script",
};

// Which standard encoding a script type's standard address uses (BIP13/BIP173/BIP350), only to
// name it for the reader; the conversion itself is the codec's.
const STANDARD_ENCODING = {
  p2pkh: "base58",
  p2sh: "base58",
  p2wpkh: "bech32",
  p2wsh: "bech32",
};

// The decode failures a one-letter slip can cause: for these the page asks for corrections.
const CHECK_FAILURES = new Set([
  "damm_mismatch",
  "crc_mismatch",
  "invalid_length",
  "invalid_char",
  "mixed_case",
]);

const NETWORKS = ["btc", "testnet", "signet", "regtest"];

const input = document.getElementById("address");
const verdict = document.getElementById("verdict");
const details = document.getElementById("details");
const copyStatus = document.getElementById("copy-status");

let codec = null;
// The chain picked for an ambiguous standard address (tb1… is testnet or signet).
let chosenNetwork = null;
// What the person typed before picking a suggested correction (null when they typed the input).
let typedBeforeSuggestion = null;

/** Creates an element with optional class and text (text via textContent, never HTML). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function networkName(network) {
  return NETWORK_NAMES[network] || network;
}

function scriptTypeName(type) {
  if (SCRIPT_TYPE_NAMES[type]) return SCRIPT_TYPE_NAMES[type];
  const future = /^witness_v(\d+)$/.exec(type);
  if (future) return `future witness version ${future[1]} (not yet defined)`;
  return type;
}

function standardEncoding(type) {
  return STANDARD_ENCODING[type] || "bech32m";
}

function plural(n, word) {
  return `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
}

function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sets the verdict (the live region screen readers announce): a state, a headline, a line. */
function setVerdict(state, headline, line) {
  verdict.className = `verdict verdict-${state}`;
  verdict.dataset.state = state;
  verdict.replaceChildren();
  const head = el("p", "verdict-headline");
  head.append(el("span", "verdict-icon", { ok: "✓", warn: "!", bad: "✗" }[state] || ""));
  head.append(el("span", "", headline));
  head.firstChild.setAttribute("aria-hidden", "true");
  verdict.append(head);
  if (line) verdict.append(el("p", "verdict-line", line));
}

/** A definition list of label/value rows; each value carries data-field for the tests. */
function facts(rows) {
  const dl = el("dl", "facts");
  for (const [field, label, value, raw] of rows) {
    const dt = el("dt", "", label);
    const dd = el("dd", "", value);
    dd.dataset.field = field;
    if (raw !== undefined) dd.dataset.value = raw;
    dl.append(dt, dd);
  }
  return dl;
}

/** Copies text: the Clipboard API where the page may use it, else a selected textarea. */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      // A clipboard request can wait forever for a permission nobody answers: give up after 2 s.
      await Promise.race([
        navigator.clipboard.writeText(text),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000)),
      ]);
      return true;
    } catch {
      // Denied or unavailable: fall through to the old way.
    }
  }
  // Selecting the text moves focus; put it back so a keyboard user stays on the button.
  const focused = document.activeElement;
  const area = el("textarea", "offscreen");
  area.value = text;
  area.setAttribute("readonly", "");
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  if (focused instanceof HTMLElement) focused.focus();
  return ok;
}

function copyButton(text, what) {
  const button = el("button", "copy", "Copy");
  button.type = "button";
  button.setAttribute("aria-label", `Copy the ${what}`);
  button.addEventListener("click", async () => {
    const ok = await copyText(text);
    button.textContent = ok ? "Copied" : "Copy failed: select the text and copy it";
    copyStatus.textContent = ok ? `Copied the ${what}.` : "Copying failed.";
    clearTimeout(button.resetTimer);
    button.resetTimer = setTimeout(() => {
      button.textContent = "Copy";
    }, 2500);
  });
  return button;
}

/** One form of the address (generic, uppercase, standard) with its copy button. */
function addressForm(field, label, text, what) {
  const row = el("div", "form-row");
  row.dataset.form = field;
  row.append(el("h3", "form-label", label));
  const line = el("div", "form-line");
  const code = el("code", "address-text", text);
  code.dataset.field = field;
  line.append(code, copyButton(text, what));
  row.append(line);
  return row;
}

function qrFigure(upper) {
  const figure = el("figure", "qr");
  let svg;
  try {
    svg = codec.qrSvg(upper);
  } catch (err) {
    // Past a QR code's capacity (about 4,000 characters) there is no code to show.
    const none = el("p", "none", `No QR code: ${err.message}.`);
    none.dataset.field = "qr";
    figure.append(none);
    return figure;
  }
  // Long addresses make dense codes: draw those larger so a camera can still resolve them.
  if (upper.length > 150) figure.classList.add("qr-large");
  const img = el("img");
  // The SVG comes from the codec; as an image it cannot run anything, and img-src allows data:.
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  img.alt = `QR code of ${upper}`;
  img.width = 240;
  img.height = 240;
  figure.append(img, el("figcaption", "", "QR code of the uppercase form (scans in compact alphanumeric mode)."));
  return figure;
}

/** Shows a decoded address: facts, its forms, the QR code. `note` says what was typed. */
function showAddress(info, note) {
  const section = el("section", "result");
  section.setAttribute("aria-label", "Address details");
  if (note) section.append(el("p", "note", note));

  const rows = [
    ["network", "Network", `${networkName(info.network)}, prefix ${info.network}:`, info.network],
    ["type", "Script type", scriptTypeName(info.scriptType), info.scriptType],
    ["length", "Script length", plural(info.script.length, "byte"), String(info.script.length)],
  ];
  section.append(facts(rows));

  const script = el("details", "script");
  script.append(el("summary", "", "Script (hex)"));
  script.append(el("code", "address-text", toHex(info.script)));
  section.append(script);

  const forms = el("section", "forms");
  forms.setAttribute("aria-label", "Forms of this address");
  forms.append(el("h2", "", "Forms of this address"));
  forms.append(addressForm("generic", "Generic form", info.address, "generic form"));
  const upper = codec.toUppercase(info.address);
  forms.append(addressForm("uppercase", "Uppercase form (for QR codes)", upper, "uppercase form"));
  let standard = null;
  try {
    standard = codec.toStandard(info.address);
  } catch (err) {
    if (!(err instanceof btcaddrCore.ConversionError)) throw err;
    const row = el("div", "form-row");
    row.dataset.form = "standard";
    row.append(el("h3", "form-label", "Standard form"));
    const none = el("p", "none", err.kind === "no_standard_address"
      ? "None: no base58 or bech32 address pays to this script; only the generic form does."
      : err.message);
    none.dataset.field = "standard";
    row.append(none);
    forms.append(row);
  }
  if (standard !== null) {
    const label = `Standard form (${standardEncoding(info.scriptType)})`;
    forms.append(addressForm("standard", label, standard, "standard form"));
  }
  forms.append(qrFigure(upper));
  section.append(forms);
  details.replaceChildren(section);
}

/** Renders the typed text with the character at `position` (code points) in a <mark>. */
function typedWithMark(text, position) {
  const chars = Array.from(text);
  const code = el("code", "address-text typed");
  if (position === null || position === undefined) {
    code.textContent = text;
    return code;
  }
  code.append(chars.slice(0, position).join(""));
  const mark = el("mark", "", position < chars.length ? chars[position] : " ");
  mark.title = `position ${position}`;
  code.append(mark);
  code.append(chars.slice(position + 1).join(""));
  return code;
}

/**
 * The candidate with what differs from the typed text emphasised. A plain text diff for the
 * reader's eye (common start and end), not a decoding step: which edit was made is the codec's.
 */
function candidateWithEmphasis(typed, candidate) {
  const a = Array.from(typed);
  const b = Array.from(candidate);
  const code = el("code", "address-text candidate");
  const same = (x, y) => x !== undefined && y !== undefined && x.toLowerCase() === y.toLowerCase();
  if (a.length === b.length && a.every((c, i) => same(c, b[i]))) {
    // Only the case changed: emphasise each letter whose case did.
    let run = "";
    for (let i = 0; i < b.length; i++) {
      if (a[i] === b[i]) {
        run += b[i];
      } else {
        if (run) code.append(run);
        run = "";
        code.append(el("strong", "changed", b[i]));
      }
    }
    if (run) code.append(run);
    return code;
  }
  let start = 0;
  while (start < a.length && start < b.length && same(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && same(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  code.append(b.slice(0, start).join(""));
  if (endB > start) {
    code.append(el("strong", "changed", b.slice(start, endB).join("")));
    code.append(b.slice(endB).join(""));
  } else {
    // A character was removed: mark the place with a bar before the next letter.
    const next = b[start] === undefined ? "" : b[start];
    const spot = el("strong", "changed removed-here", next);
    spot.title = "a character was removed here";
    code.append(spot, b.slice(start + 1).join(""));
  }
  return code;
}

function showSuggestions(typed, container) {
  const section = el("section", "suggestions");
  section.setAttribute("aria-labelledby", "suggestions-heading");
  const heading = el("h2", "", "Possible corrections: unverified guesses");
  heading.id = "suggestions-heading";
  section.append(heading);
  let found = [];
  try {
    found = codec.suggest(typed);
  } catch (err) {
    section.append(el("p", "", `Could not look for corrections: ${err.message}`));
    container.append(section);
    return;
  }
  if (found.length === 0) {
    section.append(el("p", "", "No address one typing slip away passes the checks. Ask for the address again."));
    container.append(section);
    return;
  }
  section.append(el("p", "caution",
    "Each of these is one typing slip away from what you entered and passes both checks, " +
    "but the checks cannot tell which one was meant, or whether any was. " +
    "Confirm with whoever gave you the address before paying to one."));
  const list = el("ol", "candidates");
  found.forEach((s, i) => {
    const item = el("li", "candidate-item");
    item.dataset.address = s.address;
    item.dataset.kind = s.kind;
    item.append(candidateWithEmphasis(typed, s.address));
    item.append(el("p", "description", s.description));
    const use = el("button", "use", "Check this one");
    use.type = "button";
    use.setAttribute("aria-label", `Check candidate ${i + 1}: ${s.address}`);
    use.addEventListener("click", () => {
      typedBeforeSuggestion = typed;
      input.value = s.address;
      safeCheck();
      input.focus();
    });
    item.append(use);
    list.append(item);
  });
  section.append(list);
  container.append(section);
}

function showInvalid(typed, err, standardError) {
  let line = err.message;
  if (standardError) {
    line = `Not a generic address (no ':' after a prefix such as btc:), and not a base58, bech32 or bech32m address either (${standardError.message}).`;
  }
  setVerdict("bad", "Not a valid address", line);
  verdict.dataset.kind = err.kind;
  const section = el("section", "result");
  section.setAttribute("aria-label", "What was checked");
  const where = el("p", "typed-line");
  where.append(el("span", "typed-label", "You entered: "));
  where.append(typedWithMark(typed, err.position));
  section.append(where);
  if (err.position !== null && err.position !== undefined) {
    section.append(el("p", "hint", `The highlighted character is at position ${err.position} (counting from 0).`));
  }
  details.replaceChildren(section);
  if (err.kind === "unknown_prefix") offerLinkAddress(typed, section);
  if (CHECK_FAILURES.has(err.kind)) showSuggestions(typed, section);
}

/**
 * A pasted payment link (BIP21 `bitcoin:<address>?amount=…`) is not an address, but the address
 * in it may be: offer to check that part. Which part is the address is the link syntax's rule;
 * whether it is a valid address is still the codec's answer.
 */
function offerLinkAddress(typed, container) {
  const link = /^bitcoin:([^?]+)/i.exec(typed);
  if (!link) return;
  const inner = link[1];
  let usable = codec.isValid(inner);
  if (!usable && !inner.includes(":")) {
    try {
      codec.fromStandard(inner);
      usable = true;
    } catch (err) {
      if (!(err instanceof btcaddrCore.ConversionError)) throw err;
    }
  }
  if (!usable) return;
  const box = el("div", "link-hint");
  box.append(el("p", "", "This looks like a payment link (bitcoin:…), not an address. The address in it is:"));
  box.append(el("code", "address-text", inner));
  const use = el("button", "use", "Check the address in the link");
  use.type = "button";
  use.addEventListener("click", () => {
    input.value = inner;
    safeCheck();
    input.focus();
  });
  box.append(use);
  container.append(box);
}

/** A standard (base58/bech32/bech32m) address: its generic form on each chain it fits. */
function tryStandard(typed) {
  let first;
  try {
    first = codec.fromStandard(typed);
  } catch (err) {
    if (!(err instanceof btcaddrCore.ConversionError)) throw err;
    return { error: err };
  }
  const options = [];
  for (const network of NETWORKS) {
    try {
      options.push({ network, generic: codec.fromStandard(typed, network) });
    } catch (err) {
      if (!(err instanceof btcaddrCore.ConversionError)) throw err;
    }
  }
  if (options.length === 0) options.push({ network: codec.decode(first).network, generic: first });
  return { options };
}

function showStandard(typed, options) {
  const pick = options.find((o) => o.network === chosenNetwork) || options[0];
  const info = codec.decode(pick.generic);
  const encoding = standardEncoding(info.scriptType);
  if (info.isStandard) {
    setVerdict("ok", `Valid ${encoding} address`, `${scriptTypeName(info.scriptType)}, on ${networkName(info.network)}. Its generic form is below.`);
  } else {
    setVerdict("warn", `Valid ${encoding} address, unusual script`, info.warning);
  }
  verdict.dataset.kind = "standard";
  showAddress(info, `You entered a standard ${encoding} address. The same output as a generic address:`);
  if (options.length > 1) {
    // tb1… and m/n/2… addresses do not say which test chain they are for; let the reader say.
    const wrap = el("p", "chain-pick");
    const label = el("label", "", "This standard address fits more than one chain; generic form for: ");
    label.htmlFor = "chain";
    const select = el("select");
    select.id = "chain";
    for (const o of options) {
      const option = el("option", "", networkName(o.network));
      option.value = o.network;
      option.selected = o === pick;
      select.append(option);
    }
    select.addEventListener("change", () => {
      chosenNetwork = select.value;
      safeCheck();
      document.getElementById("chain").focus();
    });
    wrap.append(label, select);
    details.querySelector(".note").after(wrap);
  }
}

/** Checks the current input and redraws the verdict and the details. */
function check() {
  if (!codec) return;
  const typed = input.value.trim();
  delete verdict.dataset.kind;
  if (typed === "") {
    setVerdict("empty", "Type or paste an address to check it.");
    details.replaceChildren();
    return;
  }
  let info;
  try {
    info = codec.decode(typed);
  } catch (err) {
    if (!(err instanceof btcaddrCore.DecodeError)) throw err;
    if (err.kind === "missing_colon") {
      const standard = tryStandard(typed);
      if (standard.options) {
        showStandard(typed, standard.options);
        return;
      }
      showInvalid(typed, err, standard.error);
      return;
    }
    showInvalid(typed, err, null);
    return;
  }
  const upperTyped = typed !== info.address;
  if (typedBeforeSuggestion !== null) {
    // A picked guess passes the checks by construction: say so, so green is not read as proof.
    setVerdict("warn", "Suggested correction: confirm it with the payee",
      "This is one of the guesses for what you typed. It passes the checks, but so might another " +
      "address one slip away: pay to it only once whoever gave you the address confirms it." +
      (info.warning ? ` Also: ${info.warning}.` : ""));
    verdict.dataset.kind = "suggestion";
    showAddress(info, null);
    const back = el("button", "back", "Back to what you typed");
    back.type = "button";
    const original = typedBeforeSuggestion;
    back.addEventListener("click", () => {
      typedBeforeSuggestion = null;
      input.value = original;
      safeCheck();
      input.focus();
    });
    const row = el("p", "back-row");
    row.append(back);
    details.prepend(row);
    return;
  }
  if (info.isStandard) {
    setVerdict("ok", "Valid address", `${scriptTypeName(info.scriptType)}, on ${networkName(info.network)}.`);
  } else {
    // Valid checks, but no wallet pays to this script: most likely a slip that both checks missed.
    setVerdict("warn", "Valid checks, but not an ordinary address", info.warning);
  }
  verdict.dataset.kind = "generic";
  showAddress(info, upperTyped ? "You entered the uppercase form; the canonical form is lowercase." : null);
}

function safeCheck() {
  try {
    check();
  } catch (err) {
    setVerdict("bad", "The checker failed", String(err && err.message ? err.message : err));
    details.replaceChildren();
  }
}

async function start() {
  setVerdict("empty", "Loading the checker…");
  try {
    const b64 = document.getElementById("codec-wasm").textContent.trim();
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    codec = await btcaddrCore.instantiate(bytes);
  } catch (err) {
    setVerdict("bad", "The checker could not start", String(err && err.message ? err.message : err));
    return;
  }
  input.addEventListener("input", () => {
    chosenNetwork = null;
    typedBeforeSuggestion = null;
    safeCheck();
  });
  document.documentElement.dataset.ready = "true";
  safeCheck();
}

start();
