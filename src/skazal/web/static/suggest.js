// Speakers suggested under the search box as a name is typed, in any case form or with initials
// ("Пескова", "Д. Песков"). Without this script the search itself names the speakers a name may be.
"use strict";
(function () {
  const input = document.querySelector("form.search input[data-suggest]");
  if (!input) return;
  const list = document.createElement("ul");
  list.id = "speaker-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.form.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  let asked = 0;
  let timer = null;
  let active = -1;

  function options() {
    return Array.from(list.querySelectorAll("li a"));
  }

  function choose(index) {
    const all = options();
    active = all.length ? (index + all.length) % all.length : -1;
    all.forEach((link, position) => link.parentElement.setAttribute("aria-selected", String(position === active)));
    if (active >= 0) input.setAttribute("aria-activedescendant", all[active].parentElement.id);
  }

  function show(speakers) {
    list.replaceChildren(...speakers.map((speaker, position) => {
      const item = document.createElement("li");
      item.id = "speaker-suggestion-" + position;
      item.setAttribute("role", "option");
      const link = document.createElement("a");
      link.href = "/speakers/" + speaker.id;
      link.textContent = speaker.speaker;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = speaker.quotes + " " + input.dataset.quotesWord;
      item.append(link, " ", count);
      return item;
    }));
    list.hidden = speakers.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  async function ask() {
    const typed = input.value.trim();
    const number = ++asked;
    if (typed.length < 2) {
      show([]);
      return;
    }
    const address = input.dataset.suggest + "?" + new URLSearchParams({ q: typed, limit: "8" });
    const response = await fetch(address, { headers: { Accept: "application/json" } });
    if (number !== asked || !response.ok) return;  // a later keystroke has asked since
    show((await response.json()).items);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      choose(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(options()[active].href);
    } else if (event.key === "Escape") {
      show([]);
    }
  });
  // A click on a suggestion lands before the box loses focus.
  list.addEventListener("mousedown", (event) => event.preventDefault());
  input.addEventListener("blur", () => setTimeout(() => show([]), 100));
})();
