// Link the event list and the highlighted text on article pages: hovering an event marks the triggers of
// all its mentions (data-event holds their ids, space-separated).
(function () {
  "use strict";
  function toggle(id, on) {
    document.querySelectorAll(".hl[data-events]").forEach(function (el) {
      if (el.dataset.events.split(" ").indexOf(id) >= 0) el.classList.toggle("active", on);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("li[data-event]").forEach(function (li) {
      var ids = li.dataset.event.split(" ");
      li.addEventListener("mouseenter", function () { ids.forEach(function (id) { toggle(id, true); }); });
      li.addEventListener("mouseleave", function () { ids.forEach(function (id) { toggle(id, false); }); });
    });
  });
})();

// Filter forms: leave empty fields out of the address, so a shared link holds only the filters in use
// (the server reads an empty field as no filter either way).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.filters").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("input, select").forEach(function (field) {
          if (field.value === "" && field.type !== "checkbox") field.disabled = true;
        });
      });
    });
  });
  // Back to a page kept in the browser's cache: its fields usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters [disabled]").forEach(function (field) { field.disabled = false; });
  });
})();
