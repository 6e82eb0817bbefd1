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

function link(href, text) {
  return Object.assign(document.createElement("a"), { className: "govuk-link", href, textContent: text });
}

function paragraph(...parts) {
  const p = Object.assign(document.createElement("p"), { className: "govuk-body" });
  p.append(...parts);
  return p;
}

function setUpPostcodeForm(form) {
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

  async function answer(text, submitted) {
    const read = readPostcode(text);
    if (read.incomplete || (read.invalid && !submitted)) {
      if (submitted) show(paragraph(`Type your whole postcode, like ${example}.`));
      else if (shown) { shown = ""; show(); }
      return;
    }
    if (read.invalid) {
      show(paragraph(`"${text.trim()}" is not a postcode. A postcode looks like ${example}: letters and a number, a space, then a number and two letters.`));
      return;
    }
    if (read.swap) {
      show(paragraph(read.letter
        ? `Postcodes have a letter O, not a zero, there. Did you mean ${read.swap}? Type it with the letter O.`
        : `Postcodes have a zero (0) there, not the letter O. Did you mean ${read.swap}? Type it with the number 0.`));
      return;
    }
    if (read.postcode === shown) return;
    shown = read.postcode;
    if (!districts.has(read.district)) {
      show(paragraph(`We do not cover ${read.postcode}: no ward of ours has a postcode starting ${read.district}. `,
        link("/#find", "Choose your ward by name"), " instead."));
      return;
    }
    const data = await lookup(read.district);
    if (shown !== read.postcode) return;   // typing moved on while it loaded
    if (!data || !data.postcodes) {
      shown = "";
      show(paragraph(`We could not look up ${read.postcode} just now. `,
        link(`/find/${read.district}/`, `Choose from the postcodes starting ${read.district}`), " instead."));
      return;
    }
    const wards = data.postcodes[read.key];
    if (!wards) {
      show(paragraph(`We cannot find ${read.postcode}. Check it, or `,
        link(`/find/${read.district}/`, `choose from the postcodes starting ${read.district}`), "."));
      return;
    }
    const links = wards.map((slug) => link(`/areas/${slug}/`, data.wards[slug] || slug));
    if (links.length === 1) {
      show(paragraph(`${read.postcode} is in `, links[0], " ward."));
    } else {
      const parts = [`${read.postcode} lies in ${links.length} wards: `];
      links.forEach((a, i) => parts.push(a, i === links.length - 1 ? "." : i === links.length - 2 ? " and " : ", "));
      show(paragraph(...parts), paragraph("Each has its own team. Choose the ward where you live."));
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
