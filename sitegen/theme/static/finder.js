// sitegen: the postcode finder on /find/, progressive enhancement only. Without this file the
// form leads to the list of postcode districts, and each district's page to the wards.
//
// As a postcode is typed (any case, with or without spaces), once it is whole, the district's
// lookup /find/<DISTRICT>.json (same origin, a few KB) is fetched once and the ward shown.
// A letter O where a postcode has a number (or 0 where it has a letter) is refused, saying
// what to type: the lookup is not guessed at.

const OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
const INWARD = /^[0-9][A-Z]{2}$/;

// What TEXT is as a postcode: {postcode: "RM8 3HR", district: "RM8", key: "RM83HR"} when it is
// one; {swap: "RM8 3HO", letter: true} when swapping O and 0 somewhere would make it one
// (letter: the swap puts a letter O where a 0 was); {incomplete: true} while too short;
// {invalid: true} otherwise.
export function readPostcode(text) {
  const compact = text.replace(/\s+/g, "").toUpperCase();
  if (compact.length < 5) return { incomplete: true };
  if (compact.length > 7) return { invalid: true };
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  if (OUTWARD.test(outward) && INWARD.test(inward)) {
    // A9A and AA9A districts never end in O: "E1O" is E10 typed with a letter.
    if (!(outward.length > 2 && outward.endsWith("O") && /[0-9]/.test(outward[outward.length - 2]))) {
      return { postcode: `${outward} ${inward}`, district: outward, key: compact };
    }
  }
  for (let i = 0; i < compact.length; i += 1) {
    const char = compact[i];
    if (char !== "O" && char !== "0") continue;
    const swapped = compact.slice(0, i) + (char === "O" ? "0" : "O") + compact.slice(i + 1);
    const out = swapped.slice(0, -3);
    const inn = swapped.slice(-3);
    if (OUTWARD.test(out) && INWARD.test(inn) && !(out.length > 2 && out.endsWith("O"))) {
      return { swap: `${out} ${inn}`, letter: char === "0" };
    }
  }
  return { invalid: true };
}

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

// TEXT: a string or an element (a ward's name marked with its language: wardName).
function link(href, text) {
  const a = Object.assign(document.createElement("a"), { className: "govuk-link", href });
  a.append(text);
  return a;
}

// The ward SLUG's name in the page's language (<html lang>) where the district's lookup DATA has
// it (`names`, on a site of several languages), else its own, marked with the language it is
// written in (`language`: the site's default) on a page of another, so a screen reader speaks it
// as written.
function wardName(data, slug) {
  const lang = document.documentElement.lang;
  const translated = data.names && data.names[slug] && data.names[slug][lang];
  const own = data.wards[slug] || slug;
  if (translated || !data.language || data.language === lang) return translated || own;
  return Object.assign(document.createElement("span"), { lang: data.language, textContent: own });
}

function paragraph(...parts) {
  const p = Object.assign(document.createElement("p"), { className: "govuk-body" });
  p.append(...parts);
  return p;
}

function setUpPostcodeForm(form) {
  const words = wordsOf(form);
  const paths = words.paths || { home: "/", find: "/find/", areas: "/areas/" };
  const say = (key, values = {}) => fill(words[key] || key, values);
  const text = (key, values = {}) => say(key, values).join("");
  const input = form.querySelector("input[name=postcode]");
  const result = form.querySelector("#postcode-result");
  const districts = new Set(Array.from(document.querySelectorAll(".sitegen-district-list a"),
    (a) => a.textContent.trim()));
  const lookups = new Map();   // district -> Promise of its lookup
  // The site's own example postcode, as the hint under the box gives it (one of its districts).
  const hint = form.querySelector("#postcode-hint");
  const example = ((hint && hint.textContent.match(/[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}/)) || ["RM8 3HR"])[0];
  let shown = "";

  function show(...paragraphs) {
    result.replaceChildren(...paragraphs);
    result.className = paragraphs.length ? "govuk-inset-text" : "";
  }

  function lookup(district) {
    if (!lookups.has(district)) {
      lookups.set(district, fetch(`/find/${district}.json`, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null)
        .then((data) => {
          if (!data) lookups.delete(district);   // try again next time
          return data;
        }));
    }
    return lookups.get(district);
  }

  async function answer(typed, submitted) {
    const read = readPostcode(typed);
    if (read.incomplete || (read.invalid && !submitted)) {
      if (submitted) show(paragraph(...say("whole", { example })));
      else if (shown) { shown = ""; show(); }
      return;
    }
    if (read.invalid) {
      show(paragraph(...say("notPostcode", { text: typed.trim(), example })));
      return;
    }
    if (read.swap) {
      show(paragraph(...say(read.letter ? "letterO" : "zero", { postcode: read.swap })));
      return;
    }
    if (read.postcode === shown) return;
    shown = read.postcode;
    if (!districts.has(read.district)) {
      show(paragraph(...say("notCovered", { postcode: read.postcode, district: read.district,
        link: link(`${paths.home}#find`, text("byName")) })));
      return;
    }
    const data = await lookup(read.district);
    if (shown !== read.postcode) return;   // typing moved on while it loaded
    if (!data || !data.postcodes) {
      shown = "";
      show(paragraph(...say("lookupFailed", { postcode: read.postcode,
        link: link(`${paths.find}${read.district}/`, text("chooseDistrict", { district: read.district })) })));
      return;
    }
    const wards = data.postcodes[read.key];
    if (!wards) {
      show(paragraph(...say("notFound", { postcode: read.postcode,
        link: link(`${paths.find}${read.district}/`, text("chooseDistrictLower", { district: read.district })) })));
      return;
    }
    const links = wards.map((slug) => link(`${paths.areas}${slug}/`, wardName(data, slug)));
    if (links.length === 1) {
      show(paragraph(...say("oneWard", { postcode: read.postcode, ward: links[0] })));
    } else {
      // "A, B and C": the last two joined by the language's "and".
      const first = links.slice(0, -1).flatMap((a, i) => (i ? [", ", a] : [a]));
      const last = links[links.length - 1];
      // Welsh joins with "ac" before a vowel: the page gives both forms.
      const vowel = /^[aeiouáéíóúàèìòùâêîôûäëïöü]/i.test(last.textContent);
      const wardList = say(vowel ? "andVowel" : "and", { first, last });
      show(paragraph(...say("manyWards", { postcode: read.postcode, count: String(links.length), wards: wardList })),
        paragraph(...say("eachTeam")));
    }
  }

  input.addEventListener("input", () => answer(input.value, false));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    shown = "";
    answer(input.value, true);
  });
}

document.querySelectorAll("form[data-sitegen-postcode]").forEach(setUpPostcodeForm);
