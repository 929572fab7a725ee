/* The talent-demand form (R-PT-05): position rows and their major sub-rows
   added and removed in place, the "other" text fields shown when their
   select says 其他, and progress while the form is sent. The page works
   without this script for one position (the add/remove buttons stay hidden).
   Rows are copied from <template> elements holding a blank row whose names
   carry __P__ / __M__; the server reads rows in their indexes' order, so a
   removed row only leaves a gap. (A file, never inline: CSP.) */
(function () {
  "use strict";
  // 撤回 and the like ask first (forms with data-confirm).
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  var form = document.querySelector("[data-demand-form]");
  if (!form) return;
  var list = form.querySelector("[data-positions]");
  var positionTemplate = document.getElementById("demand-position-template");
  var majorTemplate = document.getElementById("demand-major-template");
  var maxPositions = parseInt(form.getAttribute("data-max-positions"), 10) || 30;
  var maxMajors = parseInt(form.getAttribute("data-max-majors"), 10) || 10;
  var addPosition = form.querySelector("[data-add-position]");

  function indexOf(text, re) {
    var m = re.exec(text || "");
    return m ? parseInt(m[1], 10) : -1;
  }

  function fill(template, p, m) {
    var html = template.innerHTML
      .replace(/__P__/g, p).replace(/__p__/g, p)
      .replace(/__M__/g, m).replace(/__m__/g, m);
    var holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.firstElementChild;
  }

  function positions() { return list.querySelectorAll("[data-position]"); }

  function refresh() {
    var rows = positions();
    rows.forEach(function (row, i) {
      var number = row.querySelector("[data-position-number]");
      if (number) number.textContent = String(i + 1);
      var remove = row.querySelector("[data-remove-position]");
      remove.hidden = rows.length < 2;
      var majors = row.querySelectorAll("[data-major]");
      row.querySelector("[data-add-major]").hidden = majors.length >= maxMajors;
      majors.forEach(function (major) { major.querySelector("[data-remove-major]").hidden = false; });
      toggleOthers(row);
    });
    addPosition.hidden = rows.length >= maxPositions;
  }

  // 其他（手动填写）/ 用工性质“其他”: the text field only when its select says so.
  function toggleOthers(row) {
    row.querySelectorAll("[data-other-of]").forEach(function (box) {
      var select = row.querySelector("select[name$='." + box.getAttribute("data-other-of") + "']");
      if (!select) return;
      var shown = select.value === box.getAttribute("data-other-value");
      var input = box.querySelector("input");
      box.hidden = !shown && !(input && input.value) && !box.querySelector(".pt-error");
    });
  }

  function rowIndex(row) { return indexOf(row.getAttribute("data-prefix"), /^positions\[(\d+)\]$/); }

  function nextPositionIndex() {
    var max = -1;
    positions().forEach(function (row) { max = Math.max(max, rowIndex(row)); });
    return max + 1;
  }

  function nextMajorIndex(row) {
    var max = -1;
    row.querySelectorAll("[data-major] select").forEach(function (s) {
      max = Math.max(max, indexOf(s.name, /\.majors\[(\d+)\]\./));
    });
    return max + 1;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    var row = button.closest("[data-position]");
    if (button.hasAttribute("data-add-position")) {
      if (positions().length >= maxPositions) return;
      var added = fill(positionTemplate, nextPositionIndex(), 0);
      list.appendChild(added);
      refresh();
      added.querySelector("select").focus();
    } else if (button.hasAttribute("data-remove-position")) {
      if (positions().length < 2) return;
      var next = row.nextElementSibling || row.previousElementSibling;
      row.parentNode.removeChild(row);
      refresh();
      if (next) next.querySelector("legend").scrollIntoView({block: "nearest"});
    } else if (button.hasAttribute("data-add-major")) {
      var box = row.querySelector("[data-majors]");
      if (box.querySelectorAll("[data-major]").length >= maxMajors) return;
      var major = fill(majorTemplate, rowIndex(row), nextMajorIndex(row));
      box.appendChild(major);
      refresh();
      major.querySelector("select").focus();
    } else if (button.hasAttribute("data-remove-major")) {
      var item = button.closest("[data-major]");
      item.parentNode.removeChild(item);
      refresh();
      row.querySelector("[data-add-major]").focus();
    }
  });

  form.addEventListener("change", function (event) {
    var row = event.target.closest("[data-position]");
    if (row && event.target.tagName === "SELECT") toggleOthers(row);
  });

  // Progress while the form is sent: the buttons wait (the action chosen is kept in a hidden field).
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    var text = submitter && submitter.getAttribute("data-busy-text");
    if (submitter && text) submitter.textContent = text;
    var busy = form.querySelector("[data-busy]");
    if (busy) busy.textContent = text || "正在提交…";
  });

  form.classList.add("dm-js");
  refresh();
  // Refused by the server: take the person to the first field to correct.
  var firstError = form.querySelector("[aria-invalid=true]");
  if (firstError) firstError.focus();
})();
