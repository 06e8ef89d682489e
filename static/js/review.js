// Keyboard review. j/k move through the claim list, s/d/o mark, a accepts the suggestion,
// n edits the note, u undoes, ? shows the keys. Every action is a link or form button of the
// page, so this only clicks them: without JavaScript the same links and forms work.
(() => {
  "use strict";

  const rows = () => Array.from(document.querySelectorAll("#claim-list li[data-claim-id]"));
  const detail = () => document.getElementById("detail");
  // The claim being loaded, so that keys pressed quickly move on from it, not the shown one.
  let wanted = "";
  const selectedId = () => wanted || detail()?.dataset.claimId || "";
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

  function select(row) {
    if (!row) return;
    wanted = row.dataset.claimId;
    row.querySelector("a").click();
  }

  function move(step) {
    const all = rows();
    const index = all.findIndex((row) => row.dataset.claimId === selectedId());
    select(all[Math.min(Math.max(index + step, 0), all.length - 1)]);
  }

  // Show the selected claim in the text and the list, whoever changed the selection.
  function showSelection() {
    if (wanted === detail()?.dataset.claimId) wanted = "";
    const id = selectedId();
    document.querySelectorAll("[aria-current]").forEach((el) => {
      el.classList.remove("selected");
      el.removeAttribute("aria-current");
    });
    for (const el of [document.getElementById(`span-${id}`), document.getElementById(`claim-${id}`)]) {
      if (!el) continue;
      el.classList.add("selected");
      el.setAttribute("aria-current", "true");
      scrollWithin(el, el.closest(".article-text, .claim-list"));
    }
  }

  // Bring a claim into view inside its scrolling pane, never moving the page itself.
  function scrollWithin(el, pane) {
    if (!pane) return;
    const top = el.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    if (top < 0 || top + el.offsetHeight > pane.clientHeight) {
      pane.scrollTop += top - pane.clientHeight / 3;
    }
  }

  function press(key) {
    document.querySelector(`#detail button[data-key="${key}"]`)?.click();
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (["s", "d", "o", "a"].includes(key)) press(key);
    else if (key === "n") document.querySelector("#detail textarea")?.focus();
    else if (key === "u") document.getElementById("undo")?.click();
    else if (key === "?") {
      const keys = document.getElementById("keys");
      if (keys) keys.open = !keys.open;
    } else return;
    event.preventDefault();
  });

  // A verdict was saved: on to the next undecided claim in the list (or refresh this one).
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.failed || event.detail.target?.id === "review") wanted = "";
    const form = event.detail.elt;
    if (!form.matches?.(".verdict-form") || !event.detail.successful) return;
    const all = rows();
    const index = all.findIndex((row) => row.dataset.claimId === selectedId());
    const after = all.slice(index + 1).concat(all.slice(0, index + 1));
    const next = after.find((row) => !row.dataset.decided);
    if (next) select(next);
    else document.getElementById(`span-${selectedId()}`)?.click();
  });

  document.body.addEventListener("htmx:afterSettle", showSelection);
  document.addEventListener("DOMContentLoaded", showSelection);
})();
