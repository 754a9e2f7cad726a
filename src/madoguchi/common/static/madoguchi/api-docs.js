/* Starts Swagger UI on /api/v1/docs from a static file, so the page needs no
   inline script (the site's Content-Security-Policy allows none). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var page = document.body.dataset;
  var config = JSON.parse(root.dataset.settings);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  // The public validator badge would call out to the internet; the LGWAN has none.
  config.validatorUrl = null;
  // A link inside the operation's toggle button nests one control in another,
  // which screen readers cannot announce; the docs are short enough without it.
  config.deepLinking = false;
  if (page.apiCsrf && page.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = page.csrfToken;
      return request;
    };
  }
  SwaggerUIBundle(config);

  // Swagger UI draws a parameter's choices, the request body's editor and the copy
  // buttons without a name; name them whenever they appear.
  new MutationObserver(function () {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    });
    root.querySelectorAll(".body-param textarea:not([aria-label])").forEach(function (body) {
      body.setAttribute("aria-label", "Request body");
    });
    root.querySelectorAll(".copy-to-clipboard button:not([aria-label])").forEach(function (copy) {
      copy.setAttribute("aria-label", "Copy to clipboard");
    });
  }).observe(root, { childList: true, subtree: true });
})();
