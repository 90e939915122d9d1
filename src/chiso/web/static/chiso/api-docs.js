// The API's documentation page (api/docs.html): Swagger UI, vendored in static/swagger-ui/,
// started from the page's JSON settings. Its requests carry the CSRF token, as the site's
// forms do, so that "Try it out" works for a person who is logged in.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  SwaggerUIBundle({
    ...settings,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    requestInterceptor: (request) => {
      request.headers["X-CSRFToken"] = root.dataset.csrfToken;
      return request;
    },
  });
});
