// Link the event list and the highlighted text on article pages: hovering one marks the other.
(function () {
  "use strict";
  function toggle(id, on) {
    document.querySelectorAll(".hl[data-events]").forEach(function (el) {
      if (el.dataset.events.split(" ").indexOf(id) >= 0) el.classList.toggle("active", on);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("li[data-event]").forEach(function (li) {
      var id = li.dataset.event;
      li.addEventListener("mouseenter", function () { toggle(id, true); });
      li.addEventListener("mouseleave", function () { toggle(id, false); });
    });
  });
})();
