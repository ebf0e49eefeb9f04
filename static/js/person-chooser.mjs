// Progressive enhancement for the person chooser (templates/components/person_chooser.html):
// matches appear as you type, following the ARIA combobox pattern (a text box that controls a
// list box). Up and Down move through the matches, Enter chooses one, Escape closes the list.
// Choosing follows the same link the page offers without JavaScript, so the server still
// decides who may be chosen. Without this file, or when a fetch fails, Search works as before.
const MIN_LENGTH = 2;
const DELAY_MS = 250;

function enhance(form, index) {
  const input = form.querySelector('input[name="q"]');
  if (!input) return;
  const listId = `${input.id}-matches`;
  const list = document.createElement("ul");
  list.id = listId;
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Matching people");
  list.className = "portal-chooser__list";
  list.hidden = true;
  const status = document.createElement("div");
  status.setAttribute("role", "status");
  status.className = "nhsuk-u-visually-hidden";
  form.querySelector(".portal-search-row").after(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  let timer;
  let controller;
  let active = -1;
  const options = () => [...list.querySelectorAll('[role="option"]')];

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(next) {
    const all = options();
    if (!all.length) return;
    active = (next + all.length) % all.length;
    all.forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === active));
      option.classList.toggle("portal-chooser__option--active", i === active);
    });
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function show(data) {
    list.replaceChildren();
    data.results.forEach((person, i) => {
      const option = document.createElement("li");
      option.id = `${listId}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "portal-chooser__option";
      option.textContent = person.name;
      option.dataset.href = person.href;
      // Keep the focus in the text box while the pointer chooses.
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => window.location.assign(person.href));
      list.append(option);
    });
    const more = data.count - data.results.length;
    if (!data.count) {
      status.textContent = `No one matches ${data.query}. Press Enter to search.`;
      close();
      return;
    }
    status.textContent =
      `${data.count} ${data.count === 1 ? "person matches" : "people match"}` +
      (more > 0 ? `, the first ${data.results.length} shown; type more of the name` : "") +
      ". Use the up and down arrows to choose.";
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    input.removeAttribute("aria-activedescendant");
  }

  async function search() {
    const words = input.value.trim();
    if (words.length < MIN_LENGTH) {
      close();
      status.textContent = "";
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const url = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    url.hash = "";
    url.search = new URLSearchParams({ q: words, format: "json" }).toString();
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      if (!response.ok) return; // signed out or refused: the Search button still works
      show(await response.json());
    } catch {
      // aborted by a newer search, or offline: leave it to the Search button
    }
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) return;
      event.preventDefault();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault(); // choose the match, not search
      window.location.assign(options()[active].dataset.href);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  form.dataset.enhanced = String(index);
}

document.querySelectorAll("form[data-person-chooser]").forEach(enhance);
