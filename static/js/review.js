// Keyboard review. j/k move through the claim list, s/d/o mark, a accepts the suggestion,
// n edits the note (Enter saves it), u undoes, ? shows the keys. Every action is a link or
// form button of the page, so this only clicks them: without JavaScript they work alike.
(() => {
  "use strict";

  const rows = () => Array.from(document.querySelectorAll("#claim-list li[data-claim-id]"));
  const detail = () => document.getElementById("detail");
  const shownId = () => detail()?.dataset.claimId || "";
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

  // Keys wait their turn: each acts on the claim on screen once the keys before it are done
  // (the verdict saved, the next claim shown), so a burst at 20 ms means exactly what it
  // means typed slowly, and no key lands on a claim that is being replaced. The server
  // checks the claim's version as well: a verdict based on what changed since is refused.
  const queue = [];
  let running = false;

  function enqueue(action) {
    queue.push(action);
    if (!running) drain();
  }

  // While keys are waiting, the body says so (aria-busy): a test waits for it to clear.
  async function drain() {
    running = true;
    document.body.setAttribute("aria-busy", "true");
    while (queue.length) {
      try {
        await queue.shift()();
      } catch (error) {
        console.error(error);
      }
    }
    running = false;
    document.body.removeAttribute("aria-busy");
  }

  // Click an htmx element; resolves with the HTTP status once its answer is swapped in.
  // The request is told by its XMLHttpRequest: an answer that replaces the element that
  // asked is announced on an ancestor, under the ancestor's name.
  function clicked(el, requester = el) {
    return new Promise((resolve) => {
      let xhr = null;
      const started = (event) => {
        if (event.detail.elt === requester) xhr = event.detail.xhr;
      };
      const done = (event) => {
        if (xhr && event.detail.xhr === xhr) finish(xhr.status);
      };
      const finish = (status) => {
        document.body.removeEventListener("htmx:beforeRequest", started);
        document.body.removeEventListener("htmx:afterRequest", done);
        clearTimeout(timer);
        resolve(status);
      };
      const timer = setTimeout(() => finish(0), 15000);
      document.body.addEventListener("htmx:beforeRequest", started);
      document.body.addEventListener("htmx:afterRequest", done);
      el.click();
      if (!xhr) finish(0); // nothing was sent (htmx sends synchronously on click)
    });
  }

  function show(row) {
    const link = row?.querySelector("a");
    return link ? clicked(link) : Promise.resolve(0);
  }

  // The list shows its first rows: "Show more" puts the next ones in place. Resolves with
  // true once they are there, false when every row is listed already.
  async function more() {
    const link = document.getElementById("show-more");
    return link ? (await clicked(link)) === 200 : false;
  }

  async function move(step) {
    let all = rows();
    let index = all.findIndex((row) => row.dataset.claimId === shownId());
    // Past the last listed row (or from a claim not listed yet): list more first.
    while (step > 0 && (index < 0 || index + step >= all.length) && (await more())) {
      all = rows();
      index = all.findIndex((row) => row.dataset.claimId === shownId());
    }
    return show(all[Math.min(Math.max(index + step, 0), all.length - 1)]);
  }

  // After a verdict: on to the next undecided claim in the list (listing more rows until
  // one comes, or the list ends), else the first undecided above, or this one again.
  async function next(id) {
    const undecided = (row) => !row.classList.contains("decided");
    let all, index;
    do {
      all = rows();
      index = all.findIndex((row) => row.dataset.claimId === id);
      const later = index < 0 ? null : all.slice(index + 1).find(undecided);
      if (later) return show(later);
    } while (await more());
    const earlier = index < 0 ? all : all.slice(0, index + 1);
    return show(earlier.find(undecided) || document.getElementById(`claim-${id}`));
  }

  let marking = false; // a key's verdict: it moves on itself

  async function mark(key) {
    const form = document.querySelector("#detail .verdict-form");
    const button = form?.querySelector(`button[data-key="${key}"]`);
    if (!button) return;
    const id = form.dataset.claimId;
    marking = true;
    const status = await clicked(button, form).finally(() => (marking = false));
    if (status === 200) {
      forget(id);
      await next(id);
    }
  }

  async function saveNote() {
    const button = document.querySelector("#detail .save-note");
    if (!button) return;
    const id = shownId();
    if ((await clicked(button)) === 200) forget(id);
  }

  function undo() {
    const button = document.getElementById("undo");
    return button ? clicked(button, button.form) : Promise.resolve(0);
  }

  // A verdict clicked with the mouse moves on too, in turn with the keys.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (marking || !form.matches?.(".verdict-form") || event.detail.xhr?.status !== 200) return;
    forget(form.dataset.claimId);
    enqueue(() => next(form.dataset.claimId));
  });

  // A claim's span in the text is a plain link; clicked, it selects the claim through htmx
  // as a list row does (the text's hx-target, hx-sync and hx-replace-url apply).
  document.addEventListener("click", (event) => {
    const span = event.target.closest?.(".article-text a.claim-span[href]");
    if (!span || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const url = span.getAttribute("href").split("#")[0];
    htmx.ajax("GET", url, { source: span, target: "#detail", swap: "outerHTML" });
  });

  // A verdict on a claim whose row is not listed yet: its answer leaves the row out.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    if (form.matches?.(".verdict-form") && !document.getElementById(`claim-${form.dataset.claimId}`)) {
      event.detail.parameters.unlisted = "on";
    }
  });

  // Note drafts are kept per claim for the session of the tab, until saved: moving to
  // another claim (or reloading) never loses what was typed.
  const draftKey = (id) => `factcheck:note:${id}`;
  const forget = (id) => sessionStorage.removeItem(draftKey(id));

  function restoreDraft() {
    const note = document.querySelector("#detail textarea[name=note]");
    if (!note) return;
    const draft = sessionStorage.getItem(draftKey(shownId()));
    if (draft === note.dataset.saved) forget(shownId()); // saved meanwhile
    else if (draft !== null) note.value = draft;
    markDraft(note);
  }

  function markDraft(note) {
    const hint = note.closest("form")?.querySelector(".draft");
    if (hint) hint.hidden = sessionStorage.getItem(draftKey(shownId())) === null;
  }

  document.addEventListener("input", (event) => {
    const note = event.target;
    if (!note.matches("#detail textarea[name=note]")) return;
    if (note.value === note.dataset.saved) forget(shownId());
    else sessionStorage.setItem(draftKey(shownId()), note.value);
    markDraft(note);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      else if (event.key === "Enter" && !event.shiftKey && event.target.name === "note") {
        event.preventDefault();
        event.target.blur();
        enqueue(saveNote);
      }
      return;
    }
    const key = event.key;
    if (key === "j") enqueue(() => move(1));
    else if (key === "k") enqueue(() => move(-1));
    else if (["s", "d", "o", "a"].includes(key)) enqueue(() => mark(key));
    else if (key === "n") enqueue(async () => document.querySelector("#detail textarea")?.focus());
    else if (key === "u") enqueue(undo);
    else if (key === "?") {
      const keys = document.getElementById("keys");
      if (keys) keys.open = !keys.open;
    } else return;
    event.preventDefault();
  });

  // Show the selected claim in the text and the list, whoever changed the selection,
  // scrolling only inside their own panes: the page itself never moves.
  function showSelection(scroll = true) {
    const id = shownId();
    document.querySelectorAll(".selected[aria-current]").forEach((el) => {
      el.classList.remove("selected");
      el.removeAttribute("aria-current");
    });
    for (const el of [document.getElementById(`span-${id}`), document.getElementById(`claim-${id}`)]) {
      if (!el) continue;
      el.classList.add("selected");
      el.setAttribute("aria-current", "true");
      if (scroll) scrollWithin(el, el.closest(".article-text, .claim-list"));
    }
    restoreDraft();
  }

  function scrollWithin(el, pane) {
    if (!pane) return;
    const top = el.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    if (top < 0 || top + el.offsetHeight > pane.clientHeight) {
      // A third of the way down, or higher if that is what it takes to show it whole.
      const room = Math.max(0, Math.min(pane.clientHeight / 3, pane.clientHeight - el.offsetHeight));
      pane.scrollTop += top - room;
    }
  }

  // More rows listed: the list stays where the editor scrolled it.
  document.body.addEventListener("htmx:afterSwap", (event) =>
    showSelection(event.detail.target?.id !== "claim-list"),
  );
  document.addEventListener("DOMContentLoaded", () => showSelection());
})();
