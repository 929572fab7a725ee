/* Job-fair registration in the enterprise portal (no inline script: the
   site's Content-Security-Policy runs only files).

   - [data-rows] sections: rows added ([data-add-row]) and removed
     ([data-remove-row]) in place. A new row is the section's <template> with
     __i__ replaced by the next free number; the server reads the rows in the
     order of their numbers. Without script the add button submits the form
     (the server adds a blank row) and a row left empty is dropped.
   - [data-upload-form]: when a file is chosen, the form is sent with
     XMLHttpRequest so that the upload's progress shows; the answer replaces
     the page (or, after a redirect, the browser goes there).
   - input[type=file][data-preview]: a preview of the chosen picture.
   - form[data-confirm]: asks before sending (撤回).
*/
(function () {
  "use strict";

  function rowsOf(section) {
    return Array.prototype.slice.call(section.querySelectorAll("[data-row-list] > [data-row]"));
  }

  function renumber(section) {
    var rows = rowsOf(section);
    rows.forEach(function (row, n) {
      var number = row.querySelector("[data-row-number]");
      if (number) number.textContent = String(n + 1);
      var remove = row.querySelector("[data-remove-row]");
      if (remove) remove.hidden = rows.length <= 1;
    });
    var add = section.querySelector("[data-add-row]");
    var max = parseInt(section.getAttribute("data-max") || "0", 10);
    if (add && max) add.disabled = rows.length >= max;
  }

  function nextIndex(section) {
    var next = 0;
    section.querySelectorAll("[data-row-list] [name]").forEach(function (input) {
      var m = /^[a-z]+-(\d+)-/.exec(input.name);
      if (m) next = Math.max(next, parseInt(m[1], 10) + 1);
    });
    return next;
  }

  function addRow(section) {
    var template = section.querySelector("template[data-row-template]");
    var list = section.querySelector("[data-row-list]");
    if (!template || !list) return;
    var html = template.innerHTML.replace(/__i__/g, String(nextIndex(section)));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.querySelector("[data-row]");
    list.appendChild(row);
    renumber(section);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  document.querySelectorAll("[data-rows]").forEach(function (section) {
    section.classList.add("pt-rows--js");
    renumber(section);
  });

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      event.preventDefault();
      addRow(add.closest("[data-rows]"));
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var section = remove.closest("[data-rows]");
      var row = remove.closest("[data-row]");
      if (rowsOf(section).length <= 1) return;
      var next = row.nextElementSibling || row.previousElementSibling;
      row.parentNode.removeChild(row);
      renumber(section);
      var focus = next && next.querySelector("input:not([type=hidden]), select, textarea");
      if (focus) focus.focus();
    }
  });

  // A chosen scan shows before it is sent (a data: URL: the policy allows no blob: images).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-preview]")) return;
    var box = document.getElementById(input.getAttribute("data-preview"));
    if (!box) return;
    box.textContent = "";
    box.hidden = true;
    var file = input.files && input.files[0];
    if (!file) return;
    if (!/^image\/(jpeg|png)$/.test(file.type)) {
      box.textContent = "已选择：" + file.name;
      box.hidden = false;
      return;
    }
    var reader = new FileReader();
    reader.addEventListener("load", function () {
      var img = document.createElement("img");
      img.src = reader.result;
      img.alt = "所选盖章报名表的预览";
      box.appendChild(img);
      box.hidden = false;
    });
    reader.readAsDataURL(file);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (!form.hasAttribute("data-upload-form") || !window.FormData) return;
    var file = form.querySelector("input[type=file]");
    if (!file || !file.files || !file.files.length) return;
    // The upload with its progress; the page is replaced by the answer.
    event.preventDefault();
    var data = new FormData(form, event.submitter || undefined);
    var box = form.querySelector("[data-upload-progress]");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector("[data-upload-text]");
    var buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    if (box) box.hidden = false;
    var bytes = file.files[0].size;
    var size = bytes < 1024 * 1024 ? Math.max(1, Math.round(bytes / 1024)) + " KB" : (bytes / 1024 / 1024).toFixed(1) + " MB";
    // (form.action would be the buttons named "action": read the attribute)
    var target = new URL(form.getAttribute("action") || location.href, location.href);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", target.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round(e.loaded / e.total * 100);
      if (bar) bar.value = percent;
      if (text) text.textContent = percent < 100 ? "正在上传盖章报名表（" + size + "）：" + percent + "%" : "已上传，正在保存…";
    });
    xhr.addEventListener("load", function () {
      var landed = xhr.responseURL && new URL(xhr.responseURL).pathname !== target.pathname;
      if (landed) {
        location.href = xhr.responseURL;
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      buttons.forEach(function (b) { b.disabled = false; });
      if (text) text.textContent = "网络异常，上传未完成：填写的内容仍在本页，请稍后再点一次提交。";
    });
    xhr.send(data);
  });
})();
