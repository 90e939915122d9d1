// The pages' few behaviours, in a static file: the Content-Security-Policy runs no inline
// code, and htmx runs no code written in attributes (allowEval is off).
(function () {
  "use strict";

  // A ratio's numerator and denominator are saved together: when the person leaves the pair
  // after typing, or ticks one of its boxes (hx-trigger="submit, save").
  function ratioForm(element) {
    return element instanceof Element ? element.closest("form.answer.kind-ratio") : null;
  }
  document.addEventListener("input", function (event) {
    const form = ratioForm(event.target);
    if (form) form.dataset.dirty = "1";
  });
  document.addEventListener("change", function (event) {
    const form = ratioForm(event.target);
    if (form && event.target.type === "checkbox") htmx.trigger(form, "save");
  });
  document.addEventListener("focusout", function (event) {
    const form = ratioForm(event.target);
    const staying = event.relatedTarget && form && form.contains(event.relatedTarget);
    if (form && form.dataset.dirty && !staying) htmx.trigger(form, "save");
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = ratioForm(event.detail.elt);
    if (form) delete form.dataset.dirty;
  });

  // An answer refused as invalid (422) marks its criterion until a save succeeds.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (form instanceof Element && form.matches("form.answer")) {
      form.closest(".crit").classList.toggle("invalid", event.detail.xhr.status === 422);
    }
  });

  // The printable form's button.
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
  });
})();
