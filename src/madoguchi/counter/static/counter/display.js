// The waiting display refreshes only its numbers every 10 s: it fetches the page
// again and swaps the board's content (no flash of a reload on the hall's screen).
// Without JavaScript the page's <noscript> meta refresh reloads it instead.
(function () {
  "use strict";
  var EVERY_MS = 10000;
  var STALE_AFTER_MS = 60000; // then the screen says it is not up to date
  var lastOk = Date.now();

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("board-live");
        var shown = document.getElementById("board-live");
        if (fresh && shown) {
          shown.replaceWith(document.importNode(fresh, true));
          lastOk = Date.now();
        }
      })
      .catch(function () { /* shown as stale below if it lasts */ })
      .then(function () {
        var stale = document.querySelector(".stale");
        if (stale) { stale.hidden = Date.now() - lastOk < STALE_AFTER_MS; }
        window.setTimeout(refresh, EVERY_MS);
      });
  }

  window.setTimeout(refresh, EVERY_MS);
})();
