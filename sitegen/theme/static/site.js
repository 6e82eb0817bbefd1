// sitegen: progressive enhancement only. Every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Names as the filter compares them: no accents, case, apostrophes, hyphens,
// full stops or spaces. Two forms: as written, and with each word "St" read as
// "Saint" (so "St Pancras" and "Saint Pancras" find each other, while a half-typed
// "st" still finds "Stepney").
function nameForms(text) {
  const words = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/['\u2018\u2019.]/g, "").split(/[^a-z0-9]+/).filter(Boolean);
  return [words.join(""), words.map((w) => (w === "st" ? "saint" : w)).join("")];
}

// The page gives this script its words (sitegen/scriptwords.py, in the page's language) as JSON in
// data-sitegen-words; a message's %(name)s placeholders are filled in.
function wordsOf(element) {
  try {
    return JSON.parse(element.dataset.sitegenWords || "{}");
  } catch {
    return {};
  }
}

function fill(message, values) {
  return String(message).replace(/%\(([a-zA-Z]+)\)s/g, (whole, name) => (name in values ? values[name] : whole));
}

function matches(forms, query) {
  return forms[0].includes(query[0]) || forms[1].includes(query[1]);
}

// Home page: narrow the wards as a ward, place or borough name is typed. Each
// ward is an li[data-name] (and data-places, "|" between them) inside a
// [data-group] naming its borough; a group's list marked data-collapsed (a site
// with several boroughs lists only the boroughs) opens when it has matches.
function setUpAreaFilter(wrapper) {
  const words = wordsOf(wrapper);
  const say = (key, values) => fill(words[key] || key, values);
  const list = document.getElementById(wrapper.dataset.sitegenFilter);
  const input = wrapper.querySelector("input");
  const status = wrapper.querySelector("[role=status]");
  const none = wrapper.querySelector("#area-filter-none");
  // The no-match text offers a postcode only where the page links to the postcode finder.
  const finder = (words.paths && words.paths.find) || "/find/";
  const byPostcode = Boolean(none && Array.from(none.querySelectorAll("a")).some((a) => a.getAttribute("href") === finder));
  if (!list || !input) return;
  const found = list.matches("[data-group]") ? [list] : Array.from(list.querySelectorAll("[data-group]"));
  const groups = found.map((group) => ({
    element: group,
    forms: nameForms(group.dataset.group),
    collapsed: group.querySelector("ul[data-collapsed]"),
    wards: Array.from(group.querySelectorAll("li[data-name]")).map((item) => ({
      item,
      forms: nameForms(item.dataset.name),
      places: (item.dataset.places || "").split("|").filter(Boolean).map((p) => [p, nameForms(p)]),
      why: item.appendChild(Object.assign(document.createElement("span"),
        { className: "govuk-body-s sitegen-filter-why", hidden: true })),
    })),
  }));
  let timer;
  function showWard(ward, query, byBorough) {
    const place = query && !matches(ward.forms, query)
      ? ward.places.find(([, forms]) => matches(forms, query)) : undefined;
    const shown = !query || byBorough || matches(ward.forms, query) || Boolean(place);
    ward.item.hidden = !shown;
    ward.why.hidden = !place;
    ward.why.textContent = place ? ` ${say("placeIn", { place: place[0], ward: ward.item.dataset.name })}` : "";
    return shown;
  }
  function apply() {
    const text = input.value.trim();
    const query = text ? nameForms(text) : null;
    let shown = 0;
    for (const group of groups) {
      const byBorough = Boolean(query && group.element.dataset.group && matches(group.forms, query));
      let here = 0;
      for (const ward of group.wards) if (showWard(ward, query, byBorough)) here += 1;
      if (group.element !== list) group.element.hidden = Boolean(query) && here === 0;
      if (group.collapsed) group.collapsed.hidden = !query || here === 0;
      shown += here;
    }
    if (none) none.hidden = !query || shown > 0;
    clearTimeout(timer);
    // Announce after typing pauses, so screen readers are not flooded.
    timer = setTimeout(() => {
      status.textContent = !query ? ""
        : shown ? say(shown === 1 ? "matchOne" : "matchMany", { count: String(shown), text })
        : say(byPostcode ? "noneTryPostcode" : "noneSpelling", { text });
    }, 400);
  }
  wrapper.hidden = false;
  input.addEventListener("input", apply);
}

document.querySelectorAll("[data-sitegen-filter]").forEach(setUpAreaFilter);

// The language switcher leads to the same page in another language; the same page there
// reads the same query (a done page's ?ref=, a form's ?errors=), so take it along.
document.querySelectorAll("[data-sitegen-switch] a[href]").forEach((link) => {
  if (window.location.search && !link.search) {
    link.search = window.location.search;
  }
});
