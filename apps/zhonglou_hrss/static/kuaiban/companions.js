/* The desk's companion rows (registration and petition forms): add a row from
   the empty form's <template>, remove one, renumber the formset's names and
   its TOTAL_FORMS. Loaded right after the rows (kuaiban/desk/_companions.html). */
(function () {
  "use strict";
  var box = document.getElementById("companions");
  var total = document.getElementById("id_companions-TOTAL_FORMS");
  var tpl = document.getElementById("companion-template");
  var add = document.getElementById("add-companion");
  if (!box || !total || !tpl || !add) return;
  function renumber() {
    var rows = box.querySelectorAll("[data-companion]");
    rows.forEach(function (row, i) {
      row.querySelectorAll("input,select,textarea,label").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) el.setAttribute(attr, v.replace(/companions-(\d+|__prefix__)-/, "companions-" + i + "-"));
        });
      });
    });
    total.value = rows.length;
  }
  add.addEventListener("click", function () {
    box.appendChild(tpl.content.cloneNode(true));
    renumber();
  });
  box.addEventListener("click", function (e) {
    if (e.target.hasAttribute("data-remove")) { e.target.closest("[data-companion]").remove(); renumber(); }
  });
})();
