// Reports: filter a long <select> (UPTs, a roster) as the user types. The
// pages work without this file: the UPT search falls back to a GET search.
(function () {
  "use strict";

  function normalise(text) { return (text || "").toLowerCase(); }

  function attach(input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) { return; }
    input.classList.remove("d-none");
    input.addEventListener("input", function () {
      var needle = normalise(input.value).trim();
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) { return; }
        var match = !needle || normalise(option.text).indexOf(needle) !== -1;
        option.hidden = !match;
        option.disabled = !match && !option.selected;
      });
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    document.querySelectorAll("input[data-filter-select]").forEach(attach);
  });
})();
