// sitegen: progressive enhancement only. Every page works without this file.
import { initAll } from "./govuk-frontend.min.7c9285f61e.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Home page: narrow the list of wards as a name is typed.
function setUpAreaFilter(wrapper) {
  const list = document.getElementById(wrapper.dataset.sitegenFilter);
  const input = wrapper.querySelector("input");
  const status = wrapper.querySelector("[role=status]");
  if (!list || !input) return;
  const items = Array.from(list.querySelectorAll("li[data-name]"));
  const groups = Array.from(list.querySelectorAll("section"));
  let timer;
  function apply() {
    const query = input.value.trim().toLowerCase();
    let shown = 0;
    for (const item of items) {
      const match = !query || item.dataset.name.includes(query);
      item.hidden = !match;
      if (match) shown += 1;
    }
    for (const group of groups) {
      group.hidden = !group.querySelector("li[data-name]:not([hidden])");
    }
    clearTimeout(timer);
    // Announce after typing pauses, so screen readers are not flooded.
    timer = setTimeout(() => {
      status.textContent = query ? `${shown} ${shown === 1 ? "ward matches" : "wards match"} "${input.value.trim()}"` : "";
    }, 400);
  }
  wrapper.hidden = false;
  input.addEventListener("input", apply);
}

document.querySelectorAll("[data-sitegen-filter]").forEach(setUpAreaFilter);
