// sitegen's file formats for Decap CMS: YAML and Markdown with YAML front matter, written
// as sitegen reads them.  Decap's own formats write a box the editor cleared as "" (an
// empty text), which sitegen refuses ("is empty; write some text or remove the key"), and
// the admin has no way to remove a key; these drop empty values instead, so a cleared
// optional box means the key is not given.  Bundled by esbuild into
// sitegen/theme/vendor/decap/sitegen-admin.js (npm run build:admin), loaded after decap-cms.js.
import YAML from "yaml";

const STRINGIFY = { lineWidth: 0, indentSeq: false };   // no folding; lists as sitegen's files have them

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
  return YAML.stringify(ordered(pruned(data) ?? {}, sortedKeys), STRINGIFY);
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
  return `---\n${YAML.stringify(ordered(pruned(meta) ?? {}, sortedKeys), STRINGIFY)}---\n${text}`;
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
