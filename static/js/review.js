// Keyboard review: j/k move between claims, s/d/o mark the selected one, n edits its note.
(() => {
  "use strict";
  let selectedId = null;

  const cards = () => Array.from(document.querySelectorAll("li.claim[data-claim-id]"));
  const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

  function select(card) {
    if (!card) return;
    selectedId = card.dataset.claimId;
    document.querySelectorAll(".selected").forEach((el) => el.classList.remove("selected"));
    card.classList.add("selected");
    const span = document.getElementById(`span-${selectedId}`);
    if (span) {
      span.classList.add("selected");
      span.scrollIntoView({ block: "nearest" });
    }
    card.scrollIntoView({ block: "nearest" });
    card.focus({ preventScroll: true });
  }

  function current() {
    return cards().find((card) => card.dataset.claimId === selectedId);
  }

  function move(step) {
    const all = cards();
    const index = all.indexOf(current());
    select(all[Math.min(Math.max(index + step, 0), all.length - 1)] || all[0]);
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (["s", "d", "o"].includes(key)) current()?.querySelector(`button[data-key="${key}"]`)?.click();
    else if (key === "n") current()?.querySelector("textarea")?.focus();
    else return;
    event.preventDefault();
  });

  // Clicking a highlighted claim in the text selects its card.
  document.addEventListener("click", (event) => {
    const span = event.target.closest(".claim-span");
    if (span) select(document.getElementById(`claim-${span.dataset.claimId}`));
  });

  // After a verdict is saved, move on to the next undecided claim.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const card = event.detail.target;
    if (!card?.matches?.("li.claim") || event.detail.xhr.status >= 400) return;
    const all = cards();
    const swapped = document.getElementById(card.id);
    const after = all.slice(all.indexOf(swapped) + 1).concat(all);
    select(after.find((c) => !c.dataset.decided) || swapped);
  });
})();
