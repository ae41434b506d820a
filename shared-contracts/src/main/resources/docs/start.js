// Starts Swagger UI from a file, not an inline script, so that /docs works under a strict Content-Security-Policy.
// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.yaml',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
