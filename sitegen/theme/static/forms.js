// sitegen forms: one page of questions at a time, GOV.UK error messages,
// check your answers, and quick exit. Every form works without this file.
// The rules come from the form's data-sitegen-rules attribute, compiled from
// the same definition as its JSON Schema; validateAnswers() is what a test
// runs beside the schema to prove both give the same verdicts.
import { ErrorSummary, ExitThisPage } from "./govuk-frontend.min.js";

const DATE_PARTS = ["day", "month", "year"];
const ADDRESS_PARTS = ["line1", "line2", "town", "postcode"];
const ADDRESS_LINE_MAX = 200;
const SPAM_FIELDS = ["website", "client_token", "lang"]; // the fields that are not answers ("lang": the page's)
const SPECIFIC = /^(missing_|line1|town|postcode|too_long|invalid)/; // errors about one input of several
// A whole number as people write it: grouped in threes by commas or spaces, after an optional "£".
// The same expression as patterns.WHOLE_NUMBER.
const WHOLE_NUMBER = /^-?£?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)$/u;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
// The words this script writes; a page in another language gives its own in the rules' "words".
const WORDS = { notGiven: "Not given", change: "Change", problem: "There is a problem", error: "Error:",
  confirmed: "Confirmed", unexpected: "Unexpected answer", months: MONTHS };
let words = WORDS;
// The language a question's words are written in, by their path in its rules ("label", "options.<value>",
// "messages.<kind>"), when the page's translation left them out: "" for the page's own.
const langOf = (q, path) => (q && q.lang && q.lang[path]) || "";
const withoutError = (title) => (title.startsWith(`${words.error} `) ? title.slice(words.error.length + 1) : title);

// ---- Answers, conditions and checks: no DOM, shared with the tests ----

// White space as Python's str.isspace() and ECMAScript's \s count it together (patterns.SPACE_CHARS).
const SPACE = new Set("\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
  + "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff");

export function clean(value) {
  const text = String(value).replace(/\r\n?/g, "\n");
  let start = 0;
  let end = text.length;
  while (start < end && SPACE.has(text[start])) start += 1;
  while (end > start && SPACE.has(text[end - 1])) end -= 1;
  return text.slice(start, end);
}

function valuesOf(pairs, name) {
  const raw = pairs[name];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map(clean).filter(Boolean);
}

export function holds(cond, pairs) {
  if (!cond) return true;
  if (cond.all) return cond.all.every((c) => holds(c, pairs));
  if (cond.not) return !holds(cond.not, pairs);
  const given = valuesOf(pairs, cond.field);
  return cond.many ? given.some((v) => cond.is.includes(v)) : given.length === 1 && cond.is.includes(given[0]);
}

export function inputNames(q) {
  if (q.type === "date") return DATE_PARTS.map((p) => `${q.name}-${p}`);
  if (q.type === "address") return ADDRESS_PARTS.map((p) => `${q.name}-${p}`);
  return [q.name];
}

const chars = (s) => [...s].length; // code points, as JSON Schema counts
const matches = (pattern, s) => new RegExp(pattern, "u").test(s); // "u": as JSON Schema validators read them

function checkText(q, v) {
  if (v.length > 1) return ["invalid"];
  if (!v.length) return q.required ? ["required"] : null;
  if (q.min_length != null && chars(v[0]) < q.min_length) return ["too_short"];
  if (q.max_length != null && chars(v[0]) > q.max_length) return ["too_long"];
  if (q.pattern && !matches(q.pattern, v[0])) return ["pattern"];
  return null;
}

function checkNumber(q, v) {
  if (v.length > 1) return ["invalid"];
  if (!v.length) return q.required ? ["required"] : null;
  const n = wholeNumber(v[0]);
  if (n === null) return ["number"];
  if (q.min != null && n < q.min) return ["too_small"];
  if (q.max != null && n > q.max) return ["too_large"];
  return null;
}

// The number TEXT (trimmed) writes ("£1,000" is 1000), or null. As patterns.whole_number.
export function wholeNumber(text) {
  return WHOLE_NUMBER.test(text) ? Number(text.replace(/[£, ]/gu, "")) : null;
}

function checkChoice(q, v) {
  if (!v.length) return q.required ? ["required"] : null;
  const allowed = q.options.map((o) => o.value);
  if (v.length > 1 || !allowed.includes(v[0])) return ["invalid"];
  return null;
}

function checkBoxes(q, v) {
  if (!v.length) return q.required ? ["required"] : null;
  const allowed = q.options.map((o) => o.value);
  const exclusive = q.options.filter((o) => o.exclusive).map((o) => o.value);
  if (new Set(v).size !== v.length || v.some((x) => !allowed.includes(x))) return ["invalid"];
  if (v.length > 1 && v.some((x) => exclusive.includes(x))) return ["invalid"];
  return null;
}

function checkDeclaration(q, v) {
  if (!v.length) return ["required"];
  return v.length === 1 && v[0] === "yes" ? null : ["invalid"];
}

// The month a person typed: 1-2 digits (kept as written) or 3+ letters of its English or Welsh
// name, any case, an optional full stop ("June", "jun", "Sept.", "Mehefin"); null otherwise, or for
// letters that begin two months' names. As patterns.month_number.
const WELSH_MONTHS = ["ionawr", "chwefror", "mawrth", "ebrill", "mai", "mehefin", "gorffennaf", "awst", "medi",
  "hydref", "tachwedd", "rhagfyr"];
const MONTH_WORDS = [MONTHS, WELSH_MONTHS].flatMap((names) => names.map((name, i) => [name.toLowerCase(), i + 1]));
export function monthNumber(text) {
  if (/^[0-9]{1,2}$/.test(text)) return Number(text);
  const word = /^([A-Za-z]{3,10})\.?$/.exec(text);
  if (!word) return null;
  const found = new Set(MONTH_WORDS.filter(([name]) => name.startsWith(word[1].toLowerCase())).map(([, n]) => n));
  return found.size === 1 ? [...found][0] : null;
}

// "YYYY-MM-DD" from the three boxes (trimmed), or null when they cannot be read. As patterns.date_from_parts.
export function dateFromParts(day, month, year) {
  const number = monthNumber(month);
  if (number === null || !/^[0-9]{1,2}$/.test(day) || !/^[0-9]{4}$/.test(year)) return null;
  return `${year}-${String(number).padStart(2, "0")}-${day.padStart(2, "0")}`;
}

function checkDate(q, pairs, today) {
  const [d, m, y] = DATE_PARTS.map((p) => valuesOf(pairs, `${q.name}-${p}`));
  const id = (part) => `${q.name}-${part}`;
  if (!d.length && !m.length && !y.length) return q.required ? ["required", id("day")] : null;
  if (d.length > 1 || m.length > 1 || y.length > 1) return ["invalid", id("day")];
  if (!d.length) return ["missing_day", id("day")];
  if (!m.length) return ["missing_month", id("month")];
  if (!y.length) return ["missing_year", id("year")];
  const iso = dateFromParts(d[0], m[0], y[0]);
  if (!iso || !matches(q.pattern, iso)) return ["real", id("day")];
  if (q.must_be === "past" && iso > today) return ["past", id("day")];
  if (q.must_be === "future" && iso < today) return ["future", id("day")];
  return null;
}

function checkAddress(q, pairs) {
  const part = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, valuesOf(pairs, `${q.name}-${p}`)]));
  const id = (p) => `${q.name}-${p}`;
  if (ADDRESS_PARTS.every((p) => !part[p].length)) return q.required ? ["required", id("line1")] : null;
  const several = ADDRESS_PARTS.find((p) => part[p].length > 1);
  if (several) return ["invalid", id(several)];
  if (!part.line1.length) return ["line1", id("line1")];
  if (!part.town.length) return ["town", id("town")];
  const long = ["line1", "line2", "town"].find((p) => part[p].length && chars(part[p][0]) > ADDRESS_LINE_MAX);
  if (long) return ["too_long", id(long)];
  if (!part.postcode.length) return q.postcode.required ? ["postcode_missing", id("postcode")] : null;
  if (!matches(q.postcode.pattern, part.postcode[0])) return ["postcode", id("postcode")];
  return null;
}

function checkQuestion(q, pairs, today) {
  const v = valuesOf(pairs, q.name);
  switch (q.type) {
    case "number": return checkNumber(q, v);
    case "radios": case "select": return checkChoice(q, v);
    case "checkboxes": return checkBoxes(q, v);
    case "declaration": return checkDeclaration(q, v);
    case "date": return checkDate(q, pairs, today);
    case "address": return checkAddress(q, pairs);
    default: return checkText(q, v);
  }
}

// Every mistake in PAIRS (name -> values as posted): [{name, message, target}].
export function validateAnswers(rules, pairs, today) {
  const errors = [];
  for (const q of rules.questions) {
    if (!holds(q.when, pairs)) continue;
    const problem = checkQuestion(q, pairs, today);
    if (problem) {
      errors.push({ name: q.name, kind: problem[0], message: q.messages[problem[0]], target: problem[1] || q.name,
        lang: langOf(q, `messages.${problem[0]}`) });
    }
  }
  const known = new Set(rules.questions.flatMap(inputNames).concat(SPAM_FIELDS));
  for (const name of Object.keys(pairs)) {
    if (!known.has(name) && valuesOf(pairs, name).length) errors.push({ name, kind: "unexpected", message: (rules.words || WORDS).unexpected, target: name });
  }
  return errors;
}

export function todayIso(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// ---- The page: steps, errors, check your answers ----

function readPairs(form) {
  const pairs = {};
  for (const el of form.elements) {
    if (!el.name || el.type === "submit" || el.type === "button") continue;
    if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
    (pairs[el.name] ||= []).push(el.value);
  }
  return pairs;
}

function writePairs(form, pairs) {
  for (const el of form.elements) {
    if (!el.name || !(el.name in pairs) || SPAM_FIELDS.includes(el.name)) continue;
    if (el.type === "radio" || el.type === "checkbox") el.checked = pairs[el.name].includes(el.value);
    else el.value = pairs[el.name][0];
  }
}

function make(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// TEXT as a node: inside <span lang=LANG> when it is another language's words than the page's (langOf).
function written(text, lang) {
  return lang ? Object.assign(make("span", "", text), { lang }) : document.createTextNode(text);
}

// "29 June 2026" on check your answers; the parts as typed when they are no date; "" when blank.
function formatDate(q, pairs) {
  const [d, m, y] = DATE_PARTS.map((p) => valuesOf(pairs, `${q.name}-${p}`)[0] || "");
  const iso = dateFromParts(d, m, y);
  const month = iso && words.months[Number(iso.slice(5, 7)) - 1];
  return month ? `${Number(d)} ${month} ${y}` : [d, m, y].filter(Boolean).join(" ");
}

// The answer as nodes for check your answers: each option's label marked with its language (langOf).
function answerNodes(q, pairs) {
  if (!q.options) return [formatAnswer(q, pairs)].filter(Boolean);
  return valuesOf(pairs, q.name).flatMap((x, i) => {
    const option = q.options.find((o) => o.value === x);
    const node = option ? written(option.label, langOf(q, `options.${x}`)) : x;
    return i ? ["\n", node] : [node];
  });
}

// The answer to a question without options as text ("" when blank).
function formatAnswer(q, pairs) {
  if (q.type === "date") return formatDate(q, pairs);
  if (q.type === "address") return inputNames(q).map((n) => valuesOf(pairs, n)[0]).filter(Boolean).join("\n");
  const v = valuesOf(pairs, q.name);
  if (q.type === "declaration") return v.length ? words.confirmed : "";
  return v.join("\n");
}

class Stepper {
  constructor(form, rules) {
    this.form = form;
    this.rules = rules;
    words = { ...WORDS, ...(rules.words || {}) };
    this.byName = Object.fromEntries(rules.questions.map((q) => [q.name, q]));
    this.draftKey = rules.sensitive ? "" : `sitegen-draft:${rules.id}`;
    this.baseTitle = document.title;
    this.returnToCheck = false;
    this.find = (selector) => document.querySelector(selector);
    this.step = rules.pages[0].id;
  }

  start() {
    this.form.noValidate = true;
    this.form.classList.add("sitegen-form--stepped");
    this.form.elements.client_token.value = `v1.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
    const draft = this.loadDraft();
    if (draft) writePairs(this.form, draft.pairs);
    this.find("#problem")?.remove();
    this.form.addEventListener("change", () => this.changed());
    this.form.addEventListener("input", () => this.saveDraft());
    this.form.addEventListener("submit", (event) => this.submit(event));
    this.find("[data-sitegen-continue] button").addEventListener("click", () => this.next());
    this.find("[data-sitegen-back]").addEventListener("click", (event) => { event.preventDefault(); this.back(); });
    window.addEventListener("popstate", (event) => event.state?.sitegenStep && this.show(event.state.sitegenStep, false));
    this.applyConditions();
    this.show(draft && this.stepExists(draft.step) ? draft.step : this.step, false, "replace");
    this.reportReceiverErrors();
  }

  stepExists(step) {
    return step === "check" || this.rules.pages.some((p) => p.id === step);
  }

  pairs() {
    return readPairs(this.form);
  }

  relevantPages() {
    const pairs = this.pairs();
    return this.rules.pages.filter((p) => holds(p.when, pairs));
  }

  changed() {
    this.applyConditions();
    this.saveDraft();
  }

  applyConditions() {
    const pairs = this.pairs();
    for (const q of this.rules.questions) {
      const shown = holds(q.when, pairs);
      const wrapper = this.form.querySelector(`[data-sitegen-question="${q.name}"]`);
      wrapper.hidden = !shown;
      wrapper.querySelectorAll("input, textarea, select").forEach((el) => { el.disabled = !shown; });
    }
  }

  show(step, focus = true, history = "push") {
    this.step = step;
    const first = this.relevantPages()[0];
    for (const section of this.form.querySelectorAll("[data-sitegen-page]")) section.hidden = section.dataset.sitegenPage !== step;
    this.find("[data-sitegen-check]").hidden = step !== "check";
    this.find("[data-sitegen-send]").hidden = step !== "check";
    this.find("[data-sitegen-continue]").hidden = step === "check";
    this.find("[data-sitegen-intro]").hidden = step !== first?.id;
    this.find("[data-sitegen-back]").hidden = step === first?.id;
    if (step === "check") this.buildSummary();
    const heading = this.find(step === "check" ? "#check-answers-heading" : `#page-${step}-heading`);
    document.title = `${heading.textContent} - ${this.baseTitle}`;
    this.remember(history);
    if (focus) heading.focus();
  }

  remember(how) {
    if (!this.draftKey) return; // sensitive: no history entries, so quick exit leaves no way back
    const state = { sitegenStep: this.step };
    if (how === "push") history.pushState(state, "");
    else if (how === "replace") history.replaceState(state, "");
    this.saveDraft();
  }

  pageErrors(pageId) {
    return validateAnswers(this.rules, this.pairs(), todayIso())
      .filter((e) => this.byName[e.name] && (!pageId || this.byName[e.name].page === pageId));
  }

  next() {
    const errors = this.pageErrors(this.step);
    if (errors.length) return this.showErrors(errors);
    this.clearErrors();
    const pages = this.relevantPages();
    const index = pages.findIndex((p) => p.id === this.step);
    const following = pages[index + 1];
    this.show(this.returnToCheck || !following ? "check" : following.id);
  }

  back() {
    this.clearErrors();
    const pages = this.relevantPages();
    const index = this.step === "check" ? pages.length : pages.findIndex((p) => p.id === this.step);
    this.returnToCheck = false;
    if (index > 0) this.show(pages[index - 1].id);
  }

  submit(event) {
    if (this.step !== "check") {
      event.preventDefault();
      this.next();
      return;
    }
    const errors = this.pageErrors("");
    if (errors.length) {
      event.preventDefault();
      const pageId = this.byName[errors[0].name]?.page;
      if (pageId) this.show(pageId, false);
      this.showErrors(errors.filter((e) => this.byName[e.name]?.page === pageId));
    }
  }

  buildSummary() {
    const list = this.find("[data-sitegen-summary]");
    list.replaceChildren();
    const pairs = this.pairs();
    for (const page of this.relevantPages()) {
      for (const q of this.rules.questions.filter((x) => x.page === page.id && holds(x.when, pairs))) {
        list.append(this.summaryRow(q, page.id, answerNodes(q, pairs)));
      }
    }
  }

  summaryRow(q, pageId, answer) {
    const row = make("div", "govuk-summary-list__row");
    const value = make("dd", "govuk-summary-list__value sitegen-answer");
    value.append(...(answer.length ? answer : [words.notGiven]));
    const actions = make("dd", "govuk-summary-list__actions");
    const link = make("a", "govuk-link", words.change);
    link.href = `#${inputNames(q)[0]}`;
    const hidden = make("span", "govuk-visually-hidden", " ");
    hidden.append(written(q.label, langOf(q, "label")));
    link.append(hidden);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      this.returnToCheck = true;
      this.show(pageId, false);
      document.getElementById(inputNames(q)[0])?.focus();
    });
    actions.append(link);
    const key = make("dt", "govuk-summary-list__key");
    key.append(written(q.label, langOf(q, "label")));
    row.append(key, value, actions);
    return row;
  }

  showErrors(errors) {
    this.clearErrors();
    const summary = make("div", "govuk-error-summary");
    const alert = make("div");
    alert.setAttribute("role", "alert");
    const list = make("ul", "govuk-list govuk-error-summary__list");
    const body = make("div", "govuk-error-summary__body");
    body.append(list);
    alert.append(make("h2", "govuk-error-summary__title", words.problem), body);
    summary.append(alert);
    for (const error of errors) {
      const link = make("a");
      link.append(written(error.message, error.lang));
      link.href = `#${error.target}`;
      const item = make("li");
      item.append(link);
      list.append(item);
      this.markField(error);
    }
    this.find("[data-sitegen-errors]").append(summary);
    document.title = `${words.error} ${withoutError(document.title)}`;
    new ErrorSummary(summary); // takes focus; its links move focus to the field
  }

  markField(error) {
    const wrapper = this.form.querySelector(`[data-sitegen-question="${error.name}"]`);
    const group = wrapper?.querySelector(".govuk-form-group");
    if (!group) return;
    group.classList.add("govuk-form-group--error");
    const message = make("p", "govuk-error-message");
    message.id = `${error.name}-error`;
    message.dataset.sitegenError = "";
    message.append(make("span", "govuk-visually-hidden", words.error), " ", written(error.message, error.lang));
    (group.querySelector(`[id="${error.name}-hint"]`) || group.querySelector("legend, label")).after(message);
    const described = group.querySelector("fieldset") || group.querySelector("input, textarea, select");
    described.setAttribute("aria-describedby", `${described.getAttribute("aria-describedby") || ""} ${message.id}`.trim());
    const target = document.getElementById(error.target);
    const inputs = SPECIFIC.test(error.kind) && target
      ? [target] : group.querySelectorAll(".govuk-input, .govuk-textarea, .govuk-select");
    inputs.forEach((el) => el.classList.add(`${el.classList[0]}--error`));
  }

  clearErrors() {
    this.find("[data-sitegen-errors]").replaceChildren();
    document.title = withoutError(document.title);
    for (const message of this.form.querySelectorAll("[data-sitegen-error]")) {
      const group = message.closest(".govuk-form-group");
      group.classList.remove("govuk-form-group--error");
      group.querySelectorAll("[aria-describedby]").forEach((el) => {
        const ids = el.getAttribute("aria-describedby").split(" ").filter((id) => id !== message.id);
        if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
        else el.removeAttribute("aria-describedby");
      });
      group.querySelectorAll(".govuk-input--error, .govuk-textarea--error, .govuk-select--error")
        .forEach((el) => el.classList.remove("govuk-input--error", "govuk-textarea--error", "govuk-select--error"));
      message.remove();
    }
  }

  // A receiver that refused a post may send people back with ?errors=name1,name2
  reportReceiverErrors() {
    const listed = (new URLSearchParams(location.search).get("errors") || "").split(",").filter((n) => this.byName[n]);
    if (!listed.length) return;
    const errors = this.pageErrors("");
    for (const name of listed) {
      if (!errors.some((e) => e.name === name)) {
        const q = this.byName[name];
        errors.push({ name, kind: "check", message: q.messages.invalid, target: inputNames(q)[0],
          lang: langOf(q, "messages.invalid") });
      }
    }
    const order = this.rules.questions.map((q) => q.name);
    errors.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const pageId = this.byName[errors[0].name].page;
    this.show(pageId, false, "replace");
    this.showErrors(errors.filter((e) => this.byName[e.name].page === pageId));
  }

  loadDraft() {
    if (!this.draftKey) return null;
    try {
      return JSON.parse(sessionStorage.getItem(this.draftKey) || "null");
    } catch {
      return null;
    }
  }

  saveDraft() {
    if (!this.draftKey) return;
    const pairs = this.pairs();
    SPAM_FIELDS.forEach((name) => delete pairs[name]);
    try {
      sessionStorage.setItem(this.draftKey, JSON.stringify({ step: this.step, pairs }));
    } catch {
      // storage full or refused: the form still works without a draft
    }
  }
}

// Quick exit: GOV.UK's component, leaving with location.replace so Back does not return.
class QuickExit extends ExitThisPage {
  exitPage() {
    document.body.classList.add("govuk-exit-this-page-hide-content");
    window.location.replace(this.$button.href);
  }
}

function setUpDonePage(wrapper) {
  try {
    sessionStorage.removeItem(`sitegen-draft:${wrapper.dataset.sitegenDone}`);
  } catch {
    // nothing stored
  }
  const ref = new URLSearchParams(location.search).get("ref") || "";
  if (!/^[A-Za-z0-9-]{4,40}$/.test(ref)) return;
  wrapper.querySelector("[data-sitegen-ref]").textContent = ref;
  wrapper.querySelector("[data-sitegen-ref-panel]").hidden = false;
  wrapper.querySelector("[data-sitegen-ref-fallback]").hidden = true;
}

document.documentElement.classList.add("sitegen-js");
document.body.classList.add("js-enabled", "govuk-frontend-supported"); // site.js may not have run yet
document.querySelectorAll("[data-sitegen-exit]").forEach((el) => new QuickExit(el));
document.querySelectorAll("[data-sitegen-done]").forEach(setUpDonePage);
document.querySelectorAll("form[data-sitegen-rules]").forEach((form) => {
  new Stepper(form, JSON.parse(form.dataset.sitegenRules)).start();
});
