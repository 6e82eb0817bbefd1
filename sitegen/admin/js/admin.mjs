// sitegen's file formats for Decap CMS: YAML and Markdown with YAML front matter, written
// as sitegen reads them.  Decap's own formats write a box the editor cleared as "" (an
// empty text), which sitegen refuses ("is empty; write some text or remove the key"), and
// the admin has no way to remove a key; these drop empty values instead, so a cleared
// optional box means the key is not given.  Bundled by esbuild into
// sitegen/theme/vendor/decap/sitegen-admin.js (npm run build:admin), loaded after decap-cms.js.
import YAML from "yaml";

const STRINGIFY = { lineWidth: 0, indentSeq: false };   // no folding; lists as sitegen's files have them

// Texts a YAML 1.1 reader (PyYAML, sitegen's) would take for something else if written plain,
// by PyYAML's own resolvers (yaml/resolver.py): booleans, nulls, whole and decimal numbers
// (sexagesimal too), dates and times, '<<' (a merge key) and '=' (its "value" tag).
const READ_OTHERWISE = [
  /^(?:yes|no|true|false|on|off|~|null|<<|=|)$/i,
  /^[-+]?(?:0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.inf|\.nan)$/i,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/,
];
// Texts that need escapes to be read back: surrounding white space, tabs (older readers refuse
// one starting a line of a block), CR and other controls, and what YAML reads as line breaks
// (U+0085, U+2028, U+2029) or drops (U+FEFF).
const NEEDS_ESCAPES = /^\s|\s$|[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

// How TEXT must be written to read back as this very text: "double" (with \t, \n... escapes),
// "single" (quoted as sitegen's own files quote dates), or "" (as the yaml library chooses: it
// quotes what YAML's syntax needs, like ': ' or a leading '#').
export function quoting(text) {
  if (NEEDS_ESCAPES.test(text)) return "double";
  return READ_OTHERWISE.some((pattern) => pattern.test(text)) ? "single" : "";
}

const QUOTE_TYPE = { double: "QUOTE_DOUBLE", single: "QUOTE_SINGLE" };

// VALUE as YAML text, each text quoted as quoting() says.
function stringify(value) {
  const doc = new YAML.Document(value);
  YAML.visit(doc, {
    Scalar(key, node) {
      const how = key !== "key" && typeof node.value === "string" ? quoting(node.value) : "";
      if (how) node.type = QUOTE_TYPE[how];
    },
  });
  // The library writes these as they are, even double-quoted, where YAML reads U+0085, U+2028 and
  // U+2029 as line breaks (and PyYAML refuses the other C1 controls); each is inside a double-quoted
  // text (NEEDS_ESCAPES), so escape them there.
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

// Whether the file at PATH is named as a translation into one of CODES (the site's languages),
// as sitegen reads names: area.cy.yaml, story.cy.md (sitegen/model.py split_name); never an original.
export function isTranslation(path, codes) {
  const parts = path.split("/").pop().split(".");
  if (parts.length < 3 || parts.slice(0, -2).join(".") === "") return false;
  const code = parts[parts.length - 2].toLowerCase();
  return codes.some((c) => c.toLowerCase() === code);
}

// Decap lists every file of a folder collection that has its extension, so a ward's area.cy.yaml
// or a story's story.cy.md would show as a ward or story of its own, and saving it there would
// write the original's every field into the translation.  BACKEND (a registry entry, {init})
// is changed in place so its listings leave translations out; the admin edits originals only.
export function leaveOutTranslations(backend, codes) {
  const init = backend.init;
  backend.init = (...args) => {
    const implementation = init(...args);
    for (const method of ["entriesByFolder", "allEntriesByFolder"]) {
      const list = implementation[method];
      if (typeof list !== "function") continue;
      implementation[method] = async (...listArgs) =>
        (await list.apply(implementation, listArgs)).filter((entry) => !isTranslation(entry.file.path, codes));
    }
    return implementation;
  };
}

// The site's languages, the default first, as admin/index.html names them (sitegen/admin/outputs.py).
function siteLanguages() {
  const meta = document.querySelector('meta[name="sitegen-languages"]');
  return meta ? meta.content.split(/\s+/).filter(Boolean) : [];
}

const BACKENDS = ["github", "gitlab", "gitea", "bitbucket", "azure", "git-gateway", "proxy", "test-repo"];

if (typeof window !== "undefined" && window.CMS) {
  const codes = siteLanguages();
  for (const name of codes.length > 1 ? BACKENDS : []) {
    const backend = window.CMS.getBackend(name);
    if (backend) leaveOutTranslations(backend, codes);
  }
  window.CMS.registerCustomFormat("sitegen-yaml", "yaml", {
    fromFile: yamlFromFile,
    toFile: yamlToFile,
  });
  window.CMS.registerCustomFormat("sitegen-frontmatter", "md", {
    fromFile: frontMatterFromFile,
    toFile: frontMatterToFile,
  });
}
