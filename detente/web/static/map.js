// The map of event places (/map): hovering a place on the map marks its row in the table, and hovering a
// row marks the place on the map (both carry data-place). Clicking either follows its link to the events.
(function () {
  "use strict";
  function mark(key, on) {
    document.querySelectorAll("[data-place]").forEach(function (el) {
      if (el.dataset.place === key) el.classList.toggle("active", on);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("svg.world-map a[data-place], table.places tr[data-place]").forEach(function (el) {
      el.addEventListener("mouseenter", function () { mark(el.dataset.place, true); });
      el.addEventListener("mouseleave", function () { mark(el.dataset.place, false); });
    });
  });
})();
