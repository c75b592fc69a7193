// The topics box as chips with suggestions of existing topics (news/admin/widgets.py).
// The box itself stays in the form, hidden, one topic per line: it is what is posted.
"use strict";
(function () {
  function enhance(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    const root = document.createElement("div");
    root.className = "topics-widget";
    Object.assign(root.dataset, box.dataset);
    box.replaceWith(root);
    root.append(box);
    const listId = box.id + "-suggestions";
    const chips = document.createElement("ul");
    chips.className = "topic-chips";
    const entry = document.createElement("input");
    entry.type = "text";
    entry.className = "topic-entry";
    entry.setAttribute("list", listId);
    entry.setAttribute("autocomplete", "off");
    entry.id = box.id + "-entry";
    // The field's label now names the box one types in; the hidden list needs none.
    const label = document.querySelector('label[for="' + box.id + '"]');
    if (label) label.htmlFor = entry.id;
    else entry.setAttribute("aria-label", root.dataset.entryLabel);
    entry.placeholder = root.dataset.entryLabel;
    entry.setAttribute("aria-describedby", box.getAttribute("aria-describedby") || "");
    const options = document.createElement("datalist");
    options.id = listId;
    box.hidden = true;
    root.append(chips, entry, options);

    const names = () => box.value.split("\n").map((n) => n.trim()).filter(Boolean);
    const same = (a, b) => a.toLocaleLowerCase() === b.toLocaleLowerCase();

    function render() {
      chips.replaceChildren();
      for (const name of names()) {
        const chip = document.createElement("li");
        chip.className = "topic-chip";
        const label = document.createElement("span");
        label.textContent = name;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "topic-chip__remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", root.dataset.removeLabel + " " + name);
        remove.addEventListener("click", () => {
          box.value = names().filter((n) => n !== name).join("\n");
          render();
          entry.focus();
        });
        chip.append(label, remove);
        chips.append(chip);
      }
    }

    function add(text) {
      const name = text.replace(/\s+/g, " ").trim();
      entry.value = "";
      if (!name) return;
      // An existing topic keeps its spelling: "экономика" typed picks "Экономика".
      const known = Array.from(options.options).find((o) => same(o.value, name));
      const chosen = known ? known.value : name;
      if (!names().some((n) => same(n, chosen))) {
        box.value = [...names(), chosen].join("\n");
      }
      render();
    }

    let timer = null;
    let asked = "";
    function suggest() {
      const query = entry.value.trim();
      if (query === asked) return;
      asked = query;
      const url = root.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { topics: [] }))
        .then((data) => {
          if (query !== asked) return;
          options.replaceChildren(
            ...data.topics
              .filter((name) => !names().some((n) => same(n, name)))
              .map((name) => Object.assign(document.createElement("option"), { value: name })),
          );
        })
        .catch(() => {});
    }

    entry.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault(); // Enter would post the whole form
        add(entry.value);
      } else if (event.key === "Backspace" && !entry.value && names().length) {
        box.value = names().slice(0, -1).join("\n");
        render();
      }
    });
    entry.addEventListener("input", (event) => {
      // A suggestion picked from the list arrives whole.
      if (event.inputType === "insertReplacementText" || !event.inputType) {
        if (Array.from(options.options).some((o) => o.value === entry.value)) {
          add(entry.value);
          return;
        }
      }
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    entry.addEventListener("focus", suggest);
    entry.addEventListener("blur", () => add(entry.value));
    render();
  }

  function start() {
    document.querySelectorAll("textarea.topics-input").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
