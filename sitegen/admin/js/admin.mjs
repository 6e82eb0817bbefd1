// sitegen's file formats for Decap CMS: YAML and Markdown with YAML front matter, written
// as sitegen reads them.  Decap's own formats write a box the editor cleared as "" (an
// empty text), which sitegen refuses ("is empty; write some text or remove the key"), and
// the admin has no way to remove a key; these drop empty values instead, so a cleared
// optional box means the key is not given.  Bundled by esbuild into
// sitegen/theme/vendor/decap/sitegen-admin.js (npm run build:admin), loaded after decap-cms.js.
import YAML from "yaml";

const STRINGIFY = { lineWidth: 0, indentSeq: false };   // no folding; lists as sitegen's files have them

// Texts a YAML 1.1 reader (PyYAML, sitegen's) would read as something else if written plain:
// numbers, dates and times (anything starting like one), booleans, nulls, '=' (its "value" tag),
// '<<' (a merge key), .inf/.nan; and texts with surrounding white space, tabs (refused by older
// readers at the start of a line in a block), or characters YAML reads as line breaks or drops.
const READ_OTHERWISE = /^(?:[-+]?\.?[0-9]|[-+]?\.(?:inf|nan)$|(?:y|n|yes|no|true|false|on|off|null|~|=|<<)$|$)/i;
const NEEDS_ESCAPES = /^\s|\s$|[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

// Whether TEXT must be written double-quoted to read back as this very text.
export function mustQuote(text) {
  return READ_OTHERWISE.test(text) || NEEDS_ESCAPES.test(text);
}

// VALUE as YAML text: texts that mustQuote written "double-quoted" (with \t, \n... escapes),
// the rest as the yaml library chooses (it quotes what YAML's syntax needs).
function stringify(value) {
  const doc = new YAML.Document(value);
  YAML.visit(doc, {
    Scalar(key, node) {
      if (key !== "key" && typeof node.value === "string" && mustQuote(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  // The library writes these as they are, even double-quoted, where YAML reads U+0085, U+2028 and
  // U+2029 as line breaks (and PyYAML refuses the other C1 controls); each is inside a double-quoted
  // text (mustQuote), so escape them there.
  return doc.toString(STRINGIFY).replace(/[\u0080-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// VALUE without empty texts, nulls, empty lists and empty mappings (recursively); undefined when
// nothing is left.
export function pruned(value) {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (Array.isArray(value)) {
    const items = value.map(pruned).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value).map(([k, v]) => [k, pruned(v)]).filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

export function yamlFromFile(text) {
  return YAML.parse(text) ?? {};
}

// DATA's keys in the order of SORTED_KEYS (the collection's fields, as Decap passes them to a
// format), the others after them as they came.
export function ordered(data, sortedKeys = []) {
  const rank = (key) => { const at = sortedKeys.indexOf(key); return at < 0 ? sortedKeys.length : at; };
  const keys = Object.keys(data).map((key, at) => [rank(key), at, key]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return Object.fromEntries(keys.map(([, , key]) => [key, data[key]]));
}

export function yamlToFile(data, sortedKeys = []) {
  return stringify(ordered(pruned(data) ?? {}, sortedKeys));
}

const FRONT = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

export function frontMatterFromFile(text) {
  const match = FRONT.exec(text);
  if (!match) return { body: text };
  return { ...(YAML.parse(match[1]) ?? {}), body: match[2] };
}

export function frontMatterToFile(data, sortedKeys = []) {
  const { body = "", ...meta } = data;
  const text = body.endsWith("\n") || body === "" ? body : body + "\n";
  return `---\n${stringify(ordered(pruned(meta) ?? {}, sortedKeys))}---\n${text}`;
}

if (typeof window !== "undefined" && window.CMS) {
  window.CMS.registerCustomFormat("sitegen-yaml", "yaml", {
    fromFile: yamlFromFile,
    toFile: yamlToFile,
  });
  window.CMS.registerCustomFormat("sitegen-frontmatter", "md", {
    fromFile: frontMatterFromFile,
    toFile: frontMatterToFile,
  });
}
