/* Small behaviours of the desk's own pages, declared with data attributes
   instead of inline handlers (the Content-Security-Policy runs none):
     <select data-autosubmit>          submits its form when changed;
     <form data-confirm="确认…？">     asks before it is sent.
   And fixes to django-unfold's markup, whose templates are not ours: its
   lists on a phone, its landmarks (below).
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

  // Landmarks for screen readers (checked by axe-core in tests/e2e/test_accessibility.py).
  // unfold's layout has no main landmark: its #main column (the header with
  // the page's h1, messages, content, pagination — all but the sidebar) or the
  // sign-in page's #page becomes one. And simplebar names every scroll area
  // it makes a region "scrollable content": each gets its own name. Set
  // before simplebar starts (it reads data-simplebar-aria-label), or on its
  // region when it already has.
  function scrollAreaName(area) {
    if (area.id === "nav-sidebar-apps") return "侧边栏菜单";
    if (area.querySelector("#result_list")) return "列表内容";
    if (area.getAttribute("data-simplebar-direction") === "rtl") return "筛选条件";  // the list's filters
    return "滚动区域";
  }
  function markLandmarks() {
    if (!document.querySelector("main, [role=\"main\"]")) {
      var main = document.getElementById("main") || document.getElementById("page");
      if (main) main.setAttribute("role", "main");
    }
    var used = {};
    document.querySelectorAll("[data-simplebar]").forEach(function (area) {
      var name = scrollAreaName(area);
      used[name] = (used[name] || 0) + 1;
      if (used[name] > 1) name += " " + used[name];
      area.setAttribute("data-simplebar-aria-label", name);
      var region = area.querySelector(".simplebar-content-wrapper[role=\"region\"]");
      if (region) region.setAttribute("aria-label", name);
    });
  }

  function ready() {
    labelFirstColumn();
    markLandmarks();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
