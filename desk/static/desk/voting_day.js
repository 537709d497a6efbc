// The situation room refreshes its panel every minute without reloading the page (no inline script: CSP).
(function () {
  "use strict";
  var panel = document.getElementById("room-panel");
  if (!panel || !window.fetch) { return; }
  var url = panel.getAttribute("data-refresh-url");
  var seconds = parseInt(panel.getAttribute("data-refresh-seconds"), 10) || 60;
  var stale = document.getElementById("room-stale");

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        panel.innerHTML = html;
        if (stale) { stale.hidden = true; }
      })
      .catch(function () {
        // Keep the last numbers on screen and say they may be old.
        if (stale) { stale.hidden = false; }
      });
  }

  window.setInterval(refresh, seconds * 1000);
})();
