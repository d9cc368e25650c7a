// Archive PDF status page: polls the export's status and updates the progress
// bar in place. Without JavaScript the page refreshes itself (<noscript> meta).
(function () {
  "use strict";

  function start() {
    var box = document.getElementById("batch-export");
    if (!box || box.getAttribute("data-finished") === "1") { return; }
    var url = box.getAttribute("data-status-url");
    var bar = document.getElementById("batch-progress");
    var percent = document.getElementById("batch-percent");
    var state = document.getElementById("batch-state");
    var download = document.getElementById("batch-download");
    var failures = 0;

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
          percent.textContent = data.percent + "%";
          state.textContent = data.state;
          if (data.finished) {
            if (data.download_url) {
              download.href = data.download_url;
              download.classList.remove("d-none");
            } else {
              window.location.reload();  // failed: the page shows the reason and "try again"
            }
            return;
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () {
          failures += 1;
          if (failures < 10) { window.setTimeout(poll, 3000); }
        });
    }
    poll();
  }

  if (document.readyState !== "loading") { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
