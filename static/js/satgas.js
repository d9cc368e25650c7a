// Satgas: searchable member picking on the appointment page, and the activity form's "Lainnya"
// description shown only with that kind. The pages work without it.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    document.querySelectorAll("[data-js-only]").forEach(function (el) {
      el.classList.remove("d-none");
      el.classList.add("d-flex");
    });

    // A field that belongs to one choice of a select (data-shown-with: the select's id,
    // data-shown-value: the choice); without this script it is always shown.
    document.querySelectorAll("[data-shown-with]").forEach(function (box) {
      var select = document.getElementById(box.getAttribute("data-shown-with"));
      if (!select) { return; }
      function apply() { box.hidden = select.value !== box.getAttribute("data-shown-value"); }
      select.addEventListener("change", apply);
      apply();
    });

    var counter = document.querySelector("[data-selected-count]");
    var selects = document.querySelectorAll("select[data-role-select]");
    function updateCount() {
      if (!counter) { return; }
      var n = 0;
      selects.forEach(function (s) { if (s.value) { n += 1; } });
      counter.textContent = String(n);
    }
    selects.forEach(function (s) { s.addEventListener("change", updateCount); });

    document.querySelectorAll("[data-roster-filter]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-roster-filter"));
      var onlySelected = document.querySelector('[data-only-selected="' + input.getAttribute("data-roster-filter") + '"]');
      if (!table) { return; }
      function apply() {
        var query = input.value.trim().toLowerCase();
        var selectedOnly = onlySelected && onlySelected.checked;
        table.querySelectorAll("tbody tr").forEach(function (row) {
          var select = row.querySelector("select[data-role-select]");
          var matches = !query || (row.getAttribute("data-search") || "").indexOf(query) !== -1;
          if (selectedOnly && select && !select.value) { matches = false; }
          row.hidden = !matches;
        });
      }
      input.addEventListener("input", apply);
      if (onlySelected) { onlySelected.addEventListener("change", apply); }
    });
  });
})();
