/* Small behaviours of the desk's own pages, declared with data attributes
   instead of inline handlers (the Content-Security-Policy runs none):
     <select data-autosubmit>          submits its form when changed;
     <form data-confirm="确认…？">     asks before it is sent.
   Loaded in every desk page's <head> (UNFOLD["SCRIPTS"]): listens on the document. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el instanceof HTMLElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) e.preventDefault();
  });
})();
