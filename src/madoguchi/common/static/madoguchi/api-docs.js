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

  // Swagger UI draws a parameter's list of choices as a <select> with no label;
  // name it after its parameter whenever one appears.
  new MutationObserver(function () {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    });
  }).observe(root, { childList: true, subtree: true });
})();
