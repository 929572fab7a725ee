/* Small behaviours of the desk's own pages, declared with data attributes
   instead of inline handlers (the Content-Security-Policy runs none):
     <select data-autosubmit>          submits its form when changed;
     <form data-confirm="确认…？">     asks before it is sent.
   And one fix to django-unfold's lists on a phone (below).
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

  // On a phone a list row is a card whose cells are labelled from data-label.
  // unfold labels the first cell "选择此记录" (the selection checkbox's name)
  // even when a list has no checkbox column (a user with no bulk actions):
  // give that cell its own column's heading.
  function labelFirstColumn() {
    document.querySelectorAll("#result_list").forEach(function (table) {
      var heading = table.querySelector("thead th");
      if (!heading || heading.classList.contains("action-checkbox-column")) return;
      var text = heading.textContent.trim();
      if (!text) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var cell = row.querySelector("td, th");
        if (cell && !cell.classList.contains("action-checkbox")) cell.setAttribute("data-label", text);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", labelFirstColumn);
  else labelFirstColumn();
})();
