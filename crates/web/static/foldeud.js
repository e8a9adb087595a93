// Fold-out sections ("Foldeud", <details>) open when the address's fragment
// points at them or inside them: on load and whenever the fragment changes
// (a link to #foldeud-... on the same page). Without this script they stay
// closed until clicked, and everything still works.
(function () {
  "use strict";
  function openTarget() {
    var id = window.location.hash.slice(1);
    if (!id) {
      return;
    }
    try {
      id = decodeURIComponent(id);
    } catch (e) {
      return;
    }
    var target = document.getElementById(id);
    if (!target) {
      return;
    }
    var opened = false;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    // What was closed had no place on the page to scroll to.
    if (opened) {
      target.scrollIntoView();
    }
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
