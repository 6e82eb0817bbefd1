// sitegen: "Use my location" on the home page. Progressive enhancement only: the
// control is hidden in the page and shown here, and the name filter works without it.
//
// The browser's geolocation gives a point; the wards' outlines come from the site's
// own static index (sitegen/outputs/locate.py: /find/wards.json) and the ward is found
// here, on the device. The point is never sent anywhere.

const METRES_PER_DEGREE = (6371008.8 * Math.PI) / 180; // of latitude, on the mean Earth radius
const NEAREST = 3; // wards offered when the point is in none

// ---------------------------------------------------------------- the index

// A ring as the index holds it (integers in 10^-decimals degrees, the first position
// whole, then changes; the closing position left out) as [[lon, lat], ...], open.
function decodeRing(flat, scale) {
  const ring = [];
  let lon = 0;
  let lat = 0;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    lon += flat[i];
    lat += flat[i + 1];
    ring.push([lon / scale, lat / scale]);
  }
  return ring;
}

const prepared = new WeakMap();

function wardsOf(index) {
  if (!prepared.has(index)) {
    const scale = 10 ** index.decimals;
    prepared.set(index, index.wards.map((ward) => ({
      ...ward,
      polygons: ward.polygons.map((polygon) => polygon.map((ring) => decodeRing(ring, scale))),
    })));
  }
  return prepared.get(index);
}

// ---------------------------------------------------------------- geometry

// Ray casting, even-odd over every ring of a polygon: a point inside a hole
// crosses the outer ring and the hole's, so it is outside.
function inPolygon(polygon, lon, lat) {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function inBox(bbox, lon, lat) {
  return lon >= bbox[0] && lat >= bbox[1] && lon <= bbox[2] && lat <= bbox[3];
}

// Metres from the point to the nearest edge of a ward: an equirectangular
// projection around the point (longitude scaled by cos(latitude)), good to well
// under 1% at ward scale.
function metresToEdge(ward, lon, lat) {
  const kx = Math.cos((lat * Math.PI) / 180) * METRES_PER_DEGREE;
  let best = Infinity;
  for (const polygon of ward.polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
        const ax = (ring[j][0] - lon) * kx;
        const ay = (ring[j][1] - lat) * METRES_PER_DEGREE;
        const bx = (ring[i][0] - lon) * kx;
        const by = (ring[i][1] - lat) * METRES_PER_DEGREE;
        const dx = bx - ax;
        const dy = by - ay;
        const length = dx * dx + dy * dy;
        const t = length ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length)) : 0;
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
    }
  }
  return best;
}

// How far a point within `metres` of a bbox may be: the box grown by that much.
function nearBox(bbox, lon, lat, metres) {
  const dLat = metres / METRES_PER_DEGREE;
  const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
  return lon >= bbox[0] - dLon && lat >= bbox[1] - dLat && lon <= bbox[2] + dLon && lat <= bbox[3] + dLat;
}

// The ward(s) for a point, from an index as /find/wards.json holds it:
//   {kind: "inside", wards: [w]}           in one ward, further than border_m from any other
//   {kind: "border", wards: [w, ...]}      in or beside more than one, or within border_m of an edge
//   {kind: "outside", wards: [w, ...]}     in none: the NEAREST wards, nearest first
// each w is {slug, name, names, borough, url, metres} (metres to its edge, 0 when inside; names: its
// name in each other language it is translated into, {cy: "..."}, or undefined).
export function findWard(index, lon, lat) {
  const wards = wardsOf(index);
  const border = index.border_m;
  const found = (ward, metres) => ({ slug: ward.slug, name: ward.name, names: ward.names, borough: ward.borough,
    url: ward.url, metres });
  const inside = wards.filter((w) => inBox(w.bbox, lon, lat) && w.polygons.some((p) => inPolygon(p, lon, lat)));
  const near = wards.filter((w) => !inside.includes(w) && nearBox(w.bbox, lon, lat, border))
    .map((w) => found(w, metresToEdge(w, lon, lat))).filter((w) => w.metres <= border)
    .sort((a, b) => a.metres - b.metres);
  if (inside.length) {
    const first = inside.map((w) => found(w, 0));
    return { kind: inside.length === 1 && !near.length ? "inside" : "border", wards: first.concat(near) };
  }
  if (near.length) return { kind: "border", wards: near };
  const nearest = wards.map((w) => found(w, metresToEdge(w, lon, lat)))
    .sort((a, b) => a.metres - b.metres).slice(0, NEAREST);
  return { kind: "outside", wards: nearest };
}

// ---------------------------------------------------------------- the page

// The page gives this script its words (sitegen/scriptwords.py, in the page's language) as JSON in
// data-sitegen-words; a message's %(name)s placeholders are filled with text, elements or lists of them.
function wordsOf(element) {
  try {
    return JSON.parse(element.dataset.sitegenWords || "{}");
  } catch {
    return {};
  }
}

function fill(message, values) {
  return String(message).split(/(%\([a-zA-Z]+\)s)/).filter(Boolean)
    .flatMap((part) => {
      const name = /^%\(([a-zA-Z]+)\)s$/.exec(part);
      return name && name[1] in values ? [values[name[1]]].flat() : [part];
    });
}

let words = {};
const say = (key, values = {}) => fill(words[key] || key, values);
const text = (key, values = {}) => say(key, values).join("");
// A site path in the page's language: the wards' outlines are one file for every language.
const inLanguage = (path) => {
  const prefix = ((words.paths && words.paths.home) || "/").replace(/\/$/, "");
  return prefix && path.startsWith("/") && !path.startsWith(`${prefix}/`) ? prefix + path : path;
};

function distance(metres) {
  if (metres < 1000) return text("metres", { metres: String(Math.max(10, Math.round(metres / 10) * 10)) });
  return text("km", { km: String(Number((metres / 1000).toFixed(metres < 10000 ? 1 : 0))) }); // 3 km, not 3.0 km
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text) made.textContent = text;
  return made;
}

// The language every ward's own name is written in (the index's `language`: the site's default),
// on a site of several languages; "" on a site of one.
let written = "";

// The ward's name in the page's language (<html lang>); its own where it has no translation, marked
// with the language it is written in on a page of another, so a screen reader speaks it as written.
function nameOf(ward) {
  const lang = document.documentElement.lang;
  const translated = ward.names && ward.names[lang];
  if (translated || !written || written === lang) return translated || ward.name;
  return Object.assign(element("span", "", ward.name), { lang: written });
}

function wardLink(ward) {
  const link = Object.assign(element("a", "govuk-link"), { href: inLanguage(ward.url) });
  link.append(...say("ward", { name: nameOf(ward) }));
  return link;
}

function wardList(wards, withDistance) {
  const list = element("ul", "govuk-list govuk-list--bullet");
  for (const ward of wards) {
    const item = element("li");
    item.append(wardLink(ward));
    const away = withDistance ? text("away", { distance: distance(ward.metres) }) : "";
    const extra = [ward.borough, away].filter(Boolean).join(", ");
    if (extra) item.append(` (${extra})`);
    list.append(item);
  }
  return list;
}

function paragraph(...parts) {
  const made = element("p", "govuk-body");
  made.append(...parts);
  return made;
}

// What a result says, as elements.
function describe(result, accuracy) {
  const parts = [];
  const [first] = result.wards;
  if (result.kind === "inside") {
    const where = paragraph(...(first.borough ? say("inWardBorough", { ward: wardLink(first), borough: first.borough })
      : say("inWard", { ward: wardLink(first) })));
    where.classList.add("govuk-!-font-weight-bold");
    parts.push(where);
  } else if (result.kind === "border") {
    parts.push(paragraph(...say(result.wards.length > 1 ? "borders" : "edge")));
    parts.push(wardList(result.wards, false));
  } else {
    parts.push(paragraph(...say("outside")));
    parts.push(paragraph(...say("nearest")));
    parts.push(wardList(result.wards, true));
  }
  if (accuracy > 500 && result.kind !== "outside") {
    parts.push(paragraph(...say("accuracy", { distance: distance(accuracy) })));
  }
  return parts;
}

// The geolocation error codes (1 permission denied, 2 unavailable, 3 timeout) and their words.
const FAILURES = { 1: "denied", 2: "unavailable", 3: "timeout", index: "index" };

function setUp(control) {
  words = wordsOf(control);
  const button = control.querySelector("button");
  const result = control.querySelector("#locate-result");
  const other = control.querySelector("#locate-other");
  let index;
  let busy = false;
  // STATE (busy, inside, border, outside or failed) is kept on the result as data-state.
  // OFFER_OTHERS: the other ways to find a ward (#locate-other) follow, inside the live region.
  const show = (state, parts, offerOthers) => {
    result.dataset.state = state;
    const others = offerOthers && other ? Array.from(other.children, (child) => child.cloneNode(true)) : [];
    result.replaceChildren(...parts, ...others);
  };
  const loadIndex = () => {
    if (!index) {
      index = fetch(control.dataset.sitegenLocate, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.status))))
        .catch((error) => { index = undefined; throw error; }); // tried again on the next press
    }
    return index;
  };
  const position = () => new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(resolve, reject,
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  });
  button.addEventListener("click", async () => {
    if (busy) return;
    busy = true;
    show("busy", [paragraph(...say("busy"))], false);
    const wards = loadIndex();
    wards.catch(() => {}); // a failure is reported once the position is known
    try {
      const here = await position();
      let loaded;
      try {
        loaded = await wards;
      } catch {
        show("failed", [paragraph(...say(FAILURES.index))], true);
        return;
      }
      written = loaded.language || "";
      const found = findWard(loaded, here.coords.longitude, here.coords.latitude);
      show(found.kind, describe(found, here.coords.accuracy), found.kind === "outside");
    } catch (error) {
      show("failed", [paragraph(...say(FAILURES[error.code] || FAILURES[2]))], true);
    } finally {
      busy = false;
    }
  });
  control.hidden = false;
}

const control = document.querySelector("[data-sitegen-locate]");
if (control && control.dataset.sitegenLocate && "geolocation" in navigator && window.isSecureContext) {
  setUp(control);
}
