// Netralitas: progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    // Selects that submit their form on change (language switcher, filters).
    document.querySelectorAll("select.js-autosubmit").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });

    // "Select all" checkboxes: data-select-all="name-of-checkboxes".
    document.querySelectorAll("[data-select-all]").forEach(function (master) {
      master.addEventListener("change", function () {
        var name = master.getAttribute("data-select-all");
        document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
          if (!box.disabled) { box.checked = master.checked; }
        });
      });
    });

    // Confirmation for destructive buttons: data-confirm="question".
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });

    // Forms are submitted once: a double click must not send two POSTs.
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function () {
        if (form.dataset.submitted === "1") { return; }
        form.dataset.submitted = "1";
        window.setTimeout(function () {
          form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
        }, 0);
      });
    });
  });
})();
