// Renames the wasm module's imported functions to short names, in the module and in
// its JavaScript glue together: wasm-bindgen names each one `__wbg_<name>_<16 hex>`,
// and those hashes, written twice and not compressible, cost about 5 KB of the
// bundle's gzip size. Only names ending in such a hash are renamed, so every one is
// unique in both files.
//
// Usage: node scripts/short-imports.mjs <module.wasm> <glue.js>
import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error("usage: short-imports.mjs <module.wasm> <glue.js>");
  process.exit(2);
}
const HASHED = /^__wbg_[A-Za-z0-9_]*_[0-9a-f]{16}$/;

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

// `$a`, `$b`, ... `$Z`, `$ba`, ...: valid keys and identifiers, never a wasm-bindgen name.
function shortName(index) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  do {
    name = letters[index % letters.length] + name;
    index = Math.floor(index / letters.length);
  } while (index > 0);
  return "$" + name;
}

// Skips one import's description (function, table, memory or global) from `at`.
function skipImportKind(bytes, at) {
  const kind = bytes[at++];
  if (kind === 0) return readLeb(bytes, at)[1];
  if (kind === 3) return at + 2;
  if (kind === 1) at += 1; // a table's element type
  const flags = bytes[at++];
  at = readLeb(bytes, at)[1];
  return flags & 1 ? readLeb(bytes, at)[1] : at;
}

const wasm = readFileSync(wasmPath);
const text = new TextDecoder();
const renamed = new Map();
const out = [wasm.subarray(0, 8)];
let at = 8;
while (at < wasm.length) {
  const start = at;
  const id = wasm[at++];
  let size;
  [size, at] = readLeb(wasm, at);
  const end = at + size;
  if (id !== 2) {
    out.push(wasm.subarray(start, end));
    at = end;
    continue;
  }
  let count;
  [count, at] = readLeb(wasm, at);
  const body = leb(count);
  for (let i = 0; i < count; i++) {
    let length;
    [length, at] = readLeb(wasm, at);
    const module = wasm.subarray(at, at + length);
    at += length;
    [length, at] = readLeb(wasm, at);
    let field = text.decode(wasm.subarray(at, at + length));
    at += length;
    const rest = at;
    at = skipImportKind(wasm, at);
    if (HASHED.test(field)) {
      const short = shortName(renamed.size);
      renamed.set(field, short);
      field = short;
    }
    const fieldBytes = new TextEncoder().encode(field);
    body.push(...leb(module.length), ...module, ...leb(fieldBytes.length), ...fieldBytes);
    body.push(...wasm.subarray(rest, at));
  }
  if (at !== end) throw new Error("the import section did not parse to its end");
  out.push(Uint8Array.from([2, ...leb(body.length), ...body]));
}

let js = readFileSync(jsPath, "utf8");
for (const [long, short] of renamed) {
  const uses = js.split(long).length - 1;
  if (uses !== 1) throw new Error(`${long} appears ${uses} times in ${jsPath}, not once`);
  js = js.replace(long, short);
}
writeFileSync(wasmPath, Buffer.concat(out));
writeFileSync(jsPath, js);
console.log(`short-imports: ${renamed.size} imports renamed`);
